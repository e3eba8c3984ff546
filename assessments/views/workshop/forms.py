"""The forms of the live workshop pages."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import scoring, workshops
from ...models import (
    DEFAULT_MIN_VOTED_SHARE,
    DISPLAY_NAME_MAX_LENGTH,
    LEVELS,
    MAX_PARTICIPANTS,
    NOTE_MAX_LENGTH,
    PARTICIPANT_MARGIN,
    Assessment,
    Perspective,
    WorkshopSession,
)


class StartForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Questions"),
        choices=WorkshopSession.Scope.choices,
        initial=WorkshopSession.Scope.ALL,
        widget=forms.RadioSelect,
    )
    pillars = forms.MultipleChoiceField(
        label=gettext_lazy("Pillars"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("For chosen pillars: their questions, in order."),
    )
    contested_limit = forms.IntegerField(
        label=gettext_lazy("How many contested questions"),
        min_value=1,
        max_value=20,
        initial=scoring.DEFAULT_CONTESTED_LIMIT,
    )
    counts_in_results = forms.BooleanField(
        label=gettext_lazy("Count the votes in the assessment's results"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "When the session ends, the final votes of each participant who voted on enough of "
            "its questions (see below) become one submitted response. Leave this off for "
            "contested questions: those people have already answered the survey, and counting "
            "them twice would distort the results."
        ),
    )
    auto_reveal = forms.BooleanField(
        label=gettext_lazy("Reveal the distribution as soon as everyone has voted"),
        required=False,
    )
    min_voted_percent = forms.IntegerField(
        label=gettext_lazy("Count a participant's votes from this share of the questions (%)"),
        min_value=0,
        max_value=100,
        required=False,
        initial=round(100 * DEFAULT_MIN_VOTED_SHARE),
        help_text=gettext_lazy(
            "Someone who voted on fewer of the session's questions does not become a response: "
            "a few votes are not an assessment. The end of the session shows who counts."
        ),
    )
    max_participants = forms.IntegerField(
        label=gettext_lazy("Most participants"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        required=False,
        help_text=gettext_lazy(
            "Joining with the code is refused beyond this. Invitees who join from their "
            "personal link always get in."
        ),
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillars"].choices = list(
            assessment.questionnaire.pillars.order_by("order").values_list("code", "name")
        )
        room = workshops.default_max_participants(assessment)
        self.fields["max_participants"].initial = room
        self.fields["max_participants"].help_text = " ".join(
            [
                str(self.fields["max_participants"].help_text),
                _("Suggested: the %(invitees)d invitees and %(margin)d more.")
                % {"invitees": room - PARTICIPANT_MARGIN, "margin": PARTICIPANT_MARGIN},
            ]
        )

    def clean_min_voted_percent(self) -> float:
        """As a share; the default when left empty."""
        percent = self.cleaned_data["min_voted_percent"]
        return DEFAULT_MIN_VOTED_SHARE if percent is None else percent / 100

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == WorkshopSession.Scope.PILLARS and not cleaned.get("pillars"):
            self.add_error("pillars", _("Choose at least one pillar."))
        return cleaned


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the screen"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "join-code-input",
            }
        ),
        error_messages={"required": gettext_lazy("Type the code shown on the screen.")},
    )


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        required=False,
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "Shown only to say that you have voted, never with your vote. Leave it empty to "
            "be a participant number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    perspective = forms.ChoiceField(
        label=gettext_lazy("Which describes your role best?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the perspective closest to your role.")},
    )


class AgreementForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    agreed_level = forms.TypedChoiceField(
        label=gettext_lazy("Agreed level"),
        choices=[("", gettext_lazy("Not agreed yet"))] + [(level, str(level)) for level in LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}),
    )
