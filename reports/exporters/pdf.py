"""The PDF report: a function returning `(filename, content_type, bytes)` per kind.

Views and the `render_report` command only send or save what these return. PDFs are
rendered by WeasyPrint from `templates/reports/pdf/report.html` and kept in the database
by a fingerprint of their inputs (`RenderedReport`), so that a repeat download is read, not
rendered, and new data gives a new file.
"""

import atexit
import functools
import gc
import logging
import re
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.branding import brand
from assessments import services
from assessments.models import Assessment
from assessments.results import live
from assessments.results.access import VisibleResults, live_results, published_results

from .. import presenters, selectors
from ..fingerprints import pdf_fingerprint
from ..models import RenderedReport
from .base import Export, export_filename
from .pdf_structure import tidy_structure

PDF = "application/pdf"
PDF_TEMPLATE = "reports/pdf/report.html"
PDF_STYLESHEET = "css/report-pdf.css"
# Relative URLs in the PDF's HTML resolve against this; the fetcher serves only our own
# static files under it, and refuses every other address.
PDF_BASE_URL = "https://report.invalid/"
INDENTATION = re.compile(r">\s*\n\s*<")
# The consultancy's logo, from the database (accounts.branding), served by the fetcher.
BRAND_LOGO_URL = f"{PDF_BASE_URL}brand/logo"


def report_filename(assessment: Assessment, day: date, *, draft: bool = False) -> str:
    """acme-insurance_genai-readiness-before-go-live_2026-11-26.pdf (…_draft.pdf)."""
    return export_filename(assessment, day, "pdf", draft=draft)


def published_report_pdf(assessment: Assessment) -> Export | None:
    """The PDF of the latest published results, rendered now if it is not stored yet; None
    while nothing is published."""
    job = published_report_job(assessment)
    return job and (job.stored() or job.render())


def draft_report_pdf(assessment: Assessment) -> Export | None:
    """The consultant's PDF of the live figures, "Draft" on every page; None before the
    first submitted response."""
    job = draft_report_job(assessment)
    return job and (job.stored() or job.render())


def published_report_job(assessment: Assessment) -> "ReportJob | None":
    """The PDF of the latest published results, to read or render; None while nothing is
    published."""
    snapshot = assessment.latest_snapshot(with_report=False)
    if snapshot is None:
        return None
    # The method appendix says how many respondents were erased since the publication.
    erased = services.erasures_since(assessment, snapshot.published_at)
    return ReportJob(
        assessment,
        figures=f"snapshot:{snapshot.pk}:erased:{erased}",
        rows=selectors.shared_comment_rows(assessment, snapshot),
        plan=selectors.client_plan(assessment, timezone.localdate()),
        day=timezone.localdate(snapshot.published_at),
        draft=False,
        results=lambda: published_results(assessment),
    )


def draft_report_job(assessment: Assessment) -> "ReportJob | None":
    """The PDF of the live figures, to read or render; None before the first submitted
    response."""
    inputs = live.live_inputs(assessment)
    if not inputs["responses"]["count"]:
        return None
    return ReportJob(
        assessment,
        figures=f"live:{live.digest('live', inputs)}",
        rows=selectors.shared_comment_rows(assessment, None),
        plan=selectors.client_plan(assessment, timezone.localdate()),
        day=timezone.localdate(),
        draft=True,
        results=lambda: live_results(assessment),
    )


