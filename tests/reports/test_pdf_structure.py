"""The PDF report's structure tree (PDF/UA-1), read back with pikepdf: what a screen reader
reads, and what it skips as pagination or decoration."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Assessment
from reports import exporters
from tests.factories import AssessmentFactory
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
# WeasyPrint draws in CSS pixels, scaled by 0.75 to points.
POINTS_PER_FONT_UNIT = 0.75
WHITE = (1.0, 1.0, 1.0)
SYMBOLS = {"▲": "25B2", "▼": "25BC", "▶": "25B6", "⚑": "2691", "✕": "2715", "✓": "2713"}


@pytest.fixture
def follow_up(organisation, small_questionnaire):
    """A closed baseline and a follow-up whose scores moved, three responses each."""
    baseline = AssessmentFactory(
        organisation=organisation, questionnaire=small_questionnaire, title="Baseline"
    )
    Assessment.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    for _ in range(3):
        respond(baseline, 2)
    services.close_assessment(assessment=baseline)
    current = AssessmentFactory(
        organisation=organisation, questionnaire=small_questionnaire, title="Follow-up"
    )
    for level in (3, 1, 4):
        respond(
            current,
            {
                "data.inventory": level,
                "data.quality": 1,
                "data.rights": 4,
                "ethics.policy": 0,
                "ethics.gdpr": 2,
            },
        )
    return current


@pytest.fixture
def draft(follow_up):
    """The draft PDF of the follow-up, opened."""
    loaded = Assessment.objects.with_progress().select_related("organisation").get(pk=follow_up.pk)
    return pikepdf.open(io.BytesIO(exporters.draft_report_pdf(loaded).content))


def elements(pdf) -> list:
    """Every structure element reachable from the root, depth first."""
    found, waiting = [], list(reversed(list(_kids(pdf.Root.StructTreeRoot))))
    while waiting:
        element = waiting.pop()
        found.append(element)
        waiting.extend(reversed(list(_kids(element))))
    return found


def _kids(element) -> list:
    kids = element.get("/K", pikepdf.Array())
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [
        kid
        for kid in kids
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR" and "/S" in kid
    ]


def tagged_mcids(pdf) -> set[tuple[int, int]]:
    """(page index, MCID) of the marked content that a reachable element holds."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    held = set()
    for element in elements(pdf):
        kids = element.get("/K", pikepdf.Array())
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                held.add((pages[element.Pg.objgen], int(kid)))
    return held


def text_runs(pdf):
    """(page index, marked as, MCID or None, fill colour, font size in points) for each
    text shown on the pages; marked as "/Artifact", a tag with an MCID, or None."""
    for index, page in enumerate(pdf.pages):
        marks, size, fill = [], None, None
        for operands, operator in pikepdf.parse_content_stream(page):
            operator = str(operator)
            if operator in ("BMC", "BDC"):
                mcid = operands[1].get("/MCID") if operator == "BDC" else None
                marks.append((str(operands[0]), None if mcid is None else int(mcid)))
            elif operator == "EMC":
                marks.pop()
            elif operator == "rg":
                fill = tuple(round(float(value), 3) for value in operands)
            elif operator == "Tf":
                size = float(operands[1]) * POINTS_PER_FONT_UNIT
            elif operator in ("Tj", "TJ"):
                tag, mcid = marks[-1] if marks else (None, None)
                yield index, tag, mcid, fill, size


def test_all_text_is_either_in_the_structure_tree_or_an_artifact(draft):
    held = tagged_mcids(draft)

    runs = list(text_runs(draft))

    assert runs
    assert [run for run in runs if run[1] != "/Artifact" and run[:3:2] not in held] == []


def test_headers_footers_and_page_numbers_are_artifacts_on_every_page(draft):
    artifacts = {page for page, tag, *_ in text_runs(draft) if tag == "/Artifact"}

    # The cover has its footer; every later page its header too.
    assert artifacts == set(range(len(draft.pages)))
    assert all(kid.S != "/NonStruct" for kid in _kids(draft.Root.StructTreeRoot.K))


def test_the_parent_tree_holds_only_what_the_pages_mark(draft):
    nums = draft.Root.StructTreeRoot.ParentTree.Nums
    marked = {(page, mcid) for page, _, mcid, *_ in text_runs(draft) if mcid is not None}

    for index in range(len(draft.pages)):
        parents = nums[2 * index + 1]
        assert {(index, mcid) for mcid in range(len(parents))} >= {
            item for item in marked if item[0] == index
        }
        assert all(parent.get("/S") for parent in parents)


