import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from reports.charts import Series, distribution_bar, level_swatch, line_chart, radar
from reports.palette import LEVEL_COLOURS

SVG = "{http://www.w3.org/2000/svg}"
PILLARS = [
    "Data foundation",
    "Realistic expectations",
    "Skills and talent",
    "Ethics, legal and governance",
    "Organisational readiness",
    "Delivery methodology",
]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - the markup is our own, built in the test


def points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in element.get("points").split()]


def series_group(root: ET.Element, kind: str) -> ET.Element:
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == f"series series-{kind}"]
    return group


def markers(group: ET.Element) -> list[ET.Element]:
    return [el for el in group if el.get("class") == "marker"]


def marker_centre(marker: ET.Element) -> tuple[float, float]:
    if marker.tag == f"{SVG}circle":
        return float(marker.get("cx")), float(marker.get("cy"))
    if marker.tag == f"{SVG}rect":
        return float(marker.get("x")) + 3.5, float(marker.get("y")) + 3.5
    xs, ys = zip(*points(marker), strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def ring(root: ET.Element, value: int) -> list[tuple[float, float]]:
    (polygon,) = [
        p
        for p in root.iter(f"{SVG}polygon")
        if p.get("class") == "ring" and p.get("data-value") == str(value)
    ]
    return points(polygon)


def centre(root: ET.Element) -> tuple[float, float]:
    axis = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "axis")
    return float(axis.get("x1")), float(axis.get("y1"))


def text_of(element: ET.Element) -> str:
    return " ".join(part.strip() for part in element.itertext() if part.strip())


def three_series_radar_series() -> list[Series]:
    return [
        Series("This assessment", [62, 71.5, 40, 100, 55, 33]),
        Series("Previous (Mar 2026)", [48, 60, 45, 70, 50, 20], kind="previous"),
        Series("Benchmark (7 organisations)", [55, 58, 52, 61, 50, 47], kind="benchmark"),
    ]


def three_series_radar(**overrides):
    kwargs = {
        "axes": PILLARS,
        "series": three_series_radar_series(),
        "title": "Pillar maturity",
    } | overrides
    return radar(kwargs.pop("axes"), kwargs.pop("series"), **kwargs)


def sample_distribution(**overrides):
    kwargs = {"counts": [1, 2, 3, 4, 0], "dont_know": 2, "title": "Who owns the data?"} | overrides
    return distribution_bar(kwargs.pop("counts"), **kwargs)


def sample_line_chart(**overrides):
    kwargs = {
        "labels": ["Mar 2025", "Sep 2025", "Mar 2026", "Sep 2026", "Mar 2027"],
        "series": [Series("Readiness index", [38, 45.5, None, 62, 70])],
        "title": "Readiness index over time",
    } | overrides
    return line_chart(kwargs.pop("labels"), kwargs.pop("series"), **kwargs)


CHARTS = {
    "radar": three_series_radar,
    "distribution": sample_distribution,
    "line": sample_line_chart,
}
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'too'"


def hostile_chart(kind: str) -> str:
    if kind == "radar":
        return three_series_radar(
            axes=[HOSTILE, *PILLARS[1:]],
            series=[Series(HOSTILE, [10, 20, 30, 40, 50, 60])],
            title=HOSTILE,
        )
    if kind == "distribution":
        return sample_distribution(title=HOSTILE)
    return sample_line_chart(
        labels=[HOSTILE, "Sep 2025"],
        series=[Series(HOSTILE, [10, 20]), Series("Benchmark", [30, 40], kind="benchmark")],
        title=HOSTILE,
    )


