"""The languages the product speaks: English, and every catalogue in locale/."""

from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils.translation import to_language


def catalogued_languages(locale: Path) -> list[tuple[str, str]]:
    """English first, then each language with a `<locale>/<name>/LC_MESSAGES/django.po`,
    named in its own words so that someone who reads only that one finds it. A new
    language needs its catalogue (and the question bank's texts), not a line of code."""
    codes = sorted(
        to_language(path.parent.parent.name)  # locale/pt_BR/ holds pt-br
        for path in locale.glob("*/LC_MESSAGES/django.po")
    )
    return [("en", "English")] + [(code, LANG_INFO[code]["name_local"]) for code in codes]
