import copy
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User, languages

from . import scoring
from .scoring import (
    DEFAULT_ANONYMITY_THRESHOLD,
    DEFAULT_BLOCKER_BELOW,
    DEFAULT_CONSENSUS_SHARE,
    DEFAULT_RED_FLAG_SHARE,
    IMPORTANCE,
    LEVELS,
    MAX_LEVEL,
    MIN_ANONYMITY_THRESHOLD,
    PERSPECTIVES,
    Aggregation,
    BandSettings,
)

__all__ = [  # the scoring constants that forms, services and admin read from here
    "DEFAULT_ANONYMITY_THRESHOLD",
    "IMPORTANCE",
    "LEVELS",
    "MIN_ANONYMITY_THRESHOLD",
]

COMMENT_MAX_LENGTH = 2000
DEFAULT_REMINDER_DAYS_BEFORE = 3
MAX_REMINDER_DAYS_BEFORE = 30
DEFAULT_SETTINGS = {
    "bands": asdict(BandSettings()),
    "red_flag_share": DEFAULT_RED_FLAG_SHARE,
    "not_established_share": None,
}
PERSPECTIVE_LABELS = {
    "leadership": _("Leadership"),
    "business": _("Business"),
    "data_it": _("Data and IT"),
    "legal_risk": _("Legal, risk and compliance"),
    "people_hr": _("People and HR"),
    "other": pgettext_lazy("perspective", "Other"),
}
# The codes and their order belong to scoring; the words to the people who read them.
Perspective = models.TextChoices(
    "Perspective", [(code.upper(), (code, PERSPECTIVE_LABELS[code])) for code in PERSPECTIVES]
)


