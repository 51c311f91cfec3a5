"""Schema post-processing: the error answers every operation can give, documented once for all of them.

drf-spectacular documents the success answer of each view; DRF's permission, authentication, validation and
lookup errors come from the framework and are the same everywhere, so they are added here rather than by hand on
~100 operations (the fuzzing in tests/security/test_schemathesis.py checks that nothing is left undocumented)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "description": "An error: `detail` for the request as a whole, or one list of messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
MESSAGES = {
    "400": "The request is invalid: the body names each field with its messages.",
    "401": "No valid credentials (missing, wrong or expired token).",
    "403": "The caller's role may not do this.",
    "404": "No such object, or not one the caller may see.",
    "405": "The method is not allowed here.",
    "409": "The object is still referenced by others and cannot be deleted, or the change conflicts.",
}
PRECONDITION_FAILED = (
    "`If-Match` named an older version: someone changed the record since it was read and nothing was saved. The "
    "body gives `current_version`; the `ETag` header names it."
)
IDEMPOTENCY_REUSED = "This `Idempotency-Key` was already used by this user for a different request; nothing was done."
IDEMPOTENCY_IN_PROGRESS = "A request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds."
ETAG_HEADER = {
    "ETag": {
        "description": "The record's version as a strong entity tag; send it back in `If-Match` to update safely.",
        "schema": {"type": "string"},
    }
}


def _error_response(code: str) -> dict:
    return {
        "description": MESSAGES[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "405"]
            # Detail routes, and list pages past the last one (DRF's paginator answers 404).
            if "{" in path or method == "get":
                codes.append("404")
            if method in ("delete", "post", "put", "patch"):
                codes.append("409")
            for code in codes:
                responses.setdefault(code, _error_response(code))
    return result


def _json_error(description: str, headers: dict | None = None) -> dict:
    response = _error_response("400") | {"description": description}
    if headers:
        response["headers"] = headers
    return response


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the two request headers the portal honours on every endpoint that has them, so
    API clients find them in the contract rather than in the README:

    - ``Idempotency-Key`` on every ``POST`` (``osce_tnt.middleware.IdempotencyKeyMiddleware``): a replay answers the
      first response again, another body with the same key is 422, the first request still running is 409;
    - ``If-Match`` / ``ETag`` on the detail read and the updates of a versioned resource
      (``programmes.api.mixins.VersionedViewSetMixin``): 412 when the version named is no longer the record's."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        parameters = operation.setdefault("parameters", [])
        if self.method == "POST":
            parameters.append(
                {
                    "in": "header",
                    "name": "Idempotency-Key",
                    "required": False,
                    "description": (
                        "Any unique string (a UUID) of at most 255 characters. Sending the same request again with "
                        "the same key within a day returns the first response (header `Idempotent-Replayed: true`) "
                        "without doing the write twice."
                    ),
                    "schema": {"type": "string", "maxLength": 255},
                }
            )
            responses.setdefault("422", _json_error(IDEMPOTENCY_REUSED))
            responses.setdefault(
                "409",
                _json_error(
                    MESSAGES["409"] + " " + IDEMPOTENCY_IN_PROGRESS,
                    {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}},
                ),
            )
        if self._is_versioned_detail():
            for code, response in responses.items():
                if code.startswith("2"):
                    response.setdefault("headers", {}).update(ETAG_HEADER)
            if self.method in ("PUT", "PATCH"):
                parameters.append(
                    {
                        "in": "header",
                        "name": "If-Match",
                        "required": False,
                        "description": (
                            "The `ETag` of the last read of this record: the update is made only if it is still the "
                            "record's version (412 otherwise). Without it, or with `*`, the update is made whatever "
                            "the version."
                        ),
                        "schema": {"type": "string"},
                    }
                )
                responses.setdefault("412", _json_error(PRECONDITION_FAILED, ETAG_HEADER))
        return operation

    def _is_versioned_detail(self) -> bool:
        from programmes.api.mixins import VersionedViewSetMixin

        action = getattr(self.view, "action", None)
        return isinstance(self.view, VersionedViewSetMixin) and action in self.view.etag_actions
