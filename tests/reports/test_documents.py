"""The files made from the demo data, opened with the libraries that read them, checked
against the scoring output: XLSX (openpyxl) and DOCX (python-docx); the deck has
`test_deck`."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from assessments.labels import label
from assessments.models import Response
from assessments.results import live
from reports import exporters
from reports.figures import score

pytestmark = pytest.mark.django_db


def one(value: float | None) -> int | None:
    """A figure as every format prints it."""
    return score(value)


def test_published_workbook_holds_the_snapshots_figures(demo):
    report = demo.snapshots.get().read_report()

    workbook = load_workbook(io.BytesIO(exporters.published_figures_xlsx(demo).content))

    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Readiness index (0–100)"] == one(report.result.overall_index)
    assert summary["Respondents"] == report.result.respondents == 12
    pillars = {row[0]: row[1] for row in workbook["Pillars"].iter_rows(min_row=2, values_only=True)}
    assert pillars == {
        pillar.name: one(pillar.maturity)
        if not pillar.withheld
        else f"withheld: {label('withheld', pillar.withheld)}"
        for pillar in report.result.pillars
    }
    questions = {
        row[1]: row[3] for row in workbook["Questions"].iter_rows(min_row=2, values_only=True)
    }
    assert questions == {
        code: one(question.mean)
        if not question.withheld
        else f"withheld: {label('withheld', question.withheld)}"
        for code, question in report.result.questions.items()
    }


def test_raw_answers_workbook_holds_every_answer_and_the_live_pillar_figures(demo):
    report = live.live_report(demo)

    workbook = load_workbook(exporters.raw_answers_xlsx(demo).content)

    submitted = Response.objects.submitted().filter(assessment=demo)
    asked = sum(
        1
        for response in submitted
        for question in demo.questionnaire.questions.all()
        if response.asks(question)
    )
    assert workbook["Answers"].max_row == 1 + asked
    pillars = {row[0]: row[1] for row in workbook["Pillars"].iter_rows(min_row=2, values_only=True)}
    assert pillars == {pillar.name: one(pillar.maturity) for pillar in report.result.pillars}


def test_word_report_has_the_sections_and_figures_of_the_publication(demo):
    report = demo.snapshots.get().read_report()

    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Executive summary", "What moved since “GenAI pilot baseline”"]
    assert headings[-3:] == ["Perspectives", "Action plan", "Appendix: method"]
    assert [h.split(" — ")[0] for h in headings[2:-3]] == [p.name for p in report.result.pillars]
    texts = [p.text for p in document.paragraphs]
    assert "✕ Not ready" in texts
    moved = document.tables[2]  # cover, key figures, then what moved by pillar
    # The baseline used version 1: the index compares the questions asked both times.
    assert [cell.text for cell in moved.rows[1].cells[:3]] == [
        "Readiness index on the questions asked both times",
        str(score(report.trend.matched_previous)),
        str(score(report.trend.matched_current)),
    ]
    plan = next(t for t in document.tables if t.rows[0].cells[-1].text == "Due date")
    assert [cell.text for cell in plan.rows[0].cells[-2:]] == ["Owner", "Due date"]
    assert {row.cells[-1].text for row in plan.rows[1:]} == {""}
    assert document.sections[0].header.paragraphs[0].text == (
        "Acme Insurance · GenAI readiness before go-live"
    )


def test_word_draft_is_marked_on_every_page(demo):
    document = Document(io.BytesIO(exporters.report_docx(demo, draft=True).content))

    assert document.sections[0].header.paragraphs[0].text == "DRAFT · live figures, not published"


def test_documents_before_publication_are_none(threshold_three):
    assert exporters.report_docx(threshold_three) is None
    assert exporters.report_pptx(threshold_three) is None
    assert exporters.report_docx(threshold_three, draft=True) is None
