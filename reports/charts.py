"""Server-rendered SVG charts for the dashboard and the PDF report.

Pure functions: plain numbers and labels in, SVG markup out, so the HTML page and the
WeasyPrint PDF draw the same picture. Rules the markup keeps:

- every text is escaped: elements are built by ``_el`` only, which escapes every attribute
  value and every child that is not already safe markup;
- no ``style`` attribute and no ``<style>`` element (the Content-Security-Policy forbids
  inline styles): presentation attributes only;
- WeasyPrint clips anything outside the ``viewBox`` and does not reliably inherit the page
  font, so labels are measured (estimated) and laid out inside it, and the root sets
  ``font-family``;
- colour never carries meaning alone: series also differ by dash pattern and marker shape,
  distribution segments show their counts, and ``<desc>`` states every figure in words;
- the same input gives the same string: ids are derived from a hash of the input.
"""

import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from assessments.scoring import MAX_LEVEL

from .figures import score
from .palette import (
    DONT_KNOW_BACKGROUND,
    DONT_KNOW_LINES,
    DONT_KNOW_TEXT,
    LEVEL_COLOURS,
    LEVEL_TEXT,
)

__all__ = ["Series", "distribution_bar", "level_swatch", "line_chart", "radar"]

FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
SCALE_MAX = 100.0

# Brand and risk colours, as in static/css/app.css.
BRAND = "#1b3a6b"
BRAND_ACCENT = "#3d7be0"
TEXT = "#212529"
MUTED_TEXT = "#5c636a"  # 6:1 on white
GRID = "#d9dde3"
AXIS = "#aab1bb"
OUTLINE = "#6c757d"
TARGET = "#1e7b4f"  # the low-risk green: 5.4:1 on white


@dataclass(frozen=True)
class _SeriesStyle:
    colour: str
    dasharray: str | None
    marker: str  # "circle" | "square" | "diamond"
    area_fill: str | None  # radar polygon fill, drawn semi-transparent


SERIES_STYLES = {
    "current": _SeriesStyle(BRAND, None, "circle", BRAND_ACCENT),
    "previous": _SeriesStyle(BRAND_ACCENT, "6 4", "square", None),
    "benchmark": _SeriesStyle(MUTED_TEXT, "2 3", "diamond", None),
    # Dash-dot and a hollow triangle: the goal, told from the figures without its colour.
    "target": _SeriesStyle(TARGET, "8 3 2 3", "triangle", None),
}


@dataclass(frozen=True)
class Series:
    """One line or polygon of a chart.

    ``values`` run from 0 to 100, one per radar axis or line-chart point; ``None`` means
    there is no figure (not assessed, or withheld under the anonymity threshold) and is
    never drawn as 0. ``kind`` decides colour, dash pattern and marker shape.
    """

    label: str
    values: Sequence[float | None]
    kind: str = "current"

    def __post_init__(self) -> None:
        if self.kind not in SERIES_STYLES:
            raise ValueError(f"Unknown series kind {self.kind!r}: use one of {list(SERIES_STYLES)}")
        for value in self.values:
            if value is not None and not 0 <= value <= SCALE_MAX:
                raise ValueError(f"Series {self.label!r}: {value!r} is outside 0..100")


# --- markup helpers ---------------------------------------------------------------------


