"""A new language is a catalogue in locale/, not a line of code."""

from config.languages import catalogued_languages


def test_every_catalogue_is_a_language_named_in_its_own_words(tmp_path):
    for name in ("pt", "de", "pt_BR"):
        (tmp_path / name / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / name / "LC_MESSAGES" / "django.po").write_text("")
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)  # no catalogue yet

    assert catalogued_languages(tmp_path) == [
        ("en", "English"),
        ("de", "Deutsch"),
        ("pt", "Português"),
        ("pt-br", "Português Brasileiro"),
    ]
