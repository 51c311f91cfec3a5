"""Who sees which focal points and which contact details, in pages, the API and exports."""

import pytest
from django.urls import reverse

from focal_points.models import FocalPoint
from programmes.permissions import Role

pytestmark = pytest.mark.django_db

CONTACT_ROLES = [Role.ADMIN, Role.COORDINATOR, Role.SECRETARIAT, Role.FIELD]
ALL_CONTACTS = [
    "olga@own.example",
    "+11 111",
    "otto@other.example",
    "+22 222",
    "sara@osce.example",
    "+33 333",
    "paul@un.example",
    "+44 444",
]


@pytest.mark.parametrize("role", CONTACT_ROLES)
def test_staff_and_field_see_everyone_with_contacts_in_the_directory(role, users_by_role, client_as, directory_people):
    response = client_as(users_by_role[role]).get(reverse("focal_points:directory"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [*ALL_CONTACTS, "Ownperson", "Otherperson", "Structure", "Partner"]:
        assert text in html


def test_delegation_sees_own_state_and_structures_without_contacts(own_delegation, client_as, directory_people):
    response = client_as(own_delegation).get(reverse("focal_points:directory"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ownperson" in html and "Structure" in html
    assert "Otherperson" not in html and "Paul" not in html
    for text in ALL_CONTACTS:
        assert text not in html
    assert [fp.last_name for fp in response.context["page"]] == ["Ownperson", "Structure"]


@pytest.mark.parametrize("who,status", [("own", 200), ("structure", 200), ("other", 404), ("partner", 404)])
def test_delegation_profile_pages(who, status, own_delegation, client_as, directory_people):
    person = directory_people[who]
    response = client_as(own_delegation).get(reverse("focal_points:focal_point_detail", args=[person.pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert person.last_name in html
        assert person.email not in html and person.phone not in html
    assert FocalPoint.objects.filter(pk=person.pk).exists()


def test_delegation_user_sees_own_contact_record(own_delegation, client_as, directory_people):
    own = directory_people["own"]
    own.user = own_delegation
    own.save()
    response = client_as(own_delegation).get(reverse("focal_points:focal_point_detail", args=[own.pk]))
    assert own.email in response.content.decode()
    api = client_as(own_delegation).get(f"/api/focal-points/{own.pk}/")
    assert api.json()["email"] == own.email


@pytest.mark.parametrize("role", CONTACT_ROLES)
def test_staff_and_field_see_contacts_on_profile_and_network_pages(role, users_by_role, client_as, directory_people):
    client = client_as(users_by_role[role])
    other = directory_people["other"]
    profile = client.get(reverse("focal_points:focal_point_detail", args=[other.pk])).content.decode()
    assert other.email in profile and other.phone in profile
    network = client.get(reverse("focal_points:network_detail", args=[directory_people["network"].pk]))
    assert network.status_code == 200
    assert other.email in network.content.decode()


def test_delegation_network_page_shows_own_state_and_structures_only(own_delegation, client_as, directory_people):
    response = client_as(own_delegation).get(
        reverse("focal_points:network_detail", args=[directory_people["network"].pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ownperson" in html and "Structure" in html
    assert "Otherperson" not in html
    for text in ALL_CONTACTS:
        assert text not in html
    assert directory_people["network"].memberships.count() == 3


@pytest.mark.parametrize("role", CONTACT_ROLES)
def test_api_gives_contacts_to_staff_and_field(role, users_by_role, api_as, directory_people):
    response = api_as(users_by_role[role]).get("/api/focal-points/")
    assert response.status_code == 200
    rows = {row["last_name"]: row for row in response.json()["results"]}
    assert set(rows) == {"Ownperson", "Otherperson", "Structure", "Partner"}
    assert rows["Otherperson"]["email"] == "otto@other.example"
    assert rows["Otherperson"]["phone"] == "+22 222"
    assert rows["Otherperson"]["memberships"][0]["network_name"] == "Counter-Terrorism Network"


def test_api_restricts_delegations(own_delegation, api_as, directory_people):
    client = api_as(own_delegation)
    response = client.get("/api/focal-points/")
    rows = {row["last_name"]: row for row in response.json()["results"]}
    assert set(rows) == {"Ownperson", "Structure"}
    for row in rows.values():
        assert "email" not in row and "phone" not in row
        assert row["organisation"]
    assert rows["Ownperson"]["memberships"][0]["role"] == "primary"
    assert client.get(f"/api/focal-points/{directory_people['other'].pk}/").status_code == 404
    detail = client.get(f"/api/focal-points/{directory_people['own'].pk}/").json()
    assert "email" not in detail
    # Searching by e-mail must not reveal who has it.
    assert client.get("/api/focal-points/", {"q": "olga@own"}).json()["count"] == 0


def test_delegation_cannot_write_through_the_api(own_delegation, api_as, directory_people):
    response = api_as(own_delegation).patch(
        f"/api/focal-points/{directory_people['own'].pk}/", {"job_title": "Hacked"}, format="json"
    )
    assert response.status_code == 403
    directory_people["own"].refresh_from_db()
    assert directory_people["own"].job_title != "Hacked"


@pytest.mark.parametrize("url_name", ["focal_points:directory_csv", "focal_points:directory_vcard"])
def test_delegation_may_not_export_contacts(url_name, own_delegation, client_as, directory_people):
    response = client_as(own_delegation).get(reverse(url_name))
    assert response.status_code == 403
    own = directory_people["own"]
    for single in ("focal_points:focal_point_vcard", "focal_points:focal_point_csv"):
        assert client_as(own_delegation).get(reverse(single, args=[own.pk])).status_code == 403


@pytest.mark.parametrize("role", CONTACT_ROLES)
def test_staff_and_field_may_export_contacts(role, users_by_role, client_as, directory_people):
    response = client_as(users_by_role[role]).get(reverse("focal_points:directory_csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "otto@other.example" in body


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.ADMIN, 200),
        (Role.COORDINATOR, 200),
        (Role.SECRETARIAT, 200),
        (Role.FIELD, 403),
        (Role.DELEGATION, 403),
    ],
)
def test_coverage_and_vacancies_are_for_staff(role, status, users_by_role, client_as, directory_people):
    client = client_as(users_by_role[role])
    for name in ("coverage", "vacancies", "coverage_csv", "coverage_xlsx", "vacancies_csv", "vacancies_xlsx"):
        assert client.get(reverse(f"focal_points:{name}")).status_code == status, name
    api = client.get(f"/api/networks/{directory_people['network'].pk}/coverage/")
    assert api.status_code == status


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.ADMIN, 200),
        (Role.COORDINATOR, 200),
        (Role.SECRETARIAT, 403),
        (Role.FIELD, 403),
        (Role.DELEGATION, 403),
    ],
)
def test_import_is_for_managers(role, status, users_by_role, client_as):
    assert client_as(users_by_role[role]).get(reverse("focal_points:import")).status_code == status


def test_anonymous_is_sent_to_login(client, directory_people):
    response = client.get(reverse("focal_points:directory"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/api/focal-points/").status_code in (401, 403)
