"""Every figure the dashboard shows is the same in every format: read back from the page's
HTML, the PDF's text (poppler), the Word document (python-docx), the deck's chart data and
text (python-pptx) and the published-figures workbook (openpyxl).

For the demo (questionnaire versions that differ, routing by perspective, withheld
figures) and for assessments with random answers; each PDF is rendered once.
"""

import io
import random
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from lxml import html
from openpyxl import load_workbook
from pptx import Presentation

from accounts.models import Role
from assessments import services
from assessments.demo import seed_demo
from assessments.labels import label
from assessments.models import Assessment, Perspective
from assessments.questionnaire_files import BUNDLED, load_file
from assessments.results import publication
from assessments.results.access import published_results
from reports import exporters, presenters, selectors
from reports.figures import score
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ResponseFactory,
    UserFactory,
)
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

SIGNED = r"(?:[+−]\d+|±0)"
# The PDF draws the arrow as an image (its alternative text says the direction).
CHANGE = rf"(?:(?:[▲▼▶]\s?)?{SIGNED})"
# A pillar's target and the points to go: "Target 80 · 24 to go" in words, "80 · 24 to go"
# beside a "Target" label, its lines apart in the PDF.
TARGET = r"(\d+)(?: \(low risk, by default\))?(?:(?: · |\s)(reached|\d+ to go))?"
EVIDENCED = r"Evidenced:? (withheld|\d+)"


def _target(found: re.Match | None) -> tuple[str, str] | None:
    return (found.group(1), found.group(2) or "") if found else None


def _printed(value: float | None) -> str:
    return "—" if value is None else str(score(value))


def _signed(change) -> str | None:
    return None if change is None else change.signed


def _from_delta(delta) -> str | None:
    """An XLSX change (an integer) as the other formats sign it."""
    if delta is None:
        return None
    return "±0" if delta == 0 else (f"+{delta}" if delta > 0 else f"−{-delta}")


def _change_in(text: str | None) -> str | None:
    found = re.search(SIGNED, text or "")
    return found.group(0) if found else None


# What the dashboard shows, as the presenter arranges it


def expected_figures(page: presenters.ReportPage) -> dict[tuple, object]:
    result = page.result
    figures: dict[tuple, object] = {
        ("index",): _printed(result.overall_index),
        ("index change",): _signed(page.overall_change),
    }
    for section in page.pillars:
        pillar = section.pillar
        if pillar.assessed and not pillar.withheld:
            figures["pillar", pillar.name] = _printed(pillar.maturity)
            figures["pillar change", pillar.name] = _signed(section.change)
            if section.evidence:
                figures["evidenced", pillar.name] = (
                    "withheld"
                    if section.evidence.withheld
                    else _printed(section.evidence.evidenced)
                )
        if section.target:
            figures["target", pillar.name] = (str(section.target.target), section.target.gap_words)
        for row in section.questions:
            question = row.question
            figures["question", question.text] = _printed(question.mean)
            figures["question change", question.text] = "new" if row.new else _signed(row.change)
    for row in page.heatmap.rows:
        figures["heat", row.pillar.name] = tuple(
            "—" if cell.withheld else _printed(cell.value) for cell in row.cells
        )
    for gap in page.gaps:
        figures["gap", gap.pillar] = str(gap.points)
    if page.movement:
        movement = page.movement
        figures["moved", "index"] = (
            _printed(movement.overall_previous),
            _printed(movement.overall_current),
            _signed(movement.overall),
        )
        for item in movement.pillars:
            figures["moved", item.name] = (
                _printed(item.previous),
                _printed(item.current),
                _signed(item.change),
            )
    return figures


def only(figures: dict, kinds: set[str]) -> dict:
    return {key: value for key, value in figures.items() if key[0] in kinds}


# Read back from each format


