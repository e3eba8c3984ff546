"""Guessing passwords: lockout per account and per address, throttled reset e-mails, and
sessions that end when a password changes."""

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django.asserts import assertContains

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Logging in is paused for this account and this address after several wrong passwords."


def attempt(client, email: str, password: str, url: str = LOGIN, ip: str = "203.0.113.7"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def dana(db):
    return UserFactory(email="dana@example.org", is_staff=True)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, dana):
    for _ in range(5):
        attempt(client, dana.email, "wrong-guess")

    response = attempt(client, dana.email, TEST_PASSWORD)

    assertContains(response, LOCKED, status_code=429)
    assertContains(response, "Try again in 15 minutes", status_code=429)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, dana):
    for _ in range(4):
        attempt(client, dana.email, "wrong-guess")

    response = attempt(client, dana.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dana.pk)


def test_the_admin_login_is_locked_the_same_way(client, dana):
    for _ in range(5):
        attempt(client, dana.email, "wrong-guess", url=ADMIN_LOGIN)

    response = attempt(client, dana.email, TEST_PASSWORD, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_attacker_cannot_lock_out_another_user_at_the_same_address(client, dana):
    erik = UserFactory(email="erik@example.org")
    for _ in range(10):
        attempt(client, dana.email, "wrong-guess")

    response = attempt(client, erik.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(erik.pk)


def test_a_locked_account_still_logs_in_from_another_address(client, dana):
    for _ in range(5):
        attempt(client, dana.email, "wrong-guess", ip="203.0.113.7")

    response = attempt(client, dana.email, TEST_PASSWORD, ip="198.51.100.4")

    assert response.status_code == 302


def test_the_address_wide_limit_is_far_above_the_account_limit(settings):
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 100
    assert settings.AXES_FAILURE_LIMIT == 5


def guess_many_accounts(client, failures: int, ip: str = "203.0.113.7") -> None:
    """`failures` wrong passwords from one address, four per account: no account pauses."""
    for number in range(failures):
        attempt(client, f"someone{number // 4}@example.org", "wrong-guess", ip=ip)


def test_an_address_below_the_address_wide_limit_still_logs_in(client, db):
    erik = UserFactory(email="erik@example.org")
    guess_many_accounts(client, 99)

    response = attempt(client, erik.email, TEST_PASSWORD)

    assert response.status_code == 302


def test_an_address_guessing_many_accounts_pauses_at_the_address_wide_limit(client, db):
    erik = UserFactory(email="erik@example.org")
    guess_many_accounts(client, 100)

    locked = attempt(client, erik.email, TEST_PASSWORD)
    elsewhere = attempt(client, erik.email, TEST_PASSWORD, ip="198.51.100.4")

    assert (locked.status_code, elsewhere.status_code) == (429, 302)


def behind_proxy(client, email: str, password: str, forwarded_for: str):
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_configured_proxy_each_client_address_counts_apart(client, dana, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        behind_proxy(client, dana.email, "wrong-guess", forwarded_for="203.0.113.7")

    locked = behind_proxy(client, dana.email, TEST_PASSWORD, forwarded_for="203.0.113.7")
    other_client = behind_proxy(client, dana.email, TEST_PASSWORD, forwarded_for="198.51.100.4")

    assert (locked.status_code, other_client.status_code) == (429, 302)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(
    client, dana, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        behind_proxy(
            client, dana.email, "wrong-guess", forwarded_for=f"10.9.9.{number}, 203.0.113.7"
        )

    response = behind_proxy(client, dana.email, TEST_PASSWORD, forwarded_for="1.2.3.4, 203.0.113.7")

    assert response.status_code == 429


def test_without_a_configured_proxy_the_forwarded_header_is_ignored(client, dana):
    for number in range(5):
        behind_proxy(client, dana.email, "wrong-guess", forwarded_for=f"203.0.113.{number}")

    response = behind_proxy(client, dana.email, TEST_PASSWORD, forwarded_for="198.51.100.4")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}


def test_the_account_works_again_after_the_cool_off(client, dana):
    for _ in range(5):
        attempt(client, dana.email, "wrong-guess")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )

    response = attempt(client, dana.email, TEST_PASSWORD)

    assert response.status_code == 302


def reset(client, email: str, ip: str = "203.0.113.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_mails_are_throttled_per_address(client, dana):
    pages = [reset(client, dana.email) for _ in range(5)]

    assert len(mail.outbox) == 3
    assert {page["Location"] for page in pages} == {reverse("accounts:password_reset_done")}


def test_password_reset_requests_are_throttled_per_client_address(client, db):
    users = [UserFactory(email=f"u{number}@example.org") for number in range(12)]

    for user in users:
        reset(client, user.email)

    assert len(mail.outbox) == 10


def test_changing_the_password_ends_other_sessions(client, dana, django_user_model):
    other_device = client.__class__()
    other_device.force_login(dana)
    token = default_token_generator.make_token(dana)
    uid = urlsafe_base64_encode(force_bytes(dana.pk))
    confirm = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True)
    client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )

    response = other_device.get(reverse("reports:portfolio"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_compose_counts_the_recommended_proxy():
    compose = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    )

    assert compose["x-app"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
