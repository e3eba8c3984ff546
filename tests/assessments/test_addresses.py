import pytest

from assessments.addresses import Invitee, Refused, parse_addresses
from assessments.forms import InviteRespondentsForm

# parse_addresses: what mail programs and spreadsheets put on the clipboard


def test_parse_addresses_reads_an_outlook_paste_with_names():
    text = "Peter Gibbons <peter@initech.example>; Samir N <samir@initech.example>"

    assert parse_addresses(text) == (
        [
            Invitee("peter@initech.example", "Peter Gibbons"),
            Invitee("samir@initech.example", "Samir N"),
        ],
        [],
    )


def test_parse_addresses_keeps_a_comma_inside_a_quoted_name():
    text = (
        '"Gibbons, Peter" <peter@initech.example>, "Nagheenanajar, Samir" <samir@initech.example>'
    )

    assert parse_addresses(text) == (
        [
            Invitee("peter@initech.example", "Gibbons, Peter"),
            Invitee("samir@initech.example", "Nagheenanajar, Samir"),
        ],
        [],
    )


def test_parse_addresses_unescapes_a_quote_inside_a_quoted_name():
    assert parse_addresses(r'"Peter \"PG\" Gibbons" <peter@initech.example>') == (
        [Invitee("peter@initech.example", 'Peter "PG" Gibbons')],
        [],
    )


def test_parse_addresses_drops_the_single_quotes_outlook_puts_around_some_names():
    assert parse_addresses("'Peter Gibbons' <peter@initech.example>") == (
        [Invitee("peter@initech.example", "Peter Gibbons")],
        [],
    )


def test_parse_addresses_reads_plain_addresses():
    assert parse_addresses("peter@initech.example") == ([Invitee("peter@initech.example")], [])


@pytest.mark.parametrize(
    "separator", [",", ";", " ", "\t", "\n", "\r\n", ", ", " ; ", "\n\n", ",;\t "]
)
def test_parse_addresses_splits_on_every_separator(separator):
    text = f"peter@initech.example{separator}samir@initech.example"

    assert parse_addresses(text) == (
        [Invitee("peter@initech.example"), Invitee("samir@initech.example")],
        [],
    )


def test_parse_addresses_reads_spreadsheet_rows_of_name_and_address():
    text = "Peter Gibbons\tpeter@initech.example\r\nSamir N\tsamir@initech.example\r\n"

    assert parse_addresses(text) == (
        [
            Invitee("peter@initech.example", "Peter Gibbons"),
            Invitee("samir@initech.example", "Samir N"),
        ],
        [],
    )


def test_parse_addresses_lowercases_addresses_and_trims_names():
    assert parse_addresses("  Peter   Gibbons  <Peter@Initech.EXAMPLE>  ") == (
        [Invitee("peter@initech.example", "Peter Gibbons")],
        [],
    )


def test_parse_addresses_removes_duplicates_in_any_case_keeping_the_first_name():
    text = (
        "Peter Gibbons <peter@initech.example>, PETER@initech.example, Pete <Peter@Initech.example>"
    )

    assert parse_addresses(text) == ([Invitee("peter@initech.example", "Peter Gibbons")], [])


def test_parse_addresses_takes_the_name_from_a_later_duplicate_when_the_first_had_none():
    text = "peter@initech.example, Peter Gibbons <PETER@initech.example>"

    assert parse_addresses(text) == ([Invitee("peter@initech.example", "Peter Gibbons")], [])


def test_parse_addresses_drops_a_name_that_only_repeats_the_address():
    assert parse_addresses('"peter@initech.example" <peter@initech.example>') == (
        [Invitee("peter@initech.example")],
        [],
    )


def test_parse_addresses_accepts_a_mailto_link():
    assert parse_addresses("mailto:Peter@initech.example") == (
        [Invitee("peter@initech.example")],
        [],
    )


def test_parse_addresses_refuses_a_name_without_an_address_as_one_entry():
    assert parse_addresses("Peter Gibbons") == (
        [],
        [Refused("Peter Gibbons", "not an e-mail address")],
    )