def _n(number: float) -> str:
    """A coordinate rounded to one decimal, without a trailing ".0" or a "-0"."""
    rounded = round(number, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text.removesuffix(".0")


def _escape(value: object) -> str:
    """``conditional_escape`` without its lazy-string wrapping: a page holds thousands of
    these elements, and this is the hot loop of the dashboard."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value), quote=True)


def _el(tag: str, attrs: dict[str, object], *children: str) -> SafeString:
    """One element; attribute values and plain-``str`` children are escaped.

    Attributes come sorted, as ``flatatt`` writes them, so the markup does not depend on
    the order they are given in.
    """
    attributes = "".join(
        f' {key}="{_escape(value)}"' for key, value in sorted(attrs.items()) if value is not None
    )
    if not children:
        return SafeString(f"<{tag}{attributes}/>")
    return SafeString(f"<{tag}{attributes}>{_join(children)}</{tag}>")


def _join(parts: Iterable[str]) -> SafeString:
    return SafeString("".join(_escape(part) for part in parts))


def _chart_ids(kind: str, *inputs: object) -> tuple[str, str]:
    """Ids for ``<title>`` and ``<desc>``: a hash of the input, so charts with different data
    on one page never share an id and the same input always gives the same markup."""
    digest = hashlib.blake2s(repr((kind, *inputs)).encode(), digest_size=6).hexdigest()
    return f"chart-{kind}-{digest}-title", f"chart-{kind}-{digest}-desc"


def _svg(
    *,
    kind: str,
    ids: tuple[str, str],
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Iterable[str],
) -> SafeString:
    title_id, desc_id = ids
    return _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": f"chart chart-{kind}",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "width": _n(width),
            "height": _n(height),
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT_FAMILY,
        },
        _el("title", {"id": title_id}, title),
        _el("desc", {"id": desc_id}, desc),
        *body,
    )


def _value_words(value: float | None) -> str:
    """The figure as the tables beside the chart print it."""
    if value is None:
        return gettext("no figure")
    return str(score(value))


def _text_width(text: str, font_size: float) -> float:
    """Estimated width of a line of text; DejaVu Sans averages a little under 0.6 em."""
    return len(text) * font_size * 0.58


def _wrap(text: str, max_chars: int) -> list[str]:
    """Greedy word wrap; a single word longer than ``max_chars`` keeps its own line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _multiline_text(
    lines: Sequence[str],
    *,
    x: float,
    top: float,
    font_size: float,
    anchor: str,
    fill: str = TEXT,
) -> SafeString:
    """A ``<text>`` whose lines are ``<tspan>``s; ``top`` is the top of the first line."""
    tspans = [
        _el(
            "tspan",
            {"x": _n(x), "dy": _n(font_size * 0.9 if i == 0 else font_size * 1.2)},
            line,
        )
        for i, line in enumerate(lines)
    ]
    return _el(
        "text",
        {"x": _n(x), "y": _n(top), "font-size": _n(font_size), "text-anchor": anchor, "fill": fill},
        *tspans,
    )


def _marker(style: _SeriesStyle, x: float, y: float) -> SafeString:
    if style.marker == "circle":
        return _el(
            "circle",
            {"class": "marker", "cx": _n(x), "cy": _n(y), "r": "3.5", "fill": style.colour},
        )
    if style.marker == "square":
        # Hollow, so a square on top of a filled circle still shows both.
        return _el(
            "rect",
            {
                "class": "marker",
                "x": _n(x - 3.5),
                "y": _n(y - 3.5),
                "width": "7",
                "height": "7",
                "fill": "#ffffff",
                "stroke": style.colour,
                "stroke-width": "1.5",
            },
        )
    if style.marker == "triangle":
        # Hollow like the square: the filled markers under it stay visible.
        corners = ((x, y - 5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5))
        return _el(
            "polygon",
            {
                "class": "marker",
                "points": _points(corners),
                "fill": "#ffffff",
                "stroke": style.colour,
                "stroke-width": "1.5",
            },
        )
    points = (
        f"{_n(x)},{_n(y - 4.5)} {_n(x + 4.5)},{_n(y)} {_n(x)},{_n(y + 4.5)} {_n(x - 4.5)},{_n(y)}"
    )
    return _el("polygon", {"class": "marker", "points": points, "fill": style.colour})


def _line_attrs(style: _SeriesStyle) -> dict[str, object]:
    return {
        "fill": "none",
        "stroke": style.colour,
        "stroke-width": "2",
        "stroke-dasharray": style.dasharray,
        "stroke-linejoin": "round",
    }


def _points(coords: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)


def _runs(values: Sequence[float | None], *, cyclic: bool) -> list[list[int]]:
    """Indexes of consecutive present values; on a radar the last run may wrap to the first."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(index)
    if current:
        runs.append(current)
    if cyclic and len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == len(values) - 1:
        runs[0] = runs.pop() + runs[0]
    return runs


LEGEND_FONT = 12.0
LEGEND_ROW = 20.0
LEGEND_SAMPLE = 26.0


def _legend(
    series: Sequence[Series], *, width: float, top: float, margin: float
) -> tuple[SafeString, float]:
    """Legend rows under a chart, centred, wrapping when the entries do not fit one row."""
    entries = [(item, LEGEND_SAMPLE + 6 + _text_width(item.label, LEGEND_FONT)) for item in series]
    gap = 18.0
    rows: list[list[tuple[Series, float]]] = [[]]
    used = 0.0
    for entry in entries:
        extra = entry[1] + (gap if rows[-1] else 0)
        if rows[-1] and used + extra > width - 2 * margin:
            rows.append([])
            extra, used = entry[1], 0.0
        rows[-1].append(entry)
        used += extra
    parts: list[str] = []
    for row_index, row in enumerate(rows):
        row_width = sum(w for _, w in row) + gap * (len(row) - 1)
        x = max(margin, (width - row_width) / 2)
        y = top + row_index * LEGEND_ROW + LEGEND_ROW / 2
        for item, entry_width in row:
            style = SERIES_STYLES[item.kind]
            parts.append(
                _el(
                    "line",
                    {"x1": _n(x), "y1": _n(y), "x2": _n(x + LEGEND_SAMPLE), "y2": _n(y)}
                    | _line_attrs(style),
                )
            )
            parts.append(_marker(style, x + LEGEND_SAMPLE / 2, y))
            parts.append(
                _el(
                    "text",
                    {
                        "x": _n(x + LEGEND_SAMPLE + 6),
                        "y": _n(y + LEGEND_FONT * 0.35),
                        "font-size": _n(LEGEND_FONT),
                        "fill": TEXT,
                    },
                    item.label,
                )
            )
            x += entry_width + gap
    return _el("g", {"class": "legend"}, *parts), sum(LEGEND_ROW for row in rows if row)


def _check_lengths(series: Sequence[Series], expected: int, what: str) -> None:
    for item in series:
        if len(item.values) != expected:
            raise ValueError(
                f"Series {item.label!r} has {len(item.values)} values for {expected} {what}"
            )


# --- radar --------------------------------------------------------------------------------

RADAR_RINGS = (25, 50, 75, 100)
RADAR_LABEL_FONT = 12.0
RADAR_NOTE_FONT = 10.0
RADAR_RING_FONT = 12.0
RADAR_LABEL_CHARS = 16
RADAR_LABEL_GAP = 8.0
RADAR_MARGIN = 4.0


def _missing_note(index: int, series: Sequence[Series]) -> str | None:
    missing = [item for item in series if item.values[index] is None]
    if not missing:
        return None
    if len(missing) == len(series):
        return gettext("(no figure)")
    return "(no " + " or ".join(item.kind for item in missing) + " figure)"


def radar(
    axes: Sequence[str], series: Sequence[Series], *, title: str, size: int = 420
) -> SafeString:
    """A radar (spider) chart of 0–100 scores, one axis per pillar, up to four series.

    ``size`` is the width; rings sit at 25/50/75/100. Axis labels wrap onto several lines
    and the radius is the largest at which every label still fits inside the width; the
    height is then whatever the chart, its labels and the legend below need. A ``None``
    value breaks the series' outline at that axis, and the axis label says "(no figure)".
    """
    if len(axes) < 3:
        raise ValueError("A radar needs at least three axes")
    _check_lengths(series, len(axes), "axes")
    ids = _chart_ids("radar", tuple(axes), _series_key(series), title, size)
    count = len(axes)
    directions = [
        (_clean(math.cos(angle)), _clean(math.sin(angle)))
        for angle in (-math.pi / 2 + 2 * math.pi * i / count for i in range(count))
    ]
    labels = [_radar_label(index, name, series) for index, name in enumerate(axes)]

    # The radius: the largest at which every label box, pushed outwards from its axis end,
    # stays inside the width.
    cx = size / 2
    reach_limits = [cx - RADAR_MARGIN - RADAR_LABEL_GAP]
    for (cos, _), (_, box_width, _) in zip(directions, labels, strict=True):
        reach = box_width if _anchor(cos) != "middle" else box_width / 2
        if cos:
            reach_limits.append((cx - RADAR_MARGIN - reach) / abs(cos))
    radius = max(min(reach_limits) - RADAR_LABEL_GAP, size * 0.15)
    distance = radius + RADAR_LABEL_GAP

    # The height: from the highest label top to the lowest label bottom, plus the legend.
    tops = [
        distance * sin - box_height * (1 - sin) / 2
        for (_, sin), (_, _, box_height) in zip(directions, labels, strict=True)
    ]
    bottoms = [top + box_height for top, (_, _, box_height) in zip(tops, labels, strict=True)]
    cy = RADAR_MARGIN + max(radius, -min(tops))
    chart_bottom = cy + max(radius, *bottoms) + RADAR_MARGIN

    def point(index: int, value: float) -> tuple[float, float]:
        cos, sin = directions[index]
        length = radius * value / SCALE_MAX
        return cx + length * cos, cy + length * sin

    grid = [
        _el(
            "polygon",
            {
                "class": "ring",
                "data-value": ring,
                "points": _points(point(i, ring) for i in range(count)),
                "fill": "none",
                "stroke": AXIS if ring == RADAR_RINGS[-1] else GRID,
                "stroke-width": "1",
            },
        )
        for ring in RADAR_RINGS
    ]
    grid.extend(
        _el(
            "line",
            {
                "class": "axis",
                "x1": _n(cx),
                "y1": _n(cy),
                "x2": _n(point(index, SCALE_MAX)[0]),
                "y2": _n(point(index, SCALE_MAX)[1]),
                "stroke": GRID,
                "stroke-width": "1",
            },
        )
        for index in range(count)
    )

    drawn = []
    for item in series:
        style = SERIES_STYLES[item.kind]
        coords = {i: point(i, v) for i, v in enumerate(item.values) if v is not None}
        runs = _runs(item.values, cyclic=True)
        if len(coords) == count:
            shapes = [
                _el(
                    "polygon",
                    {"points": _points(coords[i] for i in range(count))}
                    | _line_attrs(style)
                    | {
                        "fill": style.area_fill or "none",
                        "fill-opacity": "0.2" if style.area_fill else None,
                    },
                )
            ]
        else:
            # A missing figure is a gap in the outline, never a dip to the centre.
            shapes = [
                _el("polyline", {"points": _points(coords[i] for i in run)} | _line_attrs(style))
                for run in runs
                if len(run) > 1
            ]
        shapes.extend(_marker(style, *coords[i]) for i in sorted(coords))
        drawn.append(_el("g", {"class": f"series series-{item.kind}"}, *shapes))

    # Scale numbers go on top of the series, with a white halo drawn as a separate text
    # underneath (paint-order is not something every renderer honours). They sit halfway
    # between the first two axes, where no marker is, rather than crowding the markers on
    # an axis near the centre.
    between = -math.pi / 2 + math.pi / count
    ring_labels = []
    for ring in RADAR_RINGS:
        length = radius * ring / SCALE_MAX
        attrs = {
            "x": _n(cx + length * math.cos(between)),
            "y": _n(cy + length * math.sin(between) + RADAR_RING_FONT * 0.35),
            "font-size": _n(RADAR_RING_FONT),
            "text-anchor": "middle",
        }
        ring_labels.append(
            _el(
                "text",
                attrs | {"fill": "#ffffff", "stroke": "#ffffff", "stroke-width": "3"},
                str(ring),
            )
        )
        ring_labels.append(_el("text", attrs | {"fill": MUTED_TEXT}, str(ring)))

    axis_labels = []
    for (cos, _), top, (lines, _, _) in zip(directions, tops, labels, strict=True):
        x = cx + distance * cos
        tspans = []
        for i, (text, font) in enumerate(lines):
            attrs: dict[str, object] = {"x": _n(x), "dy": _n(font * 0.9 if i == 0 else font * 1.2)}
            if font != RADAR_LABEL_FONT:
                attrs |= {"font-size": _n(font), "fill": MUTED_TEXT}
            tspans.append(_el("tspan", attrs, text))
        axis_labels.append(
            _el(
                "text",
                {
                    "class": "axis-label",
                    "x": _n(x),
                    "y": _n(cy + top),
                    "font-size": _n(RADAR_LABEL_FONT),
                    "text-anchor": _anchor(cos),
                    "fill": TEXT,
                },
                *tspans,
            )
        )

    legend, legend_height = _legend(series, width=size, top=chart_bottom, margin=RADAR_MARGIN)
    return _svg(
        kind="radar",
        ids=ids,
        width=size,
        height=chart_bottom + legend_height + RADAR_MARGIN,
        title=title,
        desc=_radar_desc(axes, series),
        body=[
            _el("g", {"class": "grid"}, *grid),
            *drawn,
            _el("g", {"class": "scale"}, *ring_labels),
            *axis_labels,
            legend,
        ],
    )


def _radar_label(
    index: int, name: str, series: Sequence[Series]
) -> tuple[list[tuple[str, float]], float, float]:
    """An axis label's lines (text, font size), and the width and height of its box."""
    lines = [(line, RADAR_LABEL_FONT) for line in _wrap(name, RADAR_LABEL_CHARS)]
    note = _missing_note(index, series)
    if note:
        note_chars = int(RADAR_LABEL_CHARS * RADAR_LABEL_FONT / RADAR_NOTE_FONT)
        lines.extend((line, RADAR_NOTE_FONT) for line in _wrap(note, note_chars))
    box_width = max(_text_width(text, font) for text, font in lines)
    box_height = sum(font * 1.2 for _, font in lines)
    return lines, box_width, box_height


def _radar_desc(axes: Sequence[str], series: Sequence[Series]) -> str:
    per_axis = [
        f"{axis}: " + ", ".join(f"{item.label} {_value_words(item.values[i])}" for item in series)
        for i, axis in enumerate(axes)
    ]
    return gettext("Scores from 0 to 100.") + " " + "; ".join(per_axis) + "."


def _clean(number: float) -> float:
    """cos/sin of multiples of 90° come out as 6e-17; treat them as the zero they are."""
    return 0.0 if abs(number) < 1e-9 else number


def _anchor(cos: float) -> str:
    if cos > 0.25:
        return "start"
    if cos < -0.25:
        return "end"
    return "middle"


def _series_key(series: Sequence[Series]) -> tuple[object, ...]:
    return tuple((item.label, tuple(item.values), item.kind) for item in series)


# --- distribution bar ---------------------------------------------------------------------


def distribution_bar(
    counts: Sequence[int],
    *,
    dont_know: int = 0,
    title: str,
    width: int = 240,
    height: int = 18,
    tooltips: bool = True,
) -> SafeString:
    """A horizontal stacked bar: how many respondents chose each level, then "don't know".

    ``counts`` holds one count per level, 0 to ``MAX_LEVEL``. Segments run from critical
    (level 0) to low (the top level), "don't know" last, hatched; every level keeps its
    place, an empty one with no width, so that bars line up from one question to the next.
    A segment wide enough names its level and count ("L2: 5"), a narrower one its count
    only. With no answers at all the bar is an empty outline. ``tooltips``: a ``<title>``
    per segment for pointing at it on a screen; paper has no pointer, and a PDF with forty
    bars renders faster without them (``<desc>`` states every count anyway).
    """
    if len(counts) != MAX_LEVEL + 1:
        raise ValueError(f"Expected {MAX_LEVEL + 1} counts (levels 0–{MAX_LEVEL}), got {counts!r}")
    if any(count < 0 for count in counts) or dont_know < 0:
        raise ValueError("Counts cannot be negative")
    ids = _chart_ids("distribution", tuple(counts), dont_know, title, width, height, tooltips)
    hatch_id = ids[0].replace("-title", "-hatch")
    segments = [
        (
            gettext("Level %(level)s") % {"level": level},
            f"L{level}",
            count,
            LEVEL_COLOURS[level],
            LEVEL_TEXT[level],
        )
        for level, count in enumerate(counts)
    ]
    segments.append((gettext("Don't know"), "?", dont_know, f"url(#{hatch_id})", DONT_KNOW_TEXT))
    total = sum(segment[2] for segment in segments)
    font_size = max(8.0, min(11.0, height * 0.62))

    body = [_hatch(hatch_id)] if dont_know else []
    running = 0
    for name, short, count, fill, text_fill in segments if total else ():
        # Edges from the running total, so rounding never leaves a gap or an overlap.
        x0 = width * running / total
        running += count
        x1 = width * running / total
        rect = _el(
            "rect",
            {
                "class": "segment",
                "data-count": count,
                "x": _n(x0),
                "y": "0",
                "width": _n(x1 - x0),
                "height": _n(height),
                "fill": fill,
            },
            *([_el("title", {}, f"{name}: {count}")] if tooltips and count else []),
        )
        body.append(rect)
        words = _segment_label(short, count, font_size, x1 - x0)
        if words and short == "?":
            # The hatching would cross the letters: they sit on a white patch of their own.
            patch = _text_width(words, font_size) + 2
            body.append(
                _el(
                    "rect",
                    {
                        "x": _n((x0 + x1 - patch) / 2),
                        "y": _n(height * 0.15),
                        "width": _n(patch),
                        "height": _n(height * 0.7),
                        "fill": DONT_KNOW_BACKGROUND,
                    },
                )
            )
        if words:
            body.append(
                _el(
                    "text",
                    {
                        "x": _n((x0 + x1) / 2),
                        "y": _n(height / 2 + font_size * 0.35),
                        "font-size": _n(font_size),
                        "text-anchor": "middle",
                        "fill": text_fill,
                    },
                    words,
                )
            )
    body.append(
        _el(
            "rect",
            {
                "class": "outline",
                "x": "0.5",
                "y": "0.5",
                "width": _n(width - 1),
                "height": _n(height - 1),
                "fill": "none",
                "stroke": OUTLINE,
                "stroke-width": "1",
            },
        )
    )
    if total:
        desc = (
            ", ".join(f"{name}: {count}" for name, _, count, _, _ in segments)
            + f". {total} answer{'s' if total != 1 else ''} in all."
        )
    else:
        desc = gettext("No answers yet.")
    return _svg(
        kind="distribution",
        ids=ids,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=body,
    )


def _segment_label(short: str, count: int, font_size: float, room: float) -> str:
    """ "L2: 5" where it fits, else "5", else nothing; an empty level says nothing."""
    if not count:
        return ""
    for words in (f"{short}: {count}", str(count)):
        if _text_width(words, font_size) + 4 <= room:
            return words
    return ""


def _hatch(pattern_id: str) -> SafeString:
    """Grey diagonal lines on white: "don't know", which is no level and no lightness step."""
    return _el(
        "defs",
        {},
        _el(
            "pattern",
            {
                "id": pattern_id,
                "patternUnits": "userSpaceOnUse",
                "width": "6",
                "height": "6",
            },
            _el("rect", {"width": "6", "height": "6", "fill": DONT_KNOW_BACKGROUND}),
            _el(
                "path",
                {"d": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", "stroke": DONT_KNOW_LINES},
            ),
        ),
    )


def level_swatch(level: int | None, *, size: int = 16) -> SafeString:
    """A legend's key for one level, or for "don't know" with ``None``: the segment as the
    bars draw it, with the same label inside. Decorative: the legend says it in words."""
    if level is None:
        pattern_id = f"swatch-hatch-{size}"
        fill, words, text_fill = f"url(#{pattern_id})", "?", DONT_KNOW_TEXT
    else:
        fill, words, text_fill = LEVEL_COLOURS[level], f"L{level}", LEVEL_TEXT[level]
    width = size * 2
    under_text = []
    if level is None:
        patch = {"x": _n(width * 0.3), "y": _n(size * 0.15), "width": _n(width * 0.4)}
        patch |= {"height": _n(size * 0.7), "fill": DONT_KNOW_BACKGROUND}
        under_text = [_hatch(pattern_id), _el("rect", patch)]
    return _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart swatch",
            "viewBox": f"0 0 {width} {size}",
            "width": width,
            "height": size,
            "aria-hidden": "true",
            "font-family": FONT_FAMILY,
        },
        _el(
            "rect",
            {
                "x": "0.5",
                "y": "0.5",
                "width": width - 1,
                "height": size - 1,
                "fill": fill,
                "stroke": OUTLINE,
            },
        ),
        *under_text,
        _el(
            "text",
            {
                "x": _n(width / 2),
                "y": _n(size / 2 + size * 0.22),
                "font-size": _n(size * 0.62),
                "text-anchor": "middle",
                "fill": text_fill,
            },
            words,
        ),
    )


