"""Pages on the reference data, as the demo shows them."""

from types import SimpleNamespace

import pytest

from programmes.models import ExecutiveStructure, ParticipatingState, Programme, Project
from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(reference_data):
    office = ExecutiveStructure.objects.get(acronym="OiT")
    return SimpleNamespace(
        field=make_user(Role.FIELD, structure=office),
        reviewer=make_user(Role.SECRETARIAT),
        coordinator=make_user(Role.COORDINATOR),
        admin=make_user(Role.ADMIN),
        delegation=make_user(Role.DELEGATION, state=ParticipatingState.objects.get(iso_code="DE")),
    )


def test_afghan_package_programme_page(reference, client_as):
    programme = Programme.objects.get(code="afghan-package-2008")

    page = client_as(reference.delegation).get(f"/programmes/{programme.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    for code in ("AFG-05", "AFG-06"):
        assert code in html
    projects_part = html.split("Proposals as planned")[0]
    # Proposals are hidden from delegations: the follow-up phase, and No. 3, which awaits agreement and funding.
    assert "AFG-01/02-FU" not in projects_part and "AFG-03" not in projects_part
    assert "Tactical Patrolling and Surveillance for Afghan border police" not in html
    staff_html = client_as(reference.coordinator).get(f"/programmes/{programme.pk}/").content.decode()
    assert "Tactical Patrolling and Surveillance for Afghan border police" in staff_html
    assert "illustrative" in html


def test_programme_list_and_pages_for_every_role(reference, client):
    programme = Programme.objects.get(code="afghan-package-2008")
    afg05 = Project.objects.get(code="AFG-05")
    for user in (reference.field, reference.reviewer, reference.coordinator, reference.delegation, reference.admin):
        client.force_login(user)
        for url in (
            "/programmes/",
            f"/programmes/{programme.pk}/",
            "/results/",
            f"/results/projects/{afg05.pk}/",
            "/results/actuals/",
            "/results/donors/",
            "/results/open-data/",
            "/results/3w/projects.csv",
            "/results/3w/events.csv",
        ):
            assert client.get(url).status_code == 200, (user, url)


def test_afg05_core_project_pages_show_their_results_sections(reference, client_as):
    afg05, expansion = Project.objects.get(code="AFG-05"), Project.objects.get(code="AFG-05-EXP")

    ongoing = " ".join(client_as(reference.delegation).get(f"/projects/{afg05.pk}/").content.decode().split())
    planned = " ".join(client_as(reference.coordinator).get(f"/projects/{expansion.pk}/").content.decode().split())

    # The ongoing project: its framework and figures, no budget given, so no gap.
    assert "Customs officers trained" in ongoing
    assert "Funding gap: unknown (no budget)" in ongoing
    # The expansion: budget 1,000,000; DE's commitment 400,000 plus open pledges US 350,000 and NO 150,000 =
    # 900,000 secured, 100,000 to find.
    assert "Secured: EUR 900,000.00" in planned
    assert "Funding gap: EUR 100,000.00" in planned


def test_afghan_package_programme_page_has_its_figures(reference, client_as):
    programme = Programme.objects.get(code="afghan-package-2008")

    html = " ".join(client_as(reference.coordinator).get(f"/programmes/{programme.pk}/").content.decode().split())

    assert "AFG-01/02-FU" in html  # staff see the planned follow-up
    assert "950,000" in html  # its estimate, as the programme document gives it
    assert "Added up across projects" in html
