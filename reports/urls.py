from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.portfolio, name="portfolio"),
    path("o/<slug:slug>/", views.organisation, name="organisation"),
    path("o/<slug:slug>/assessments/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("o/<slug:slug>/assessments/<int:pk>/report.pdf", views.report_pdf, name="pdf"),
    path("o/<slug:slug>/assessments/<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("o/<slug:slug>/assessments/<int:pk>/comments/", views.comments, name="comments"),
]