def dashboard_figures(content: bytes) -> dict[tuple, object]:
    tree = html.fromstring(content.decode())
    figures: dict[tuple, object] = {}
    index = tree.xpath('//div[@class="key-figure"]')[0]
    figures["index",] = index.xpath('.//span[@class="key-number"]')[0].text_content().strip()
    figures["index change",] = _change_in(
        "".join(index.xpath('.//span[starts-with(@class, "change ")]/span[1]/text()'))
    )
    for card in tree.xpath('//article[contains(@class, "pillar-card")]'):
        number = card.xpath('.//p[@class="pillar-figure"]/span[@class="key-number"]')
        if number:
            name = card.xpath(".//h3")[0].text_content().strip()
            figures["pillar", name] = number[0].text_content().strip()
            change = card.xpath('.//span[starts-with(@class, "change ")]/span[1]/text()')
            figures["pillar change", name] = _change_in("".join(change))
        name = card.xpath(".//h3")[0].text_content().strip()
        facts = dict(
            zip(
                (dt.text_content().strip() for dt in card.xpath(".//dt")),
                (" ".join(dd.text_content().split()) for dd in card.xpath(".//dd")),
                strict=True,
            )
        )
        if "Evidenced" in facts:
            figures["evidenced", name] = re.match(r"(withheld|\d+)", facts["Evidenced"]).group(1)
        words = facts.get("Target") or "".join(card.xpath('.//p[@class="pillar-target"]//text()'))
        figures["target", name] = _target(re.search(TARGET, words))
    for row in tree.xpath('//section[contains(@class, "pillar-answers")]//tbody/tr'):
        text = row.xpath("./th")[0].text.strip()
        figures["question", text] = (
            row.xpath('./td[contains(@class, "question-score")]')[0].text_content().strip()
        )
        change = row.xpath('./td[contains(@class, "question-change")]')[0]
        words = change.text_content().strip()
        figures["question change", text] = (
            "new" if words == "new" else _change_in("".join(change.xpath(".//span/span[1]/text()")))
        )
    for row in tree.xpath('//table[contains(@class, "heatmap")]/tbody/tr'):
        name = row.xpath("./th")[0].text_content().strip()
        figures["heat", name] = tuple(
            (cell.xpath('.//span[@class="heat-value"]') or [None])[0].text_content().strip()
            if cell.xpath('.//span[@class="heat-value"]')
            else "—"
            for cell in row.xpath("./td")
        )
    for item in tree.xpath('//ul[@class="gaps"]/li'):
        pillar = item.xpath("./strong")[0].text_content().strip()
        figures["gap", pillar] = re.search(r"(\d+) points?", item.text_content()).group(1)
    movement = tree.xpath('//section[contains(@class, "movement")]//table')
    if movement:
        for number, row in enumerate(movement[0].xpath("./tbody/tr")):
            name = "index" if number == 0 else row.xpath("./th")[0].text.strip()
            before, now, change = row.xpath("./td")[:3]
            figures["moved", name] = (
                before.text_content().strip(),
                now.text_content().strip(),
                _change_in("".join(change.xpath(".//span/span[1]/text()"))),
            )
    return figures


def _flat(text: str) -> str:
    """Lines joined by spaces, except after a hyphen that broke a word like "AI-generated"."""
    return " ".join(text.replace("-\n", "-").split())


def _heat_rows(laid_out: str, page: presenters.ReportPage) -> dict[tuple, object]:
    """The heat map's cells as pdftotext lays them out: a row per block of lines between
    blank lines (a long cell wraps above and below its pillar's name), its cells in the
    order of the columns they start in."""
    bands = "|".join(label("band", band) for band in ("low", "moderate", "high", "critical"))
    start = laid_out.index("\nPerspectives\n")
    end = min(
        laid_out.find(heading, start) % len(laid_out)
        for heading in ("\nLargest perception gaps", "\nAction plan")
    )
    table = laid_out[start:end]
    header = table.index("\n", table.index(" Pillar "))
    blocks = [  # without a page's footer and header, nor the table's header repeated
        block
        for block in re.split(r"\n\s*\n", table[header:])
        if block.strip() and "\f" not in block and not re.search(r"^\s*Pillar\s", block, re.M)
    ]
    figures = {}
    # The note on hidden groups follows the table.
    for row, block in zip(page.heatmap.rows, blocks[: len(page.heatmap.rows)], strict=True):
        cells = sorted(  # (column, value): a match's column is where it starts in its line
            (match.start(), match.group(1) or "—")
            for line in block.split("\n")
            for match in re.finditer(rf"(\d+) (?:{bands})|—|withheld", line)
        )
        figures["heat", row.pillar.name] = tuple(value for _column, value in cells)
    return figures


