"""The API's endpoints: each fetches through the pages' gates and hands a serializer what
the pages would show. Read only: GET (and HEAD, OPTIONS) only."""

from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import CONSULTANTS, RESULT_READERS, organisation_access
from accounts.models import Membership, Organisation, Role
from assessments import plan
from assessments.access import get_assessment
from assessments.models import Assessment
from assessments.results.access import published_results, results_for
from assessments.services import close_due_assessments

from . import schema  # noqa: F401 (describes the token authentication in the schema)
from .serializers import (
    ActionSerializer,
    AssessmentSerializer,
    OrganisationSerializer,
    ResultsSerializer,
    TargetSerializer,
)


class Error(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="The parameters at fault (400).")


ERRORS = {401: Error, 403: Error, 404: Error}
# A list's page that is not a number is a 400.
LIST_ERRORS = {400: Error, **ERRORS}


class OrganisationEndpoint(APIView):
    """An endpoint under /organisations/<slug>/: `self.access` once the gate let the token's
    user in (outsiders 404, roles not in `roles` 403)."""

    roles = RESULT_READERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates first: no token, 401
        self.access = organisation_access(request.user, kwargs["slug"], self.roles)

    def get_serializer_context(self) -> dict:
        return {
            "organisation": self.access.organisation,
            "role": self.access.role,
            "can_manage": self.access.can_manage,
            "today": timezone.localdate(),
        }


class AssessmentEndpoint(OrganisationEndpoint):
    """… and /assessments/<pk>/: `self.assessment`, one of that organisation's only."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.assessment = get_assessment(self.access, kwargs["pk"])


@extend_schema_view(
    get=extend_schema(responses={200: OrganisationSerializer(many=True), 400: Error, 401: Error})
)
class OrganisationList(generics.ListAPIView):
    """The organisations the token's user belongs to, with their role in each (all of them,
    as consultants, for platform staff)."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        user = self.request.user
        visible = Organisation.objects.visible_to(user).order_by("name", "pk")
        if user.is_staff:
            return visible.annotate(role=Value(Role.CONSULTANT, output_field=CharField()))
        role = Membership.objects.filter(user=user, organisation=OuterRef("pk")).values("role")
        return visible.annotate(role=Subquery(role[:1]))


class OrganisationDetail(OrganisationEndpoint):
    @extend_schema(responses={200: OrganisationSerializer, **ERRORS})
    def get(self, request, slug):
        context = self.get_serializer_context()
        return Response(OrganisationSerializer(self.access.organisation, context=context).data)


@extend_schema_view(
    get=extend_schema(responses={200: AssessmentSerializer(many=True), **LIST_ERRORS})
)
class AssessmentList(OrganisationEndpoint, generics.ListAPIView):
    """The organisation's assessments, newest first, with progress counts and the latest
    publication."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        organisation = self.access.organisation
        # As the organisation's page does: none is listed open after its last day.
        close_due_assessments(organisation=organisation)
        return (
            Assessment.objects.filter(organisation=organisation)
            .with_progress()
            .with_publication()
            .select_related("questionnaire")
            .order_by("-created_at", "-pk")
        )


class AssessmentDetail(AssessmentEndpoint):
    @extend_schema(responses={200: AssessmentSerializer, **ERRORS})
    def get(self, request, slug, pk):
        # The gate's assessment again, with its latest publication beside it.
        assessment = (
            Assessment.objects.filter(organisation=self.access.organisation)
            .with_progress()
            .with_publication()
            .select_related("questionnaire")
            .get(pk=self.assessment.pk)
        )
        context = self.get_serializer_context()
        return Response(AssessmentSerializer(assessment, context=context).data)


class Snapshot(AssessmentEndpoint):
    @extend_schema(responses={200: ResultsSerializer, **ERRORS})
    def get(self, request, slug, pk):
        """The latest published results: exactly what the client's management sees and
        downloads. A withheld figure is null, with the reason beside it."""
        results = published_results(self.assessment)
        if results is None:
            raise NotFound(
                _("Nothing has been published for this assessment yet."), code="not_published"
            )
        return Response(ResultsSerializer(results).data)


class Live(AssessmentEndpoint):
    roles = CONSULTANTS

    @extend_schema(responses={200: ResultsSerializer, **ERRORS})
    def get(self, request, slug, pk):
        """Live figures from every submitted response, nothing withheld: for the
        organisation's consultants only, like the dashboard's."""
        return Response(ResultsSerializer(results_for(self.access, self.assessment)).data)


@extend_schema_view(get=extend_schema(responses={200: ActionSerializer(many=True), **LIST_ERRORS}))
class ActionList(AssessmentEndpoint, generics.ListAPIView):
    """The action plan: one action per published finding, with its owner, due date and
    status, soonest due first."""

    serializer_class = ActionSerializer

    def get_queryset(self):
        return self.assessment.actions.for_plan()


@extend_schema_view(get=extend_schema(responses={200: TargetSerializer(many=True), **LIST_ERRORS}))
class TargetList(AssessmentEndpoint, generics.ListAPIView):
    """Each pillar's target maturity, and how far the reader's results (live for a
    consultant, published for a client manager) are from it."""

    serializer_class = TargetSerializer

    def get_queryset(self):
        visible = results_for(self.access, self.assessment)
        targets = plan.targets(self.assessment)
        return plan.progress_to_targets(visible.result if visible else None, targets)


class Schema(SpectacularAPIView):
    """The OpenAPI 3 description: public, like any API's documentation."""

    authentication_classes = []
    permission_classes = [AllowAny]


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, its start script a file of its own,
    so that the pages' strict Content-Security-Policy holds here too."""

    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/docs.html"
    url_name = "api:schema"


@extend_schema(exclude=True)
class NotFoundEndpoint(APIView):
    """Any other address under /api/: a JSON 404, not the pages' HTML one."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise NotFound(_("There is no such API endpoint."), code="no_such_endpoint")