class ReportJob:
    """One PDF as its inputs make it: read from the store, or rendered and stored.

    Its fingerprint covers what a repeat download reads (no scoring, no stored report
    parsed): the figures (snapshot id or live fingerprint), the shared comments as stored,
    the client's plan (targets, and actions with what is overdue today), what the cover
    prints, the language and the template version.
    """

    def __init__(
        self,
        assessment: Assessment,
        *,
        figures: str,
        rows: list,
        plan: selectors.Plan,
        day: date,
        draft: bool,
        results: Callable[[], VisibleResults],
    ):
        self.assessment, self.rows, self.day, self.draft = assessment, rows, day, draft
        self.plan, self.results = plan, results
        contact = assessment.contact
        cover = [
            assessment.organisation.name,
            assessment.title,
            day.isoformat(),
            str(contact) if contact else "",
            contact.email if contact else "",
            # A draft prints how many were invited; a publication only what it counted.
            assessment.invited_count if draft else None,
            brand().fingerprint,
        ]
        self.fingerprint = pdf_fingerprint(
            figures=figures, quotes=rows, plan=asdict(plan), cover=cover, draft=draft
        )

    def stored(self) -> Export | None:
        """The stored PDF of these inputs, in one query; None if none is stored yet."""
        stored = RenderedReport.objects.filter(fingerprint=self.fingerprint).values_list(
            "filename", "content"
        )
        for filename, content in stored:
            return Export(filename, PDF, bytes(content))
        return None

    def render(self) -> Export:
        """Render the PDF and store it, in place of the assessment's older one of its kind."""
        assessment = self.assessment
        visible = self.results()
        quotes = selectors.shared_quotes(assessment, visible, self.rows)
        page = presenters.report_page(
            assessment,
            visible,
            quotes,
            # Drawn 92 mm and 45 mm wide: their labels print at 9 pt.
            radar_size=340,
            bar_width=150,
            for_print=True,
            previous_names=selectors.previous_names(assessment, visible.report),
            previous_questionnaire=selectors.previous_questionnaire(assessment, visible.report),
            plan=self.plan,
        )
        html = render_to_string(
            PDF_TEMPLATE,
            {
                "assessment": assessment,
                "organisation": assessment.organisation,
                "page": page,
                "result": page.result,
                "draft": self.draft,
                "day": self.day,
                "contact": assessment.contact,
                "brand": brand(),
                "brand_logo_url": BRAND_LOGO_URL,
                "language": get_language() or settings.LANGUAGE_CODE,
            },
        )
        export = Export(
            report_filename(assessment, self.day, draft=self.draft),
            PDF,
            render_pdf(html, watermark=_("DRAFT") if self.draft else ""),
        )
        try:
            with transaction.atomic():
                RenderedReport.objects.create(
                    fingerprint=self.fingerprint,
                    assessment=assessment,
                    draft=self.draft,
                    filename=export.filename,
                    content=export.content,
                )
                # Keep the latest PDF of each kind only: an older one may print a comment
                # that is no longer shared.
                RenderedReport.objects.filter(assessment=assessment, draft=self.draft).exclude(
                    fingerprint=self.fingerprint
                ).delete()
        except IntegrityError:
            pass  # the same PDF was stored by another request meanwhile
        return export