# --- line chart ---------------------------------------------------------------------------

LINE_TICKS = (0, 25, 50, 75, 100)
LINE_FONT = 10.0
LINE_MARGIN_LEFT = 30.0
LINE_MARGIN_RIGHT = 10.0
LINE_MARGIN_TOP = 14.0


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
) -> SafeString:
    """Scores (0–100) across assessments over time, one point per label.

    ``width`` × ``height`` holds the plot and its axis labels; with more than one series a
    legend is added below, so the SVG grows taller. A ``None`` value leaves a gap in the
    line. With a single series each point is labelled with its value.
    """
    if not labels:
        raise ValueError("A line chart needs at least one label")
    _check_lengths(series, len(labels), "labels")
    ids = _chart_ids("line", tuple(labels), _series_key(series), title, width, height)
    count = len(labels)
    plot_left = LINE_MARGIN_LEFT
    plot_width = width - LINE_MARGIN_LEFT - LINE_MARGIN_RIGHT
    step = plot_width / count
    max_chars = max(4, int((step - 4) / (LINE_FONT * 0.58)))
    wrapped = [_fit_lines(label, max_chars, max_lines=2) for label in labels]
    label_lines = max(len(lines) for lines in wrapped)
    plot_top = LINE_MARGIN_TOP
    plot_bottom = height - 8 - label_lines * LINE_FONT * 1.2

    def x_at(index: int) -> float:
        return plot_left + step * (index + 0.5)

    def y_at(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / SCALE_MAX

    body = []
    for tick in LINE_TICKS:
        y = y_at(tick)
        body.append(
            _el(
                "line",
                {
                    "class": "gridline",
                    "x1": _n(plot_left),
                    "y1": _n(y),
                    "x2": _n(plot_left + plot_width),
                    "y2": _n(y),
                    "stroke": AXIS if tick == 0 else GRID,
                    "stroke-width": "1",
                },
            )
        )
        body.append(
            _el(
                "text",
                {
                    "x": _n(plot_left - 5),
                    "y": _n(y + LINE_FONT * 0.35),
                    "font-size": _n(LINE_FONT),
                    "text-anchor": "end",
                    "fill": MUTED_TEXT,
                },
                str(tick),
            )
        )
    for index, lines in enumerate(wrapped):
        body.append(
            _multiline_text(
                lines,
                x=x_at(index),
                top=plot_bottom + 5,
                font_size=LINE_FONT,
                anchor="middle",
                fill=TEXT,
            )
        )

    show_values = len(series) == 1
    for item in series:
        style = SERIES_STYLES[item.kind]
        coords = {i: (x_at(i), y_at(v)) for i, v in enumerate(item.values) if v is not None}
        shapes = [
            _el("polyline", {"points": _points(coords[i] for i in run)} | _line_attrs(style))
            for run in _runs(item.values, cyclic=False)
            if len(run) > 1
        ]
        shapes.extend(_marker(style, *coords[i]) for i in sorted(coords))
        if show_values:
            shapes.extend(
                _el(
                    "text",
                    {
                        "x": _n(x),
                        "y": _n(y - 8),
                        "font-size": _n(LINE_FONT),
                        "text-anchor": "middle",
                        "fill": TEXT,
                    },
                    _n(item.values[i]),
                )
                for i, (x, y) in sorted(coords.items())
            )
        body.append(_el("g", {"class": f"series series-{item.kind}"}, *shapes))

    total_height = float(height)
    if len(series) > 1:
        legend, legend_height = _legend(series, width=width, top=height, margin=4)
        body.append(legend)
        total_height += legend_height + 4
    desc = (
        gettext("Scores from 0 to 100.")
        + " "
        + "; ".join(
            f"{item.label}: "
            + ", ".join(
                f"{label} {_value_words(value)}"
                for label, value in zip(labels, item.values, strict=True)
            )
            for item in series
        )
        + "."
    )
    return _svg(
        kind="line",
        ids=ids,
        width=width,
        height=total_height,
        title=title,
        desc=desc,
        body=body,
    )


def _fit_lines(text: str, max_chars: int, *, max_lines: int) -> list[str]:
    """Wrap ``text``; past ``max_lines`` lines cut it short with an ellipsis (``<desc>`` keeps
    the full label)."""
    lines = _wrap(text, max_chars)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max_chars - 1].rstrip() + "…"
    return [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines]