# --- every chart ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_is_a_safe_string(kind):
    assert isinstance(CHARTS[kind](), SafeString)


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_root_is_an_svg_image_with_viewbox_size_and_font(kind):
    root = parse(CHARTS[kind]())

    _, _, width, height = root.get("viewBox").split()
    assert (root.tag, root.get("role")) == (f"{SVG}svg", "img")
    assert (root.get("width"), root.get("height")) == (width, height)
    assert root.get("font-family") == "DejaVu Sans, Liberation Sans, Arial, sans-serif"


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_is_labelled_by_its_title_and_desc(kind):
    root = parse(CHARTS[kind]())

    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_has_no_style_attribute_style_element_or_script(kind):
    markup = hostile_chart(kind)
    root = parse(markup)

    assert [el for el in root.iter() if "style" in el.attrib] == []
    assert [el.tag for el in root.iter() if el.tag in {f"{SVG}style", f"{SVG}script"}] == []


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_escapes_labels_and_title(kind):
    markup = hostile_chart(kind)
    root = parse(markup)

    assert "<script>" not in markup
    assert root.find(f"{SVG}title").text == HOSTILE


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_ids_differ_between_two_charts(kind):
    first = parse(CHARTS[kind]())
    second = parse(CHARTS[kind](title="Another chart"))

    first_ids = {el.get("id") for el in first.iter() if el.get("id")}
    second_ids = {el.get("id") for el in second.iter() if el.get("id")}
    assert first_ids & second_ids == set()


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_same_input_gives_the_same_markup(kind):
    assert str(CHARTS[kind]()) == str(CHARTS[kind]())


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_coordinates_have_at_most_one_decimal(kind):
    markup = str(CHARTS[kind]())

    assert re.findall(r"\d+\.\d{2,}", markup) == []


# --- Series ---------------------------------------------------------------------------


def test_series_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="Unknown series kind 'forecast'"):
        Series("Forecast", [50], kind="forecast")


def test_series_rejects_a_value_above_100():
    with pytest.raises(ValueError, match=r"outside 0\.\.100"):
        Series("This assessment", [100.5])


# --- radar ----------------------------------------------------------------------------


def test_radar_draws_one_polygon_per_series():
    root = parse(three_series_radar())

    outlines = [
        [el.tag for el in series_group(root, kind) if el.get("class") != "marker"]
        for kind in ("current", "previous", "benchmark")
    ]
    assert outlines == [[f"{SVG}polygon"]] * 3


def test_radar_value_100_lands_on_the_outer_ring():
    root = parse(three_series_radar())

    assert marker_centre(markers(series_group(root, "current"))[3]) == ring(root, 100)[3]


def test_radar_value_0_lands_at_the_centre():
    root = parse(radar(PILLARS, [Series("This assessment", [0, 50, 50, 50, 50, 50])], title="t"))

    assert marker_centre(markers(series_group(root, "current"))[0]) == centre(root)


def test_radar_value_50_lands_on_the_middle_ring():
    root = parse(radar(PILLARS, [Series("This assessment", [50, 50, 50, 50, 50, 50])], title="t"))

    assert points(series_group(root, "current")[0]) == ring(root, 50)


def test_radar_does_not_plot_none_as_zero():
    root = parse(radar(PILLARS, [Series("This assessment", [None, 50, 50, 50, 50, 50])], title="t"))

    centres = [marker_centre(m) for m in markers(series_group(root, "current"))]
    assert centres == ring(root, 50)[1:]


def test_radar_breaks_the_outline_at_a_none_value():
    root = parse(radar(PILLARS, [Series("This assessment", [80, 50, None, 50, 50, 50])], title="t"))

    group = series_group(root, "current")
    (outline,) = group.iterfind(f"{SVG}polyline")
    at_0, at_1, at_3, at_4, at_5 = (marker_centre(m) for m in markers(group))
    assert points(outline) == [at_3, at_4, at_5, at_0, at_1]


def test_radar_axis_label_says_no_figure_when_every_series_lacks_one():
    root = parse(radar(PILLARS, [Series("This assessment", [None, 1, 2, 3, 4, 5])], title="t"))

    labels = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"]
    assert labels[0] == "Data foundation (no figure)"