def language_code(language: str | None = None) -> str:
    """The product's code for a language (`pt` for `pt-pt`): the active one by default."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


class Translated(models.Model):
    """Texts a person reads, in English in their fields and in other languages in
    `translations` ({language: {field: text}}), as the question bank file gives them."""

    TEXTS: tuple[str, ...] = ()

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("Language code → the texts above in that language."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "shown_in", None):
            raise ValueError("A copy shown in another language is for reading, not saving.")
        super().save(*args, **kwargs)

    def in_language(self, language: str | None = None) -> Self:
        """A copy for reading with its texts in `language` (the active one by default);
        English where that language has no text. The stored object stays English."""
        stored = getattr(self, "stored", self)  # a copy translates from what is stored
        texts = stored.translations.get(language_code(language))
        if not texts:
            return stored
        shown = copy.copy(stored)
        shown.stored = stored
        for field in self.TEXTS:
            if texts.get(field):
                setattr(shown, field, texts[field])
        shown.shown_in = language_code(language)
        return shown


class QuestionnaireQuerySet(models.QuerySet):
    def newest_published(self):
        """The newest published version of each questionnaire: what new assessments use."""
        newer = Questionnaire.objects.filter(
            slug=models.OuterRef("slug"),
            status=Questionnaire.Status.PUBLISHED,
            version__gt=models.OuterRef("version"),
        )
        return self.filter(status=Questionnaire.Status.PUBLISHED).exclude(models.Exists(newer))


class Questionnaire(Translated):
    """One version of the question bank. Loaded from a file in the repository."""

    TEXTS = ("title", "description")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    settings = models.JSONField(
        _("scoring settings"),
        default=dict,
        help_text=_(
            "Risk band thresholds, the red-flag share and the share of don't know that leaves "
            "a critical question not established."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_questionnaire_version")
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        """A version that has answers cannot change: publish a new version instead."""
        return Answer.objects.filter(question__questionnaire=self).exists()

    def reading_times(self) -> dict[str | None, tuple[int, int]]:
        """(questions, minutes) per perspective, and under None for every question: 200
        words a minute for questions, help and levels, and 10 seconds a question to choose,
        rounded up. One query."""
        counts = {key: [0, 0] for key in (None, *PERSPECTIVES)}
        for text, help_text, levels, perspectives in self.questions.values_list(
            "text", "help", "levels", "perspectives"
        ):
            words = sum(len(part.split()) for part in [text, help_text, *levels])
            for key, count in counts.items():
                if key is None or not perspectives or key in perspectives:
                    count[0] += 1
                    count[1] += words
        return {
            key: (questions, math.ceil(words / 200 + questions * 10 / 60))
            for key, (questions, words) in counts.items()
        }

    def outline(self, language: str | None = None) -> list["Pillar"]:
        """Pillars in order, each with `question_list` in order, their texts in `language`
        (the active one by default): two queries."""
        pillars = []
        for pillar in self.pillars.order_by("order").prefetch_related(
            models.Prefetch(
                "questions", queryset=Question.objects.order_by("order"), to_attr="question_list"
            )
        ):
            shown = pillar.in_language(language)
            shown.question_list = [q.in_language(language) for q in pillar.question_list]
            pillars.append(shown)
        return pillars

    @property
    def bands(self) -> dict:
        return {**DEFAULT_SETTINGS["bands"], **self.settings.get("bands", {})}

    @property
    def red_flag_share(self) -> float:
        return self.settings.get("red_flag_share", DEFAULT_SETTINGS["red_flag_share"])

    @property
    def not_established_share(self) -> float | None:
        return self.settings.get("not_established_share")

    @property
    def aggregation(self) -> str:
        return self.settings.get("aggregation", Aggregation.RESPONDENT_FIRST.value)

    @property
    def establish_unanswered(self) -> bool:
        return self.settings.get("establish_unanswered", False)

    @property
    def disagreement_gap(self) -> float | None:
        return self.settings.get("disagreement_gap")

    @property
    def default_target(self) -> int:
        """The lowest whole maturity at low risk: what "ready" asks of every pillar."""
        bands = BandSettings(**self.bands)
        return next(m for m in range(101) if bands.band(100 - m) is scoring.Band.LOW)


class Pillar(Translated):
    TEXTS = ("name", "description", "recommendations")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="pillars"
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.01)])
    recommendations = models.JSONField(_("recommendations per risk band"), default=dict, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_pillar_code")
        ]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self):
        return self.name


class Question(Translated):
    TEXTS = ("text", "help", "levels", "recommendation")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("question"))
    help = models.TextField(_("help"), blank=True)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.01)])
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("An answer below the blocker level can raise a red flag."),
    )
    blocker_below = models.PositiveSmallIntegerField(
        _("blocker below level"),
        default=DEFAULT_BLOCKER_BELOW,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)],
        help_text=_("For a critical question: an answer below this level is a blocker."),
    )
    perspectives = models.JSONField(
        _("asked of"),
        default=list,
        blank=True,
        help_text=_("Perspective codes this question is meant for; empty means everyone."),
    )
    deciding_perspectives = models.JSONField(
        _("deciding perspectives"),
        default=list,
        blank=True,
        help_text=_("A blocker from anyone of these perspectives raises a red flag on its own."),
    )
    not_applicable = models.BooleanField(
        _("may not apply"),
        default=False,
        help_text=_(
            "Offers “Does not apply” where “Don't know” is offered, and counts it the same way."
        ),
    )
    levels = models.JSONField(_("level descriptions"), help_text=_("Five texts, level 0 to 4."))
    recommendation = models.TextField(_("recommendation"), blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)

    class Meta:
        ordering = ["pillar__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_question_code")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.code

    @property
    def level_choices(self) -> list[tuple[int, str]]:
        return list(enumerate(self.levels))

    def asked_of(self, perspective: str) -> bool:
        return not self.perspectives or perspective in self.perspectives


@lru_cache(maxsize=64)
def pillars_by_code(questionnaire_id: int) -> dict[str, Pillar]:
    """A questionnaire version's pillars by code, read once per process (see below)."""
    return {
        pillar.code: pillar for pillar in Pillar.objects.filter(questionnaire_id=questionnaire_id)
    }


@lru_cache(maxsize=64)
def questions_by_code(questionnaire_id: int) -> dict[str, Question]:
    """A questionnaire version's questions by code, read once per process.

    A version that people answer is frozen (it changes only as a new version), so saving an
    answer need not fetch its questions again. Read-only data, the same in every container.
    """
    return {
        question.code: question
        for question in Question.objects.filter(questionnaire_id=questionnaire_id)
    }


class AssessmentQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate how many respondents were invited, started and submitted."""
        active = Q(responses__revoked_at__isnull=True)
        return self.annotate(
            invited_count=Count("responses", filter=active),
            started_count=Count(
                "responses", filter=active & Q(responses__started_at__isnull=False)
            ),
            submitted_count=Count(
                "responses", filter=active & Q(responses__submitted_at__isnull=False)
            ),
        )

    def with_publication(self):
        """Annotate the latest publication's date, kind and respondents (None before one)."""
        latest = ResultSnapshot.objects.filter(assessment=OuterRef("pk")).order_by(
            "-published_at", "-pk"
        )
        return self.annotate(
            published_at=Subquery(latest.values("published_at")[:1]),
            published_kind=Subquery(latest.values("kind")[:1]),
            published_respondents=Subquery(latest.values("respondents")[:1]),
        )


