"""The colours of the answer levels: one definition for the dashboard, the PDF and the Word
document (SVG bars and legends take them from `charts`, Word's native charts from here).

The levels form a ramp of lightness, from dark red (level 0, critical) to pale green (level
4), so that they stay apart in a greyscale print and for people who do not tell red from
green: `tests/reports/test_palette.py` checks every pair under simulated deuteranopia and
protanopia (CIEDE2000) and in greyscale (CIE lightness). "Don't know" is not on the ramp:
grey diagonal lines on white. Colour is never the only cue either: every segment wide
enough carries its level and count, and every format has a legend.
"""

LEVEL_COLOURS = ("#701511", "#b03a22", "#e36b2c", "#eec13c", "#cfefc6")
# Text on each level's colour, with a contrast of at least 4.5:1.
LEVEL_TEXT = ("#ffffff", "#ffffff", "#212529", "#212529", "#212529")
DONT_KNOW_BACKGROUND = "#ffffff"
DONT_KNOW_LINES = "#aab1bb"
DONT_KNOW_TEXT = "#212529"


def hex_digits(colour: str) -> str:
    """ "#b03a22" → "B03A22", as python-docx and python-pptx take a colour."""
    return colour.removeprefix("#").upper()
