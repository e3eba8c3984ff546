"""One link turns an optional e-mail off for its receiver, without logging in."""

import pytest
from django.core import signing
from django.test import Client

from accounts.models import MailOptOut, OptionalMail
from accounts.opt_out import SALT, address_hash, has_opted_out, opt_out_url

pytestmark = pytest.mark.django_db

DANA = "dana@example.org"
REMINDERS = OptionalMail.RESPONDENT_REMINDER


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://readiness.example.com"


def path_of(url: str) -> str:
    return url.removeprefix("https://readiness.example.com")


@pytest.fixture
def link():
    return path_of(opt_out_url(REMINDERS, DANA))


def test_opening_the_link_asks_and_changes_nothing(client, link):
    page = client.get(link)

    assert page.status_code == 200
    assert "Stop these e-mails?" in page.text
    assert "Reminders to answer an assessment" in page.text
    assert '<form method="post"' in page.text
    assert not MailOptOut.objects.exists()


def test_the_button_turns_that_kind_off_for_that_receiver_only(client, link):
    page = client.post(link)

    assert page.status_code == 200
    assert "Done: these e-mails are off" in page.text
    assert has_opted_out(REMINDERS, "Dana@Example.org ")
    assert not has_opted_out(OptionalMail.OVERDUE_ACTIONS, DANA)
    assert not has_opted_out(REMINDERS, "erin@example.org")


def test_turning_off_twice_keeps_one_opt_out(client, link):
    client.post(link)
    page = client.post(link)

    assert page.status_code == 200
    assert MailOptOut.objects.count() == 1


def test_the_address_is_stored_only_as_a_keyed_hash(client, link):
    client.post(link)

    [stored] = MailOptOut.objects.values_list("address_hash", flat=True)
    assert stored == address_hash(DANA)
    assert "dana" not in stored
    assert "dana" not in link


def test_a_mail_programs_one_click_post_needs_no_form_token(link):
    """RFC 8058: the mail program POSTs 'List-Unsubscribe=One-Click', with no cookies."""
    mail_program = Client(enforce_csrf_checks=True)

    page = mail_program.post(link, {"List-Unsubscribe": "One-Click"})

    assert page.status_code == 200
    assert has_opted_out(REMINDERS, DANA)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-link",
        signing.dumps([REMINDERS.value, address_hash(DANA)], salt="another.purpose"),
        signing.dumps(["newsletter", address_hash(DANA)], salt=SALT),
        signing.dumps("only-a-string", salt=SALT),
    ],
    ids=["garbage", "other-salt", "unknown-kind", "wrong-shape"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_is_a_clear_400_and_changes_nothing(client, token, method):
    page = getattr(client, method)(f"/mail/stop/{token}/")

    assert page.status_code == 400
    assert "This link cannot be used" in page.text
    assert not MailOptOut.objects.exists()


def test_a_changed_link_is_refused(client, link):
    token = link.split("/")[-2]
    forged = signing.dumps(
        [REMINDERS.value, address_hash("erin@example.org")], salt=SALT, compress=True
    )
    tampered = token[:-4] + forged[-4:]

    assert client.post(f"/mail/stop/{tampered}/").status_code == 400


def test_a_signed_in_person_meets_the_same_page(client, link, manager):
    client.force_login(manager)

    assert client.get(link).status_code == 200


def test_an_opt_out_holds_after_the_secret_key_is_rotated(client, link, settings):
    client.post(link)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY = "a-new-and-entirely-different-secret-key-of-sufficient-length!"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert has_opted_out(REMINDERS, DANA)