class Assessment(models.Model):
    """One run of the questionnaire for one organisation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    closes_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_("Respondent links stop working after this day."),
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=DEFAULT_ANONYMITY_THRESHOLD,
        validators=[MinValueValidator(MIN_ANONYMITY_THRESHOLD), MaxValueValidator(50)],
        help_text=_(
            "Results of a group smaller than this are never shown on their own. "
            "Locked once the first response is submitted."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    evidence_questions = models.JSONField(
        _("questions that ask for evidence"),
        default=list,
        blank=True,
        help_text=_("Codes of the questions where a rating of 3 or 4 asks for evidence."),
    )
    send_reminder = models.BooleanField(
        _("remind respondents before the closing date"),
        default=True,
        help_text=_(
            "One e-mail to each respondent who has not submitted, asking them to use the link "
            "they were sent. Needs a closing date."
        ),
    )
    report_language = models.CharField(
        _("report language"),
        max_length=10,
        choices=languages,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language of the PDF, Word, PowerPoint and Excel files, and of the e-mails "
            "respondents receive. Pages follow each reader's own choice."
        ),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("days before the closing date"),
        default=DEFAULT_REMINDER_DAYS_BEFORE,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_DAYS_BEFORE)],
        help_text=_("The reminder goes out this many days before the assessment closes (1–30)."),
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD),
                name="anonymity_threshold_at_least_3",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__range=(1, MAX_REMINDER_DAYS_BEFORE)),
                name="reminder_days_before_1_to_30",
            ),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"slug": self.organisation.slug, "pk": self.pk})

    @property
    def is_accepting_answers(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_past_closing_date

    @property
    def is_past_closing_date(self) -> bool:
        """Open, but its last day has passed: it closes the next time it is looked at."""
        return (
            self.status == self.Status.OPEN
            and self.closes_on is not None
            and self.closes_on < timezone.localdate()
        )

    def latest_snapshot(self, *, with_report: bool = True) -> "ResultSnapshot | None":
        """The newest publication of this assessment: what its client's management sees."""
        # Who contributed to each figure is read only when publishing (ten thousand ids).
        snapshots = self.snapshots.defer("contributors")
        return (snapshots if with_report else snapshots.defer("report")).first()

    @property
    def contact(self) -> User | None:
        """The consultant respondents may ask: who created the assessment, or the
        organisation's first consultant."""
        if self.created_by_id is not None:
            return self.created_by
        return (
            User.objects.filter(
                memberships__organisation_id=self.organisation_id,
                memberships__role=Role.CONSULTANT,
            )
            .order_by("memberships__created_at", "pk")
            .first()
        )

    @property
    def threshold_locked(self) -> bool:
        return self.responses.filter(submitted_at__isnull=False).exists()


class ResponseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False, revoked_at__isnull=True)


class Response(models.Model):
    """One respondent's answers, reached through a personal link that needs no password."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective, blank=True)
    sees_all_questions = models.BooleanField(
        _("sees every question"),
        default=False,
        help_text=_("The respondent chose to see the questions of every perspective."),
    )
    importance = models.JSONField(
        _("pillar importance"), default=dict, blank=True, help_text=_("Pillar code → 1..5.")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    workshop_session = models.ForeignKey(
        "WorkshopSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("workshop session"),
        help_text=_("A workshop participant's final votes, counted as one response."),
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.assessment} · response {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def email(self) -> str:
        """The address the link went to, from the contact kept apart; "" once purged."""
        contact = self._contact()
        return contact.email if contact else ""

    @property
    def name(self) -> str:
        contact = self._contact()
        return contact.name if contact else ""

    def _contact(self) -> "RespondentContact | None":
        try:
            return self.contact
        except RespondentContact.DoesNotExist:
            return None

    def answers_by_question(self) -> dict[int, "Answer"]:
        return {answer.question_id: answer for answer in self.answers.all()}

    def asks(self, question: "Question") -> bool:
        """Is this question shown to this respondent? Those of their perspective, or all."""
        return self.sees_all_questions or question.asked_of(self.perspective)

    def outline(self) -> list["Pillar"]:
        """The pillars and questions this respondent is asked, in order: two queries.

        A pillar with no question for the respondent's perspective is left out.
        """
        pillars = self.assessment.questionnaire.outline()
        for pillar in pillars:
            pillar.question_list = [q for q in pillar.question_list if self.asks(q)]
        return [pillar for pillar in pillars if pillar.question_list]

    def progress(self) -> "Progress":
        """How many of the questions asked of this respondent they have answered: one query
        over this response's answers, through the unique (response, question) index."""
        answered = self.answers.filter(Q(level__isnull=False) | Q(dont_know=True))
        return self.progress_of(set(answered.values_list("question_id", flat=True)))

    def progress_of(self, answered: set[int]) -> "Progress":
        """The progress these answered questions (ids) make; an answer to a question no
        longer asked, after a change of perspective, does not count. The questions come
        from the frozen version's index."""
        asked = {
            question.pk
            for question in questions_by_code(self.assessment.questionnaire_id).values()
            if self.asks(question)
        }
        return Progress(answered=len(asked & answered), total=len(asked))

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.submitted_at:
            return "submitted"
        if self.started_at:
            return "started"
        return "invited"


