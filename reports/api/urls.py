from django.urls import path, re_path

from . import views

app_name = "api"

ORGANISATION = "v1/organisations/<slug:slug>/"
ASSESSMENT = ORGANISATION + "assessments/<int:pk>/"

urlpatterns = [
    path("v1/organisations/", views.OrganisationList.as_view(), name="organisations"),
    path(ORGANISATION, views.OrganisationDetail.as_view(), name="organisation"),
    path(ORGANISATION + "assessments/", views.AssessmentList.as_view(), name="assessments"),
    path(ASSESSMENT, views.AssessmentDetail.as_view(), name="assessment"),
    path(ASSESSMENT + "snapshot/", views.Snapshot.as_view(), name="snapshot"),
    path(ASSESSMENT + "live/", views.Live.as_view(), name="live"),
    path(ASSESSMENT + "actions/", views.ActionList.as_view(), name="actions"),
    path(ASSESSMENT + "targets/", views.TargetList.as_view(), name="targets"),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    re_path(r"^", views.NotFoundEndpoint.as_view()),
]
