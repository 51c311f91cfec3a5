"""A JSON parser that refuses documents nested deeper than any portal payload, instead of letting the standard
library recurse until RecursionError (a 500)."""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth_exceeded(text: str, limit: int) -> bool:
    """Scan brackets outside strings: cheap, and done before json.loads ever recurses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc})
        limit = getattr(settings, "PORTAL_JSON_MAX_DEPTH", MAX_DEPTH)
        if _depth_exceeded(text, limit):
            raise ParseError(_("JSON is nested more than %(limit)d levels deep.") % {"limit": limit})
        try:
            return json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(_("JSON is nested too deeply."))
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc})

    @staticmethod
    def _refuse_constant(name: str):
        # NaN and Infinity are not JSON; the standard library accepts them unless told otherwise.
        raise ValueError(f"{name} is not valid JSON")
