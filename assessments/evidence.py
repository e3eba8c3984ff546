"""Evidence for high ratings: self-ratings run high unless raters expect them to be checked.

The consultant names the questions of an assessment where a rating of 3 or 4 asks for
evidence; respondents are told before their first answer, and name it (text only: a
document, a test report, a link); the consultant marks each piece as seen or not. The
"evidenced" maturity counts a high rating without evidence seen at level 2
(`scoring.evidenced_pillars`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import services
from .models import Assessment, Evidence, Question, Response

EVIDENCE_MAX_LENGTH = Evidence._meta.get_field("text").max_length
HIGH_LEVELS = (3, 4)


class EvidenceRefused(ValueError):
    """Evidence questions that cannot change any more, or evidence that cannot be saved."""


def asks_evidence(assessment: Assessment, question: Question) -> bool:
    return question.code in assessment.evidence_questions


@transaction.atomic
def set_evidence_questions(*, assessment: Assessment, codes: list[str]) -> None:
    """Choose the questions that ask for evidence, before anyone has started answering:
    respondents are told before their first answer, not after."""
    if assessment.responses.filter(started_at__isnull=False).exists():
        raise EvidenceRefused(
            _("People have started answering: the questions that ask for evidence are fixed.")
        )
    known = set(assessment.questionnaire.questions.values_list("code", flat=True))
    unknown = set(codes) - known
    if unknown:
        raise EvidenceRefused(
            _("This questionnaire has no question %(codes)s.")
            % {"codes": ", ".join(sorted(unknown))}
        )
    assessment.evidence_questions = sorted(set(codes))
    assessment.save(update_fields=["evidence_questions"])


def save_evidence(*, response: Response, question: Question, text: str) -> None:
    """The respondent's evidence for one question; empty text removes it. Call it in the
    transaction that saves the answer, so that both are saved or neither."""
    services.ensure_editable(response)
    if not asks_evidence(response.assessment, question):
        raise services.InvalidAnswer(_("This question does not ask for evidence."))
    text = text.strip()
    if len(text) > EVIDENCE_MAX_LENGTH:
        raise services.InvalidAnswer(
            _("Keep the evidence under %(count)d characters.") % {"count": EVIDENCE_MAX_LENGTH}
        )
    saved = Evidence.objects.filter(response=response, question=question)
    if not text:
        saved.delete()
    elif not saved.filter(text=text).exists():
        # Changed evidence is evidence the consultant has not seen yet.
        Evidence.objects.update_or_create(
            response=response,
            question=question,
            defaults={"text": text, "seen": None, "checked_by": None, "checked_at": None},
        )


def check_evidence(*, evidence: Evidence, seen: bool, by: User) -> None:
    evidence.seen, evidence.checked_by, evidence.checked_at = seen, by, timezone.now()
    evidence.save(update_fields=["seen", "checked_by", "checked_at", "updated_at"])