class RespondentContact(models.Model):
    """Who a personal link was sent to, kept apart from the answers.

    Consultants see it to follow up; it is removed when the respondent's data is erased, and
    by `purge_personal_data` once the assessment has been closed for the retention period.
    """

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, primary_key=True, related_name="contact"
    )
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("respondent contact")
        verbose_name_plural = _("respondent contacts")

    def __str__(self):
        return self.name or self.email


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


class Answer(models.Model):
    """A respondent's answer to one question: a level 0..4, or *don't know*, and a comment."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MaxValueValidator(max(LEVELS))]
    )
    dont_know = models.BooleanField(_("don't know"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    comment_shared_at = models.DateTimeField(
        _("comment shared"),
        null=True,
        blank=True,
        help_text=_(
            "When a consultant chose this comment for the client's management and reports; "
            "shared without a name."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by one on every write, so that a page opened before the last change can tell
    # that it is out of date instead of overwriting what another tab or device saved.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["question__pillar__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=max(LEVELS)),
                name="level_in_range",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(dont_know=False),
                name="level_or_dont_know",
            ),
        ]
        indexes = [
            # The few shared comments among ten thousand people's answers, for the dashboards.
            models.Index(
                fields=["response"],
                condition=Q(comment_shared_at__isnull=False),
                name="answer_shared_comments",
            )
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.question.code}: {'?' if self.dont_know else self.level}"

    @property
    def is_answered(self) -> bool:
        return self.level is not None or self.dont_know

    @property
    def level_description(self) -> str:
        return self.question.in_language().levels[self.level] if self.level is not None else ""


class PillarScore(models.Model):
    """A submitted response's figures in one pillar, stored so that overviews read no answers."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="pillar_scores")
    pillar = models.SlugField(_("pillar code"), max_length=40)
    maturity = models.FloatField(_("maturity"), null=True, blank=True)
    coverage = models.FloatField(
        _("coverage"), null=True, blank=True, help_text=_("Empty when no question was asked.")
    )
    answered = models.PositiveSmallIntegerField(_("answered with a level"))
    dont_know = models.PositiveSmallIntegerField(_("don't know"))
    importance = models.PositiveSmallIntegerField(_("importance"))
    blockers = models.JSONField(
        _("blockers"),
        default=list,
        blank=True,
        help_text=_("Critical questions answered below their blocker level."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "pillar"], name="one_score_per_pillar")
        ]
        verbose_name = _("pillar score")
        verbose_name_plural = _("pillar scores")

    def __str__(self):
        return f"{self.response_id} · {self.pillar}: {self.maturity}"


class AssessmentPillarSummary(models.Model):
    """An assessment's mean maturity per pillar over its submitted responses.

    Refreshed by every service that changes which responses count (submit, delete, close,
    reopen), in the same transaction; the benchmark and overviews read these rows only.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="pillar_summaries"
    )
    pillar = models.SlugField(_("pillar code"), max_length=40)
    maturity = models.FloatField(_("mean maturity"), null=True, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "pillar"], name="one_summary_per_pillar")
        ]
        verbose_name = _("assessment pillar summary")
        verbose_name_plural = _("assessment pillar summaries")

    def __str__(self):
        return f"{self.assessment_id} · {self.pillar}: {self.maturity}"


class ReplacedLink(models.Model):
    """A personal link that a newer one replaced: its page says so instead of "not valid"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="replaced_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("replaced link")
        verbose_name_plural = _("replaced links")

    def __str__(self):
        return f"{self.response} · {self.replaced_at:%Y-%m-%d}"


class ResultSnapshot(models.Model):
    """Published results: the scoring output as it stood when a consultant published it.

    Client managers, and everything they download, read snapshots only. A snapshot is
    never changed; a new one needs at least `anonymity_threshold` submitted responses that
    the previous one did not count, so that no difference between two snapshots rests on
    fewer people than the threshold.
    """

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim results")
        FINAL = "final", _("Final results")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondents = models.PositiveIntegerField(_("respondents"))
    response_ids = models.JSONField(
        _("responses counted"), default=list, help_text=_("Ids of the submitted responses.")
    )
    report = models.JSONField(_("report"), help_text=_("The published figures, as data."))
    contributors = models.JSONField(
        _("responses behind each figure"),
        default=dict,
        blank=True,
        help_text=_("Figure → ids of the responses that give it a level, for every figure shown."),
    )
    dismissals = models.JSONField(
        _("dismissed red flags"),
        default=list,
        blank=True,
        help_text=_("[question code, the consultant's reason] of each item set aside."),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self):
        return f"{self.assessment} · {self.get_kind_display()} · {self.published_at:%Y-%m-%d}"

    def read_report(self) -> scoring.Report:
        """The published figures as scoring results, exactly as they were published."""
        return scoring.from_data(scoring.Report, self.report)

    def contributor_sets(self) -> dict[str, frozenset[int]]:
        return {cell: frozenset(ids) for cell, ids in self.contributors.items()}


