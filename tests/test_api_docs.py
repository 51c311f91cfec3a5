"""The OpenAPI 3 schema and the interactive docs, which must work with no Internet access."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

CORE_PATHS = [
    "/api/structures/",
    "/api/states/",
    "/api/partner-organisations/",
    "/api/thematic-areas/",
    "/api/mandates/",
    "/api/projects/",
    "/api/projects/{id}/",
]


def test_schema_is_an_openapi_3_document_with_the_core_routes(client_as, secretariat_user):
    response = client_as(secretariat_user).get("/api/schema/", {"format": "json"})

    schema = json.loads(response.content)
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert set(CORE_PATHS) <= set(schema["paths"])
    project = schema["components"]["schemas"]["Project"]["properties"]
    assert {
        "id",
        "code",
        "title",
        "lead_structure",
        "partner_structures",
        "thematic_areas",
        "beneficiary_states",
        "funding_source",
        "budget",
        "status",
        "start",
        "end",
    } <= set(project)
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/projects/"]["get"]["parameters"]}
    assert {"q", "thematic_area", "structure", "state", "status", "funding_source", "page", "page_size"} <= set(params)
    assert params["structure"]["type"] == "integer"
    assert "ProjectStatusEnum" in schema["components"]["schemas"]
    security = schema["components"]["securitySchemes"]
    assert {"cookieAuth", "tokenAuth"} <= set(security)


def test_docs_render_from_local_static_files_only(client_as, secretariat_user):
    response = client_as(secretariat_user).get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert not source.startswith(("http://", "https://", "//")), source
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    assert not re.search(r'src="https?://', html)


def test_redoc_renders_offline_too(client_as, secretariat_user):
    response = client_as(secretariat_user).get("/api/redoc/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/redoc/", "/api/"])
def test_schema_and_docs_need_a_signed_in_user(client, url):
    response = client.get(url)

    assert response.status_code in (401, 403)
    assert b"openapi" not in response.content


def _schema(client_as, user) -> dict:
    return json.loads(client_as(user).get("/api/schema/", {"format": "json"}).content)


def _parameter_names(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/{id}/",
        "/api/events/{id}/",
        "/api/activity-reports/{id}/",
        "/api/focal-points/{id}/",
        "/api/meetings/{id}/",
        "/api/action-items/{id}/",
    ],
)
def test_versioned_resources_document_if_match_412_and_etag(client_as, secretariat_user, path):
    operations = _schema(client_as, secretariat_user)["paths"][path]

    for method in ("put", "patch"):
        assert "If-Match" in _parameter_names(operations[method])
        assert "412" in operations[method]["responses"]
        assert "ETag" in operations[method]["responses"]["412"]["headers"]
        assert "ETag" in operations[method]["responses"]["200"]["headers"]
    assert "ETag" in operations["get"]["responses"]["200"]["headers"]
    assert "If-Match" not in _parameter_names(operations["get"])


def test_unversioned_resources_promise_no_etag(client_as, secretariat_user):
    operations = _schema(client_as, secretariat_user)["paths"]["/api/networks/{id}/"]

    for method in ("put", "patch"):
        if method in operations:
            assert "If-Match" not in _parameter_names(operations[method])
            assert "412" not in operations[method]["responses"]
    assert "headers" not in operations["get"]["responses"]["200"]


def test_every_post_documents_idempotency_key_and_its_answers(client_as, secretariat_user):
    schema = _schema(client_as, secretariat_user)
    posts = [(path, ops["post"]) for path, ops in schema["paths"].items() if "post" in ops]

    assert len(posts) > 10
    for path, operation in posts:
        assert "Idempotency-Key" in _parameter_names(operation), path
        assert "422" in operation["responses"], path
        assert "409" in operation["responses"], path
    puts = [ops["put"] for ops in schema["paths"].values() if "put" in ops]
    assert all("Idempotency-Key" not in _parameter_names(op) for op in puts)
