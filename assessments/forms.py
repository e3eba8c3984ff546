import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import (
    COMMENT_MAX_LENGTH,
    IMPORTANCE,
    LEVELS,
    Assessment,
    Perspective,
    Question,
    Questionnaire,
)
from .services import InvalidAnswer

DONT_KNOW = "dk"
IMPORTANCE_LABELS = {
    1: _("Not important"),
    2: _("Slightly important"),
    3: _("Important"),
    4: _("Very important"),
    5: _("Essential"),
}


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["title", "questionnaire", "closes_on", "anonymity_threshold"]
        widgets = {"closes_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            status=Questionnaire.Status.PUBLISHED
        )
        self.fields["questionnaire"].empty_label = None
        if self.instance.pk:
            if self.instance.responses.exists():
                self.fields["questionnaire"].disabled = True
                self.fields["questionnaire"].help_text = _(
                    "Fixed: respondents have already been invited."
                )
            if self.instance.threshold_locked:
                self.fields["anonymity_threshold"].disabled = True
                self.fields["anonymity_threshold"].help_text = _(
                    "Locked: a response has been submitted."
                )


EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


class InviteRespondentsForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste addresses separated by commas, spaces or new lines."),
    )

    def clean_emails(self):
        emails = [e for e in EMAIL_SEPARATORS.split(self.cleaned_data["emails"]) if e]
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                invalid.append(email)
        if invalid:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(invalid)s"),
                params={"invalid": ", ".join(invalid)},
            )
        if not emails:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        # An address pasted twice is one respondent, not one "already invited".
        return list(dict.fromkeys(email.lower() for email in emails))


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Which describes your role best?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the perspective closest to your role.")},
    )


class ImportanceForm(forms.Form):
    """One 1..5 rating for each pillar of the questionnaire."""

    def __init__(self, *args, pillars, **kwargs):
        super().__init__(*args, **kwargs)
        self.pillars = list(pillars)
        for pillar in self.pillars:
            self.fields[pillar.code] = forms.TypedChoiceField(
                label=pillar.name,
                help_text=pillar.description,
                choices=[(value, f"{value} · {IMPORTANCE_LABELS[value]}") for value in IMPORTANCE],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Rate how important this area is.")},
            )


def parse_answer(data, question: Question) -> tuple[int | None, bool, str] | None:
    """Read one question's answer from submitted form data.

    Returns (level, dont_know, comment), or None when the form has no field of the question.
    Raises InvalidAnswer for a value no form of ours sends.
    """
    choice_key, comment_key = f"q-{question.code}", f"c-{question.code}"
    if choice_key not in data and comment_key not in data:
        return None
    choice = data.get(choice_key, "")
    comment = data.get(comment_key, "")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidAnswer(
            _("A comment can be at most %(max)s characters long.") % {"max": COMMENT_MAX_LENGTH}
        )
    if choice == DONT_KNOW:
        return None, True, comment
    if choice == "":
        return None, False, comment
    # Compare as text: str.isdigit() accepts "²" and int() refuses 5,000 digits, both a 500.
    if choice not in {str(level) for level in LEVELS}:
        raise InvalidAnswer(
            _("“%(value)s” is not a level: choose 0 to 4.") % {"value": choice[:20]}
        )
    return int(choice), False, comment
