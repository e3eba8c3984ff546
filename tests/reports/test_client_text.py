"""What the client's management reads names questions by their text: no question code
("data.inventory") on the dashboard, in the PDF, the Word document or the deck, except in
the method appendix. The consultants' spreadsheets keep the codes."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from lxml import html
from openpyxl import load_workbook
from pptx import Presentation

from accounts.models import User
from assessments.models import Question
from reports import exporters
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

APPENDIX = "Appendix: method"


@pytest.fixture
def codes(demo) -> set[str]:
    """Every question code of the demo's questionnaire and of its baseline's."""
    return set(Question.objects.values_list("code", flat=True))


def printed_codes(text: str, codes: set[str]) -> set[str]:
    return {code for code in codes if code in text}


def test_the_managers_dashboard_prints_no_question_code(demo, codes):
    client = Client()
    client.force_login(User.objects.get(email="manager@example.com"))

    response = client.get(reverse("reports:dashboard", args=[demo.organisation.slug, demo.pk]))

    text = html.fromstring(response.content.decode()).text_content()
    before_method = text.split("How every figure on this page is made")[0]
    assert "Not ready" in before_method  # the verdict and its reasons are in it
    assert printed_codes(before_method, codes) == set()


def test_the_pdf_prints_question_codes_only_in_the_method_appendix(demo, codes):
    text = pdf_text(exporters.published_report_pdf(demo).content)

    before_appendix = text.split(APPENDIX)[0]
    assert printed_codes(before_appendix, codes) == set()


def test_the_word_report_prints_no_question_code_before_the_appendix(demo, codes):
    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    texts = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            texts += [cell.text for row in block.rows for cell in row.cells]
        elif block.text == APPENDIX:
            break
        else:
            texts.append(block.text)
    assert printed_codes("\n".join(texts), codes) == set()


def test_the_deck_prints_no_question_code(demo, codes):
    deck = Presentation(io.BytesIO(exporters.report_pptx(demo).content))

    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_chart:
                texts += [str(category) for category in shape.chart.plots[0].categories]
    assert printed_codes("\n".join(texts), codes) == set()


def test_the_consultants_spreadsheets_keep_the_codes(demo, codes):
    workbook = load_workbook(io.BytesIO(exporters.published_figures_xlsx(demo).content))
    csv = exporters.published_figures_csv(demo).content.decode("utf-8-sig")

    in_workbook = {row[1] for row in workbook["Questions"].iter_rows(min_row=2, values_only=True)}
    assert in_workbook == set(demo.questionnaire.questions.values_list("code", flat=True))
    assert printed_codes(csv, codes) == in_workbook
