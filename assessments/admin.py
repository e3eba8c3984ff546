from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    Answer,
    Assessment,
    AssessmentPillarSummary,
    BenchmarkRelease,
    Evidence,
    LiveFigures,
    OverdueDigest,
    Participant,
    Pillar,
    PillarScore,
    PillarTarget,
    PortfolioEntry,
    Question,
    Questionnaire,
    ReplacedLink,
    RespondentContact,
    Response,
    ResultHeadline,
    ResultSnapshot,
    Vote,
    WorkshopQuestion,
    WorkshopSession,
)
from .questionnaire_files import dump_yaml, export
from .services import delete_answers, delete_response


class FrozenWithAnswers:
    """A questionnaire version that has answers is read-only: publish a new version instead."""

    def questionnaire_of(self, obj):
        # Inlines are asked with their parent questionnaire, other admins with their own object.
        if obj is None or isinstance(obj, Questionnaire):
            return obj
        return obj.questionnaire

    def has_change_permission(self, request, obj=None):
        questionnaire = self.questionnaire_of(obj)
        if questionnaire is not None and questionnaire.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        questionnaire = self.questionnaire_of(obj)
        if questionnaire is not None and questionnaire.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class PillarInline(FrozenWithAnswers, admin.TabularInline):
    model = Pillar
    fields = ["order", "code", "name", "weight"]
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(FrozenWithAnswers, admin.ModelAdmin):
    list_display = ["title", "slug", "version", "status", "created_at"]
    list_filter = ["status"]
    inlines = [PillarInline]
    actions = ["export_yaml"]

    @admin.action(description=_("Export as YAML"))
    def export_yaml(self, request, queryset):
        content = "---\n".join(dump_yaml(export(questionnaire)) for questionnaire in queryset)
        response = HttpResponse(content, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="questionnaires.yaml"'
        return response


@admin.register(Pillar)
class PillarAdmin(FrozenWithAnswers, admin.ModelAdmin):
    list_display = ["name", "code", "questionnaire", "order", "weight"]
    list_filter = ["questionnaire"]


@admin.register(Question)
class QuestionAdmin(FrozenWithAnswers, admin.ModelAdmin):
    list_display = ["code", "pillar", "questionnaire", "order", "weight", "critical"]
    list_filter = ["questionnaire", "pillar__code", "critical"]
    search_fields = ["code", "text"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "questionnaire", "status", "closes_on", "created_at"]
    list_filter = ["status", "questionnaire"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_at", "opened_at", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.threshold_locked:
            fields.append("anonymity_threshold")  # locked once a response is submitted
        return fields


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """No address here: answers and the person who gave them are kept apart."""

    list_display = ["pk", "assessment", "perspective", "started_at", "submitted_at"]
    list_filter = ["perspective", "assessment__status"]
    search_fields = ["assessment__title"]
    readonly_fields = ["token_hash", "invited_at", "started_at", "submitted_at", "reminded_at"]

    # Through the service, so that the stored figures stay true without the response.
    def delete_model(self, request, obj):
        delete_response(response=obj)

    def delete_queryset(self, request, queryset):
        for response in queryset.select_related("assessment"):
            delete_response(response=response)


@admin.register(RespondentContact)
class RespondentContactAdmin(admin.ModelAdmin):
    """Who a link went to, without their answers; purged after the retention period."""

    list_display = ["email", "name", "assessment"]
    search_fields = ["email", "name"]
    readonly_fields = ["response"]

    @admin.display(description=_("assessment"))
    def assessment(self, contact):
        return contact.response.assessment

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("response__assessment")

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "level", "dont_know", "updated_at"]
    list_select_related = ["response__assessment", "question"]
    readonly_fields = ["response", "question", "level", "dont_know", "comment", "updated_at"]

    def has_add_permission(self, request):
        return False  # answers come from respondents only

    # Through the service, so that the figures of a submitted response stay true.
    def delete_model(self, request, obj):
        delete_answers(answers=Answer.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_answers(answers=queryset)


@admin.register(PillarScore)
class PillarScoreAdmin(admin.ModelAdmin):
    list_display = ["response", "pillar", "maturity", "coverage", "answered", "dont_know"]
    list_filter = ["pillar"]


@admin.register(AssessmentPillarSummary)
class AssessmentPillarSummaryAdmin(admin.ModelAdmin):
    list_display = ["assessment", "pillar", "maturity", "respondents"]
    list_filter = ["pillar"]


class ReadOnly:
    """Written by services only; the admin may look, not change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["assessment", "kind", "published_at", "respondents", "published_by"]
    list_filter = ["kind"]
    exclude = ["report", "response_ids", "contributors"]


@admin.register(LiveFigures)
class LiveFiguresAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["assessment", "created_at"]
    exclude = ["report"]


@admin.register(ResultHeadline)
class ResultHeadlineAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["assessment", "source", "verdict", "overall_index", "computed_at"]


@admin.register(PortfolioEntry)
class PortfolioEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["organisation", "audience", "current_title", "verdict", "updated_at"]
    list_select_related = ["organisation"]


@admin.register(BenchmarkRelease)
class BenchmarkReleaseAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["released_at", "organisations"]


@admin.register(ReplacedLink)
class ReplacedLinkAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["response", "replaced_at"]
    exclude = ["token_hash"]


# The client's plan: kept in the app by consultants and managers; here to look things up.
@admin.register(PillarTarget)
class PillarTargetAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["assessment", "pillar", "maturity", "set_by", "set_at"]
    list_select_related = ["assessment", "pillar", "set_by"]


@admin.register(Action)
class ActionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "assessment", "owner", "owner_name", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["assessment", "owner"]


# Evidence is a respondent's text, like a comment: read-only, erased with the response.
@admin.register(Evidence)
class EvidenceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["response", "question", "seen", "checked_at"]
    list_filter = ["seen"]
    list_select_related = ["response__assessment", "question"]


@admin.register(OverdueDigest)
class OverdueDigestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "week", "actions", "sent_at"]


# Live workshops: written by the workshop services only. A vote is shown without its
# participant, as everywhere else: nobody reads who voted what.
@admin.register(WorkshopSession)
class WorkshopSessionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["code", "assessment", "scope", "status", "counts_in_results", "created_at"]
    list_filter = ["status", "scope"]
    exclude = ["current"]


@admin.register(WorkshopQuestion)
class WorkshopQuestionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["session", "position", "question", "round", "agreed_level", "consensus"]
    list_filter = ["consensus"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "session",
        "number",
        "display_name",
        "perspective",
        "joined_at",
        "counted",
        "removed_at",
    ]
    exclude = ["secret", "address_hash"]


@admin.register(Vote)
class VoteAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["question", "round", "level", "dont_know", "updated_at"]
    exclude = ["participant"]