class BenchmarkRelease(models.Model):
    """Other organisations' published figures to compare with, as a dated release.

    Made from each organisation's latest closing publication (only the pillars it showed),
    never from live figures, so that closing one more assessment moves no benchmark
    anybody sees until the next release (`assessments.results.benchmark`).
    """

    released_at = models.DateTimeField(_("released"), default=timezone.now)
    organisations = models.PositiveIntegerField(_("organisations"))
    entries = models.JSONField(
        _("entries"),
        default=list,
        help_text=_("[organisation id, sector, {pillar code: maturity}] per organisation."),
    )

    class Meta:
        ordering = ["-released_at", "-pk"]
        get_latest_by = ["released_at", "pk"]
        verbose_name = _("benchmark release")
        verbose_name_plural = _("benchmark releases")

    def __str__(self):
        return f"{self.released_at:%Y-%m-%d} · {self.organisations}"


# --- Results kept between requests -----------------------------------------------------------
# Caches keyed by what they rest on (`assessments.results.live`): new data gives a new key, so a
# stale entry is never read. They live in the database, which every app container shares.


class LiveFigures(models.Model):
    """A consultant's live results of an assessment (`scoring.to_data` of the Report), so
    that looking again does not score every answer again."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    report = models.JSONField(_("report"))
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)

    class Meta:
        verbose_name = _("live figures")
        verbose_name_plural = _("live figures")

    def __str__(self):
        return f"{self.assessment_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ResultHeadline(models.Model):
    """The few figures a list shows of one assessment's results: verdict, readiness index,
    riskiest pillar and the maturity of each pillar.

    Read by the portfolio and the organisation page for hundreds of assessments at once,
    from small columns, without parsing a stored report or scoring anything. `source` says
    which results: "live" (the consultant's, every submitted response) or "snapshot:<id>"
    (a publication, which never changes). A live headline carries `basis`, what its figures
    rest on (`assessments.results.headlines.live_basis`): the lists compare it with the
    responses as they are now and score again only the assessments that changed.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("results"), max_length=40)
    basis = models.CharField(_("basis"), max_length=100, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"))
    verdict = models.CharField(_("verdict"), max_length=30, blank=True)
    overall_index = models.FloatField(_("readiness index"), null=True, blank=True)
    riskiest_pillar = models.SlugField(_("riskiest pillar"), max_length=40, blank=True)
    riskiest_name = models.CharField(_("riskiest pillar's name"), max_length=120, blank=True)
    riskiest_band = models.CharField(_("riskiest pillar's band"), max_length=20, blank=True)
    riskiest_maturity = models.FloatField(_("riskiest pillar's maturity"), null=True, blank=True)
    pillars = models.JSONField(
        _("pillars"), default=list, blank=True, help_text=_("[code, name, maturity or null]")
    )
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "source"], name="one_headline_per_source")
        ]
        verbose_name = _("result headline")
        verbose_name_plural = _("result headlines")

    def __str__(self):
        return f"{self.assessment_id} · {self.source}: {self.verdict or '—'}"


