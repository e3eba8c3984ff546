"""The OpenAPI 3 description lists every endpoint and validates; the documentation page
renders it from the sidecar package's files under the strict Content-Security-Policy."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, get_resolver, reverse
from drf_spectacular.validation import validate_schema

from tests.test_content_security_policy import record_blocked

pytestmark = pytest.mark.django_db
DOCUMENTATION = {"schema", "docs"}


def _endpoint_paths() -> set[str]:
    """Each API endpoint's address as OpenAPI writes it: /api/v1/organisations/{slug}/…"""
    api = next(
        pattern
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == "api"
    )
    paths = set()
    for pattern in api.url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in DOCUMENTATION:
            route = str(pattern.pattern).replace("<int:pk>", "{id}")
            paths.add("/api/" + re.sub(r"<\w+:(\w+)>", r"{\1}", route))
    return paths


@pytest.fixture
def schema(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_public_and_valid_openapi_3(schema):
    validate_schema(schema)  # raises on anything OpenAPI 3.0 does not allow
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "GenAI Readiness API"


def test_the_schema_lists_every_endpoint_as_read_only(schema):
    assert set(schema["paths"]) == _endpoint_paths()
    assert {method for path in schema["paths"].values() for method in path} == {"get"}


def test_every_endpoint_asks_for_a_bearer_token_and_documents_401(schema):
    assert schema["components"]["securitySchemes"] == {
        "apiToken": {"type": "http", "scheme": "bearer"}
    }
    for path in schema["paths"].values():
        assert path["get"]["security"] == [{"apiToken": []}]
        assert "401" in path["get"]["responses"]


def test_organisation_endpoints_document_403_and_404(schema):
    for address, path in schema["paths"].items():
        if "{slug}" in address:
            assert {"403", "404"} <= set(path["get"]["responses"]), address


def test_the_schema_is_yaml_by_default(client):
    response = client.get(reverse("api:schema"))

    assert response["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert response.content.startswith(b"openapi: 3.")


def test_spectacular_validates_it_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")

    assert (tmp_path / "api.yaml").read_text().startswith("openapi: 3.")


def test_the_docs_page_loads_its_assets_from_this_server(client):
    page = client.get(reverse("api:docs")).content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    assert all(asset.startswith("/") for asset in assets), assets
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert "<style" not in page
    assert re.search(r"<script>", page) is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_shows_the_endpoints_and_breaks_no_policy(page, live_server):
    blocked = record_blocked(page)

    page.goto(live_server.url + reverse("api:docs"))
    page.wait_for_selector(".opblock-summary-path")

    shown = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {text.replace("\u200b", "") for text in shown} == _endpoint_paths()
    assert blocked == []
