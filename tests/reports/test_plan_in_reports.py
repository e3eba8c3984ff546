"""The client's plan in every report format: targets with the points to go, the actions with
their owners, due dates and status, and the evidenced maturity beside the claimed one. A
manager's files never show a withheld evidenced figure, nor a gap to the target of a
pillar whose figure is withheld."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from assessments import evidence, plan
from assessments.labels import label
from assessments.models import Action, Assessment, Evidence, Question
from assessments.results import publication
from assessments.results.access import published_results
from reports import exporters

from .conftest import pdf_text, respond

pytestmark = pytest.mark.django_db

OWNER = "Ines Duarte"


@pytest.fixture
def planned(threshold_three, consultant):
    """Data at level 1 and ethics at 3 for three people, published; data's target agreed
    at 80, and an overdue action on data.inventory."""
    for _ in range(3):
        respond(
            threshold_three,
            {
                "data.inventory": 1,
                "data.quality": 1,
                "data.rights": 1,
                "ethics.policy": 3,
                "ethics.gdpr": 3,
            },
        )
    publication.publish_results(assessment=threshold_three, published_by=None)
    plan.set_targets(assessment=threshold_three, maturities={"data": 80}, by=consultant)
    Action.objects.create(
        assessment=threshold_three,
        question=Question.objects.get(
            questionnaire=threshold_three.questionnaire, code="data.inventory"
        ),
        title="List every source with its owner.",
        owner_name=OWNER,
        due_on=timezone.localdate() - timedelta(days=3),
        status=Action.Status.OPEN,
    )
    return Assessment.objects.select_related("organisation", "questionnaire").get(
        pk=threshold_three.pk
    )


def due(assessment) -> str:
    return date_format(assessment.actions.get().due_on, "DATE_FORMAT")


def docx_lines(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


def pptx_lines(content: bytes) -> list[str]:
    lines = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                lines += [cell.text for row in shape.table.rows for cell in row.cells]
    return lines


# Actions: the real owners and dates


def test_the_pdf_prints_the_actions_owner_due_date_status_and_that_it_is_overdue(planned):
    text = pdf_text(exporters.published_report_pdf(planned).content, layout=False)

    assert re.search(rf"{OWNER}\s+{due(planned)}\s+Open\s+overdue", text)
    assert "Planned: List every source with its owner." in " ".join(text.split())


def test_the_word_action_plan_has_the_owner_and_the_due_date(planned):
    document = Document(io.BytesIO(exporters.report_docx(planned).content))

    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Due date, status")
    rows = [(row.cells[-2].text, row.cells[-1].text) for row in table.rows[1:]]
    assert (OWNER, f"{due(planned)} · Open · overdue") in rows
    assert ("", "") in rows  # the other findings have no action yet


def test_the_deck_action_plan_has_the_owner_and_the_due_date(planned):
    lines = pptx_lines(exporters.report_pptx(planned).content)

    assert OWNER in lines
    assert "Open\noverdue" in "\n".join(lines)


def test_the_workbook_tracks_the_actions_of_the_plan(planned, manager_client):
    content = exporters.published_figures_xlsx(planned).content

    sheet = load_workbook(io.BytesIO(content))["Action plan"]
    rows = {row[1]: row[8:12] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    owner, due_on, status, overdue = rows["data.inventory"]
    assert (owner, due_on.date(), status, overdue) == (
        OWNER,
        planned.actions.get().due_on,
        "open",
        "overdue",
    )
    assert rows["data.quality"] == (None, None, None, None)


def test_a_changed_action_renders_the_published_pdf_anew(planned):
    before = exporters.published_report_job(planned).fingerprint

    plan.update_action(action=planned.actions.get(), status=Action.Status.DONE)

    assert exporters.published_report_job(planned).fingerprint != before


# Targets


def test_every_format_shows_the_target_and_the_points_to_go(planned):
    # Data is at 25: 55 to go to its agreed 80; ethics at 75, 1 to go to the default 76.
    words = ["Target 80 · 55 to go", "Target 76 (low risk, by default) · 1 to go"]

    docx = docx_lines(exporters.report_docx(planned).content)
    pptx = pptx_lines(exporters.report_pptx(planned).content)
    pdf = pdf_text(exporters.published_report_pdf(planned).content, layout=False)

    assert all(any(line.startswith(w) for line in docx) for w in words)
    assert all(w in pptx for w in words)
    assert re.search(r"Target\s+80\s+55 to go", pdf)


def test_a_managers_files_show_no_gap_for_a_withheld_pillar(thin_answers):
    # Only two people gave ethics a level: the pillar is withheld, its target stays.
    thin_answers = Assessment.objects.get(pk=thin_answers.pk)

    docx = docx_lines(exporters.report_docx(thin_answers).content)
    pptx = pptx_lines(exporters.report_pptx(thin_answers).content)
    pdf = pdf_text(exporters.published_report_pdf(thin_answers).content, layout=False)

    target = "Target 76 (low risk, by default)"
    assert target in docx
    assert target in pptx
    assert target in pdf
    # Only the data pillar, which is shown, has a distance to its target.
    assert len([line for line in docx if "to go" in line]) == 1
    assert len([line for line in pptx if "to go" in line]) == 1


# Evidence


@pytest.fixture
def evidenced(threshold_three):
    """Three people rate everything 4; data.inventory asks for evidence nobody named."""
    evidence.set_evidence_questions(assessment=threshold_three, codes=["data.inventory"])
    for _ in range(3):
        respond(threshold_three, 4)
    publication.publish_results(assessment=threshold_three, published_by=None)
    return Assessment.objects.get(pk=threshold_three.pk)


# data.inventory counts as level 2 until its evidence is seen: (50 + 100 + 100) / 3.
EVIDENCED = "Evidenced 83 (high ratings of 3 people count as 2 until their evidence is seen)"


def test_the_evidenced_maturity_is_beside_the_claimed_one_in_every_format(evidenced):
    docx = docx_lines(exporters.report_docx(evidenced).content)
    pptx = pptx_lines(exporters.report_pptx(evidenced).content)
    pdf = pdf_text(exporters.published_report_pdf(evidenced).content, layout=False)

    assert any(EVIDENCED in line for line in docx)
    assert EVIDENCED in pptx
    assert re.search(r"Evidenced\s+83 / 100", pdf)
    assert "high ratings of 3 people count as 2 until their evidence is seen" in pdf


def test_a_managers_files_never_show_a_withheld_evidenced_figure(evidenced, consultant):
    # One piece of evidence seen between two publications: the evidenced figure would
    # move by one person, so the second publication withholds it.
    for _ in range(3):
        respond(evidenced, 1)
    question = evidenced.questionnaire.questions.get(code="data.inventory")
    piece = Evidence.objects.create(
        response=evidenced.responses.first(), question=question, text="Inventory"
    )
    evidence.check_evidence(evidence=piece, seen=True, by=consultant)
    Assessment.objects.filter(pk=evidenced.pk).update(closes_on=timezone.localdate() + timedelta(1))
    publication.publish_results(assessment=evidenced, published_by=None)

    docx = docx_lines(exporters.report_docx(evidenced).content)
    pptx = pptx_lines(exporters.report_pptx(evidenced).content)
    pdf = pdf_text(exporters.published_report_pdf(evidenced).content, layout=False)

    figure = {f.pillar: f for f in published_results(evidenced).report.evidence}["data"]
    reason = label("withheld", figure.withheld)
    assert any(f"Evidenced: withheld: {reason}" in line for line in docx)
    assert f"Evidenced: withheld: {reason}" in pptx
    assert f"Evidenced maturity withheld: {reason}." in " ".join(pdf.split())
    for text in ("\n".join(docx), "\n".join(pptx), pdf):
        assert not re.search(r"Evidenced\s+\d", text)