class PortfolioEntry(models.Model):
    """One organisation as the portfolio lists it, for one audience: "live" for its
    consultants (live figures), "published" for its client managers (the latest
    publication).

    Kept by the services that change what it shows (`assessments.results.entries`), so that
    the portfolio reads one row per organisation and filters, sorts and pages in the
    database, whatever the number of clients, assessments and respondents. The ranks are
    the sort orders of the status, the verdict and the riskiest pillar, empty when the
    organisation has no such figure (so that it sorts last either way).
    """

    class Audience(models.TextChoices):
        LIVE = "live", _("live figures")
        PUBLISHED = "published", _("published results")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="portfolio_entries"
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    current = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_title = models.CharField(_("latest assessment"), max_length=200, blank=True)
    current_status = models.CharField(_("status"), max_length=10, blank=True)
    status_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    invited = models.PositiveIntegerField(_("invited"), default=0)
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    completion = models.FloatField(_("completion"), null=True, blank=True)
    last_activity = models.DateTimeField(_("last activity"), null=True, blank=True)
    figures_title = models.CharField(_("figures from"), max_length=200, blank=True)
    figures_are_older = models.BooleanField(default=False)
    previous_title = models.CharField(_("compared with"), max_length=200, blank=True)
    has_figures = models.BooleanField(default=False)
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    verdict = models.CharField(_("verdict"), max_length=30, blank=True)
    verdict_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    overall_index = models.FloatField(_("readiness index"), null=True, blank=True)
    previous_index = models.FloatField(_("index before"), null=True, blank=True)
    riskiest_pillar = models.SlugField(_("riskiest pillar"), max_length=40, blank=True)
    riskiest_name = models.CharField(_("riskiest pillar's name"), max_length=120, blank=True)
    riskiest_band = models.CharField(_("riskiest pillar's band"), max_length=20, blank=True)
    riskiest_maturity = models.FloatField(_("riskiest pillar's maturity"), null=True, blank=True)
    risk_rank = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "audience"], name="one_portfolio_entry_per_audience"
            )
        ]
        verbose_name = _("portfolio entry")
        verbose_name_plural = _("portfolio entries")

    def __str__(self):
        return f"{self.organisation_id} · {self.audience}: {self.verdict or '—'}"


# --- Live workshops ---------------------------------------------------------------------------

# Easy to read aloud and to type: no 0/O, no 1/I.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
NOTE_MAX_LENGTH = 2000
DISPLAY_NAME_MAX_LENGTH = 40
# A participant's votes count as a response only when they voted on at least this share of
# the session's questions: two answers out of forty are not a response.
DEFAULT_MIN_VOTED_SHARE = 0.5
# Room for people nobody invited (a colleague brought along) above the invitees.
PARTICIPANT_MARGIN = 10
DEFAULT_MAX_PARTICIPANTS = 100  # for sessions made otherwise than by `start_session`
MAX_PARTICIPANTS = 1000


class WorkshopSessionQuerySet(models.QuerySet):
    def with_summary(self):
        """Annotate participants, questions, agreed questions and those with consensus."""

        def count(model, **conditions):
            rows = model.objects.filter(session=models.OuterRef("pk"), **conditions)
            counted = rows.values("session").annotate(n=Count("pk")).values("n")
            return Coalesce(models.Subquery(counted), 0)

        return self.annotate(
            participant_count=count(Participant, removed_at__isnull=True),
            question_count=count(WorkshopQuestion),
            agreed_count=count(WorkshopQuestion, agreed_level__isnull=False),
            consensus_count=count(WorkshopQuestion, consensus=WorkshopQuestion.Consensus.REACHED),
        )


class WorkshopSession(models.Model):
    """A live workshop on an assessment's questions, driven from a presenter screen.

    Everything the room sees is in these rows, never in process memory, so that any app
    container can answer any participant. `revision` grows with every move of the presenter:
    participants' pages compare it (as an ETag) to know whether anything changed.
    """

    class Scope(models.TextChoices):
        ALL = "all", _("All questions")
        PILLARS = "pillars", _("Chosen pillars")
        CONTESTED = "contested", _("Contested questions")

    class Status(models.TextChoices):
        LOBBY = "lobby", _("Waiting to start")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="workshop_sessions"
    )
    code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, db_index=True)
    scope = models.CharField(_("questions"), max_length=20, choices=Scope, default=Scope.ALL)
    pillars = models.JSONField(
        _("pillars"), default=list, blank=True, help_text=_("Pillar codes, for chosen pillars.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.LOBBY)
    current = models.ForeignKey(
        "WorkshopQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current question"),
    )
    voting_open = models.BooleanField(_("voting open"), default=False)
    auto_reveal = models.BooleanField(_("reveal when everyone has voted"), default=False)
    counts_in_results = models.BooleanField(
        _("votes count in the results"),
        default=True,
        help_text=_(
            "When the session ends, each participant's final votes become one submitted "
            "response of the assessment."
        ),
    )
    consensus_share = models.FloatField(
        _("share for consensus"),
        default=DEFAULT_CONSENSUS_SHARE,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text=_("Share of final-round votes within one level of the agreed one."),
    )
    min_voted_share = models.FloatField(
        _("share of questions to count"),
        default=DEFAULT_MIN_VOTED_SHARE,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "A participant's votes count as a response only when they voted on at least this "
            "share of the session's questions."
        ),
    )
    max_participants = models.PositiveIntegerField(
        _("most participants"),
        default=DEFAULT_MAX_PARTICIPANTS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)],
        help_text=_("Joining is refused once this many people are in the room."),
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = WorkshopSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A code is reused only once its session has ended, so a code names one live session.
            models.UniqueConstraint(
                fields=["code"], condition=~Q(status="ended"), name="one_live_session_per_code"
            )
        ]
        verbose_name = _("workshop session")
        verbose_name_plural = _("workshop sessions")

    def __str__(self):
        return f"{self.assessment} · {self.code}"

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    @property
    def consensus_percent(self) -> int:
        return round(100 * self.consensus_share)

    @property
    def min_voted_percent(self) -> int:
        return round(100 * self.min_voted_share)

    def questions_to_count(self, total: int) -> int:
        """How many of `total` questions a participant must have voted on to count: the
        session's share, rounded up, and never fewer than one."""
        return max(1, math.ceil(self.min_voted_share * total - 1e-9))


