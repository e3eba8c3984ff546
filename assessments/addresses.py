"""E-mail addresses as people paste them into the invitation form.

What Outlook, Gmail and spreadsheets put on the clipboard: plain addresses,
`Name <address>`, `"Gibbons, Peter" <address>`, one spreadsheet row per line
(`Peter Gibbons<TAB>peter@initech.example`), separated by commas, semicolons,
spaces, tabs or new lines.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# Response.name holds the display name for the greeting.
NAME_MAX_LENGTH = 150
# RFC 5321: a forward-path is at most 256 octets, the angle brackets included.
EMAIL_MAX_LENGTH = 254

# A comma or semicolon, or a line end, ends an entry. A space or tab only separates words:
# "Peter Gibbons <peter@initech.example>" is one entry, "a@x.example b@x.example" two.
ENTRY_SEPARATORS = frozenset(",;\n\r\u2028\u2029")
SPACE_BETWEEN_WORDS = re.compile(r"\s+")


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Refused:
    """An entry that is not an address, exactly as it was pasted, and why."""

    entry: str
    reason: str


def parse_addresses(text: str) -> tuple[list[Invitee], list[Refused]]:
    """The invitees in pasted text, and every entry that is not one.

    Addresses are lower-cased; an address given twice (in any case) is one invitee,
    with the first display name given. A refused entry is reported whole, once.
    """
    invitees: dict[str, Invitee] = {}
    refused: dict[str, Refused] = {}
    for entry in _entries(text):
        result = _read_entry(text, entry)
        if isinstance(result, Refused):
            refused.setdefault(result.entry, result)
            continue
        earlier = invitees.get(result.email)
        if earlier is None or (not earlier.name and result.name):
            invitees[result.email] = result
    return list(invitees.values()), list(refused.values())


def is_control(character: str) -> bool:
    """Control and format characters (NUL, escape, bidirectional overrides, ...), except
    the tab and line ends that separate entries."""
    return character not in "\t\n\r" and unicodedata.category(character) in {"Cc", "Cf"}


# Tokens: (kind, start, end, value). Kinds: "word", "quoted", "angle", "separator".
# An unclosed quote or angle bracket is marked by value None.
_Token = tuple[str, int, int, str | None]


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, length = 0, len(text)
    while position < length:
        character = text[position]
        if character in ENTRY_SEPARATORS:
            tokens.append(("separator", position, position + 1, character))
            position += 1
        elif _is_space(character):
            position += 1
        elif character == '"':
            end, value = _read_quoted(text, position)
            tokens.append(("quoted", position, end, value))
            position = end
        elif character == "<":
            end = position + 1
            while end < length and text[end] != ">" and text[end] not in ENTRY_SEPARATORS:
                end += 1
            if end < length and text[end] == ">":
                tokens.append(("angle", position, end + 1, text[position + 1 : end]))
                position = end + 1
            else:
                tokens.append(("angle", position, end, None))
                position = end
        else:
            end = position
            while end < length and not _ends_word(text[end]):
                end += 1
            tokens.append(("word", position, end, text[position:end]))
            position = end
    return tokens


def _is_space(character: str) -> bool:
    # The tab is a control character to Unicode but a separator to spreadsheets.
    return character.isspace() and not is_control(character)


def _ends_word(character: str) -> bool:
    return character in ENTRY_SEPARATORS or character in '"<' or _is_space(character)


def _read_quoted(text: str, start: int) -> tuple[int, str | None]:
    """A display name in double quotes, with backslash escapes; an unclosed one stops at the
    end of its line so that it does not swallow the entries after it."""
    value, position = [], start + 1
    while position < len(text):
        character = text[position]
        if character == "\\" and position + 1 < len(text) and text[position + 1] not in "\r\n":
            value.append(text[position + 1])
            position += 2
        elif character == '"':
            return position + 1, "".join(value)
        elif character in "\r\n\u2028\u2029":
            return position, None
        else:
            value.append(character)
            position += 1
    return position, None


def _entries(text: str) -> list[list[_Token]]:
    """Group tokens into entries: display-name words and quoted names belong to the address
    that follows them on the same line; words with no address after them are an entry too."""
    entries: list[list[_Token]] = []
    pending: list[_Token] = []
    for token in _tokens(text):
        kind, _start, _end, value = token
        if kind == "separator":
            if pending:
                entries.append(pending)
            pending = []
        elif kind == "angle" or (kind == "word" and "@" in (value or "")):
            entries.append([*pending, token])
            pending = []
        else:
            pending.append(token)
    if pending:
        entries.append(pending)
    return entries


def _read_entry(text: str, tokens: list[_Token]) -> Invitee | Refused:
    entry = text[tokens[0][1] : tokens[-1][2]]
    # Shown back in an error message: one line, control characters made visible.
    shown = "".join("\ufffd" if is_control(character) else character for character in entry)
    shown = SPACE_BETWEEN_WORDS.sub(" ", shown).strip()

    def refuse(reason: str) -> Refused:
        return Refused(entry=shown, reason=reason)

    if any(is_control(character) for character in entry):
        return refuse(_("contains a control character"))
    *name_tokens, last = tokens
    kind, _start, _end, value = last
    if any(token[0] == "quoted" and token[3] is None for token in tokens):
        return refuse(_("missing the closing quote"))
    if kind == "angle" and value is None:
        return refuse(_("missing the closing >"))
    if kind not in {"angle", "word"} or (kind == "word" and "@" not in (value or "")):
        return refuse(_("not an e-mail address"))
    address = (value or "").strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    if kind == "word" and ">" in address:
        return refuse(_("missing the opening <"))
    address = address.lower()
    try:
        if len(address) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError:
        return refuse(_("not a valid e-mail address"))
    name = _display_name(name_tokens)
    if len(name) > NAME_MAX_LENGTH:
        return refuse(_("the name is longer than %(max)s characters") % {"max": NAME_MAX_LENGTH})
    if name.lower() == address:
        name = ""  # '"dana@example.org" <dana@example.org>' says nothing more than the address
    return Invitee(email=address, name=name)


def _display_name(tokens: list[_Token]) -> str:
    words = [value or "" for _kind, _start, _end, value in tokens]
    name = SPACE_BETWEEN_WORDS.sub(" ", " ".join(words)).strip()
    # Outlook quotes some names in single quotes: 'Peter Gibbons' <peter@initech.example>
    return name.strip("\"' ").strip()
