"""The files made from the demo data, opened with the libraries that read them, checked
against the scoring output: XLSX (openpyxl) and DOCX (python-docx); the deck has
`test_deck`."""

import io
import zipfile
from datetime import datetime

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from assessments import plan
from assessments.labels import label
from assessments.models import Response
from assessments.results import live
from reports import exporters
from reports.exporters.documents import shortened
from reports.exporters.word import ANSWER_LABEL
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
    summary = document.tables[1].rows[0].cells[0]  # after the cover: verdict beside radar
    assert summary.paragraphs[0].text == "✕ Not ready"
    moved = next(t for t in document.tables if t.rows[0].cells[0].text == "Pillar")
    # The baseline used version 1: the index compares the questions asked both times.
    assert [cell.text for cell in moved.rows[1].cells[:3]] == [
        "Readiness index on the questions asked both times",
        str(score(report.trend.matched_previous)),
        str(score(report.trend.matched_current)),
    ]
    plan = next(t for t in document.tables if t.rows[0].cells[-1].text == "Due date, status")
    owners = {action.question.code: action.owner_label for action in demo.actions.for_plan()}
    findings = report.result.findings[: len(plan.rows) - 1]
    assert [row.cells[-2].text for row in plan.rows[1:]] == [
        owners.get(finding.question, "") for finding in findings
    ]
    assert "Open · overdue" in {row.cells[-1].text.split(" · ", 1)[-1] for row in plan.rows[1:]}
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


