"""What the API answers, as JSON: codes with their English labels, figures as every format
prints them.

Results (a published snapshot, or a consultant's live figures) are serialized from the
`VisibleResults` that `assessments.results.access` chose, never from anything else. Scores
are whole numbers on the 0–100 scale, rounded by `reports.figures` like the dashboard, the
PDF and the spreadsheets, so that a tool reads exactly what the person reads. A withheld
cell carries its reason and no number at all: not the zeros the stored report keeps in
its place.
"""

from types import SimpleNamespace

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, Role
from assessments import wording
from assessments.labels import label
from assessments.models import Action, Assessment
from assessments.plan import Progress
from assessments.results.access import VisibleResults

from .. import presenters
from ..figures import Change, percent, risk, score


class CodeLabel(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


def coded(code: object, words: object) -> dict[str, str]:
    return {"code": str(code), "label": str(words)}


@extend_schema_field(CodeLabel)
class Coded(serializers.Field):
    """A code of one of the label tables (`assessments.labels`), with its words."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return coded(value, label(self.kind, value))


@extend_schema_field(CodeLabel)
class Choice(serializers.Field):
    """A model field's choice, with its words."""

    def __init__(self, choices, **kwargs):
        self.words = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return coded(value, self.words[value]) if value else None


class Score(serializers.IntegerField):
    """0–100, rounded as printed (62.5 → 63)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, min_value=0, max_value=100, **kwargs)

    def to_representation(self, value):
        return score(value)


class Risk(Score):
    def to_representation(self, value):
        return risk(value)


class Percent(Score):
    def to_representation(self, value):
        return percent(value)


def change(previous: float | None, current: float | None) -> int | None:
    """The difference of the two figures as printed."""
    moved = Change.between(previous, current)
    return None if moved is None else int(moved.delta)


class Cell(serializers.Serializer):
    """A published cell: when withheld, its figures are null and `withheld` says why."""

    figures: tuple[str, ...] = ()
    withheld = Coded("withheld", allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.withheld is not None:
            data.update(dict.fromkeys(self.figures, None))
        return data


# Organisations, assessments, the plan


class OrganisationSerializer(serializers.ModelSerializer):
    sector = Choice(Organisation._meta.get_field("sector").choices)
    size_band = Choice(Organisation._meta.get_field("size_band").choices, allow_null=True)
    country = serializers.CharField(source="country.code", help_text="ISO 3166 code, or empty.")
    role = serializers.SerializerMethodField(help_text="The token's user's role here.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "sector", "size_band", "country", "role", "url"]

    @extend_schema_field(CodeLabel)
    def get_role(self, organisation) -> dict:
        # Annotated by the list; the detail view's gate knows it.
        role = Role(getattr(organisation, "role", None) or self.context["role"])
        return coded(role, role.label)

    def get_url(self, organisation) -> str:
        return reverse("api:organisation", args=[organisation.slug])


class QuestionnaireSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()


class PublicationSerializer(serializers.Serializer):
    """When the latest publication was made, and how many responses it counts."""

    kind = Coded("snapshot")
    published_at = serializers.DateTimeField()
    respondents = serializers.IntegerField()


class AssessmentSerializer(serializers.ModelSerializer):
    status = Coded("status")
    questionnaire = QuestionnaireSerializer()
    progress = serializers.SerializerMethodField()
    published = serializers.SerializerMethodField(
        help_text="The latest publication; null before the first."
    )
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "title",
            "status",
            "questionnaire",
            "anonymity_threshold",
            "closes_on",
            "created_at",
            "opened_at",
            "closed_at",
            "progress",
            "published",
            "urls",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "integer"} for name in ("invited", "started", "submitted")
            },
        }
    )
    def get_progress(self, assessment) -> dict:
        """Counts only, as the assessment page shows a manager: never who."""
        return {
            "invited": assessment.invited_count,
            "started": assessment.started_count,
            "submitted": assessment.submitted_count,
        }

    @extend_schema_field(PublicationSerializer(allow_null=True))
    def get_published(self, assessment) -> dict | None:
        if assessment.published_at is None:
            return None
        return {
            "kind": coded(assessment.published_kind, label("snapshot", assessment.published_kind)),
            "published_at": serializers.DateTimeField().to_representation(assessment.published_at),
            "respondents": assessment.published_respondents,
        }

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "string"}
                for name in ("self", "snapshot", "live", "actions", "targets")
            },
        }
    )
    def get_urls(self, assessment) -> dict:
        """Where its results and plan are; `live` only for consultants."""
        slug = self.context["organisation"].slug
        urls = {
            name: reverse(f"api:{name}", args=[slug, assessment.pk])
            for name in ("assessment", "snapshot", "live", "actions", "targets")
        }
        urls["self"] = urls.pop("assessment")
        if not self.context["can_manage"]:
            del urls["live"]
        return urls


class ActionSerializer(serializers.ModelSerializer):
    question = serializers.SerializerMethodField()
    pillar = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner_label", help_text="A member's name or a name.")
    status = Choice(Action.Status.choices)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "question",
            "pillar",
            "owner",
            "due_on",
            "status",
            "overdue",
            "dropped_reason",
            "note",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(CodeLabel)
    def get_question(self, action) -> dict:
        return coded(action.question.code, action.question.in_language().text)

    @extend_schema_field(CodeLabel)
    def get_pillar(self, action) -> dict:
        return coded(action.question.pillar.code, action.question.pillar.in_language().name)

    def get_overdue(self, action) -> bool:
        return action.is_overdue(self.context["today"])


class TargetSerializer(serializers.Serializer):
    """A pillar's target maturity and how far the reader's results are from it."""

    pillar = serializers.SerializerMethodField()
    target = serializers.IntegerField(source="target.maturity")
    agreed = serializers.BooleanField(
        source="target.agreed", help_text="Set by someone; false: the questionnaire's default."
    )
    maturity = Score(help_text="As the reader sees it; null where withheld or not judged.")
    gap = serializers.SerializerMethodField(help_text="Points still missing, 0 once reached.")

    @extend_schema_field(CodeLabel)
    def get_pillar(self, progress: Progress) -> dict:
        return coded(progress.target.pillar, progress.target.name)

    def get_gap(self, progress: Progress) -> int | None:
        return presenters.TargetGap.of(progress.target, progress.maturity).gap


# Results


class IndexSerializer(Cell):
    figures = ("value",)
    value = Score()


class PillarSerializer(Cell):
    figures = ("respondents", "maturity", "risk", "band", "confidence", "coverage")
    figures += ("spread", "consensus")
    code = serializers.CharField(source="pillar")
    name = serializers.CharField()
    weight = serializers.FloatField()
    respondents = serializers.IntegerField(allow_null=True)
    maturity = Score()
    risk = Risk()
    band = Coded("band", allow_null=True)
    band_raised_by_red_flag = serializers.BooleanField()
    confidence = Coded("confidence", allow_null=True)
    coverage = Percent(help_text="Share of the questions asked answered with a level, in %.")
    spread = Score(source="stdev", help_text="Standard deviation of respondents' maturity.")
    consensus = Score()
    red_flags = serializers.ListField(child=serializers.CharField())
    recommendation = serializers.CharField()


class QuestionSerializer(Cell):
    figures = ("score", "answered", "dont_know", "distribution")
    code = serializers.CharField()
    pillar = serializers.CharField()
    text = serializers.CharField()
    critical = serializers.BooleanField()
    score = Score(source="mean")
    answered = serializers.IntegerField(allow_null=True)
    dont_know = serializers.IntegerField(allow_null=True)
    distribution = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="Respondents per level 0 to 4; null when withheld.",
    )
    distribution_withheld = Coded("withheld", allow_null=True)
    red_flag = serializers.BooleanField()
    not_established = serializers.BooleanField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.distribution_withheld is not None:
            data["distribution"] = None
        return data


class GroupPillarSerializer(Cell):
    figures = ("maturity",)
    pillar = serializers.CharField()
    maturity = Score()


class PerspectiveSerializer(serializers.Serializer):
    perspective = Coded("perspective")
    respondents = serializers.IntegerField()
    pillars = serializers.SerializerMethodField()

    @extend_schema_field(GroupPillarSerializer(many=True))
    def get_pillars(self, group) -> list:
        cells = [
            SimpleNamespace(pillar=pillar, maturity=value, withheld=group.withheld.get(pillar))
            for pillar, value in group.pillars.items()
        ]
        return GroupPillarSerializer(cells, many=True).data


class GapSerializer(serializers.Serializer):
    """A pillar's largest perception gap (`presenters.Gap`): the two groups' figures only
    when both were asked all of the pillar's questions, so that no group has two figures
    for one pillar; otherwise the gap alone."""

    pillar = serializers.CharField(source="gap.pillar")
    high_perspective = Coded("perspective", source="gap.high_perspective")
    high = serializers.SerializerMethodField()
    low_perspective = Coded("perspective", source="gap.low_perspective")
    low = serializers.SerializerMethodField()
    points = serializers.IntegerField(help_text="The difference of the printed figures.")
    questions = serializers.IntegerField(
        source="gap.questions", help_text="Questions asked of both groups."
    )

    def get_high(self, gap: presenters.Gap) -> int | None:
        return score(gap.gap.high) if gap.all_questions else None

    def get_low(self, gap: presenters.Gap) -> int | None:
        return score(gap.gap.low) if gap.all_questions else None


class FindingSerializer(serializers.Serializer):
    question = serializers.CharField()
    pillar = serializers.CharField()
    text = serializers.CharField()
    recommendation = serializers.CharField()
    references = serializers.ListField(child=serializers.CharField())
    red_flag = serializers.BooleanField()
    score = Score()
    risk = Risk()
    band = Coded("band")
    next_step = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(help_text="The reason's code, and it in words.")
    pillars = serializers.ListField(child=serializers.CharField())
    questions = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(CodeLabel)
    def get_kind(self, reason) -> dict:
        return coded(reason.kind, wording.reason_clause(self.context["result"], reason))


class StepSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(help_text="The step's code, and it in words.")
    needed_for = Coded("verdict")
    pillar = serializers.CharField()
    question = serializers.CharField()
    points = Score(help_text="Maturity points the pillar must gain; null when withheld.")
    target = serializers.FloatField(allow_null=True, help_text="The maturity to rise above.")
    target_band = Coded("band", allow_null=True)
    perspectives = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(CodeLabel)
    def get_kind(self, step) -> dict:
        return coded(step.kind, wording.path_step(self.context["result"], step))


class EvidenceSerializer(Cell):
    figures = ("evidenced", "unverified")
    pillar = serializers.CharField()
    claimed = Score(help_text="The pillar's maturity as rated.")
    evidenced = Score(help_text="As evidenced: unseen high ratings count at level 2.")
    unverified = serializers.IntegerField(
        allow_null=True, help_text="Respondents with a high rating whose evidence is unseen."
    )


class MovementSerializer(serializers.Serializer):
    previous = Score()
    current = Score()
    change = serializers.SerializerMethodField()

    def get_change(self, item) -> int | None:
        return change(item.previous, item.current)


class PillarMoveSerializer(MovementSerializer):
    pillar = serializers.CharField()
    status = Coded("trend")


class QuestionMoveSerializer(MovementSerializer):
    code = serializers.CharField()
    previous_code = serializers.CharField()
    status = Coded("trend")


class TrendSerializer(serializers.Serializer):
    """What moved since the organisation's previous publication (read from a report)."""

    since = serializers.CharField(
        source="previous_title", help_text="The previous assessment's title."
    )
    overall = serializers.SerializerMethodField()
    matched = serializers.SerializerMethodField(
        help_text="The index over the questions asked both times only."
    )
    pillars = PillarMoveSerializer(many=True, source="trend.pillars")
    questions = QuestionMoveSerializer(many=True, source="trend.questions")

    @extend_schema_field(MovementSerializer)
    def get_overall(self, report) -> dict:
        trend = report.trend
        pair = SimpleNamespace(previous=trend.overall_previous, current=trend.overall_current)
        return MovementSerializer(pair).data

    @extend_schema_field(MovementSerializer)
    def get_matched(self, report) -> dict:
        trend = report.trend
        pair = SimpleNamespace(previous=trend.matched_previous, current=trend.matched_current)
        return MovementSerializer(pair).data


class BenchmarkPillarSerializer(serializers.Serializer):
    pillar = serializers.CharField()
    maturity = Score()


class BenchmarkSerializer(serializers.Serializer):
    organisations = serializers.IntegerField()
    sector = serializers.CharField(allow_null=True)
    released_on = serializers.CharField()
    pillars = serializers.SerializerMethodField()

    @extend_schema_field(BenchmarkPillarSerializer(many=True))
    def get_pillars(self, benchmark) -> list:
        pillars = benchmark.pillars.items()
        return [{"pillar": code, "maturity": score(value)} for code, value in pillars]


class MethodSerializer(serializers.Serializer):
    title = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    """One assessment's results as its reader may see them: the latest publication, or (for
    a consultant, on the live endpoint) live figures from every submitted response."""

    live = serializers.BooleanField()
    kind = serializers.SerializerMethodField(help_text="The publication's kind; null when live.")
    as_of = serializers.DateTimeField(help_text="When published, or now for live figures.")
    respondents = serializers.IntegerField(source="result.respondents")
    min_respondents = serializers.IntegerField(
        source="result.min_respondents",
        help_text="A figure resting on fewer respondents is withheld (1 for live figures).",
    )
    verdict = Coded("verdict", source="result.verdict", allow_null=True)
    verdict_reason = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    index = serializers.SerializerMethodField()
    red_flags = serializers.ListField(child=serializers.CharField(), source="result.red_flags")
    not_established = serializers.ListField(
        child=serializers.CharField(), source="result.not_established"
    )
    dismissed = serializers.ListField(child=serializers.CharField(), source="result.dismissed")
    pillars = PillarSerializer(many=True, source="result.pillars")
    questions = serializers.SerializerMethodField()
    perspectives = PerspectiveSerializer(many=True, source="result.perspectives")
    hidden_respondents = serializers.IntegerField(
        source="result.hidden_respondents",
        help_text="Respondents in perspective groups too small to be shown on their own.",
    )
    gaps = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, source="result.findings")
    path = serializers.SerializerMethodField(help_text="The path to ready.")
    evidence = EvidenceSerializer(many=True, source="report.evidence")
    trend = serializers.SerializerMethodField()
    benchmark = BenchmarkSerializer(source="report.benchmark", allow_null=True)
    method = MethodSerializer(many=True, source="report.method")

    @extend_schema_field(CodeLabel(allow_null=True))
    def get_kind(self, results: VisibleResults) -> dict | None:
        if results.snapshot is None:
            return None
        return coded(results.snapshot.kind, label("snapshot", results.snapshot.kind))

    def get_verdict_reason(self, results: VisibleResults) -> str:
        return wording.verdict_reason(results.result)

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, results: VisibleResults) -> list:
        context = {"result": results.result}
        return ReasonSerializer(results.result.reasons, many=True, context=context).data

    @extend_schema_field(IndexSerializer)
    def get_index(self, results: VisibleResults) -> dict:
        result = results.result
        cell = SimpleNamespace(value=result.overall_index, withheld=result.index_withheld)
        return IndexSerializer(cell).data

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, results: VisibleResults) -> list:
        return QuestionSerializer(results.result.questions.values(), many=True).data

    @extend_schema_field(GapSerializer(many=True))
    def get_gaps(self, results: VisibleResults) -> list:
        return GapSerializer(presenters.perception_gaps(results.result), many=True).data

    @extend_schema_field(StepSerializer(many=True))
    def get_path(self, results: VisibleResults) -> list:
        context = {"result": results.result}
        return StepSerializer(results.result.path, many=True, context=context).data

    @extend_schema_field(TrendSerializer(allow_null=True))
    def get_trend(self, results: VisibleResults) -> dict | None:
        if results.report.trend is None:
            return None
        return TrendSerializer(results.report).data
