from django import forms
from django.utils.translation import gettext_lazy as _


class ShareCommentForm(forms.Form):
    """Share one comment with the client's management, or take it back."""

    answer = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a comment.")})
    shared = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Stop sharing"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Choose whether to share the comment.")},
    )


def _verdict_choices():
    from assessments.labels import LABELS

    return [
        ("", _("Any verdict")),
        *((code, words) for code, words in LABELS["verdict"].items()),
        ("none", _("No verdict yet")),
    ]


class PortfolioFilterForm(forms.Form):
    """The portfolio's search, filters and order, read from the query string."""

    q = forms.CharField(label=_("Client name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Latest assessment"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("open", _("Open")),
            ("draft", _("Draft")),
            ("closed", _("Closed")),
            ("none", _("No assessment yet")),
        ],
    )
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=_verdict_choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sort_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Sector

        self.fields["sector"].choices = [("", _("Any sector")), *Sector.choices]
        self.sort_keys = set(sort_keys)

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort.removeprefix("-") in self.sort_keys else ""


class EvidenceQuestionsForm(forms.Form):
    """The questions of an assessment where a rating of 3 or 4 asks for evidence."""

    questions = forms.MultipleChoiceField(
        label=_("Questions that ask for evidence"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [
            (question.code, f"{question.pillar.in_language().name}: {question.in_language().text}")
            for question in questions
        ]


class CheckEvidenceForm(forms.Form):
    """Mark one piece of evidence as seen or not."""

    evidence = forms.IntegerField(min_value=1)
    seen = forms.TypedChoiceField(
        choices=[("1", _("Seen")), ("0", _("Not seen"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Choose whether the evidence was seen.")},
    )
