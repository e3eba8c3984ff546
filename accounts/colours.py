"""Colours as six hex digits ("1B3A6B"), and their contrast by WCAG 2.x.

The contrast ratio of two colours is (L1 + 0.05) / (L2 + 0.05), L being each one's relative
luminance: 1 for the same colour, 21 for black on white. Text needs 4.5 (WCAG 1.4.3), a
rule, border or chart fill 3 (WCAG 1.4.11).
"""

import re

HEX_COLOUR = re.compile(r"^[0-9A-F]{6}$")
WHITE = "FFFFFF"
BLACK = "000000"
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


def normalised_hex(value: str) -> str:
    """'#1b3a6b' or ' 1B3A6B ' → '1B3A6B'; anything else comes back as given, to be refused."""
    stripped = value.strip().removeprefix("#").upper()
    return stripped if HEX_COLOUR.match(stripped) else value


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (0, 2, 4))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """White or black, whichever reads better on `background`."""
    on_white = contrast_ratio(background, WHITE)
    return WHITE if on_white >= contrast_ratio(background, BLACK) else BLACK
