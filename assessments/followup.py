"""Follow-up assessments: the same client assessed again, on the newest questionnaire.

A follow-up copies the settings of the organisation's latest assessment and nothing else:
no answers, no comments, no publications. Its invitees are the people invited last time,
and they get new personal links only once the consultant has opened the follow-up and
chooses to send them (`invite_previous_respondents`): links of a draft would not work.

The invitee list is not copied into the follow-up: it is read from the assessment before
it when the links are sent, so that a person whose data was erased since, or whose address
was purged after the retention period, is not invited again, and no second copy of
addresses escapes erasure and retention.
"""

from collections.abc import Collection

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from . import services
from .addresses import Invitee
from .models import Assessment, Questionnaire, RespondentContact, Response

TITLE_MAX_LENGTH = Assessment._meta.get_field("title").max_length


class FollowUpRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def follow_up_title(title: str) -> str:
    """“GenAI readiness — follow-up”, shortened to fit the title's length if needed."""
    suffix = _(" — follow-up")
    return title[: TITLE_MAX_LENGTH - len(suffix)].rstrip() + suffix


def newer_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's first assessment created after this one, if any."""
    return (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id, created_at__gt=assessment.created_at
        )
        .order_by("created_at", "pk")
        .first()
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's assessment created just before this one: what a follow-up
    repeats."""
    return (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id, created_at__lt=assessment.created_at
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def start_follow_up(*, assessment: Assessment, started_by: User | None) -> Assessment:
    """A new draft assessment repeating `assessment`: the newest published version of its
    questionnaire, the same anonymity threshold, no closing date yet (set when opening),
    and the title marked as a follow-up.

    Refused (FollowUpRefused) for a draft or an assessment nobody has submitted to, which
    have nothing to follow up, and for an assessment that is not the organisation's latest,
    so that a second click or an old page does not start two follow-ups.
    """
    # One follow-up at a time per organisation: the second of two clicks waits, then sees
    # the first's follow-up as the newer assessment.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if assessment.status == Assessment.Status.DRAFT:
        raise FollowUpRefused(_("A draft has nothing to follow up: open it instead."))
    if not assessment.responses.submitted().exists():
        raise FollowUpRefused(
            _("Nobody has submitted yet: there is nothing to follow up, and nothing to compare.")
        )
    newer = newer_assessment(assessment)
    if newer is not None:
        raise FollowUpRefused(
            _("“%(title)s” already follows this assessment.") % {"title": newer.title}
        )
    questionnaire = (
        Questionnaire.objects.newest_published().filter(slug=assessment.questionnaire.slug).first()
    )
    if questionnaire is None:
        raise FollowUpRefused(_("No version of this questionnaire is published any more."))
    return services.create_assessment(
        organisation=assessment.organisation,
        questionnaire=questionnaire,
        title=follow_up_title(assessment.title),
        created_by=started_by,
        closes_on=None,
        anonymity_threshold=assessment.anonymity_threshold,
        report_language=assessment.report_language,
    )


def previous_invitees(assessment: Assessment) -> list[Invitee]:
    """The people invited to the assessment before this one who have no link to this one
    yet: their addresses and names as stored now, in address order.

    Withdrawn links and workshop participants (who join without an address) are left out.
    """
    return invitees_from(previous_assessment(assessment), into=assessment)


def invitees_from(previous: Assessment | None, *, into: Assessment) -> list[Invitee]:
    """`previous_invitees`, with the previous assessment looked up already (None: none)."""
    if previous is None:
        return []
    already = RespondentContact.objects.filter(
        response__assessment=into, response__revoked_at__isnull=True
    ).values("email")
    contacts = (
        RespondentContact.objects.filter(
            response__assessment=previous,
            response__revoked_at__isnull=True,
            response__workshop_session__isnull=True,
        )
        .exclude(email="")
        .exclude(email__in=already)
        .order_by("email", "pk")
        .values_list("email", "name")
    )
    invitees: dict[str, Invitee] = {}
    for email, name in contacts:
        if email not in invitees:
            invitees[email] = Invitee(email=email, name=name)
    return list(invitees.values())


def invite_previous_respondents(
    *, assessment: Assessment, sent_by: User | None, emails: Collection[str] | None = None
) -> list[Response]:
    """Send a new personal link to each person invited to the assessment before this one,
    or to those of them whose addresses are in `emails` (the consultant may leave some out).

    Only people of the previous assessment are invited: an address in `emails` that is not
    one of theirs is ignored. Refused (services.InvitationsClosed) while the assessment is a
    draft or closed, like every invitation.
    """
    invitees = previous_invitees(assessment)
    if emails is not None:
        chosen = {email.strip().lower() for email in emails}
        invitees = [invitee for invitee in invitees if invitee.email in chosen]
    return services.invite_respondents(assessment=assessment, invitees=invitees, sent_by=sent_by)


def took_part_before(*, assessment: Assessment, email: str) -> Assessment | None:
    """The assessment before this one, if `email` was invited to it: a follow-up's mail
    tells that person what the new link is for."""
    previous = previous_assessment(assessment)
    if previous is None or not email:
        return None
    invited = RespondentContact.objects.filter(
        response__assessment=previous, email=email.strip().lower()
    )
    return previous if invited.exists() else None
