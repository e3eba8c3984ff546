import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def no_control_characters(value: str) -> None:
    """Names end up in e-mail headers, PDFs and spreadsheets: no line breaks or other
    control characters in them."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(
            _("Line breaks and other control characters cannot be part of a name."),
            code="control_characters",
        )
