"""Fuzzing from the published OpenAPI schema: every operation, as an administrator and as a delegation, checked for
server errors, responses that break the schema and status codes the schema does not document. Bounded for CI by
a few examples per operation (PORTAL_FUZZ_EXAMPLES), derandomised so a failure reproduces."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from programmes.permissions import Role
from tests.factories import make_user

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def _keep_test_connection():
    # The WSGI handler closes the database connection after each request, which would end the test's transaction
    # (Django's test client does the same disconnect).
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, request, _keep_test_connection):
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    # The reference data gives the generated requests real rows to find, so detail answers are checked too.
    call_command("load_reference_data", verbosity=0)
    role = getattr(request, "param", Role.ADMIN)
    user = make_user(role)
    token = Token.objects.create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)
    schema._portal_headers = headers
    return schema


def _fuzz(schema) -> dict[str, str]:
    """Every operation of the schema, EXAMPLES generated cases each; the first failure per operation is kept.
    (Schemathesis' own pytest integration does not run under this pytest, so the loop is written out.)"""
    from hypothesis import given

    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=schema._portal_headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  all check failures are collected, then reported
            failures[operation.label] = " | ".join(
                line.strip()
                for line in str(exc).splitlines()
                if line.strip().startswith(("- ", "Received", "Documented"))
            )[:400]
    return failures


@pytest.mark.parametrize("api_schema", [Role.ADMIN, Role.DELEGATION], indirect=True, ids=["admin", "delegation"])
def test_api_matches_its_schema(api_schema):
    assert _fuzz(api_schema) == {}


def test_every_api_route_is_in_the_schema_so_the_fuzzing_reaches_it():
    """Schemathesis fuzzes what the schema lists; a routed API endpoint missing from it would go unfuzzed."""
    import re

    from drf_spectacular.generators import SchemaGenerator

    from tests import walker

    documented = [
        re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for path in SchemaGenerator().get_schema(public=True)["paths"]
    ]
    # The API root, the schema and its two documentation pages describe the API; they are not operations of it.
    not_operations = {"/api/", "/api/schema/", "/api/docs/", "/api/redoc/"}
    routed = {r.path for r in walker.routes() if r.path.startswith("/api/")} - not_operations

    assert sorted(p for p in routed if not any(d.match(p) for d in documented)) == []
    # The results and knowledge endpoints are among those fuzzed.
    for path in ("/api/indicator-actuals/1/approve/", "/api/library-documents/1/", "/api/legal-matrix/"):
        assert path in routed and any(d.match(path) for d in documented)
