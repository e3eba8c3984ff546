"""`manage.py render_report`: the PDF report from the command line."""

import pytest
from django.core.management import CommandError, call_command
from pptx import Presentation

from assessments.demo import seed_demo
from assessments.models import Assessment
from tests.reports.conftest import embedded_fonts, pdf_info, pdf_text, respond

pytestmark = pytest.mark.django_db

PILLARS = [
    "Data foundation",
    "Realistic expectations",
    "Skills and talent",
    "Ethics, legal and governance",
    "Organisational readiness",
    "Delivery methodology",
]
PORTUGUESE_PILLARS = [
    "Fundamentos de dados",
    "Expectativas realistas",
    "Competências e talento",
    "Ética, aspetos legais e governação",
    "Preparação organizacional",
    "Metodologia de execução",
]


def test_demo_report_is_a_tagged_a4_pdf_with_every_pillar_the_verdict_and_the_method(tmp_path):
    seed_demo()
    target = tmp_path / "report.pdf"

    call_command("render_report", "--demo", "-o", str(target))

    info = pdf_info(target)
    assert info["Tagged"] == "yes"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert int(info["Pages"]) >= 8
    text = pdf_text(target.read_bytes())
    for pillar in PILLARS:
        assert pillar in text
    demo = Assessment.objects.get(organisation__slug="acme-insurance", status="open")
    verdict = {"ready": "Ready", "ready_with_conditions": "Ready with conditions"}.get(
        demo.snapshots.first().report["result"]["verdict"], "Not ready"
    )
    assert verdict in text
    assert "Executive summary" in text
    pages = text.split("\f")
    # The executive summary keeps to one page: the next section starts on the next page.
    assert "Executive summary" in pages[1]
    assert "What moved since “GenAI pilot baseline”" in pages[2]
    assert "Action plan" in text
    assert "Appendix: method" in text
    assert "Suppression rule" in text
    assert embedded_fonts(target) == {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}


def test_demo_report_in_portuguese_keeps_its_summary_to_one_page(tmp_path):
    seed_demo()
    target = tmp_path / "relatorio.pdf"

    call_command("render_report", "--demo", "--language", "pt", "-o", str(target))

    info = pdf_info(target)
    assert info["Title"].startswith("Relatório de prontidão para GenAI")
    pages = pdf_text(target.read_bytes()).split("\f")
    assert "Resumo executivo" in pages[1]
    assert "O que mudou desde “GenAI pilot baseline”" in pages[2]
    text = "".join(pages)
    for pillar in PORTUGUESE_PILLARS:
        assert pillar in text
    assert "Não está pronto" in text
    assert "Anexo: método" in text
    assert "Executive summary" not in text


def test_demo_deck_with_format_pptx(tmp_path):
    seed_demo()
    target = tmp_path / "deck.pptx"

    call_command("render_report", "--demo", "--format", "pptx", "--draft", "-o", str(target))

    slides = list(Presentation(target).slides)
    assert slides[1].shapes.title.text == "Executive summary"
    assert slides[-1].shapes.title.text == "Next steps"


def test_draft_of_an_assessment_by_id(tmp_path, threshold_three, capsys):
    respond(threshold_three, 2)
    target = tmp_path / "draft.pdf"

    call_command("render_report", str(threshold_three.pk), "--draft", "-o", str(target))

    assert "DRAFT · live figures, not published" in pdf_text(target.read_bytes())
    assert capsys.readouterr().out.startswith(f"{target} (")


def test_without_a_publication_the_command_says_what_to_do(threshold_three):
    respond(threshold_three, 2)

    with pytest.raises(CommandError, match="Nothing of “Spring check” is published yet"):
        call_command("render_report", str(threshold_three.pk))


def test_an_unknown_assessment_is_an_error(db):
    with pytest.raises(CommandError, match="There is no assessment with id 999"):
        call_command("render_report", "999")


def test_demo_without_demo_data_says_how_to_make_it(db):
    with pytest.raises(CommandError, match=r"run `python manage\.py seed_demo` first"):
        call_command("render_report", "--demo")


def test_an_id_or_demo_is_needed(db):
    with pytest.raises(CommandError, match="Give an assessment id, or --demo"):
        call_command("render_report")