def pdf_figures(content: bytes, page: presenters.ReportPage) -> dict[tuple, object]:
    raw = pdf_text(content, layout=False).replace("\f", "\n")  # a page starts a line
    figures: dict[tuple, object] = {}
    found = re.search(rf"Readiness index\n(\d+|—) / 100(?: ({CHANGE}))?", raw)
    figures["index",] = found.group(1)
    figures["index change",] = _change_in(found.group(2))
    headings = {section.pillar.name: section for section in page.pillars}
    starts = sorted(
        (match.start(), name)
        for name in headings
        for match in re.finditer(
            rf"^{re.escape(name)}(?: \w+ risk)?\n(?:Maturity|Withheld|Not)", raw, re.M
        )
    )
    ends = [start for start, _ in starts[1:]] + [raw.index("\nPerspectives\n", starts[-1][0])]
    for (start, name), end in zip(starts, ends, strict=True):
        section_text = raw[start:end]
        found = re.search(rf"Maturity\n(\d+) / 100(?:\n({CHANGE}))?", section_text)
        if found:
            figures["pillar", name] = found.group(1)
            figures["pillar change", name] = _change_in(found.group(2))
            evidenced = re.search(r"\nEvidenced\n(withheld|\d+)", section_text)
            if evidenced:
                figures["evidenced", name] = evidenced.group(1)
        figures["target", name] = _target(re.search(rf"Target\s{TARGET}", section_text))
        flat = _flat(section_text)
        for row in headings[name].questions:
            text = row.question.text
            after = flat[flat.index(" ".join(text.split())) + len(text) :]
            found = re.search(rf"(\d+|—) ({CHANGE}|new|—)", after)
            value, change = found.groups()
            figures["question", text] = value
            figures["question change", text] = "new" if change == "new" else _change_in(change)
    perspectives = raw[raw.index("\nPerspectives\n") :]
    if page.heatmap.rows:
        figures |= _heat_rows(pdf_text(content), page)
    flat = _flat(perspectives)
    for gap in page.gaps:
        found = re.search(rf"{re.escape(gap.pillar)}: [^.]*?(\d+) points?", flat)
        figures["gap", gap.pillar] = found.group(1)
    if page.movement:
        moved = raw[raw.index("What moved since") : raw.index("questions asked both times changed")]
        value = r"(\d+|—)"
        found = re.search(
            rf"Readiness index(?: on the questions asked both times)? {value} {value} "
            rf"({CHANGE}|—)",
            _flat(moved),
        )
        figures["moved", "index"] = (found.group(1), found.group(2), _change_in(found.group(3)))
        for item in page.movement.pillars:
            found = re.search(
                rf"^{re.escape(item.name)}(?: \([^)]*\))? {value} {value} ({CHANGE}|—)", moved, re.M
            )
            figures["moved", item.name] = (
                found.group(1),
                found.group(2),
                _change_in(found.group(3)),
            )
    return figures


def docx_figures(content: bytes, page: presenters.ReportPage) -> dict[tuple, object]:
    document = Document(io.BytesIO(content))
    figures: dict[tuple, object] = {}
    names = {section.pillar.name: section for section in page.pillars}
    heading = ""
    after_heading: list = []
    tables_after: dict[str, list] = {}
    gaps = False
    for block in document.iter_inner_content():  # in document order
        if hasattr(block, "style") and block.style.name.startswith("Heading"):
            heading = block.text
            after_heading = tables_after.setdefault(heading, [])
            gaps = heading == "Largest perception gaps"
        elif hasattr(block, "rows"):
            after_heading.append(block)
        elif gaps and block.style.name == "List Bullet":
            pillar, _, words = block.text.partition(": ")
            figures["gap", pillar] = re.search(r"(\d+) points?", words).group(1)
        elif block.text.startswith("Target ") and heading.split(" — ")[0] in names:
            # Beside the pillar's figures: its target, then its evidenced maturity.
            name = heading.split(" — ")[0]
            figures["target", name] = _target(re.match(rf"Target {TARGET}", block.text))
            evidenced = re.search(EVIDENCED, block.text)
            if evidenced:
                figures["evidenced", name] = evidenced.group(1)
    # The summary's verdict and key figures sit beside its radar, in a layout table.
    key = tables_after["Executive summary"][0].rows[0].cells[0].text
    found = re.search(rf"Readiness index: (\d+|—) / 100(?:\s+({CHANGE}))?", key)
    figures["index",] = found.group(1)
    figures["index change",] = _change_in(found.group(2))
    for title, tables in tables_after.items():
        name = title.split(" — ")[0].removesuffix(" (continued)")
        if name in names:
            for table in tables:
                header = [cell.text for cell in table.rows[0].cells]
                if header[0] == "Maturity":
                    found = re.match(rf"(\d+) / 100\s*({CHANGE})?", table.rows[1].cells[0].text)
                    figures["pillar", name] = found.group(1)
                    figures["pillar change", name] = _change_in(found.group(2))
                elif header[0] == "Question":
                    for row in table.rows[1:]:
                        text, _answers, value, change = (cell.text for cell in row.cells)
                        text = text.split(" ⚑ ")[0]
                        figures["question", text] = value
                        figures["question change", text] = (
                            "new" if change == "new" else _change_in(change)
                        )
        elif title == "Perspectives":
            for row in tables[0].rows[1:]:
                cells = [cell.text for cell in row.cells]
                figures["heat", cells[0]] = tuple(
                    cell.split(" · ")[0] if cell[:1].isdigit() else "—" for cell in cells[1:]
                )
        elif title.startswith("What moved since"):
            for number, row in enumerate(tables[0].rows[1:]):
                name, before, now, change, _band = (cell.text for cell in row.cells)
                figures["moved", "index" if number == 0 else name] = (
                    before,
                    now,
                    _change_in(change),
                )
    return figures


