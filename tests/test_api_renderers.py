"""The API's JSON renderer writes the bytes DRF's JSONRenderer writes, with orjson doing the encoding (issue 14)."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from osce_tnt.api.renderers import PortalJSONRenderer, encode_json
from tests.factories import ProjectFactory

DOCUMENT = {
    "count": 2,
    "next": None,
    "results": [
        {
            "title": "Ünïcode – «quoted» and a line separator \u2028 and a paragraph separator \u2029",
            "budget": Decimal("1234.50"),
            "start": date(2026, 3, 1),
            "created": datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC),
            "at": time(9, 15),
            "length": timedelta(hours=2),
            "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "label": gettext_lazy("Draft"),
            "flags": [True, False, None],
            "ratio": 0.1,
            "by_year": {2010: 3, None: 1},
            "nested": {"ids": (1, 2, 3)},
        }
    ],
}


def test_portal_renderer_writes_drfs_bytes_for_every_type_the_api_returns():
    ours = PortalJSONRenderer().render(DOCUMENT, "application/json")
    assert ours == JSONRenderer().render(DOCUMENT, "application/json")
    assert b"\\u2028" in ours and b"\\u2029" in ours and "Ünïcode".encode() in ours


def test_portal_renderer_indents_as_drf_when_an_indent_is_asked_for():
    indented = PortalJSONRenderer().render(DOCUMENT, "application/json; indent=4")
    assert indented == JSONRenderer().render(DOCUMENT, "application/json; indent=4")
    assert b'\n    "count": 2' in indented


def test_portal_renderer_falls_back_to_drf_for_integers_past_64_bits():
    assert PortalJSONRenderer().render({"big": 2**70}) == b'{"big":1180591620717411303424}'


def test_portal_renderer_refuses_a_type_neither_encoder_knows():
    with pytest.raises(TypeError):
        PortalJSONRenderer().render({"thing": object()})


def test_portal_renderer_writes_nothing_for_no_data_and_null_for_nan():
    assert PortalJSONRenderer().render(None) == b""
    assert encode_json({"ratio": float("nan")}) == b'{"ratio":null}'


def test_api_answers_with_the_portal_renderer(client, django_user_model):
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.accepted_renderer, PortalJSONRenderer)


def test_browsable_api_shows_the_list_indented_through_drfs_renderer(client_as, secretariat_user):
    ProjectFactory(code="TJ-1", summary="Line separator \u2028 inside")
    response = client_as(secretariat_user).get("/api/projects/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&quot;code&quot;: &quot;TJ-1&quot;" in html  # indented, as DRF writes it for people
    assert "\\u2028" in html
