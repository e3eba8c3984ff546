from django.urls import path

from .views import clients, downloads, evidence, plan, results

app_name = "reports"

ASSESSMENT = "o/<slug:slug>/assessments/<int:pk>/"

urlpatterns = [
    path("", clients.home, name="home"),
    path("organisations/", clients.portfolio_page, name="portfolio"),
    path("o/<slug:slug>/", clients.organisation, name="organisation"),
    path(ASSESSMENT + "dashboard/", results.dashboard, name="dashboard"),
    path(ASSESSMENT + "comments/", results.comments, name="comments"),
    path(ASSESSMENT + "evidence/", evidence.review, name="evidence"),
    # The client's plan: targets and actions, kept by consultants and managers together.
    path(ASSESSMENT + "plan/", plan.action_plan, name="plan"),
    path(ASSESSMENT + "plan/targets/", plan.targets, name="targets"),
    path(ASSESSMENT + "plan/actions/new/", plan.new_action, name="new_action"),
    path(ASSESSMENT + "plan/actions/<int:action_pk>/", plan.edit_action, name="edit_action"),
    path(ASSESSMENT + "plan.csv", downloads.plan_csv, name="plan_csv"),
    path(ASSESSMENT + "plan.xlsx", downloads.plan_xlsx, name="plan_xlsx"),
    # Published results, for everyone who reads results.
    path(ASSESSMENT + "report.pdf", downloads.report_pdf, name="pdf"),
    path(ASSESSMENT + "report.docx", downloads.report_docx, name="docx"),
    path(ASSESSMENT + "report.pptx", downloads.report_pptx, name="pptx"),
    path(ASSESSMENT + "results.csv", downloads.figures_csv, name="figures_csv"),
    path(ASSESSMENT + "results.xlsx", downloads.figures_xlsx, name="figures_xlsx"),
    # Live figures and raw answers, for consultants.
    path(ASSESSMENT + "draft.pdf", downloads.draft_pdf, name="draft_pdf"),
    path(ASSESSMENT + "draft.docx", downloads.draft_docx, name="draft_docx"),
    path(ASSESSMENT + "draft.pptx", downloads.draft_pptx, name="draft_pptx"),
    path(ASSESSMENT + "answers.csv", downloads.answers_csv, name="answers_csv"),
    path(ASSESSMENT + "answers.xlsx", downloads.answers_xlsx, name="answers_xlsx"),
]
