"""The client's plan: targets per pillar and actions on the published findings.

Consultants and the client's managers keep it together; respondents have no login and
never see it. Actions are made from published findings only (`assessments.plan`).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import RESULT_READERS
from assessments import plan
from assessments.access import assessment_view
from assessments.forms import ActionForm, TargetsForm
from assessments.models import Action
from assessments.results.access import published_results, results_for

from ..presenters import ACTION_PLAN_ROWS


def _posted(request):
    """The form's data on a POST, even an empty one; None to show the form."""
    return request.POST if request.method == "POST" else None


def _plan_url(assessment) -> str:
    return reverse("reports:plan", args=[assessment.organisation.slug, assessment.pk])


@assessment_view(roles=RESULT_READERS)
def action_plan(request, access, assessment):
    """The actions with their owners and dates, the findings still without one, and, on a
    follow-up, whether the questions of the previous plan moved."""
    published = published_results(assessment)
    visible = results_for(access, assessment)  # live for consultants, published otherwise
    actions = list(assessment.actions.for_plan())
    planned = {action.question.code for action in actions}
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.is_overdue(today)
    unplanned = [f for f in plan.plan_findings(published) if f.question not in planned]
    return render(
        request,
        "reports/plan.html",
        {
            "access": access,
            "assessment": assessment,
            "published": published,
            "actions": actions,
            # The first as many as the report's action plan lists, the rest folded away.
            "findings": unplanned[:ACTION_PLAN_ROWS],
            "more_findings": unplanned[ACTION_PLAN_ROWS:],
            "outcomes": plan.outcomes(assessment, visible),
            "targets": plan.progress_to_targets(
                visible.result if visible else None, plan.targets(assessment)
            ),
            "overdue": sum(action.overdue for action in actions),
        },
    )


def _finding(assessment, code: str):
    published = published_results(assessment)
    return next((f for f in plan.plan_findings(published) if f.question == code), None)


@assessment_view(roles=RESULT_READERS)
def new_action(request, access, assessment):
    """Turn one published finding (`?finding=` its question's code) into an action."""
    code = request.GET.get("finding") or request.POST.get("finding", "")
    finding = _finding(assessment, code)
    if finding is None:
        messages.warning(request, _("That finding is not among the published findings."))
        return redirect(_plan_url(assessment))
    if assessment.actions.filter(question__code=code).exists():
        messages.info(request, _("This finding already has an action."))
        return redirect(_plan_url(assessment))
    owners = plan.owners(assessment)
    form = ActionForm(
        _posted(request),
        owners=owners,
        initial={"title": plan.default_title(finding)},
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ActionForm.Meta.fields}
        try:
            plan.create_action(assessment=assessment, finding=finding, by=request.user, **fields)
        except plan.PlanRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The action is in the plan."))
            return redirect(_plan_url(assessment))
    return _action_page(request, access, assessment, form, finding=finding)


@assessment_view(roles=RESULT_READERS)
def edit_action(request, access, assessment, action_pk):
    action = get_object_or_404(
        Action.objects.select_related("question"), assessment=assessment, pk=action_pk
    )
    form = ActionForm(_posted(request), instance=action, owners=plan.owners(assessment))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ActionForm.Meta.fields}
        try:
            plan.update_action(action=action, **fields)
        except plan.PlanRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The action is saved."))
            return redirect(_plan_url(assessment))
    return _action_page(request, access, assessment, form)


def _action_page(request, access, assessment, form, *, finding=None):
    """The form of a new action (`finding`: what it answers) or of one in the plan."""
    return render(
        request,
        "reports/action_form.html",
        {
            "access": access,
            "assessment": assessment,
            "form": form,
            "finding": finding,
            "finding_text": finding.text if finding else form.instance.question.in_language().text,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@assessment_view(roles=RESULT_READERS)
def targets(request, access, assessment):
    """The maturity each pillar should reach by go-live; the path to ready measures to it."""
    current = plan.targets(assessment)
    form = TargetsForm(_posted(request), targets=current)
    if request.method == "POST" and form.is_valid():
        plan.set_targets(assessment=assessment, maturities=form.cleaned_data, by=request.user)
        messages.success(request, _("The targets are saved."))
        return redirect(_plan_url(assessment))
    return render(
        request,
        "reports/targets.html",
        {
            "access": access,
            "assessment": assessment,
            "form": form,
            "default": assessment.questionnaire.default_target,
        },
        status=400 if form.is_bound else 200,
    )
