"""The PowerPoint deck, opened with python-pptx: a deck that stands on its own, from the
published results (or the consultant's live draft), readable from the back of a room."""

import io
import zipfile
from itertools import pairwise

import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

from assessments import plan
from assessments.labels import label
from assessments.models import Assessment, Perspective, Question
from assessments.results import live, publication
from assessments.wording import question_name
from reports import exporters
from reports.exporters.documents import document_for
from reports.exporters.slides import Line, height_of, paginate, wrap
from reports.figures import score
from reports.presenters import ACTION_PLAN_ROWS, path_words
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

CONTINUED = " (continued)"


def slides_of(assessment, *, draft: bool = False) -> list:
    return list(
        Presentation(io.BytesIO(exporters.report_pptx(assessment, draft=draft).content)).slides
    )


def title(slide) -> str:
    return slide.shapes.title.text


def texts(slide) -> list[str]:
    """Every paragraph on the slide, tables included."""
    frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
    frames += [
        cell.text_frame
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    return [paragraph.text for frame in frames for paragraph in frame.paragraphs]


def charts(slide) -> list:
    return [shape for shape in slide.shapes if shape.has_chart]


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def section(slides, name: str) -> list:
    """The slides titled `name`, with their continuations."""
    return [slide for slide in slides if title(slide) in (name, name + CONTINUED)]


def one(value: float | None) -> int | None:
    """A figure as every format prints it."""
    return score(value)


def pillar_title(pillar) -> str:
    return f"{pillar.name} — {label('band', pillar.band)} risk" if pillar.band else pillar.name


# What the deck holds, in order


def test_slides_come_in_the_order_of_the_report(demo):
    report = demo.snapshots.get().read_report()

    titles = [title(slide) for slide in slides_of(demo)]

    assert [t for t in titles if not t.endswith(CONTINUED)] == [
        "GenAI readiness before go-live",
        "Executive summary",
        "The path to ready",
        "What moved since “GenAI pilot baseline”",
        *[pillar_title(pillar) for pillar in report.result.pillars],
        "Perspectives",
        "Action plan",
        "Next steps",
    ]
    for before, continued in pairwise(titles):
        if continued.endswith(CONTINUED):
            assert continued.removesuffix(CONTINUED) == before.removesuffix(CONTINUED)


def test_every_step_of_the_path_to_ready_is_on_its_slides(demo):
    result = demo.snapshots.get().read_report().result
    assert len(result.path) > 3

    lines = [
        line for slide in section(slides_of(demo), "The path to ready") for line in texts(slide)
    ]

    steps = [line for line in lines if line.startswith("• ")]
    page = document_for(demo, draft=False).page
    assert steps == ["• " + path_words(result, line) for group in page.path for line in group.steps]
    assert [line.step for group in page.path for line in group.steps] == list(result.path)


def test_summary_has_the_verdict_the_index_and_a_native_radar_of_the_published_figures(demo):
    report = demo.snapshots.get().read_report()

    summary = slides_of(demo)[1]

    assert "✕ Not ready" in texts(summary)
    assert f"Readiness index {report.result.overall_index:.0f} / 100" in texts(summary)
    radar = charts(summary)[0].chart
    assert radar.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    assert list(radar.plots[0].categories) == [p.name for p in report.result.pillars]
    current, previous, target = radar.series
    assert list(current.values) == [one(p.maturity) for p in report.result.pillars]
    before = {t.pillar: t.previous for t in report.trend.pillars}
    assert list(previous.values) == [one(before.get(p.pillar)) for p in report.result.pillars]
    assert target.name == "Target"
    assert list(target.values) == [t.maturity for t in plan.targets(demo)]
    dashes = [s.format.line.dash_style for s in radar.series]
    assert dashes == [None, MSO_LINE_DASH_STYLE.DASH, MSO_LINE_DASH_STYLE.DASH_DOT]


def test_each_pillar_has_its_question_scores_as_bars_labelled_with_whole_questions(demo):
    report = demo.snapshots.get().read_report()
    slides = slides_of(demo)

    for pillar in report.result.pillars:
        labels, values = [], []
        for slide in section(slides, pillar_title(pillar)):
            bars = charts(slide)[0].chart
            assert bars.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
            # The first question is drawn at the top, so it is the last category.
            labels += reversed([name.replace("\n", " ") for name in bars.plots[0].categories])
            values += reversed(list(bars.series[0].values))
        questions = [
            q
            for q in report.result.questions.values()
            if q.pillar == pillar.pillar and (q.asked or q.withheld)
        ]
        assert labels == [q.text + (" — withheld" if q.withheld else "") for q in questions]
        assert values == [None if q.withheld else one(q.mean) for q in questions]


def test_what_moved_compares_each_pillar_with_the_previous_assessment(demo):
    trend = demo.snapshots.get().read_report().trend

    moved = section(slides_of(demo), "What moved since “GenAI pilot baseline”")[0]

    bars = charts(moved)[0].chart
    previous, now = bars.series
    assert [series.name for series in bars.series] == ["GenAI pilot baseline", "Now"]
    compared = [item for item in trend.pillars if item.status == "compared"]
    assert list(now.values) == [one(item.current) for item in reversed(compared)]
    assert list(previous.values) == [one(item.previous) for item in reversed(compared)]


def test_perspectives_show_the_groups_the_results_show(demo):
    result = demo.snapshots.get().read_report().result

    table = tables(section(slides_of(demo), "Perspectives")[0])[0]

    assert [cell.text for cell in table.rows[0].cells] == ["Pillar"] + [
        f"{label('perspective', group.perspective)} ({group.respondents})"
        for group in result.perspectives
    ]
    assert [row.cells[0].text for row in list(table.rows)[1:]] == [p.name for p in result.pillars]


def test_action_plan_lists_the_ranked_findings_with_the_owners_of_their_actions(demo):
    result = demo.snapshots.get().read_report().result
    owners = {action.question.code: action.owner_label for action in demo.actions.for_plan()}

    rows = [
        row
        for slide in section(slides_of(demo), "Action plan")
        for row in list(tables(slide)[0].rows)[1:]
    ]

    findings = result.findings[:ACTION_PLAN_ROWS]
    assert [(row.cells[0].text, row.cells[1].text_frame.paragraphs[0].text) for row in rows] == [
        (str(rank), question_name(result, finding.question, show_codes=False))
        for rank, finding in enumerate(findings, start=1)
    ]
    owner_and_due = [tuple(cell.text for cell in list(row.cells)[-2:]) for row in rows]
    assert [owner for owner, _ in owner_and_due] == [
        owners.get(finding.question, "") for finding in findings
    ]
    due = dict(owner_and_due)
    assert due["Inês Duarte (Data office)"].split("\n")[1:] == ["Open", "overdue"]
    assert due[""] == ""


def test_next_steps_close_the_deck(demo):
    last = slides_of(demo)[-1]

    assert title(last) == "Next steps"
    steps = [text for text in texts(last) if text[:1].isdigit()]
    # The demo's plan: 3 of the 12 findings have an action with an owner and a date, one
    # of them overdue.
    assert steps[:2] == [
        "1. Name an owner and a due date for each of the 9 actions in the plan that have "
        "none, starting at the top.",
        "2. Agree a new date, or the help it needs, for the overdue action.",
    ]


# For the room and for everyone


def test_every_slide_has_speaker_notes_with_the_method_and_the_threshold(demo):
    for slide in slides_of(demo):
        assert "A figure is shown only when at least 3 people gave it a level" in notes(slide)
    pillar = section(
        slides_of(demo), pillar_title(demo.snapshots.get().read_report().result.pillars[0])
    )
    assert "Risk is 100 minus maturity." in notes(pillar[0])


def test_every_chart_describes_its_content_in_words(demo):
    report = demo.snapshots.get().read_report()

    frames = [frame for slide in slides_of(demo) for frame in charts(slide)]

    assert len(frames) >= 2 + len(report.result.pillars)
    for frame in frames:
        description = frame._element.nvGraphicFramePr.cNvPr.get("descr")
        assert description.split(" chart of ")[0] in ("Radar", "Bar")
        for category in frame.chart.plots[0].categories:
            question = category.replace("\n", " ").removesuffix(" — withheld")
            assert question in description


def test_no_text_on_any_slide_is_under_14_points(demo):
    for slide in slides_of(demo, draft=True):
        frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
        frames += [
            cell.text_frame for table in tables(slide) for row in table.rows for cell in row.cells
        ]
        sizes = [run.font.size for frame in frames for p in frame.paragraphs for run in p.runs]
        assert sizes
        assert min(sizes) >= Pt(14), title(slide)
        for frame in charts(slide):
            xml = etree.tostring(frame.chart._chartSpace).decode()
            assert frame.chart.font.size == Pt(14)
            chart_sizes = [int(size) for size in etree.fromstring(xml).xpath("//@sz")]
            assert min(chart_sizes) >= 1400, title(slide)


def test_no_question_code_reaches_a_slide_or_its_notes(demo):
    codes = set(Question.objects.values_list("code", flat=True))

    for slide in slides_of(demo):
        words = "\n".join([*texts(slide), notes(slide)])
        assert [code for code in codes if code in words] == [], title(slide)


# Who sees what


def test_a_managers_deck_shows_no_withheld_figure(thin_answers):
    result = thin_answers.snapshots.get().read_report().result

    slides = slides_of(thin_answers)

    data = section(slides, pillar_title(result.pillar("data")))[0]
    bars = charts(data)[0].chart
    assert [name.replace("\n", " ") for name in bars.plots[0].categories] == [
        "How is data.rights handled? — withheld",
        "How is data.quality handled?",
        "How is data.inventory handled?",
    ]
    assert list(bars.series[0].values) == [None, 50.0, 75.0]
    description = charts(data)[0]._element.nvGraphicFramePr.cNvPr.get("descr")
    assert description == (
        "Bar chart of the mean score per question, 0 to 100: “How is data.inventory handled?” "
        "75; “How is data.quality handled?” 50; “How is data.rights handled?” withheld, not "
        "enough answers."
    )
    assert "No bar, withheld: not enough answers." in texts(data)
    ethics = section(slides, "Ethics and governance")[0]
    assert "Withheld: not enough answers. Fewer than 3 people gave a level in this pillar." in (
        texts(ethics)
    )
    assert "This pillar's figures are withheld: not enough answers." in notes(ethics)
    assert "Ethics and governance: withheld (not enough answers)" in texts(slides[1])


def test_the_consultants_draft_shows_the_live_figure(thin_answers):
    result = live.live_report(thin_answers).result

    slides = slides_of(thin_answers, draft=True)

    bars = charts(section(slides, pillar_title(result.pillar("data")))[0])[0].chart
    assert result.questions["data.rights"].mean == 25.0
    assert list(bars.series[0].values) == [25.0, 50.0, 75.0]


def test_a_withheld_perspective_cell_says_why(thin_perspective):
    slides = slides_of(thin_perspective)

    perspectives = section(slides, "Perspectives")[0]
    ethics = list(tables(perspectives)[0].rows)[2]
    assert [cell.text for cell in ethics.cells] == [
        "Ethics and governance",
        "withheld (1)",
        "withheld (2)",
    ]
    assert "(1) withheld: not enough answers" in texts(perspectives)
    assert "(2) withheld: hidden so that a smaller group cannot be worked out" in texts(
        perspectives
    )


def test_a_question_without_any_level_says_so_beside_its_empty_bar(thin_perspective):
    result = thin_perspective.snapshots.get().read_report().result

    ethics = section(slides_of(thin_perspective), pillar_title(result.pillar("ethics")))[0]

    bars = charts(ethics)[0].chart
    assert [name.replace("\n", " ") for name in bars.plots[0].categories] == [
        "How is ethics.gdpr handled? — no level given",
        "How is ethics.policy handled?",
    ]
    assert list(bars.series[0].values) == [None, 35.0]


def test_draft_deck_is_marked_on_every_slide(demo):
    for slide in slides_of(demo, draft=True):
        assert any(text.startswith("DRAFT · live figures, not published") for text in texts(slide))
        assert "DRAFT" in texts(slide)
    for slide in slides_of(demo):
        assert not any("DRAFT" in text for text in texts(slide))


# Text that a spreadsheet would run

FORMULA_TITLE = '=HYPERLINK("https://evil.example","Baseline")'


def embedded_workbooks(content: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return [
            load_workbook(io.BytesIO(package.read(name)))
            for name in package.namelist()
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx")
        ]


def test_no_chart_workbook_in_the_deck_holds_a_formula(demo):
    Assessment.objects.filter(title="GenAI pilot baseline").update(title=FORMULA_TITLE)

    content = exporters.report_pptx(demo, draft=True).content  # live: today's titles

    workbooks = embedded_workbooks(content)
    slides = Presentation(io.BytesIO(content)).slides
    assert len(workbooks) == sum(len(charts(slide)) for slide in slides)
    cells = [
        cell
        for workbook in workbooks
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert "'" + FORMULA_TITLE in {cell.value for cell in cells}


def test_the_deck_shows_a_formula_like_title_as_typed(demo):
    Assessment.objects.filter(title="GenAI pilot baseline").update(title=FORMULA_TITLE)

    slides = slides_of(demo, draft=True)

    movement = next(slide for slide in slides if title(slide).startswith("What moved"))
    columns = charts(movement)[0].chart
    assert [series.name for series in columns.series] == [FORMULA_TITLE, "Now"]


def test_perspectives_say_so_when_no_group_is_large_enough(threshold_three):
    respond(threshold_three, 3, perspective=Perspective.BUSINESS)
    respond(threshold_three, 2, perspective=Perspective.BUSINESS)
    respond(threshold_three, 1, perspective=Perspective.DATA_IT)
    publication.publish_results(assessment=threshold_three, published_by=None)

    perspectives = section(slides_of(threshold_three), "Perspectives")

    assert len(perspectives) == 1
    assert tables(perspectives[0]) == []
    assert (
        "No perspective group is large enough to be shown: a group needs at least 3 "
        "respondents." in texts(perspectives[0])
    )


# Laying text out


def test_text_that_does_not_fit_continues_on_the_next_page_whole_and_in_order():
    blocks = [
        [Line(f"Step {number}: " + "raise the pillar above its band " * 4)] for number in range(40)
    ]

    pages = paginate(blocks, width=12.3, heights=[3.0, 5.6])

    assert len(pages) > 2
    assert [line for page in pages for line in page] == [block[0] for block in blocks]
    assert height_of(pages[0], 12.3) <= 3.0
    assert all(height_of(page, 12.3) <= 5.6 for page in pages[1:])


def test_a_label_wraps_between_words_only():
    text = "How has the organisation confirmed it may use each data source for this purpose?"

    lines = wrap(text, 34)

    assert " ".join(lines) == text
    assert all(len(line) <= 34 for line in lines)
