"""The API's JSON encoder: DRF's ``JSONRenderer`` with orjson doing the encoding (issue 14).

Profile of the API lists at N=1: ``json.JSONEncoder.iterencode`` was 2–3 ms of a 50-row page with nested items;
orjson writes the same document in a tenth of that. The bytes stay DRF's: compact separators, UTF-8 without
``\\u`` escapes except U+2028 and U+2029 (escaped as DRF escapes them), dates, decimals, lazy strings and every
other non-JSON type through DRF's own ``JSONEncoder.default``. What orjson cannot write as DRF would (an indent
asked for, an integer past 64 bits, a type neither knows) goes to DRF's renderer unchanged. One difference: a
float NaN or infinity is written ``null``, where DRF's strict JSON refused the whole response."""

from typing import Any

import orjson
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))
# Datetimes to DRF's encoder (it cuts microseconds to milliseconds and writes UTC as "Z"); int and None keys as json.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class PortalJSONRenderer(JSONRenderer):
    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None or self.get_indent(accepted_media_type or "", renderer_context or {}):
            return bytes(super().render(data, accepted_media_type, renderer_context))
        try:
            body = orjson.dumps(data, default=JSONEncoder().default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return bytes(super().render(data, accepted_media_type, renderer_context))
        if any(raw in body for raw, _ in _LINE_SEPARATORS):
            for raw, escaped in _LINE_SEPARATORS:
                body = body.replace(raw, escaped)
        return body


def encode_json(data: Any) -> bytes:
    """``data`` as the API writes it: for bodies encoded ahead of a request and served as they are."""
    return PortalJSONRenderer().render(data)


class PortalBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API, offering its "GET as json / api" links (``?format=…``) only where the endpoint reads
    ``?format=`` as a choice of renderer: on the events endpoint it is the events' own filter
    (``negotiation.FormatFilterNegotiation``), so ``?format=json`` would be a filter value and answer 400."""

    def get_context(self, data: Any, accepted_media_type: str | None, renderer_context: Any) -> dict[str, Any]:
        context = super().get_context(data, accepted_media_type, renderer_context)
        negotiated_by = getattr(renderer_context["view"].get_content_negotiator(), "settings", api_settings)
        if negotiated_by.URL_FORMAT_OVERRIDE is None:
            context["api_settings"] = negotiated_by  # the template's format links read URL_FORMAT_OVERRIDE
        return context
