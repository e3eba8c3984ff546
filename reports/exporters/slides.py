"""Laying text out on 16:9 slides without a renderer: how tall a text will be, where a label
may wrap, and which paragraphs go onto which slide.

python-pptx cannot measure text, so the deck estimates it, erring on the large side: widths
are those of DejaVu Sans, the widest font the deck may be shown with (LibreOffice's stand-in
for Calibri when Calibri is missing). A text that would not fit continues on the next slide;
nothing is ever cut.
"""

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BODY = 14  # points: the smallest text anywhere on a slide, readable from the back of a room
HEADING = 18
TITLE = 28
INK = "212529"

EM_WIDTH = 0.54  # average width of a character, in ems, of DejaVu Sans in running text
BOLD_EM_WIDTH = 0.6
LINE_HEIGHT = 1.2  # of the font size
SPACE_AFTER = 4  # points after each paragraph
MARGIN = 0.2  # inches a text box keeps free left and right together
INCH = 72  # points


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box."""

    text: str
    size: int = BODY
    bold: bool = False
    colour: str = INK


def characters_per_line(width: float, size: int = BODY, *, bold: bool = False) -> int:
    """How many characters of running text fit on a line `width` inches wide."""
    em = BOLD_EM_WIDTH if bold else EM_WIDTH
    return max(1, int(width / (size / INCH * em)))


def wrap(text: str, characters: int) -> list[str]:
    """`text` broken into lines at spaces, never inside a word (a word longer than a line
    stays whole)."""
    return textwrap.wrap(text, characters, break_long_words=False, break_on_hyphens=False) or [""]


def rows_of(line: Line, width: float) -> int:
    """How many printed rows a paragraph takes in a box `width` inches wide."""
    characters = characters_per_line(width - MARGIN, line.size, bold=line.bold)
    return sum(len(wrap(part, characters)) for part in line.text.split("\n"))


def height_of(lines: Iterable[Line], width: float) -> float:
    """The height in inches of `lines` in a text box `width` inches wide, margins included."""
    points = sum(rows_of(line, width) * line.size * LINE_HEIGHT + SPACE_AFTER for line in lines)
    return points / INCH + 0.1


def paginate(
    blocks: Sequence[Sequence[Line]], width: float, heights: Sequence[float]
) -> list[list[Line]]:
    """`blocks` (paragraphs that stay together) onto pages: the first `heights[0]` inches
    tall, each further one `heights[-1]`. A block taller than a page gets one of its own."""
    pages: list[list[Line]] = [[]]
    for block in blocks:
        height = heights[min(len(pages) - 1, len(heights) - 1)]
        if pages[-1] and height_of([*pages[-1], *block], width) > height:
            pages.append([])
        pages[-1].extend(block)
    return pages


def rows_per_page(row_heights: Sequence[float], heights: Sequence[float]) -> list[range]:
    """Table rows onto pages: the indexes of the rows each page holds."""
    pages: list[range] = []
    start, used = 0, 0.0
    for index, row in enumerate(row_heights):
        height = heights[min(len(pages), len(heights) - 1)]
        if index > start and used + row > height:
            pages.append(range(start, index))
            start, used = index, 0.0
        used += row
    pages.append(range(start, len(row_heights)))
    return pages


def cell_height(cells: Sequence[Sequence[Line]], widths: Sequence[float]) -> float:
    """The height in inches of a table row, its tallest cell's: `cells` the paragraphs of
    each cell, `widths` the columns' in inches."""
    return (
        max(height_of(lines, width) - 0.1 for lines, width in zip(cells, widths, strict=True))
        + 0.07
    )
