"""The consultant's review of evidence: which questions ask for it, and what was named."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import CONSULTANTS
from assessments import evidence
from assessments.access import assessment_view
from assessments.models import Answer, Evidence

from ..exporters.tables import pseudonyms
from ..forms import CheckEvidenceForm, EvidenceQuestionsForm


@assessment_view(roles=CONSULTANTS)
def review(request, access, assessment):
    questions = list(assessment.questionnaire.questions.select_related("pillar"))
    choose = EvidenceQuestionsForm(
        request.POST if request.POST.get("action") == "questions" else None,
        questions=questions,
        initial={"questions": assessment.evidence_questions},
    )
    check = CheckEvidenceForm(request.POST if request.POST.get("action") == "check" else None)
    if request.method == "POST":
        if choose.is_bound and choose.is_valid():
            try:
                evidence.set_evidence_questions(
                    assessment=assessment, codes=choose.cleaned_data["questions"]
                )
            except evidence.EvidenceRefused as refused:
                choose.add_error(None, str(refused))
            else:
                messages.success(request, _("The questions that ask for evidence are saved."))
                return redirect(_url(assessment))
        elif check.is_bound and check.is_valid():
            piece = get_object_or_404(
                Evidence, response__assessment=assessment, pk=check.cleaned_data["evidence"]
            )
            evidence.check_evidence(
                evidence=piece, seen=check.cleaned_data["seen"], by=request.user
            )
            messages.success(request, _("The evidence is marked."))
            return redirect(_url(assessment) + f"#evidence-{piece.pk}")
        elif not (choose.is_bound or check.is_bound):
            messages.warning(request, _("Choose what to change."))
    return render(
        request,
        "reports/evidence.html",
        {
            "access": access,
            "assessment": assessment,
            "choose": choose,
            "can_choose": not assessment.responses.filter(started_at__isnull=False).exists(),
            "pieces": _pieces(assessment),
        },
        status=400 if request.method == "POST" else 200,
    )


def _url(assessment) -> str:
    return reverse("reports:evidence", args=[assessment.organisation.slug, assessment.pk])


def _pieces(assessment) -> list[Evidence]:
    """Each piece of evidence with the level it backs and its respondent's pseudonym."""
    pieces = list(
        Evidence.objects.filter(response__assessment=assessment)
        .select_related("question__pillar", "response")
        .order_by("question__pillar__order", "question__order", "pk")
    )
    levels = {
        (response_id, question_id): level
        for response_id, question_id, level in Answer.objects.filter(
            response__assessment=assessment, question__code__in=assessment.evidence_questions
        ).values_list("response_id", "question_id", "level")
    }
    names = pseudonyms(assessment.pk, {piece.response_id for piece in pieces})
    for piece in pieces:
        piece.level = levels.get((piece.response_id, piece.question_id))
        piece.respondent = names[piece.response_id]
    return pieces
