"""Each person makes, lists and revokes their own API tokens; only a hash is stored."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.api_tokens import create_api_token
from accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db

PAGE = "/settings/api-tokens/"


def _key_on(page) -> str:
    """The key in the page's read-only field, shown once."""
    html = page.content.decode()
    start = html.index('id="new-token"')
    value = html.index('value="', start) + len('value="')
    return html[value : html.index('"', value)]


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_new_token_is_shown_once_and_stored_as_a_hash(manager, manager_client):
    created = manager_client.post(PAGE, {"name": "Board pack sync"})

    key = _key_on(created)
    token = ApiToken.objects.get(user=manager)
    assert created.status_code == 200
    assert (token.name, token.key_hash, token.prefix) == (
        "Board pack sync",
        hash_token(key),
        key[:10],
    )
    assert key.startswith("grt_")
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in manager_client.get(PAGE).content.decode()


def test_the_new_key_reads_the_api_as_its_owner(manager, manager_client, organisation):
    key = _key_on(manager_client.post(PAGE, {"name": "Board pack sync"}))

    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:organisations"))

    assert [item["role"]["code"] for item in response.json()["results"]] == ["manager"]


def test_a_token_needs_a_name(manager, manager_client):
    response = manager_client.post(PAGE, {"name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_list_shows_ones_own_tokens_only(manager, manager_client, outsider):
    create_api_token(user=manager, name="Mine")
    create_api_token(user=outsider, name="Theirs")

    page = manager_client.get(PAGE).content.decode()

    assert "Mine" in page
    assert "Theirs" not in page


def test_revoking_asks_first_then_stops_the_token(manager, manager_client):
    token, key = create_api_token(user=manager, name="Old sync")
    url = reverse("accounts:revoke_api_token", args=[token.pk])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(reverse("api:organisations")).status_code == 200

    asked = manager_client.get(url)
    token.refresh_from_db()
    assert (asked.status_code, token.revoked_at) == (200, None)

    revoked = manager_client.post(url)

    token.refresh_from_db()
    assert revoked.status_code == 302
    assert token.revoked_at is not None
    assert api.get(reverse("api:organisations")).status_code == 401
    assert "Revoked" in manager_client.get(PAGE).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_token_cannot_be_revoked(manager_client, outsider, method):
    token, key = create_api_token(user=outsider, name="Theirs")

    response = getattr(manager_client, method)(
        reverse("accounts:revoke_api_token", args=[token.pk])
    )

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:organisations")).status_code
        == 200
    )


def test_a_revoked_token_cannot_be_revoked_again(manager, manager_client):
    token, _ = create_api_token(user=manager, name="Old sync")
    manager_client.post(reverse("accounts:revoke_api_token", args=[token.pk]))

    response = manager_client.post(reverse("accounts:revoke_api_token", args=[token.pk]))

    assert response.status_code == 404


def test_use_is_noted_at_most_every_ten_minutes(manager):
    token, key = create_api_token(user=manager, name="Sync")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    api.get(reverse("api:organisations"))
    token.refresh_from_db()
    first = token.last_used_at
    api.get(reverse("api:organisations"))
    token.refresh_from_db()

    assert first is not None
    assert token.last_used_at == first


def test_several_tokens_work_side_by_side(manager):
    keys = [create_api_token(user=manager, name=name)[1] for name in ("One", "Two")]

    for key in keys:
        assert (
            Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:organisations")).status_code
            == 200
        )


def test_staff_revoke_a_leaked_token_in_the_admin(client, staff, manager):
    token, key = create_api_token(user=manager, name="Leaked")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:organisations")).status_code
        == 401
    )