def test_radar_axis_label_names_the_series_that_lacks_a_figure():
    series = [
        Series("This assessment", [10, 20, 30, 40, 50, 60]),
        Series("Benchmark (7 organisations)", [None, 20, 30, 40, 50, 60], kind="benchmark"),
    ]
    root = parse(radar(PILLARS, series, title="t"))

    labels = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"]
    assert labels[0] == "Data foundation (no benchmark figure)"


def test_radar_wraps_long_axis_labels_onto_tspans():
    root = parse(three_series_radar())

    ethics = [t for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"][3]
    assert [tspan.text for tspan in ethics] == ["Ethics, legal", "and governance"]


def test_radar_axis_labels_fit_inside_the_viewbox():
    root = parse(three_series_radar())

    _, _, width, height = map(float, root.get("viewBox").split())
    for label in (t for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"):
        x, top = float(label.get("x")), float(label.get("y"))
        # Estimated width: DejaVu Sans at 12px averages under 0.58em a character.
        text_width = max(len(tspan.text) for tspan in label) * 12 * 0.58
        left = {"start": x, "middle": x - text_width / 2, "end": x - text_width}[
            label.get("text-anchor")
        ]
        assert left >= 0
        assert left + text_width <= width
        assert top >= 0
        assert top + 14.4 * len(label) <= height


def test_radar_series_differ_by_dash_pattern_and_marker_shape():
    root = parse(three_series_radar())

    styles = []
    for kind in ("current", "previous", "benchmark"):
        group = series_group(root, kind)
        styles.append(
            (group[0].get("stroke-dasharray"), {m.tag.removeprefix(SVG) for m in markers(group)})
        )
    assert styles == [(None, {"circle"}), ("6 4", {"rect"}), ("2 3", {"polygon"})]


def test_the_target_series_differs_from_the_others_without_its_colour():
    with_target = [
        *three_series_radar_series(),
        Series("Target", [80, 76, 76, 90, 76, 76], kind="target"),
    ]
    root = parse(three_series_radar(series=with_target))

    group = series_group(root, "target")
    shapes = {(m.tag.removeprefix(SVG), m.get("fill")) for m in markers(group)}
    assert (group[0].get("stroke-dasharray"), shapes) == ("8 3 2 3", {("polygon", "#ffffff")})
    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert [t.text for t in legend.iter(f"{SVG}text")][-1] == "Target"


def test_radar_fills_only_the_current_series():
    root = parse(three_series_radar())

    fills = [
        (series_group(root, kind)[0].get("fill"), series_group(root, kind)[0].get("fill-opacity"))
        for kind in ("current", "previous", "benchmark")
    ]
    assert fills == [("#3d7be0", "0.2"), ("none", None), ("none", None)]


def test_radar_labels_the_rings_25_to_100():
    root = parse(three_series_radar())

    (scale,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "scale"]
    assert [t.text for t in scale if t.get("fill") != "#ffffff"] == ["25", "50", "75", "100"]


def test_radar_legend_names_every_series():
    root = parse(three_series_radar())

    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "This assessment",
        "Previous (Mar 2026)",
        "Benchmark (7 organisations)",
    ]


def test_radar_desc_states_every_value_in_words():
    series = [
        Series("this assessment", [62, 71.5, None, 100, 55, 33]),
        Series("previous", [48, 60, 45, 70, 50, 20], kind="previous"),
    ]
    root = parse(radar(PILLARS, series, title="t"))

    assert root.find(f"{SVG}desc").text == (
        "Scores from 0 to 100. "
        "Data foundation: this assessment 62, previous 48; "
        "Realistic expectations: this assessment 72, previous 60; "
        "Skills and talent: this assessment no figure, previous 45; "
        "Ethics, legal and governance: this assessment 100, previous 70; "
        "Organisational readiness: this assessment 55, previous 50; "
        "Delivery methodology: this assessment 33, previous 20."
    )


def test_radar_rejects_a_series_with_the_wrong_number_of_values():
    with pytest.raises(ValueError, match="has 2 values for 6 axes"):
        radar(PILLARS, [Series("This assessment", [1, 2])], title="t")


# --- distribution bar -----------------------------------------------------------------


def segments(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "segment"]


def test_distribution_segment_widths_are_proportional_to_counts():
    root = parse(sample_distribution(counts=[1, 2, 3, 4, 0], dont_know=2, width=240))

    assert [(s.get("x"), s.get("width")) for s in segments(root)] == [
        ("0", "20"),
        ("20", "40"),
        ("60", "60"),
        ("120", "80"),
        ("200", "0"),
        ("200", "40"),
    ]


def test_distribution_keeps_every_level_in_place_with_no_width_when_empty():
    root = parse(sample_distribution(counts=[0, 3, 0, 1, 0], dont_know=0, width=240))

    assert [(s.get("data-count"), s.get("width")) for s in segments(root)] == [
        ("0", "0"),
        ("3", "180"),
        ("0", "0"),
        ("1", "60"),
        ("0", "0"),
        ("0", "0"),
    ]


def test_distribution_segments_run_from_critical_to_low_then_hatched():
    root = parse(sample_distribution(counts=[1, 1, 1, 1, 1], dont_know=1))
    (pattern,) = root.iter(f"{SVG}pattern")

    assert [s.get("fill") for s in segments(root)] == [
        *LEVEL_COLOURS,
        f"url(#{pattern.get('id')})",
    ]


def test_distribution_names_level_and_count_where_they_fit_else_the_count():
    root = parse(sample_distribution(counts=[6, 1, 0, 0, 0], dont_know=5, width=240))

    assert [t.text for t in root.iter(f"{SVG}text")] == ["L0: 6", "1", "?: 5"]


def test_distribution_labels_nothing_in_a_segment_too_narrow_for_its_count():
    root = parse(sample_distribution(counts=[30, 1, 0, 0, 0], dont_know=0, width=240))

    assert [t.text for t in root.iter(f"{SVG}text")] == ["L0: 30"]


def test_distribution_segments_carry_a_tooltip_with_their_count():
    root = parse(sample_distribution(counts=[0, 0, 5, 0, 0], dont_know=1))
    tooltips = [s.find(f"{SVG}title") for s in segments(root)]

    assert [t.text for t in tooltips if t is not None] == ["Level 2: 5", "Don't know: 1"]


def test_distribution_with_no_answers_draws_an_empty_outlined_bar():
    root = parse(sample_distribution(counts=[0, 0, 0, 0, 0], dont_know=0, width=240, height=18))

    (outline,) = root.iter(f"{SVG}rect")
    assert segments(root) == []
    assert (outline.get("class"), outline.get("width"), outline.get("height")) == (
        "outline",
        "239",
        "17",
    )
    assert root.find(f"{SVG}desc").text == "No answers yet."


def test_distribution_desc_states_every_count():
    root = parse(sample_distribution(counts=[1, 2, 3, 4, 0], dont_know=2))

    assert root.find(f"{SVG}desc").text == (
        "Level 0: 1, Level 1: 2, Level 2: 3, Level 3: 4, Level 4: 0, Don't know: 2. "
        "12 answers in all."
    )


@pytest.mark.parametrize(
    ("level", "fill", "words"), [(0, LEVEL_COLOURS[0], "L0"), (4, LEVEL_COLOURS[4], "L4")]
)
def test_level_swatch_draws_the_segment_with_its_label(level, fill, words):
    root = parse(level_swatch(level))

    assert (root.find(f"{SVG}rect").get("fill"), root.find(f"{SVG}text").text) == (fill, words)
    assert root.get("aria-hidden") == "true"


def test_level_swatch_of_dont_know_is_hatched():
    root = parse(level_swatch(None))
    (pattern,) = root.iter(f"{SVG}pattern")

    assert root.find(f"{SVG}rect").get("fill") == f"url(#{pattern.get('id')})"
    assert root.find(f"{SVG}text").text == "?"


def test_distribution_rejects_the_wrong_number_of_levels():
    with pytest.raises(ValueError, match="Expected 5 counts"):
        distribution_bar([1, 2, 3], title="t")


# --- line chart -----------------------------------------------------------------------


def gridline_y(root: ET.Element) -> list[float]:
    return [float(g.get("y1")) for g in root.iter(f"{SVG}line") if g.get("class") == "gridline"]


def test_line_chart_breaks_the_line_at_none():
    root = parse(sample_line_chart(series=[Series("Readiness index", [40, 50, None, 60, 70])]))

    lines = list(series_group(root, "current").iterfind(f"{SVG}polyline"))
    assert [len(points(line)) for line in lines] == [2, 2]


def test_line_chart_marks_every_point_that_has_a_figure():
    root = parse(sample_line_chart(series=[Series("Readiness index", [40, 50, None, 60, 70])]))

    assert len(list(series_group(root, "current").iterfind(f"{SVG}circle"))) == 4


def test_line_chart_does_not_plot_none_as_zero():
    root = parse(sample_line_chart(series=[Series("Readiness index", [None, 50, 50, 50, 50])]))

    zero = gridline_y(root)[0]
    ys = [float(c.get("cy")) for c in series_group(root, "current").iterfind(f"{SVG}circle")]
    assert zero not in ys


def test_line_chart_draws_gridlines_at_0_25_50_75_100():
    root = parse(sample_line_chart())

    ys = gridline_y(root)
    steps = [round(a - b, 1) for a, b in itertools.pairwise(ys)]
    assert len(ys) == 5
    assert len(set(steps)) == 1


def test_line_chart_puts_0_on_the_bottom_and_100_on_the_top_gridline():
    root = parse(sample_line_chart(series=[Series("Readiness index", [0, 100, 50, 50, 50])]))

    ys = [float(c.get("cy")) for c in series_group(root, "current").iterfind(f"{SVG}circle")]
    assert ys[:2] == [gridline_y(root)[0], gridline_y(root)[-1]]


def test_line_chart_labels_each_point_with_its_value_when_alone():
    root = parse(sample_line_chart())

    texts = [t.text for t in series_group(root, "current").iterfind(f"{SVG}text")]
    assert texts == ["38", "45.5", "62", "70"]


def test_line_chart_has_no_legend_for_one_series():
    root = parse(sample_line_chart())

    assert [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"] == []


def test_line_chart_has_a_legend_for_two_series():
    series = [
        Series("This organisation", [38, 45, 52, 60, 64]),
        Series("Benchmark (7 organisations)", [50, 52, 55, 57, 58], kind="benchmark"),
    ]
    root = parse(sample_line_chart(series=series))

    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "This organisation",
        "Benchmark (7 organisations)",
    ]


def test_line_chart_desc_states_every_value_in_words():
    root = parse(sample_line_chart())

    assert root.find(f"{SVG}desc").text == (
        "Scores from 0 to 100. Readiness index: Mar 2025 38, Sep 2025 46, "
        "Mar 2026 no figure, Sep 2026 62, Mar 2027 70."
    )


def test_line_chart_shortens_a_label_too_long_for_its_slot():
    root = parse(
        sample_line_chart(
            labels=["A very long baseline assessment label indeed", "B"],
            series=[Series("Readiness index", [40, 50])],
            width=200,
        )
    )

    first = next(t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle")
    assert [tspan.text for tspan in first] == ["A very long", "baseline…"]


def test_line_chart_rejects_a_series_with_the_wrong_number_of_values():
    with pytest.raises(ValueError, match="has 1 values for 5 labels"):
        sample_line_chart(series=[Series("Readiness index", [40])])