def pptx_figures(content: bytes, page: presenters.ReportPage) -> dict[tuple, object]:
    """The deck prints the index and each pillar, and charts each question's score."""
    deck = Presentation(io.BytesIO(content))
    figures: dict[tuple, object] = {}
    names = {section.pillar.name: section for section in page.pillars}
    charted: dict[str, list] = {}
    for slide in deck.slides:
        title = slide.shapes.title.text if slide.shapes.title else ""
        texts = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        if title == "Executive summary":
            figures["index",] = re.search(r"Readiness index (\d+|—) / 100", texts).group(1)
            radar = charts[0].plots[0].categories
            values = charts[0].plots[0].series[0].values
            for name, value in zip(radar, values, strict=True):
                if names[name].pillar.assessed and not names[name].pillar.withheld:
                    figures["chart pillar", name] = _printed(value)
        name = title.split(" — ")[0].removesuffix(" (continued)")
        if name in names:
            found = re.search(rf"Maturity (\d+) / 100(?:\s+({CHANGE}))?", texts)
            if found and not title.endswith("(continued)"):
                figures["pillar", name] = found.group(1)
                figures["pillar change", name] = _change_in(found.group(2))
                evidenced = re.search(EVIDENCED, texts)
                if evidenced:
                    figures["evidenced", name] = evidenced.group(1)
            if not title.endswith("(continued)"):
                figures["target", name] = _target(re.search(rf"Target {TARGET}", texts))
            if charts:
                # A pillar's questions may run on over "(continued)" slides, in order.
                values = reversed(charts[0].plots[0].series[0].values)
                charted.setdefault(name, []).extend(values)
        if title.startswith("What moved since") and charts:
            plot = charts[0].plots[0]
            before, now = (series.values for series in plot.series)
            for name, previous, current in zip(plot.categories, before, now, strict=True):
                # Long names wrap on the chart's axis.
                figures["moved chart", " ".join(name.split())] = (
                    _printed(previous),
                    _printed(current),
                )
    for name, values in charted.items():
        # A bar for every question asked, and for every one withheld (empty).
        rows = [q for q in names[name].questions if q.question.asked or q.question.withheld]
        for row, value in zip(rows, values, strict=True):
            if row.question.asked:
                figures["question", row.question.text] = _printed(value)
    return figures


def xlsx_figures(content: bytes, page: presenters.ReportPage) -> dict[tuple, object]:
    book = load_workbook(io.BytesIO(content))
    figures: dict[tuple, object] = {}

    def value(cell) -> str:
        if cell is None or (isinstance(cell, str) and cell.startswith("withheld")):
            return "—"
        return str(cell)

    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    figures["index",] = value(summary["Readiness index (0–100)"])
    figures["index change",] = _from_delta(summary.get("Change of the readiness index"))
    for row in book["Pillars"].iter_rows(min_row=2, values_only=True):
        if isinstance(row[1], int):
            figures["pillar", row[0]] = str(row[1])
            figures["pillar change", row[0]] = _from_delta(row[11])
    texts = {row.question.code: row.question.text for s in page.pillars for row in s.questions}
    for row in book["Questions"].iter_rows(min_row=2, values_only=True):
        text = texts[row[1]]
        figures["question", text] = value(row[3])
        figures["question change", text] = "new" if row[-1] == "new" else _from_delta(row[-1])
    if "Perspectives" in book.sheetnames:
        for row in book["Perspectives"].iter_rows(min_row=2, values_only=True):
            figures["heat", row[0]] = tuple(value(cell) for cell in row[1:])
    return figures


