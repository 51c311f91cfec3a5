"""Every page and list endpoint without parameters, opened by every role on the reference data: none may fail
with a server error, and each either serves the page or refuses it (403/404, or a redirect)."""

import pytest
from django.core.management import call_command

from programmes.models import ExecutiveStructure, ParticipatingState
from programmes.permissions import Role
from tests import walker
from tests.factories import make_user

SKIP_PREFIXES = ("admin/", "accounts/logout/", "i18n/")


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_no_page_fails_for_any_role(reference_data, client, role):
    structure = {
        Role.FIELD: ExecutiveStructure.objects.get(acronym="OiT"),
        Role.SECRETARIAT: ExecutiveStructure.objects.get(acronym="ATU"),
        Role.COORDINATOR: ExecutiveStructure.objects.get(acronym="TNT-D"),
    }.get(role)
    state = ParticipatingState.objects.get(iso_code="AT") if role == Role.DELEGATION else None
    client.force_login(make_user(role, structure=structure, state=state))

    outcomes = {path: client.get(path).status_code for path in walker.paths(params=False, skip=SKIP_PREFIXES)}

    failures = {path: code for path, code in outcomes.items() if code >= 500}
    assert failures == {}
    assert all(code in (200, 302, 403, 404, 405) for code in outcomes.values()), outcomes
    # The pages every role relies on really render.
    assert outcomes["/"] == 200
    assert outcomes["/projects/"] == 200
    assert outcomes["/calendar/"] == 200
    assert outcomes["/reports/dashboard/"] == 200
