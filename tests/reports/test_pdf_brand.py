"""The consultancy's brand on the reports: on the PDF its name in every page's header, its
logo on the cover, its contact line; on the Word report and the deck its colour, logo and
contact line; the product's own without a profile."""

import shutil
import subprocess
from io import BytesIO

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation

from accounts.branding import save_consultancy_profile
from accounts.models import ConsultancyProfile
from assessments.results import publication
from reports import exporters
from reports.exporters.pdf import BRAND_LOGO_URL
from reports.models import RenderedReport
from tests.reports.conftest import pdf_text, respond

pytestmark = pytest.mark.django_db

CONTACT = "readiness@initrode.example · +41 44 123 45 67"


def png(size=(300, 80)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (15, 94, 78)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def published(threshold_three):
    for _ in range(3):
        respond(threshold_three, 3)
    publication.publish_results(assessment=threshold_three, published_by=None)
    return threshold_three


@pytest.fixture
def initrode():
    return save_consultancy_profile(
        profile=ConsultancyProfile(
            name="Initrode Consulting",
            contact_line=CONTACT,
            primary_colour="0F5E4E",
            accent_colour="C8691C",
            logo=png(),
            logo_type="image/png",
        )
    )


def images_of(content: bytes, tmp_path) -> list[list[str]]:
    """`pdfimages -list`: page, number, type, width, height… of each picture in the PDF."""
    tool = shutil.which("pdfimages") or pytest.skip("pdfimages is missing: poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    output = subprocess.run([tool, "-list", str(path)], capture_output=True, check=True)  # noqa: S603
    return [line.split() for line in output.stdout.decode().splitlines()[2:]]


def test_every_page_header_names_the_consultancy_and_the_cover_its_contact(published, initrode):
    text = pdf_text(exporters.published_report_pdf(published).content)
    pages = text.split("\f")[:-1]

    assert all(page.lstrip().startswith(("Initrode Consulting", "Acme")) for page in pages)
    assert [page.count("Initrode Consulting") >= 1 for page in pages] == [True] * len(pages)
    assert f"Initrode Consulting · {CONTACT}" in pages[0]
    assert "GenAI Readiness\n" not in text


def test_the_cover_shows_the_logo(published, initrode, tmp_path):
    images = images_of(exporters.published_report_pdf(published).content, tmp_path)

    # page 1, the first picture, an image of the logo's size
    assert [row[:5] for row in images] == [["1", "0", "image", "300", "80"]]


def test_the_fetcher_serves_the_logo_from_the_database(initrode):
    fetched = exporters._static_fetcher()(BRAND_LOGO_URL)

    assert fetched.read() == bytes(initrode.logo)
    assert fetched.headers["Content-Type"] == "image/png"


def test_without_a_profile_the_pdf_is_the_products_own(published, settings, tmp_path):
    settings.CONSULTANCY_NAME = ""

    content = exporters.published_report_pdf(published).content

    assert pdf_text(content).split("\f")[1].rstrip().splitlines()[0].endswith("GenAI Readiness")
    assert images_of(content, tmp_path) == []


def test_a_new_brand_renders_the_pdf_again(published, initrode):
    before = exporters.published_report_pdf(published)
    initrode.name = "Initrode Partners"
    save_consultancy_profile(profile=initrode)

    after = exporters.published_report_pdf(published)

    assert "Initrode Partners" in pdf_text(after.content)
    assert after.content != before.content
    assert RenderedReport.objects.filter(assessment=published).count() == 1


# Word and the deck


def test_the_word_report_carries_the_consultancys_colour_logo_and_contact(published, initrode):
    document = Document(BytesIO(exporters.report_docx(published).content))

    assert str(document.styles["Heading 1"].font.color.rgb) == "0F5E4E"
    assert len(document.inline_shapes) >= 1  # the logo on the cover, before the charts
    assert document.inline_shapes[0].type is not None
    assert CONTACT in [paragraph.text for paragraph in document.paragraphs]


def test_the_deck_carries_the_consultancys_colour_logo_and_contact(published, initrode):
    deck = Presentation(BytesIO(exporters.report_pptx(published).content))

    cover = deck.slides[0]
    pictures = [shape for shape in cover.shapes if shape.shape_type == 13]  # PICTURE
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ["Initrode Consulting"]
    title = cover.shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title.font.color.rgb) == "0F5E4E"
    assert CONTACT in "\n".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)


def test_without_a_profile_the_files_keep_the_products_colour(published):
    document = Document(BytesIO(exporters.report_docx(published).content))
    deck = Presentation(BytesIO(exporters.report_pptx(published).content))

    assert str(document.styles["Heading 1"].font.color.rgb) == "1B3A6B"
    title = deck.slides[0].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title.font.color.rgb) == "1B3A6B"
    assert not [shape for shape in deck.slides[0].shapes if shape.shape_type == 13]