def test_the_draft_watermark_is_a_page_background_not_text(draft):
    sizes = [size for _, tag, _, _, size in text_runs(draft) if tag != "/Artifact"]

    assert max(sizes) < 40  # the old 96 pt "DRAFT" in the text, once per page
    for page in draft.pages:
        assert "/Artifact" in drawn_images(page), "the watermark, drawn as the background"


def drawn_images(page) -> list[str]:
    """What each image or form drawn on the page is marked as."""
    marks, drawn = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        operator = str(operator)
        if operator in ("BMC", "BDC"):
            marks.append(str(operands[0]))
        elif operator == "EMC":
            marks.pop()
        elif operator == "Do":
            drawn.append(marks[-1] if marks else None)
    return drawn


def test_nothing_is_printed_below_9_points(draft):
    sizes = [run[-1] for run in text_runs(draft)]

    assert min(sizes) >= 9 - 0.01


def test_no_table_is_a_layout_table_without_headers(draft):
    tables = [element for element in elements(draft) if element.S == "/Table"]

    assert tables
    for table in tables:
        assert any(element.S == "/TH" for element in _descendants(table))


def test_every_figure_has_alternative_text(draft):
    figures = [element for element in elements(draft) if element.S == "/Figure"]

    assert figures
    assert [element for element in figures if not str(element.get("/Alt", "")).strip()] == []
    # The answer bars' key says its levels.
    assert {"L0", "L4", "?"} <= {str(element.get("/Alt", "")) for element in figures}


def test_symbols_are_images_with_words_or_decoration_never_glyphs(draft):
    figures = [element for element in elements(draft) if element.S == "/Figure"]
    alternatives = {str(element.get("/Alt", "")) for element in figures}
    mapped = b"".join(
        font.ToUnicode.read_bytes()
        for page in draft.pages
        for font in page.Resources.Font.values()
        if "/ToUnicode" in font
    ).upper()

    assert {"up", "down"} <= alternatives
    assert [symbol for symbol, code in SYMBOLS.items() if code.encode() in mapped] == []


def test_a_table_across_pages_is_one_table_with_its_header_once(db):
    rows = "".join(f'<tr><th scope="row">Row {n}</th><td>{n}</td></tr>' for n in range(120))
    html = (
        '<html lang="en"><head><title>Long</title></head><body><table>'
        '<thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></body></html>"
    )

    pdf = pikepdf.open(io.BytesIO(exporters.render_pdf(html)))

    assert len(pdf.pages) > 2
    tables = [element for element in elements(pdf) if element.S == "/Table"]
    assert len(tables) == 1
    parts = [str(part.S) for part in _kids(tables[0])]
    assert parts == ["/THead", "/TBody"]
    body_rows = _kids(_kids(tables[0])[1])
    assert len(body_rows) == 120
    header_ids = {str(cell.ID) for cell in _descendants(_kids(tables[0])[0]) if "/ID" in cell}
    cells = [cell for cell in _descendants(tables[0]) if cell.S == "/TD"]
    assert len(cells) == 120
    assert all({str(h) for h in cell.A.Headers} & header_ids for cell in cells), (
        "every cell names the one header row"
    )


def _descendants(element) -> list:
    found, waiting = [], list(_kids(element))
    while waiting:
        kid = waiting.pop()
        found.append(kid)
        waiting.extend(_kids(kid))
    return found


def test_the_cover_has_no_white_text(draft):
    white = [run for run in text_runs(draft) if run[0] == 0 and run[3] == WHITE]

    assert white == []


def test_images_under_their_hashed_production_names_are_served(db, tmp_path, settings):
    """With collected static files (hashed names), the arrows' `{% static %}` URLs name the
    collected copies: the PDF still finds them."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "arrow-up.0123abcd.png").write_bytes(b"\x89PNG collected")

    served = exporters._static_fetcher()(
        exporters.PDF_BASE_URL + "static/img/arrow-up.0123abcd.png"
    )

    assert served.read() == b"\x89PNG collected"


def test_a_process_that_rendered_a_pdf_exits_cleanly(tmp_path):
    """The fonts kept between renders are let go before the interpreter shuts down: freed
    later, they crashed the process on exit (`seed_demo`, whose publication renders the
    PDF, `render_report`, the task worker)."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    for command in (["migrate", "-v0"], ["seed_demo"]):
        # Our own management commands with this interpreter: nothing untrusted runs.
        finished = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=PROJECT,
            env=environment,
            capture_output=True,
            check=False,
        )
        assert finished.returncode == 0, (command, finished.stderr.decode()[-2000:])
