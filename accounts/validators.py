import unicodedata
from math import floor

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .colours import GRAPHIC_CONTRAST, HEX_COLOUR, TEXT_CONTRAST, WHITE, contrast_ratio


def no_control_characters(value: str) -> None:
    """Names end up in e-mail headers, PDFs and spreadsheets: no line breaks or other
    control characters in them."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(
            _("Line breaks and other control characters cannot be part of a name."),
            code="control_characters",
        )


def hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Enter a colour as six hexadecimal digits, e.g. #1B3A6B."), code="hex_colour"
        )


def legible_on_white(value: str) -> None:
    """The primary colour is text on white pages and the background of white text (headers,
    buttons): both read only if it contrasts with white at least 4.5:1."""
    _refuse_low_contrast(value, TEXT_CONTRAST, _("white text on it and it as text on white"))


def visible_on_white(value: str) -> None:
    """The accent draws rules, borders and chart fills on white: 3:1 (WCAG 1.4.11)."""
    _refuse_low_contrast(value, GRAPHIC_CONTRAST, _("its rules and borders on white"))


def _refuse_low_contrast(value: str, needed: float, use: str) -> None:
    if not HEX_COLOUR.match(value):
        return  # hex_colour says what is wrong
    ratio = contrast_ratio(value, WHITE)
    if ratio < needed:
        raise ValidationError(
            _(
                "This colour is too light: %(use)s would contrast only %(ratio)s:1, and at "
                "least %(needed)s:1 is needed to be read. Choose a darker one."
            ),
            code="low_contrast",
            # Rounded down: 4.48 must not read "4.5, and at least 4.5 is needed".
            params={"use": use, "ratio": f"{floor(ratio * 10) / 10:.1f}", "needed": f"{needed:g}"},
        )
