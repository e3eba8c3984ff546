"""The e-mails a respondent receives."""

from accounts.mail import send_templated_mail
from accounts.models import User

from .models import Response


def send_respondent_link(
    *, response: Response, token: str, sent_by: User | None, replaces_earlier: bool = False
) -> None:
    """Mail a respondent their personal link: who asks and why, and who will see the answers.

    With `replaces_earlier`, the mail says that this link replaces one sent before, which
    no longer works. To someone invited to the organisation's previous assessment, it says
    that this is its follow-up.
    """
    from .followup import took_part_before
    from .services import respondent_url

    assessment = response.assessment
    send_templated_mail(
        template="assessments/email/respondent",
        context={
            "response": response,
            "assessment": assessment,
            "organisation": assessment.organisation,
            "url": respondent_url(token),
            "replaces_earlier": replaces_earlier,
            "previous": took_part_before(assessment=assessment, email=response.email),
        },
        to=[response.email],
        sender=sent_by,
        language=assessment.report_language,
    )
