import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .addresses import Invitee, parse_addresses
from .models import (
    COMMENT_MAX_LENGTH,
    IMPORTANCE,
    LEVELS,
    MAX_REMINDER_DAYS_BEFORE,
    Action,
    Assessment,
    Perspective,
    Question,
    Questionnaire,
    language_code,
)
from .scoring import QuestionResult
from .services import KEEP, InvalidAnswer, Keep

DONT_KNOW = "dk"
CLEAR = "clear"
# An answer's version as a page sends it back: ASCII digits, at most nine.
VERSION = re.compile(r"[0-9]{1,9}")
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
        fields = [
            "title",
            "questionnaire",
            "closes_on",
            "anonymity_threshold",
            "send_reminder",
            "reminder_days_before",
            "report_language",
        ]
        widgets = {
            "closes_on": DateInput(),
            "reminder_days_before": forms.NumberInput(
                attrs={"min": 1, "max": MAX_REMINDER_DAYS_BEFORE}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].help_text = _(
            "Respondent links work until the end of this day; the assessment then closes and "
            "its final results are published."
        )
        # Reports in the language the consultant works in, unless they choose another.
        self.fields["report_language"].required = False
        if not self.instance.pk:
            self.initial.setdefault("report_language", language_code())
        # New assessments use the newest version; an existing one keeps the version it has.
        newest = Questionnaire.objects.newest_published()
        if self.instance.questionnaire_id:
            newest |= Questionnaire.objects.filter(pk=self.instance.questionnaire_id)
        self.fields["questionnaire"].queryset = newest
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

    def clean_report_language(self):
        return (
            self.cleaned_data["report_language"] or self.instance.report_language or language_code()
        )

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if self.instance.status == Assessment.Status.CLOSED:
            return closes_on  # reopening checks the date
        if closes_on is not None and closes_on < timezone.localdate():
            raise forms.ValidationError(
                _("The closing date has passed: choose today or a later day."),
                code="past",
            )
        return closes_on


class InvitePreviousForm(forms.Form):
    """Who of the previous assessment's people gets a new link: everyone, unless unticked."""

    people = forms.MultipleChoiceField(
        label=_("People to invite"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick at least one person to invite.")},
    )

    def __init__(self, *args, invitees: list[Invitee], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [
            (invitee.email, f"{invitee.name} ({invitee.email})" if invitee.name else invitee.email)
            for invitee in invitees
        ]
        self.fields["people"].initial = [invitee.email for invitee in invitees]


class InviteRespondentsForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Paste addresses as your mail program or spreadsheet copies them: "
            "dana@example.org or Dana Scully <dana@example.org>, separated by commas, "
            "semicolons, spaces or new lines. The name, when given, is used in the greeting."
        ),
        error_messages={"required": _("Enter at least one e-mail address.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Crispy forms prints help text as HTML; the example address is in angle brackets.
        self.fields["emails"].help_text = escape(self.fields["emails"].help_text)

    def clean_emails(self) -> list[Invitee]:
        invitees, refused = parse_addresses(self.cleaned_data["emails"])
        if refused:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _("“%(entry)s”: %(reason)s."),
                        code="invalid_address",
                        params={"entry": Truncator(entry.entry).chars(80), "reason": entry.reason},
                    )
                    for entry in refused
                ]
            )
        if not invitees:
            raise forms.ValidationError(_("Enter at least one e-mail address."), code="required")
        return invitees


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Which describes your role best?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the perspective closest to your role.")},
        help_text=_("You are asked the questions people in this role can answer."),
    )
    sees_all_questions = forms.BooleanField(
        label=_("Show me every question, including those meant for other roles"),
        required=False,
    )

    def __init__(self, *args, reading_times: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if reading_times:
            # Say what "every question" costs before it is chosen.
            questions, minutes = reading_times[None]
            one_role = max(minutes for key, (_n, minutes) in reading_times.items() if key)
            self.fields["sees_all_questions"].help_text = _(
                "That is all %(questions)d questions, about %(minutes)d minutes, instead of "
                "at most %(one_role)d for one role."
            ) % {"questions": questions, "minutes": minutes, "one_role": one_role}


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


# Line breaks and tabs are text; NUL and the other control characters are not (PostgreSQL
# refuses NUL in text outright).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


@dataclass(frozen=True)
class GivenAnswer:
    """What a form says of one question, as `services.save_answer` takes it."""

    level: int | Keep | None  # KEEP: no choice sent; None: cleared
    dont_know: bool
    comment: str | Keep  # KEEP: no comment field sent
    version: int | None  # of the answer the page showed; None: not sent

    def as_arguments(self) -> dict:
        return {
            "level": self.level,
            "dont_know": self.dont_know,
            "comment": self.comment,
            "version": self.version,
        }


def parse_answer(data, question: Question) -> GivenAnswer | None:
    """Read one question's answer from submitted form data.

    A choice left out leaves the saved level as it is: only CLEAR (or the question's code
    in `clear`, the "Clear answer" button) clears it. Returns None when the form has no
    field of the question. Raises InvalidAnswer for a value no form of ours sends.
    """
    choice_key, comment_key = f"q-{question.code}", f"c-{question.code}"
    version_key = f"v-{question.code}"
    cleared = question.code in data.getlist("clear")
    if choice_key not in data and comment_key not in data and not cleared:
        return None
    choice = CLEAR if cleared else data.get(choice_key, "")
    comment = data.get(comment_key)
    version = data.get(version_key)
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidAnswer(
            _("A comment can be at most %(max)s characters long.") % {"max": COMMENT_MAX_LENGTH}
        )
    if has_control_characters(comment or "") or has_control_characters(choice):
        raise InvalidAnswer(
            _(
                "A comment cannot contain control characters (such as NUL). Remove them and "
                "save again."
            )
        )
    if version is not None and not VERSION.fullmatch(version):
        raise InvalidAnswer(_("This page is out of date: reload it and answer again."))
    given = partial(
        GivenAnswer,
        comment=KEEP if comment is None else comment,
        version=None if version is None else int(version),
    )
    if choice == DONT_KNOW:
        return given(level=None, dont_know=True)
    if choice == CLEAR:
        return given(level=None, dont_know=False)
    if choice == "":
        return given(level=KEEP, dont_know=False)
    # Compare as text: str.isdigit() accepts "²" and int() refuses 5,000 digits, both a 500.
    if choice not in {str(level) for level in LEVELS}:
        raise InvalidAnswer(
            _("“%(value)s” is not a level: choose 0 to 4.") % {"value": choice[:20]}
        )
    return given(level=int(choice), dont_know=False)


def with_replacement(data: QueryDict) -> QueryDict:
    """The form data, with the answer a "Replace with mine" button was pressed for read from
    the page's copy of what it had sent (the fields shown hold the saved answer)."""
    code = data.get("replace")
    if not code or f"mine-q-{code}" not in data:
        return data
    replaced = data.copy()
    replaced[f"q-{code}"] = data[f"mine-q-{code}"]
    replaced[f"c-{code}"] = data.get(f"mine-c-{code}", "")
    return replaced


class PublicationForm(forms.Form):
    """Before publishing: the consultant's decision on each red flag, or question not
    established, that rests on fewer people than the anonymity threshold. The client's
    management sees it named without any count; keeping it is the default, and dismissing
    it needs a written reason, printed in the report's method appendix."""

    KEEP, DISMISS = "keep", "dismiss"

    def __init__(self, *args, items: Sequence[QuestionResult] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = tuple(items)
        for question in self.items:
            self.fields[f"decision-{question.code}"] = forms.ChoiceField(
                label=question.text,
                choices=[
                    (self.KEEP, _("Keep it: it stands in the published verdict")),
                    (self.DISMISS, _("Dismiss it, with a written reason")),
                ],
                initial=self.KEEP,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason-{question.code}"] = forms.CharField(
                label=_("Why it is dismissed"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def clean(self):
        cleaned = super().clean()
        for question in self.items:
            reason = cleaned.get(f"reason-{question.code}", "")
            if has_control_characters(reason):
                self.add_error(
                    f"reason-{question.code}",
                    _("A reason cannot contain control characters (such as NUL)."),
                )
            elif cleaned.get(f"decision-{question.code}") == self.DISMISS and not reason.strip():
                self.add_error(
                    f"reason-{question.code}",
                    _("Say why it is dismissed: the reason is printed in the method appendix."),
                )
        return cleaned

    def rows(self) -> list[tuple[QuestionResult, forms.BoundField, forms.BoundField]]:
        return [
            (question, self[f"decision-{question.code}"], self[f"reason-{question.code}"])
            for question in self.items
        ]

    def dismissals(self) -> dict[str, str]:
        """Question code → reason, for each item the consultant dismissed."""
        return {
            question.code: self.cleaned_data[f"reason-{question.code}"].strip()
            for question in self.items
            if self.cleaned_data.get(f"decision-{question.code}") == self.DISMISS
        }


class TargetsForm(forms.Form):
    """One target maturity (0–100) per pillar, for the go-live date."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        for target in targets:
            self.fields[target.pillar] = forms.IntegerField(
                label=target.name,
                min_value=0,
                max_value=100,
                initial=target.maturity,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )


class ActionForm(forms.ModelForm):
    """Who does what by when about one finding, and how far it has got."""

    class Meta:
        model = Action
        fields = ["title", "owner", "owner_name", "due_on", "status", "dropped_reason", "note"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
            "dropped_reason": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label = _("Owner with a login")
        self.fields["owner"].empty_label = _("Nobody with a login")