class WorkshopQuestion(models.Model):
    """One question of a session, in its order, with what the room agreed on."""

    class Consensus(models.TextChoices):
        REACHED = "reached", _("Consensus reached")
        DISSENT = "dissent", _("Dissent remains")

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    round = models.PositiveSmallIntegerField(
        _("round"), default=1, help_text=_("1, or 2 once a second round was opened.")
    )
    revealed = models.BooleanField(_("distribution revealed"), default=False)
    agreed_level = models.PositiveSmallIntegerField(
        _("agreed level"), null=True, blank=True, validators=[MaxValueValidator(max(LEVELS))]
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    consensus = models.CharField(_("consensus"), max_length=10, choices=Consensus, blank=True)
    consensus_votes_share = models.FloatField(
        _("share of votes within one level"), null=True, blank=True
    )

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="one_workshop_question_per_position"
            ),
            models.UniqueConstraint(
                fields=["session", "question"], name="workshop_question_once_per_session"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="workshop_round_one_or_two"),
            models.CheckConstraint(
                condition=Q(agreed_level__isnull=True) | Q(agreed_level__lte=max(LEVELS)),
                name="agreed_level_in_range",
            ),
        ]
        verbose_name = _("workshop question")
        verbose_name_plural = _("workshop questions")

    def __str__(self):
        return f"{self.session} · {self.position + 1}. {self.question.code}"

    @property
    def consensus_percent(self) -> int | None:
        if self.consensus_votes_share is None:
            return None
        # Rounded down, so that 74.6 % never reads as the 75 % a consensus needs.
        return math.floor(100 * self.consensus_votes_share + 1e-9)


class ParticipantQuerySet(models.QuerySet):
    def present(self):
        """Those the presenter has not removed."""
        return self.filter(removed_at__isnull=True)


class ParticipantManager(models.Manager.from_queryset(ParticipantQuerySet)):
    POLL_FIELDS = ("id", "session_id", "number", "display_name", "perspective")

    def for_poll(self, *, secret: str, code: str) -> "Participant | None":
        """The participant with this secret in the session with this code, or None.

        Carries `revision` (their session's), and `my_level`, `my_dont_know`, `my_question_id`
        and `my_round` of their vote on the current question in its current round (all None
        without one): what a phone's ETag is made of. Other fields are deferred.

        Plain SQL on purpose: every phone asks this every 1.5 seconds, and composing the same
        query through the ORM costs ten times what PostgreSQL spends answering it.
        """
        tables = {
            "participant": self.model._meta.db_table,
            "session": WorkshopSession._meta.db_table,
            "question": WorkshopQuestion._meta.db_table,
            "vote": Vote._meta.db_table,
        }
        # Only table names from the models are formatted in; the values are parameters.
        sql = (  # noqa: S608
            "SELECT p.id, p.session_id, p.number, p.display_name, p.perspective, s.revision, "
            "v.level, v.dont_know, v.question_id, v.round "
            "FROM {participant} p "
            "JOIN {session} s ON s.id = p.session_id "
            "LEFT JOIN {question} q ON q.id = s.current_id "
            "LEFT JOIN {vote} v ON v.participant_id = p.id AND v.question_id = q.id "
            "AND v.round = q.round "
            "WHERE p.secret = %s AND s.code = %s AND p.removed_at IS NULL"
        ).format(**tables)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [secret, code])
            row = cursor.fetchone()
        if row is None:
            return None
        size = len(self.POLL_FIELDS)
        participant = self.model.from_db(self.db, self.POLL_FIELDS, row[:size])
        (
            participant.revision,
            participant.my_level,
            participant.my_dont_know,
            participant.my_question_id,
            participant.my_round,
        ) = row[size:]
        return participant


