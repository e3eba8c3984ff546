"""The PDF report: what it holds, who gets which, and its cache."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment
from assessments.results import access, publication
from reports import charts, exporters
from reports.models import RenderedReport
from tests.factories import AssessmentFactory, OrganisationFactory, UserFactory
from tests.reports.conftest import pdf_info, pdf_text, respond

pytestmark = pytest.mark.django_db

SHARED = "Legal only heard about the pilot last month."
KEPT = "Unshared: my manager never asked the DPO."


def pdf_url(assessment, name="reports:pdf") -> str:
    return reverse(name, args=[assessment.organisation.slug, assessment.pk])


def loaded(assessment) -> Assessment:
    """As the views fetch it: with progress counts."""
    return (
        Assessment.objects.with_progress()
        .select_related("organisation", "questionnaire")
        .get(pk=assessment.pk)
    )


@pytest.fixture
def published(threshold_three):
    """Three responses, one comment shared and one not, published; a fourth response after."""
    first = respond(threshold_three, 3, comments={"ethics.gdpr": SHARED})
    respond(threshold_three, 3, comments={"ethics.gdpr": KEPT})
    respond(threshold_three, {"data.inventory": 3, "data.quality": 3, "data.rights": None})
    services.share_comment(answer=first.answers.get(question__code="ethics.gdpr"), shared=True)
    publication.publish_results(assessment=threshold_three, published_by=None)
    respond(threshold_three, 0)
    return threshold_three


# File name and what each person gets


def test_file_name_says_organisation_assessment_and_date(db):
    assessment = AssessmentFactory(
        organisation=OrganisationFactory(name="Acme Insurance"),
        title="GenAI readiness before go-live",
    )

    name = exporters.report_filename(assessment, datetime.date(2026, 11, 26))
    draft = exporters.report_filename(assessment, datetime.date(2026, 11, 26), draft=True)

    assert name == "acme-insurance_genai-readiness-before-go-live_2026-11-26.pdf"
    assert draft == "acme-insurance_genai-readiness-before-go-live_2026-11-26_draft.pdf"


def test_file_name_keeps_letters_beyond_ascii(db):
    assessment = AssessmentFactory(
        organisation=OrganisationFactory(name="Zürich Rück"), title="Готовность ИИ"
    )

    name = exporters.report_filename(assessment, datetime.date(2026, 11, 26))

    assert name == "zürich-rück_готовность-ии_2026-11-26.pdf"


def test_manager_downloads_the_published_snapshot(manager_client, published):
    response = manager_client.get(pdf_url(published))

    day = timezone.localdate(published.snapshots.get().published_at).isoformat()
    assert response["Content-Type"] == "application/pdf"
    slug = published.title.lower().replace(" ", "-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-insurance_{slug}_{day}.pdf"'
    )
    text = pdf_text(response.content)
    assert "3 submitted responses" in text
    assert "4 submitted responses" not in text
    assert "DRAFT" not in text


def test_consultant_downloads_a_draft_marked_on_every_page(consultant_client, published):
    response = consultant_client.get(pdf_url(published, "reports:draft_pdf"))

    assert response["Content-Disposition"].endswith('_draft.pdf"')
    pages = pdf_text(response.content).split("\f")[:-1]
    assert len(pages) >= 6
    assert all("DRAFT · live figures, not published" in page for page in pages)
    assert "4 submitted responses" in pages[0]


def test_nothing_published_gives_a_page_that_says_so(manager_client, threshold_three):
    respond(threshold_three, 2)

    response = manager_client.get(pdf_url(threshold_three))

    assert response["Content-Type"].startswith("text/html")
    assert "The consultant has not published results of this assessment yet." in (
        response.content.decode()
    )
    assert exporters.published_report_pdf(loaded(threshold_three)) is None


def test_manager_cannot_download_the_draft(manager_client, published):
    assert manager_client.get(pdf_url(published, "reports:draft_pdf")).status_code == 403


# What it holds


def test_pdf_holds_the_snapshot_a_withheld_figure_and_only_shared_comments(published):
    export = exporters.published_report_pdf(loaded(published))

    text = pdf_text(export.content)
    assert SHARED in text
    assert KEPT not in text
    # data.rights: two of the three counted respondents gave a level.
    assert "Withheld: not enough answers" in text
    assert "Appendix: method" in text


def test_the_pdf_is_tagged_a4_with_title_and_author(published, consultant, tmp_path):
    export = exporters.published_report_pdf(loaded(published))
    path = tmp_path / export.filename
    path.write_bytes(export.content)

    info = pdf_info(path)

    assert info["Tagged"] == "yes"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Title"] == "GenAI readiness report: Acme Insurance, Spring check"
    assert info["Author"] == consultant.name


def test_the_pdf_names_its_publisher_the_consultancy_and_when_it_was_made(
    threshold_three, settings, tmp_path
):
    settings.CONSULTANCY_NAME = "Initrode Consulting"
    publisher = UserFactory(name="Petra Publisher", is_consultant=True)
    for _ in range(3):
        respond(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=publisher)
    export = exporters.published_report_pdf(loaded(threshold_three))
    path = tmp_path / export.filename
    path.write_bytes(export.content)

    info = pdf_info(path)

    assert (info["Author"], info["Creator"]) == ("Petra Publisher", "GenAI Readiness")
    assert info["Keywords"] == "Acme Insurance, Spring check, Initrode Consulting"
    assert f" {timezone.localtime().year} " in info["CreationDate"]


def test_every_text_is_escaped_in_the_pdf_html(published):
    question = published.questionnaire.questions.get(code="ethics.gdpr")
    question.text = '<img src="https://evil.example/x.png">'
    question.save()
    from reports import presenters, selectors

    results = access.published_results(published)
    page = presenters.report_page(published, results, selectors.shared_quotes(published, results))

    html = render_to_string(
        exporters.PDF_TEMPLATE,
        {
            "assessment": loaded(published),
            "organisation": published.organisation,
            "page": page,
            "result": page.result,
            "draft": False,
            "day": datetime.date(2026, 11, 26),
            "contact": None,
        },
    )

    assert '<img src="https://evil.example' not in html
    assert "&lt;img src=&quot;https://evil.example/x.png&quot;&gt;" in html


def test_charts_become_images_with_their_words_as_alternative_text(db):
    bar = charts.distribution_bar((1, 2, 0, 0, 3), dont_know=1, title="Answers to: <b>x</b>")

    html, images = exporters.charts_as_images(f"<td>{bar}</td>")

    url = exporters.PDF_BASE_URL + "charts/1.svg"
    assert images == {url: str(bar).encode()}
    assert html == (
        f'<td><img class="chart chart-distribution" src="{url}" alt="Answers to: '
        "&lt;b&gt;x&lt;/b&gt; Level 0: 1, Level 1: 2, Level 2: 0, Level 3: 0, Level 4: 3, "
        'Don&#x27;t know: 1. 7 answers in all."></td>'
    )
    assert exporters._static_fetcher(images)(url).read() == str(bar).encode()


def test_the_url_fetcher_serves_our_static_files_and_nothing_else(db):
    fetcher = exporters._static_fetcher()

    logo = fetcher(exporters.PDF_BASE_URL + "static/img/favicon.svg")
    assert logo.read().startswith(b"<svg")
    for url in [
        "https://evil.example/static/img/favicon.svg",
        "file:///etc/passwd",
        exporters.PDF_BASE_URL + "static/../../config/settings.py",
        exporters.PDF_BASE_URL + "static//etc/passwd",
        exporters.PDF_BASE_URL + "admin/",
        "data:text/plain,hello",
    ]:
        with pytest.raises(ValueError, match=r"may load our static files only|No static file"):
            fetcher(url)


# The cache


def test_a_repeat_download_is_read_from_the_cache(published, django_assert_max_num_queries):
    first = exporters.published_report_pdf(loaded(published))

    # 3 of them read the client's plan, which the PDF prints.
    with django_assert_max_num_queries(9):
        again = exporters.published_report_pdf(loaded(published))

    assert again == first
    assert RenderedReport.objects.filter(assessment=published).count() == 1


def test_the_published_pdf_changes_when_a_comment_is_shared_or_unshared(published):
    before = exporters.published_report_pdf(loaded(published))
    services.share_comment(
        answer=published.responses.get(answers__comment=KEPT).answers.get(
            question__code="ethics.gdpr"
        ),
        shared=True,
    )

    shared = exporters.published_report_pdf(loaded(published))
    services.share_comment(
        answer=published.responses.get(answers__comment=SHARED).answers.get(
            question__code="ethics.gdpr"
        ),
        shared=False,
    )
    unshared = exporters.published_report_pdf(loaded(published))

    assert KEPT in pdf_text(shared.content)
    assert SHARED not in pdf_text(unshared.content)
    assert len({before.content, shared.content, unshared.content}) == 3
    # Only the latest is kept: an older file may print a comment that is no longer shared.
    assert RenderedReport.objects.filter(assessment=published, draft=False).count() == 1


def test_the_published_pdf_changes_with_a_new_publication(published):
    before = exporters.published_report_pdf(loaded(published))
    respond(published, 1)
    respond(published, 1)
    publication.publish_results(assessment=published, published_by=None)

    after = exporters.published_report_pdf(loaded(published))

    assert after.content != before.content
    assert "6 submitted responses" in pdf_text(after.content)


def test_the_published_pdf_stays_when_a_response_is_submitted(published):
    before = exporters.published_report_pdf(loaded(published))
    respond(published, 1)

    assert exporters.published_report_pdf(loaded(published)) == before


def test_the_draft_changes_when_a_response_is_submitted(published):
    before = exporters.draft_report_pdf(loaded(published))
    respond(published, 1)

    after = exporters.draft_report_pdf(loaded(published))

    assert after.content != before.content
    assert "5 submitted responses" in pdf_text(after.content)
    assert RenderedReport.objects.filter(assessment=published, draft=True).count() == 1


def test_a_new_template_version_renders_the_pdf_again(published, monkeypatch):
    exporters.published_report_pdf(loaded(published))
    before = RenderedReport.objects.get(assessment=published)
    monkeypatch.setattr("reports.fingerprints.TEMPLATE_VERSION", "next")

    exporters.published_report_pdf(loaded(published))

    after = RenderedReport.objects.get(assessment=published)
    assert (after.pk, after.fingerprint) != (before.pk, before.fingerprint)
