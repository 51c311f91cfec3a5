"""Schema post-processing: the error answers every operation can give, documented once for all of them.

drf-spectacular documents the success answer of each view; DRF's permission, authentication, validation and
lookup errors come from the framework and are the same everywhere, so they are added here rather than by hand on
~100 operations (the fuzzing in tests/security/test_schemathesis.py checks that nothing is left undocumented)."""

from __future__ import annotations

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