def _static_fetcher(charts: Mapping[str, bytes] | None = None):
    """A WeasyPrint URL fetcher that serves this report's charts, the consultancy's logo and
    our own static files, and refuses every other address: nothing from the network or the
    file system."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base = urlsplit(PDF_BASE_URL)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    charts = charts or {}
    logo = brand().logo

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url in charts:
                return URLFetcherResponse(url, charts[url], {"Content-Type": "image/svg+xml"})
            if url == BRAND_LOGO_URL and logo:
                return URLFetcherResponse(url, logo.content, {"Content-Type": logo.content_type})
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not (
                parts.path.startswith(static_prefix)
            ):
                raise ValueError(f"The PDF report may load our static files only, not {url}")
            name = parts.path.removeprefix(static_prefix)
            relative = name and not name.startswith("/") and ".." not in name.split("/")
            path = (finders.find(name) or _collected(name)) if relative else None
            if not path:
                raise ValueError(f"No static file {name}")
            with open(path, "rb") as file:
                return URLFetcherResponse(url, file.read(), _content_type(name))

    # It never opens a connection: a bare TLS context spares loading the system's
    # certificates (a tenth of a second) that urllib's default one would.
    return StaticFilesOnly(ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


SVG_CHART = re.compile(r'<svg [^>]*class="(chart [^"]*)"[^>]*>.*?</svg>', re.S)
SVG_TEXT = re.compile(r"<(title|desc) id=\"[^\"]*\">([^<]*)</\1>")
SVG_LABEL = re.compile(r"<text[^>]*>([^<]+)</text>")


def charts_as_images(html: str) -> tuple[str, dict[str, bytes]]:
    """Each inline chart of the page becomes an image the fetcher serves, with the chart's
    title and description as its alternative text.

    The same SVG, drawn the same way; but WeasyPrint's HTML parser and style cascade no
    longer walk every rectangle and label of forty charts (about half the render time), and
    the tagged PDF gets a figure with alternative text for each. The markup is ours
    (`reports.charts`), its texts already escaped, so they can go into the attribute as
    they are.
    """
    charts: dict[str, bytes] = {}

    def image(match: re.Match) -> str:
        url = f"{PDF_BASE_URL}charts/{len(charts) + 1}.svg"
        charts[url] = match.group(0).encode()
        # A legend's key has no title: its label ("L2") says what it is.
        alt = " ".join(text for _, text in SVG_TEXT.findall(match.group(0))) or " ".join(
            SVG_LABEL.findall(match.group(0))
        )
        return f'<img class="{match.group(1)}" src="{url}" alt="{alt}">'

    return SVG_CHART.sub(image, html), charts


def _collected(name: str) -> str | None:
    """The path of a file collected for serving: with hashed names in production, a
    `{% static %}` URL names a collected copy that no finder knows."""
    return staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None


def _content_type(name: str) -> dict[str, str]:
    kinds = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return {"Content-Type": kinds.get(suffix, "application/octet-stream")}


WATERMARK_URL = f"{PDF_BASE_URL}draft-watermark.svg"


def watermark_svg(text: str) -> bytes:
    """A large, faint word across the page, drawn as the pages' background: an artifact
    that a screen reader skips, not text read out on every page."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297"><text x="105" y="160" text-anchor="middle" '
        'font-family="DejaVu Sans" font-weight="bold" font-size="34" letter-spacing="3" '
        'fill="#b3261e" fill-opacity="0.09" transform="rotate(-35 105 150)">'
        f"{escape(text)}</text></svg>"
    ).encode()


# One font configuration per process: loading Fontconfig's fonts and warming Pango's caches
# anew took a good part of each render. Pango's font maps are not for two threads at once,
# hence the lock (a threaded development server; the task worker renders one at a time).
_fonts_lock = threading.Lock()


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet(watermark: bool):
    """Our report stylesheet, parsed once per process (restart to see an edit); with
    `watermark`, the rule that draws the draft's watermark on every page."""
    from weasyprint import CSS

    if watermark:
        css = f'@page {{ background: url("{WATERMARK_URL}") center / cover no-repeat }}'
        return CSS(string=css, font_config=_font_config())
    return CSS(
        filename=finders.find(PDF_STYLESHEET),
        # Its url(…)s resolve where the fetcher serves our static files.
        base_url=urljoin(PDF_BASE_URL, settings.STATIC_URL + PDF_STYLESHEET),
        url_fetcher=_static_fetcher(),
        font_config=_font_config(),
    )


@atexit.register
def _release_fonts() -> None:
    """Let go of the fonts while the interpreter still runs: freed during its shutdown,
    after the libraries behind them, they crashed the process on exit."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()
    gc.collect()


def render_pdf(html: str, *, watermark: str = "") -> bytes:
    """A4, tagged (PDF/UA-1) PDF of `html`, with our report stylesheet, and `watermark`
    across every page if given."""
    # WeasyPrint's page-by-page progress is noise in a server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # It takes about half a second to import: only the first PDF pays for it.
    from weasyprint import HTML

    # One line break where the template indents: less for WeasyPrint's parser to read.
    html, charts = charts_as_images(INDENTATION.sub(">\n<", html))
    if watermark:
        charts[WATERMARK_URL] = watermark_svg(watermark)
    fetcher = _static_fetcher(charts)
    with _fonts_lock:
        stylesheets = [_stylesheet(watermark=False)]
        if watermark:
            stylesheets.append(_stylesheet(watermark=True))
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(
            stylesheets=stylesheets,
            font_config=_font_config(),
            pdf_variant="pdf/ua-1",
            finisher=tidy_structure,
        )