def test_parse_addresses_reports_each_refused_entry_alone_and_keeps_the_good_ones():
    text = (
        "Peter Gibbons; samir@initech.example, Michael Bolton <michael@initech>\n"
        "Milton <milton@initech.example, bob@initech.example"
    )

    assert parse_addresses(text) == (
        [Invitee("samir@initech.example"), Invitee("bob@initech.example")],
        [
            Refused("Peter Gibbons", "not an e-mail address"),
            Refused("Michael Bolton <michael@initech>", "not a valid e-mail address"),
            Refused("Milton <milton@initech.example", "missing the closing >"),
        ],
    )


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("dana-at-example", Refused("dana-at-example", "not an e-mail address")),
        ("dana@", Refused("dana@", "not a valid e-mail address")),
        ("Dana <dana@example.org", Refused("Dana <dana@example.org", "missing the closing >")),
        ("dana@example.org>", Refused("dana@example.org>", "missing the opening <")),
        ("Dana <>", Refused("Dana <>", "not a valid e-mail address")),
        (
            '"Scully, Dana <dana@example.org>',
            Refused('"Scully, Dana <dana@example.org>', "missing the closing quote"),
        ),
        ('"Scully, Dana"', Refused('"Scully, Dana"', "not an e-mail address")),
        (
            f"{'D' * 151} <dana@example.org>",
            Refused(f"{'D' * 151} <dana@example.org>", "the name is longer than 150 characters"),
        ),
        (
            f"{'d' * 250}@example.org",
            Refused(f"{'d' * 250}@example.org", "not a valid e-mail address"),
        ),
    ],
)
def test_parse_addresses_gives_the_reason_for_a_refused_entry(text, refused):
    assert parse_addresses(text) == ([], [refused])


def test_parse_addresses_stops_an_unclosed_quote_at_the_end_of_its_line():
    assert parse_addresses('"Scully, Dana <dana@example.org>\nerik@example.org') == (
        [Invitee("erik@example.org")],
        [Refused('"Scully, Dana <dana@example.org>', "missing the closing quote")],
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("dana\x00@example.org", "dana\ufffd@example.org"),
        ("Dana\x1b[31m <dana@example.org>", "Dana\ufffd[31m <dana@example.org>"),
        ("Dana\u202e <dana@example.org>", "Dana\ufffd <dana@example.org>"),
        ("dana@example.org\x7f", "dana@example.org\ufffd"),
        ("Dana\x0b<dana@example.org>", "Dana\ufffd<dana@example.org>"),
    ],
)
def test_parse_addresses_refuses_control_characters_and_shows_where_they_were(text, shown):
    assert parse_addresses(f"{text}, erik@example.org") == (
        [Invitee("erik@example.org")],
        [Refused(shown, "contains a control character")],
    )


def test_parse_addresses_reports_a_refused_entry_given_twice_once():
    assert parse_addresses("Peter Gibbons, Peter Gibbons") == (
        [],
        [Refused("Peter Gibbons", "not an e-mail address")],
    )


@pytest.mark.parametrize("text", ["", "   ", " , ;\n\t;; "])
def test_parse_addresses_of_nothing_gives_nothing(text):
    assert parse_addresses(text) == ([], [])


# InviteRespondentsForm


def invite_form(emails: str) -> InviteRespondentsForm:
    form = InviteRespondentsForm(data={"emails": emails})
    form.is_valid()
    return form


def test_invite_form_gives_invitees_with_their_names():
    form = invite_form("Peter Gibbons <Peter@initech.example>; samir@initech.example")

    assert form.cleaned_data["emails"] == [
        Invitee("peter@initech.example", "Peter Gibbons"),
        Invitee("samir@initech.example"),
    ]


def test_invite_form_lists_each_refused_entry_with_its_reason():
    form = invite_form(
        "Peter Gibbons, samir@initech.example; Michael Bolton <michael@initech.example"
    )

    assert form.errors["emails"] == [
        "“Peter Gibbons”: not an e-mail address.",
        "“Michael Bolton <michael@initech.example”: missing the closing >.",
    ]


def test_invite_form_shortens_a_very_long_refused_entry():
    form = invite_form("x" * 200)

    assert form.errors["emails"] == [f"“{'x' * 79}…”: not an e-mail address."]


@pytest.mark.parametrize("emails", ["", " ", " ,; \n"])
def test_invite_form_without_an_address_asks_for_one(emails):
    assert invite_form(emails).errors["emails"] == ["Enter at least one e-mail address."]