def word_charts(document) -> list:
    """The native charts of a Word document, read with python-pptx's chart API."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.chart.chart import Chart
    from pptx.oxml import parse_xml

    return [
        Chart(parse_xml(rel.target_part.blob), None)
        for rel in document.part.rels.values()
        if rel.reltype == RT.CHART
    ]


def test_word_summary_has_a_native_radar_of_the_pillars(demo):
    report = demo.snapshots.get().read_report()

    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    radar = word_charts(document)[0]
    assert radar.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    assert list(radar.plots[0].categories) == [p.name for p in report.result.pillars]
    current = radar.series[0]
    assert list(current.values) == [one(p.maturity) for p in report.result.pillars]
    target = radar.series[-1]
    assert (target.name, list(target.values)) == (
        "Target",
        [t.maturity for t in plan.targets(demo)],
    )
    assert target.format.line.dash_style == MSO_LINE_DASH_STYLE.DASH_DOT


def test_word_pillars_show_answers_as_native_bars_with_every_level_labelled(demo):
    result = live.live_report(demo).result

    document = Document(io.BytesIO(exporters.report_docx(demo, draft=True).content))

    bars = word_charts(document)[1:]
    shown = [
        [
            q
            for q in result.questions.values()
            if q.pillar == pillar.pillar
            and q.asked
            and q.withheld is None
            and q.distribution_withheld is None
        ]
        for pillar in result.pillars
    ]
    assert len(bars) == sum(1 for questions in shown if questions)
    chart, questions = bars[0], shown[0]
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED_100
    assert [s.name for s in chart.series] == [
        "Level 0",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
        "Don't know",
    ]
    # The first question on top: a bar chart draws its first category at the bottom.
    assert [list(s.values) for s in chart.series] == [
        [float(q.distribution[level]) for q in reversed(questions)] for level in range(5)
    ] + [[float(q.dont_know) for q in reversed(questions)]]
    assert [s.data_labels.number_format for s in chart.series] == [
        '"L0: "0;;;',
        '"L1: "0;;;',
        '"L2: "0;;;',
        '"L3: "0;;;',
        '"L4: "0;;;',
        '"?: "0;;;',
    ]
    assert chart.has_legend


def test_word_answer_bars_leave_out_counts_withheld_for_anonymity(demo):
    report = demo.snapshots.get().read_report()
    withheld = [
        shortened(q.text, ANSWER_LABEL)  # as a bar's label shows it
        for q in report.result.questions.values()
        if q.withheld is not None or q.distribution_withheld is not None
    ]
    assert withheld  # the demo's publication has such questions

    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    categories = {c for chart in word_charts(document)[1:] for c in chart.plots[0].categories}
    assert categories.isdisjoint(withheld)


def test_word_action_plan_fits_a4_portrait_with_room_for_owner_and_due_date(demo):
    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    plan = next(t for t in document.tables if t.rows[0].cells[-1].text == "Due date, status")
    widths = [column.width for column in plan.columns]
    section = document.sections[0]
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin
    # In twips, as Word stores them: 3.2 cm and 2.8 cm.
    assert [round(width.cm, 2) for width in widths[-2:]] == [3.2, 2.8]


def test_word_ranks_are_numbered_once_not_bulleted(demo):
    document = Document(io.BytesIO(exporters.report_docx(demo).content))

    bulleted = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [text for text in bulleted if text[:1].isdigit()] == []
    assert [p.text.split("\t")[0] for p in document.paragraphs if "\t" in p.text] == [
        "1.",
        "2.",
        "3.",
    ]


def test_word_sections_start_a_page_by_their_heading_never_by_an_empty_break(demo):
    content = exporters.report_docx(demo).content

    document = Document(io.BytesIO(content))

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert b'w:type="page"' not in package.read("word/document.xml")
    chapters = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert {p.paragraph_format.page_break_before for p in chapters} == {True}


# What each file says about itself

CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
LIBRARY_TRACES = ("python-docx", "python-pptx", "openpyxl", "Steve Canny", "Macintosh")
OFFICE_FILES = {
    "docx": lambda assessment: exporters.report_docx(assessment),
    "pptx": lambda assessment: exporters.report_pptx(assessment),
    "xlsx": lambda assessment: exporters.published_figures_xlsx(assessment),
}


def properties(content: bytes) -> dict[str, str]:
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        # Our own files, made a moment ago: nothing untrusted to parse.
        core = ElementTree.fromstring(package.read("docProps/core.xml"))  # noqa: S314
        app = ElementTree.fromstring(package.read("docProps/app.xml"))  # noqa: S314
    found = {
        name: core.findtext(name, namespaces=CORE)
        for name in ("dc:title", "dc:creator", "cp:lastModifiedBy", "dcterms:created")
    }
    found["Company"] = app.findtext(f"{APP}Company")
    found["Application"] = app.findtext(f"{APP}Application")
    return found


@pytest.mark.parametrize("kind", OFFICE_FILES)
def test_office_files_carry_the_assessment_its_publisher_and_the_consultancy(demo, settings, kind):
    settings.CONSULTANCY_NAME = "Initrode Consulting"
    publisher = demo.snapshots.get().published_by
    before = timezone.now().replace(microsecond=0)

    found = properties(OFFICE_FILES[kind](demo).content)

    created = datetime.fromisoformat(found.pop("dcterms:created"))
    assert before <= created <= timezone.now()
    assert found == {
        "dc:title": "Acme Insurance: GenAI readiness before go-live",
        "dc:creator": publisher.name,
        "cp:lastModifiedBy": publisher.name,
        "Company": "Initrode Consulting",
        "Application": "GenAI Readiness",
    }


@pytest.mark.parametrize("kind", OFFICE_FILES)
def test_office_files_carry_no_trace_of_the_libraries_that_wrote_them(demo, kind):
    content = OFFICE_FILES[kind](demo).content

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        texts = {
            name: package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }
    assert [
        (name, trace) for name, text in texts.items() for trace in LIBRARY_TRACES if trace in text
    ] == []


def test_a_draft_names_the_assessments_consultant_and_the_product_without_a_consultancy(
    demo, settings
):
    settings.CONSULTANCY_NAME = ""

    found = properties(exporters.report_docx(demo, draft=True).content)

    assert (found["dc:creator"], found["Company"]) == (demo.contact.name, "GenAI Readiness")


@pytest.mark.parametrize(("kind", "size"), [("docx", (181, 256)), ("pptx", (256, 144))])
def test_the_thumbnail_is_a_picture_of_the_cover_not_the_templates_blank(demo, kind, size):
    from PIL import Image

    template = Document() if kind == "docx" else Presentation()
    blank = io.BytesIO()
    template.save(blank)

    content = OFFICE_FILES[kind](demo).content

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        thumbnail = package.read("docProps/thumbnail.jpeg")
    with zipfile.ZipFile(blank) as package:
        assert thumbnail != package.read("docProps/thumbnail.jpeg")
    picture = Image.open(io.BytesIO(thumbnail))
    assert (picture.format, picture.size) == ("JPEG", size)
    # The brand's band across the top, dark blue.
    red, _green, blue = picture.convert("RGB").getpixel((size[0] // 2, 2))
    assert blue > 80 > red


def test_the_action_plan_workbook_names_the_assessments_consultant(demo, settings):
    from reports.exporters.plan import action_plan_xlsx

    settings.CONSULTANCY_NAME = "Initrode Consulting"

    found = properties(action_plan_xlsx(demo).content)

    assert (found["dc:title"], found["dc:creator"], found["Company"]) == (
        "Acme Insurance: GenAI readiness before go-live",
        demo.contact.name,
        "Initrode Consulting",
    )