# The assessments


def manager_client(organisation) -> Client:
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Role.MANAGER)
    client = Client()
    client.force_login(user)
    return client


def _answer_randomly(assessment: Assessment, rng: random.Random, count: int) -> None:
    questions = list(assessment.questionnaire.questions.all())
    perspectives = [choice for choice, _ in Perspective.choices]
    for _ in range(count):
        perspective = rng.choice(perspectives[:4])
        response = ResponseFactory(assessment=assessment, perspective=perspective)
        for question in questions:
            if not question.asked_of(perspective) or rng.random() < 0.1:
                continue
            level = None if rng.random() < 0.1 else rng.randint(0, 4)
            services.save_answer(
                response=response, question=question, level=level, dont_know=level is None
            )
        services.submit_response(response=response)


def random_assessment(seed: int) -> Assessment:
    """A baseline and a published follow-up on the bundled question bank, with random
    answers from a few perspectives and a random anonymity threshold."""
    rng = random.Random(seed)
    questionnaire = load_file(BUNDLED).questionnaire
    organisation = OrganisationFactory()
    threshold = rng.choice([3, 4])
    baseline = AssessmentFactory(
        organisation=organisation, questionnaire=questionnaire, anonymity_threshold=threshold
    )
    Assessment.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    _answer_randomly(baseline, rng, rng.randint(8, 12))
    services.close_assessment(assessment=baseline)
    current = AssessmentFactory(
        organisation=organisation, questionnaire=questionnaire, anonymity_threshold=threshold
    )
    _answer_randomly(current, rng, rng.randint(8, 16))
    publication.publish_results(assessment=current, published_by=None)
    return current


def _loaded(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.with_progress()
        .select_related("organisation", "questionnaire")
        .get(pk=assessment.pk)
    )


@pytest.fixture
def demo() -> Assessment:
    seed_demo()
    return _loaded(Assessment.objects.get(title="GenAI readiness before go-live"))


def _published_page(assessment: Assessment) -> presenters.ReportPage:
    results = published_results(assessment)
    return presenters.report_page(
        assessment,
        results,
        (),
        with_charts=False,
        previous_names=selectors.previous_names(assessment, results.report),
        previous_questionnaire=selectors.previous_questionnaire(assessment, results.report),
        plan=selectors.client_plan(assessment, timezone.localdate()),
    )


def assert_every_format_agrees(assessment: Assessment) -> None:
    page = _published_page(assessment)
    expected = expected_figures(page)
    client = manager_client(assessment.organisation)
    dashboard = client.get(
        reverse("reports:dashboard", args=[assessment.organisation.slug, assessment.pk])
    )
    shown_gaps = {("gap", gap.pillar) for gap in page.gaps[:3]}
    assert dashboard_figures(dashboard.content) == {
        key: value for key, value in expected.items() if key[0] != "gap" or key in shown_gaps
    }

    pdf = exporters.published_report_pdf(assessment).content
    assert pdf_figures(pdf, page) == expected

    assert docx_figures(exporters.report_docx(assessment).content, page) == expected

    deck = pptx_figures(exporters.report_pptx(assessment).content, page)
    in_charts = {
        **only(expected, {"index", "pillar", "pillar change", "target", "evidenced"}),
        **{
            ("chart pillar", key[1]): value for key, value in expected.items() if key[0] == "pillar"
        },
        **{
            key: value
            for key, value in expected.items()
            if key[0] == "question" and key in deck  # the deck charts questions asked
        },
    }
    if page.movement:
        in_charts |= {
            ("moved chart", item.name): (_printed(item.previous), _printed(item.current))
            for item in page.movement.pillars
            if item.status == "compared"
        }
    assert deck == in_charts
    asked = [
        ("question", row.question.text)
        for section in page.pillars
        for row in section.questions
        if row.question.asked
    ]
    assert all(key in deck for key in asked)

    workbook = exporters.published_figures_xlsx(assessment).content
    assert xlsx_figures(workbook, page) == only(
        expected,
        {"index", "index change", "pillar", "pillar change", "question", "question change", "heat"},
    )


def test_every_format_prints_the_dashboards_figures_for_the_demo(demo):
    assert_every_format_agrees(demo)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_format_prints_the_dashboards_figures_for_random_answers(seed):
    assert_every_format_agrees(_loaded(random_assessment(seed)))
