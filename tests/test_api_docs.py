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
