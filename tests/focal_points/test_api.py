from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from focal_points.models import FocalPoint, Membership, Network
from programmes.permissions import Role
from tests.factories import (
    ExecutiveStructureFactory,
    MandateFactory,
    ParticipatingStateFactory,
    ThematicAreaFactory,
    make_user,
)
from tests.focal_points.factories import (
    FocalPointFactory,
    MembershipFactory,
    NetworkFactory,
    StructureFocalPointFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


# Everyone the tests make is a "Focal point" by job title: the search finds them all, and pages them as a search
# with few matches does (its ids sorted from the matches, then their rows).
LIST_AND_SEARCH = pytest.mark.parametrize("params", [{}, {"q": "focal"}], ids=["list", "search"])


@LIST_AND_SEARCH
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATION])
def test_focal_point_list_query_count_constant_in_rows(role, params, api_as):
    state = ParticipatingStateFactory()
    user = make_user(role, state=state) if role == Role.DELEGATION else make_user(role)
    client = api_as(user)
    for _ in range(2):
        MembershipFactory(focal_point=FocalPointFactory(state=state), network=NetworkFactory())
        StructureFocalPointFactory(thematic_areas=[ThematicAreaFactory()])
    few, _ = _queries(client, "/api/focal-points/", params)
    for _ in range(12):
        MembershipFactory(
            focal_point=FocalPointFactory(state=state, thematic_areas=[ThematicAreaFactory()]), network=NetworkFactory()
        )
        StructureFocalPointFactory()
    many, response = _queries(client, "/api/focal-points/", params)
    assert many == few
    assert response.json()["count"] == 28


@LIST_AND_SEARCH
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATION])
def test_focal_point_list_writes_each_person_as_the_detail_does(role, params, api_as):
    state = ParticipatingStateFactory()
    user = make_user(role, state=state) if role == Role.DELEGATION else make_user(role)
    alpha, beta = NetworkFactory(name="Alpha network"), NetworkFactory(name="Beta network")
    person = FocalPointFactory(state=state, authority="Ministry", thematic_areas=[ThematicAreaFactory()])
    MembershipFactory(focal_point=person, network=beta, role=Membership.Role.MEMBER, last_confirmed=date(2026, 3, 1))
    MembershipFactory(focal_point=person, network=alpha, end=date(2030, 1, 1))
    StructureFocalPointFactory(thematic_areas=[ThematicAreaFactory(), ThematicAreaFactory()])
    client = api_as(user)

    listed = client.get("/api/focal-points/", params).json()["results"]

    assert len(listed) == 2
    for entry in listed:
        assert entry == client.get(f"/api/focal-points/{entry['id']}/").json()
    (mine,) = (entry for entry in listed if entry["id"] == person.pk)
    assert [m["network_name"] for m in mine["memberships"]] == ["Alpha network", "Beta network"]
    assert mine["memberships"][1]["last_confirmed"] == "2026-03-01"


def test_network_list_query_count_constant_in_rows(api_as, delegation_user):
    client = api_as(delegation_user)
    NetworkFactory()
    few, _ = _queries(client, "/api/networks/")
    for _ in range(10):
        NetworkFactory(thematic_areas=[ThematicAreaFactory()])
    many, response = _queries(client, "/api/networks/")
    assert many == few
    assert response.json()["count"] == 11


def test_api_filters_match_the_directory(api_as, secretariat_user):
    network = NetworkFactory()
    anna = FocalPointFactory(first_name="Anna", last_name="Berg")
    MembershipFactory(focal_point=anna, network=network)
    FocalPointFactory(first_name="Boris", last_name="Berg")
    client = api_as(secretariat_user)
    assert [r["first_name"] for r in client.get("/api/focal-points/", {"q": "berg"}).json()["results"]] == [
        "Anna",
        "Boris",
    ]
    assert [r["first_name"] for r in client.get("/api/focal-points/", {"network": network.pk}).json()["results"]] == [
        "Anna"
    ]
    assert client.get("/api/focal-points/", {"state": anna.state_id}).json()["count"] == 1
    assert client.get("/api/focal-points/", {"network": 999999}).status_code == 400


