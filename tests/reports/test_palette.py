"""The answer levels stay apart without colour vision: under simulated deuteranopia and
protanopia, and printed in greyscale.

The simulation is Machado, Oliveira and Fernandes (2009), "A physiologically-based model
for simulation of color vision deficiency", at severity 1.0 (the full dichromacy), applied
to linear sRGB; differences are CIEDE2000 (Sharma, Wu and Dalal 2005) in CIELAB under D65.
"""

import itertools
import math

import pytest

from reports.palette import LEVEL_COLOURS, LEVEL_TEXT

# ΔE00 of 10 or more reads as a different colour at a glance, not only side by side.
MIN_DELTA_E = 10.0
# Greyscale keeps CIE lightness only; 10 L* apart are distinct shades of grey in print.
MIN_LIGHTNESS_STEP = 10.0
MIN_TEXT_CONTRAST = 4.5

MACHADO = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}

Rgb = tuple[float, float, float]
Lab = tuple[float, float, float]


def linear_rgb(colour: str) -> Rgb:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    digits = colour.removeprefix("#")
    r, g, b = (channel(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    return r, g, b


def simulate(rgb: Rgb, matrix) -> Rgb:
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
    )
    return r, g, b


def luminance(rgb: Rgb) -> float:
    r, g, b = rgb
    return 0.2126729 * r + 0.7151522 * g + 0.0721750 * b


def lab(rgb: Rgb) -> Lab:
    r, g, b = rgb
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = luminance(rgb)
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(first: Lab, second: Lab) -> float:
    l1, a1, b1 = first
    l2, a2, b2 = second
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0
    if c1 * c2:
        dh = h2 - h1
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    delta_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    if not c1 * c2:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    rc = 2 * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
    sl = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    sc = 1 + 0.045 * mean_cp
    sh = 1 + 0.015 * mean_cp * t
    rt = -math.sin(math.radians(2 * rotation)) * rc
    dl, dc, dhh = (l2 - l1) / sl, (c2 - c1) / sc, delta_h / sh
    return math.sqrt(dl**2 + dc**2 + dhh**2 + rt * dc * dhh)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted(
        (luminance(linear_rgb(first)), luminance(linear_rgb(second))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # Sharma, Wu and Dalal's test data, pairs 1, 7 and 17.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ],
)
def test_ciede2000_matches_the_published_test_data(first, second, expected):
    assert ciede2000(first, second) == pytest.approx(expected, abs=1e-4)


PAIRS = list(itertools.combinations(range(len(LEVEL_COLOURS)), 2))


@pytest.mark.parametrize("deficiency", MACHADO)
@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_every_two_levels_differ_without_red_green_vision(deficiency, first, second):
    matrix = MACHADO[deficiency]
    seen = [lab(simulate(linear_rgb(LEVEL_COLOURS[level]), matrix)) for level in (first, second)]

    assert ciede2000(*seen) >= MIN_DELTA_E


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_every_two_levels_differ_in_greyscale(first, second):
    lightness = [lab(linear_rgb(LEVEL_COLOURS[level]))[0] for level in (first, second)]

    assert abs(lightness[0] - lightness[1]) >= MIN_LIGHTNESS_STEP


def test_levels_darken_from_the_top_level_to_level_0():
    lightness = [lab(linear_rgb(colour))[0] for colour in LEVEL_COLOURS]

    assert lightness == sorted(lightness)


@pytest.mark.parametrize("level", range(len(LEVEL_COLOURS)))
def test_a_segment_label_is_readable_on_its_level(level):
    assert contrast(LEVEL_COLOURS[level], LEVEL_TEXT[level]) >= MIN_TEXT_CONTRAST
