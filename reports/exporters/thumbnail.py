"""A small picture of a document's cover for the file's thumbnail, which file explorers
and Office's "Open" dialogue show: the title and organisation on the brand's band, the
verdict in its colour, and the pillars' maturity as a radar.

Drawn with Pillow (already there for python-pptx), imported only when a file is made.
"""

import io
import math

from django.utils.translation import gettext as _

from assessments.labels import label

from .documents import MUTED, VERDICT_COLOURS, Document, radar_series
from .metadata import PRODUCT_NAME

GRID = "#d9dde3"
TEXT = "#212529"


def cover_thumbnail(document: Document, *, width: int, height: int) -> bytes:
    """A JPEG of `width` × `height` pixels: about 256 on the long side, as Office makes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    unit = min(width, height) / 100
    band = round(34 * unit)
    draw.rectangle((0, 0, width, band), fill=f"#{document.brand.primary}")
    small = ImageFont.load_default(size=max(7, round(5 * unit)))
    large = ImageFont.load_default(size=max(9, round(8 * unit)))
    margin = round(5 * unit)
    draw.text((margin, margin), PRODUCT_NAME, font=small, fill="#c9d6ea")
    y = margin + round(8 * unit)
    for line in _wrapped(draw, document.assessment.title, large, width - 2 * margin)[:2]:
        draw.text((margin, y), line, font=large, fill="white")
        y += round(10 * unit)
    draw.text((margin, band + margin), document.assessment.organisation.name, font=small, fill=TEXT)
    verdict = document.page.result.verdict
    colour = VERDICT_COLOURS.get(verdict.value if verdict else "", MUTED)
    words = label("verdict", verdict) if verdict else _("No verdict yet")
    landscape = width > height
    right = width * 0.55 if landscape else width - margin
    top = band + margin + round(8 * unit)
    draw.rectangle((margin, top, right, top + round(11 * unit)), fill=f"#{colour}")
    draw.text((margin * 2, top + round(2 * unit)), words, font=small, fill="white")
    if document.draft:
        draw.text((width - margin * 6, margin), _("DRAFT"), font=small, fill="#ffb4ab")
    if landscape:
        centre = ((right + width) / 2, (band + height) / 2)
        radius = min(width - right, height - band) / 2 - margin
    else:
        below = top + round(13 * unit)
        centre, radius = (width / 2, (below + height) / 2), (height - below) / 2 - margin
    _radar(draw, document, centre, radius)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _wrapped(draw, text: str, font, room: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _radar(draw, document: Document, centre: tuple[float, float], radius: float) -> None:
    pillars = document.page.result.pillars
    if len(pillars) < 3 or radius <= 0:
        return
    x, y = centre

    def point(index: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(pillars)
        return x + radius * share * math.cos(angle), y + radius * share * math.sin(angle)

    for share in (0.5, 1.0):
        draw.polygon([point(i, share) for i in range(len(pillars))], outline=GRID)
    values = radar_series(document.page, document.brand)[0].values
    shape = [point(i, (value or 0) / 100) for i, value in enumerate(values)]
    draw.polygon(shape, fill="#c9d6ea", outline=f"#{document.brand.primary}", width=2)