def test_staff_creates_focal_point_and_membership_through_the_api(api_as, secretariat_user):
    state = ParticipatingStateFactory()
    area = ThematicAreaFactory()
    network = NetworkFactory()
    client = api_as(secretariat_user)
    response = client.post(
        "/api/focal-points/",
        {
            "first_name": "Ada",
            "last_name": "Kern",
            "state": state.pk,
            "authority": "Ministry",
            "email": "ada@example.org",
            "working_languages": ["en"],
            "thematic_areas": [area.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = FocalPoint.objects.get(email="ada@example.org")
    assert response.json()["id"] == person.pk
    response = client.post(
        f"/api/focal-points/{person.pk}/memberships/",
        {"network": network.pk, "role": "primary", "start": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    membership = Membership.objects.get(focal_point=person)
    assert membership.state == state
    response = client.patch(f"/api/focal-points/{person.pk}/", {"phone": "+1 234"}, format="json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.phone == "+1 234"


def test_api_bad_input_is_400_with_field_messages(api_as, secretariat_user):
    FocalPointFactory(email="taken@example.org")
    client = api_as(secretariat_user)
    both = client.post(
        "/api/focal-points/",
        {
            "first_name": "A",
            "last_name": "B",
            "state": ParticipatingStateFactory().pk,
            "structure": ExecutiveStructureFactory().pk,
        },
        format="json",
    )
    assert both.status_code == 400
    assert "exactly one organisation" in str(both.json())
    taken = client.post(
        "/api/focal-points/",
        {
            "first_name": "C",
            "last_name": "D",
            "state": ParticipatingStateFactory().pk,
            "email": "TAKEN@example.org",
        },
        format="json",
    )
    assert taken.status_code == 400
    bad_language = client.post(
        "/api/focal-points/",
        {
            "first_name": "C",
            "last_name": "D",
            "state": ParticipatingStateFactory().pk,
            "working_languages": ["xx"],
        },
        format="json",
    )
    assert bad_language.status_code == 400
    assert "working_languages" in bad_language.json()
    assert FocalPoint.objects.count() == 1


def test_overlapping_primary_through_the_api_is_400(api_as, secretariat_user):
    existing = MembershipFactory()
    rival = FocalPointFactory(state=existing.state)
    response = api_as(secretariat_user).post(
        f"/api/focal-points/{rival.pk}/memberships/", {"network": existing.network.pk, "role": "primary"}, format="json"
    )
    assert response.status_code == 400
    assert "already has a primary focal point" in str(response.json())
    assert not Membership.objects.filter(focal_point=rival).exists()


def test_moving_a_primary_to_a_state_whose_seat_is_taken_is_400(api_as, client_as, secretariat_user):
    seated = MembershipFactory()
    mover = MembershipFactory(network=seated.network)
    old_state = mover.focal_point.state
    target = seated.focal_point.state
    response = api_as(secretariat_user).patch(
        f"/api/focal-points/{mover.focal_point.pk}/", {"state": target.pk}, format="json"
    )
    assert response.status_code == 400
    assert "already has a primary focal point" in response.json()["state"][0]
    page = client_as(secretariat_user).post(
        reverse("focal_points:focal_point_edit", args=[mover.focal_point.pk]),
        {
            "first_name": mover.focal_point.first_name,
            "last_name": mover.focal_point.last_name,
            "state": target.pk,
            "authority": "Ministry of the Interior",
            "email": mover.focal_point.email,
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["state"]
    mover.refresh_from_db()
    assert mover.state == old_state
    assert FocalPoint.objects.get(pk=mover.focal_point.pk).state == old_state


def test_field_user_reads_but_cannot_write(api_as, field_user):
    person = FocalPointFactory()
    client = api_as(field_user)
    assert client.get(f"/api/focal-points/{person.pk}/").json()["email"] == person.email
    assert client.patch(f"/api/focal-points/{person.pk}/", {"phone": "1"}, format="json").status_code == 403
    person.refresh_from_db()
    assert person.phone != "1"


def test_managers_write_networks_and_secretariat_cannot(api_as, coordinator, secretariat_user):
    mandate = MandateFactory()
    area = ThematicAreaFactory()
    payload = {
        "name": "Prosecutors",
        "slug": "prosecutors",
        "founding_mandate": mandate.pk,
        "thematic_areas": [area.pk],
        "expects_one_per_state": True,
    }
    assert api_as(secretariat_user).post("/api/networks/", payload, format="json").status_code == 403
    response = api_as(coordinator).post("/api/networks/", payload, format="json")
    assert response.status_code == 201, response.json()
    network = Network.objects.get(slug="prosecutors")
    assert list(network.thematic_areas.all()) == [area]


def test_network_coverage_endpoint(api_as, secretariat_user):
    network = NetworkFactory()
    state = ParticipatingStateFactory()
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=state), last_confirmed=None)
    response = api_as(secretariat_user).get(f"/api/networks/{network.pk}/coverage/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "state": state.pk,
            "state_name": state.name,
            "iso_code": state.iso_code,
            "status": "stale",
            "focal_point": network.memberships.get().focal_point_id,
            "last_confirmed": None,
        }
    ]


def test_deleting_a_focal_point_goes_through_the_service_and_takes_their_memberships(
    api_as, coordinator, secretariat_user
):
    person = FocalPointFactory()
    membership = MembershipFactory(focal_point=person)
    assert api_as(secretariat_user).delete(f"/api/focal-points/{person.pk}/").status_code == 403
    assert FocalPoint.objects.filter(pk=person.pk).exists()

    response = api_as(coordinator).delete(f"/api/focal-points/{person.pk}/")

    assert response.status_code == 204
    assert not FocalPoint.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Network.objects.filter(pk=membership.network_id).exists()


def test_a_network_with_members_is_not_deleted_and_the_answer_says_why(api_as, admin_user):
    membership = MembershipFactory()
    network = membership.network

    response = api_as(admin_user).delete(f"/api/networks/{network.pk}/")

    assert response.status_code == 409
    assert "cannot be deleted" in response.json()["detail"]
    assert Network.objects.filter(pk=network.pk).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_empty_network_is_deleted_by_an_administrator_only(api_as, admin_user, coordinator):
    network = NetworkFactory()
    assert api_as(coordinator).delete(f"/api/networks/{network.pk}/").status_code == 403
    assert Network.objects.filter(pk=network.pk).exists()
    assert api_as(admin_user).delete(f"/api/networks/{network.pk}/").status_code == 204
    assert not Network.objects.filter(pk=network.pk).exists()


@pytest.mark.parametrize("few", [0, 2000])
def test_search_with_few_matches_pages_the_same_rows_in_the_same_order(few, api_as, secretariat_user, monkeypatch):
    from osce_tnt.api.pagination import SearchPagination

    monkeypatch.setattr(SearchPagination, "few", few)
    # Names out of creation order, equal surnames (first name then id decide) and one person who does not match.
    for last, first in [("Nowak", "Zofia"), ("Kowalska", "Anna"), ("Nowak", "Adam"), ("Nowak", "Adam"), ("Abel", "X")]:
        FocalPointFactory(last_name=last, first_name=first, job_title="Officer")
    FocalPointFactory(last_name="Other", first_name="Person", job_title="Analyst")
    client = api_as(secretariat_user)

    with CaptureQueriesContext(connection) as ctx:
        pages = [client.get("/api/focal-points/", {"q": "offic", "page_size": 2, "page": n}).json() for n in (1, 2, 3)]

    expected = FocalPoint.objects.filter(job_title="Officer").order_by("last_name", "first_name", "pk")
    assert [row["id"] for page in pages for row in page["results"]] == [p.pk for p in expected]
    assert {page["count"] for page in pages} == {5}
    sorted_from_matches = [q["sql"] for q in ctx.captured_queries if "|| '')" in q["sql"]]
    assert len(sorted_from_matches) == (3 if few else 0)
    # Each page's ids are sorted from the matches alone, joined to nothing; its rows are read by their ids.
    assert not any("JOIN" in sql for sql in sorted_from_matches)
    assert all(sql.split(" FROM ")[0].count(",") == 0 for sql in sorted_from_matches)


def test_search_with_few_matches_pages_a_delegations_rows_without_contacts(
    directory_people, own_delegation, api_as, monkeypatch
):
    from osce_tnt.api.pagination import SearchPagination

    monkeypatch.setattr(SearchPagination, "few", 2000)
    client = api_as(own_delegation)

    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/api/focal-points/", {"q": "s", "page_size": 1, "page": 2}).json()

    # Own State's Olga and the structure's Sara match (never Otto of another State), by surname: Sara second.
    assert page["count"] == 2
    assert [row["id"] for row in page["results"]] == [directory_people["structure"].pk]
    assert "email" not in page["results"][0]
    # Contacts left out of the statements themselves: the page is the one statement (its ids a subquery) that
    # reads only what may be shown, and nothing the page sent selects an e-mail address.
    sorted_from_matches = [q["sql"] for q in ctx.captured_queries if "|| '')" in q["sql"]]
    assert len(sorted_from_matches) == 1
    assert ' IN (SELECT U0."id"' in sorted_from_matches[0]
    assert not any('."email"' in q["sql"].split(" FROM ")[0] for q in ctx.captured_queries)


def test_search_ordered_by_the_client_keeps_its_ordering(api_as, secretariat_user):
    for last in ["B", "A", "C"]:
        FocalPointFactory(last_name=last, job_title="Officer")
    response = api_as(secretariat_user).get("/api/focal-points/", {"q": "officer", "ordering": "-last_name"})
    assert [row["last_name"] for row in response.json()["results"]] == ["C", "B", "A"]