class Participant(models.Model):
    """Someone in the room, without an account: remembered on their device by a signed cookie."""

    session = models.ForeignKey(
        WorkshopSession, on_delete=models.CASCADE, related_name="participants"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    display_name = models.CharField(
        _("display name"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True
    )
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective)
    secret = models.CharField(max_length=64, unique=True, editable=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    # A keyed hash of the address they joined from, for the join rate limit: never the
    # address itself.
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    response = models.ForeignKey(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_participants",
        verbose_name=_("invitee's response"),
        help_text=_(
            "The invitee this participant is: their votes go into this response, so that one "
            "person is never counted twice."
        ),
    )
    counted = models.BooleanField(
        _("counted as a response"),
        default=False,
        help_text=_("Their votes became a submitted response when the session ended."),
    )
    removed_at = models.DateTimeField(
        _("removed"),
        null=True,
        blank=True,
        help_text=_("Removed by the presenter: their votes are gone and their device is out."),
    )

    objects = ParticipantManager()

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="one_participant_number_per_session"
            ),
            # An invitee is one person in a session, however many devices they join from.
            models.UniqueConstraint(
                fields=["session", "response"],
                condition=Q(response__isnull=False, removed_at__isnull=True),
                name="one_participant_per_invitee_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "joined_at"], name="participant_recent_joins"),
        ]
        verbose_name = _("workshop participant")
        verbose_name_plural = _("workshop participants")

    def __str__(self):
        return f"{self.session} · {self.label}"

    @property
    def label(self) -> str:
        return self.display_name or _("Participant %(number)d") % {"number": self.number}


class Vote(models.Model):
    """A participant's vote on one question in one round: a level, or *don't know*."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    question = models.ForeignKey(WorkshopQuestion, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField(_("round"))
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MaxValueValidator(max(LEVELS))]
    )
    dont_know = models.BooleanField(_("don't know"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question", "round"], name="one_vote_per_round"
            ),
            models.CheckConstraint(
                condition=(Q(level__isnull=False) & Q(level__lte=max(LEVELS)) & Q(dont_know=False))
                | (Q(level__isnull=True) & Q(dont_know=True)),
                name="vote_level_or_dont_know",
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="vote_round_one_or_two"),
        ]
        verbose_name = _("workshop vote")
        verbose_name_plural = _("workshop votes")

    def __str__(self):
        return f"{self.participant} · {self.question_id} · round {self.round}"


class PillarTarget(models.Model):
    """The maturity a pillar should reach by go-live, agreed with the client.

    Without one, a pillar's target is the lowest maturity of the low-risk band: what the
    verdict "ready" asks of every pillar (`Questionnaire.default_target`).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="+")
    maturity = models.PositiveSmallIntegerField(
        _("target maturity"), validators=[MaxValueValidator(100)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "pillar"], name="one_target_per_pillar"),
            models.CheckConstraint(condition=Q(maturity__lte=100), name="target_at_most_100"),
        ]
        verbose_name = _("pillar target")
        verbose_name_plural = _("pillar targets")

    def __str__(self):
        return f"{self.assessment} · {self.pillar_id} · {self.maturity}"


class ActionQuerySet(models.QuerySet):
    def for_plan(self):
        return self.select_related("question__pillar", "owner").order_by("due_on", "pk")

    def overdue(self, today):
        return self.filter(due_on__lt=today, status__in=Action.STILL_TO_DO)


class Action(models.Model):
    """What the client will do about one finding of a published result: who, by when, and
    how far it has got. Managers and consultants of the organisation keep it; respondents
    never see it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    STILL_TO_DO = (Status.OPEN, Status.IN_PROGRESS)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", help_text=_("The finding's question.")
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner's name"),
        max_length=120,
        blank=True,
        help_text=_("For an owner without a login."),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True, max_length=1000)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_action_per_finding"
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="dropped_action_has_a_reason",
                violation_error_message=_("Say why the action was dropped."),
            ),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("action plan")

    def __str__(self):
        return self.title

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    def is_overdue(self, today) -> bool:
        return self.due_on is not None and self.due_on < today and self.status in self.STILL_TO_DO


class Evidence(models.Model):
    """What a respondent names to back a high rating (a document, a test report, a link),
    and whether the consultant has seen it. Text only; erased with the response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("evidence"), max_length=1000)
    seen = models.BooleanField(
        _("seen by the consultant"),
        null=True,
        blank=True,
        help_text=_("Empty until the consultant has checked it."),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_evidence_per_answer"
            ),
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.response_id} · {self.question_id}"


class OverdueDigest(models.Model):
    """The weekly e-mail of a person's overdue actions, one per ISO week at most: the row is
    written before the mail is sent, so a second run in the same week finds it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="overdue_digests"
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the ISO week it was sent in."))
    actions = models.PositiveIntegerField(_("overdue actions"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_overdue_digest_a_week")
        ]
        verbose_name = _("overdue-actions e-mail")
        verbose_name_plural = _("overdue-actions e-mails")

    def __str__(self):
        return f"{self.user} · {self.week:%G-W%V}"
