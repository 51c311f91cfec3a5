"""The core REST API: shapes, writes through the services, 400s with field names, roles, query counts, paging."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.activity.models import ReportedActivity
from programmes.events.models import Event
from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)
from tests.factories import (
    DonorPledgeFactory,
    EventFactory,
    ExecutiveStructureFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
)
from tests.programmes.activity.factories import ReportedActivityFactory

pytestmark = pytest.mark.django_db

S = Project.Status


@pytest.fixture
def refs():
    top = ThematicAreaFactory(name="Fighting organised crime", short_name="Organised crime")
    return {
        "lead": ExecutiveStructureFactory(acronym="SPMU"),
        "partner": FieldOperationFactory(acronym="OiT"),
        "top": top,
        "sub": ThematicAreaFactory(name="Trafficking in human beings", short_name="THB", parent=top),
        "state": ParticipatingStateFactory(name="Tajikistan", iso_code="TJ"),
        "org": PartnerOrganisationFactory(acronym="UNODC"),
        "mandate": MandateFactory(code="MC.DEC/5/06"),
    }


def project_payload(refs, **overrides):
    payload = {
        "code": "SPMU-THB-1",
        "title": "Anti-trafficking training",
        "summary": "Training for police.",
        "lead_structure": refs["lead"].pk,
        "partner_structures": [refs["partner"].pk],
        "thematic_areas": [refs["sub"].pk],
        "beneficiary_states": [refs["state"].pk],
        "partner_organisations": [refs["org"].pk],
        "mandates": [refs["mandate"].pk],
        "funding_source": "exb",
        "budget": "120000.50",
        "target_participants": 40,
        "status": "proposal",
        "start": "2010-10-01",
        "end": "2011-03-31",
    }
    payload.update(overrides)
    return payload


# --- shapes other systems rely on -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "make", "fields"),
    [
        ("/api/structures/", lambda: FieldOperationFactory(), {"id", "name", "acronym", "kind", "region", "parent"}),
        ("/api/states/", lambda: ParticipatingStateFactory(), {"id", "name", "iso_code"}),
        ("/api/partner-organisations/", lambda: PartnerOrganisationFactory(), {"id", "name", "acronym", "kind"}),
        ("/api/thematic-areas/", lambda: ThematicAreaFactory(), {"id", "name", "parent"}),
        ("/api/mandates/", lambda: MandateFactory(), {"id", "code", "title", "year", "body"}),
    ],
)
def test_reference_list_and_detail_carry_the_agreed_fields(api_as, delegation_user, url, make, fields):
    row = make()
    client = api_as(delegation_user)

    listed = client.get(url)
    detail = client.get(f"{url}{row.pk}/")

    assert listed.status_code == 200
    assert detail.status_code == 200
    assert fields <= set(detail.json())
    assert detail.json()["id"] == row.pk
    assert row.pk in [r["id"] for r in listed.json()["results"]]


def test_project_list_and_detail_carry_the_agreed_fields(api_as, secretariat_user, refs):
    project = ProjectFactory(
        lead_structure=refs["lead"],
        thematic_areas=[refs["sub"]],
        beneficiary_states=[refs["state"]],
        partner_structures=[refs["partner"]],
        budget=Decimal("250000"),
        funding_source="exb",
    )
    DonorPledgeFactory(project=project, donor_state=refs["state"])
    client = api_as(secretariat_user)

    listed = client.get("/api/projects/").json()
    body = client.get(f"/api/projects/{project.pk}/").json()

    assert listed["count"] == 1 and listed["results"][0]["id"] == project.pk
    assert {
        "id",
        "code",
        "title",
        "lead_structure",
        "partner_structures",
        "thematic_areas",
        "beneficiary_states",
        "funding_source",
        "budget",
        "status",
        "start",
        "end",
    } <= set(body)
    assert body["budget"] == "250000.00"
    assert body["funding_source"] == "exb"
    assert body["lead_structure"] == refs["lead"].pk
    assert body["thematic_areas"] == [refs["sub"].pk]
    assert body["partner_structures"] == [refs["partner"].pk]
    assert body["start"] == "2010-01-01"
    assert body["pledges"][0]["amount"] == "50000.00"


def test_thematic_area_parent_is_null_for_top_areas(api_as, coordinator, refs):
    client = api_as(coordinator)

    top = client.get(f"/api/thematic-areas/{refs['top'].pk}/").json()
    sub = client.get(f"/api/thematic-areas/{refs['sub'].pk}/").json()

    assert top["parent"] is None
    assert sub["parent"] == refs["top"].pk


# --- writes --------------------------------------------------------------------------------------------------------


def test_create_project_saves_every_field_and_relation(api_as, secretariat_user, refs):
    response = api_as(secretariat_user).post("/api/projects/", project_payload(refs), format="json")

    assert response.status_code == 201, response.json()
    project = Project.objects.get(code="SPMU-THB-1")
    assert response.json()["id"] == project.pk
    assert project.budget == Decimal("120000.50")
    assert project.lead_structure == refs["lead"]
    assert list(project.thematic_areas.all()) == [refs["sub"]]
    assert list(project.partner_structures.all()) == [refs["partner"]]
    assert list(project.beneficiary_states.all()) == [refs["state"]]
    assert list(project.partner_organisations.all()) == [refs["org"]]
    assert list(project.mandates.all()) == [refs["mandate"]]
    assert (project.start, project.end, project.target_participants) == (date(2010, 10, 1), date(2011, 3, 31), 40)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget": "-1"}, "budget"),
        ({"end": "2010-09-30"}, "end"),
        ({"thematic_areas": []}, "thematic_areas"),
        ({"funding_source": "loan"}, "funding_source"),
        ({"status": "archived"}, "status"),
        ({"title": ""}, "title"),
        ({"lead_structure": 999999}, "lead_structure"),
        ({"start": "1st of May"}, "start"),
    ],
)
def test_invalid_project_is_a_400_naming_the_field_and_saves_nothing(api_as, secretariat_user, refs, overrides, field):
    response = api_as(secretariat_user).post("/api/projects/", project_payload(refs, **overrides), format="json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()
    assert not Project.objects.filter(code="SPMU-THB-1").exists()


def test_missing_required_fields_are_all_named(api_as, secretariat_user):
    response = api_as(secretariat_user).post("/api/projects/", {}, format="json")

    assert response.status_code == 400
    assert {"code", "title", "lead_structure", "thematic_areas", "funding_source"} <= set(response.json())
    assert Project.objects.count() == 0


def test_duplicate_code_is_a_400_on_code(api_as, secretariat_user, refs):
    ProjectFactory(code="SPMU-THB-1")

    response = api_as(secretariat_user).post("/api/projects/", project_payload(refs), format="json")

    assert response.status_code == 400
    assert "code" in response.json()
    assert Project.objects.filter(code="SPMU-THB-1").count() == 1


def test_put_replaces_fields_and_relations(api_as, coordinator, refs):
    project = ProjectFactory(status=S.PROPOSAL, thematic_areas=[refs["top"]])
    payload = project_payload(refs, code=project.code, title="Renamed", thematic_areas=[refs["top"].pk, refs["sub"].pk])

    response = api_as(coordinator).put(f"/api/projects/{project.pk}/", payload, format="json")

    assert response.status_code == 200, response.json()
    project.refresh_from_db()
    assert project.title == "Renamed"
    assert set(project.thematic_areas.all()) == {refs["top"], refs["sub"]}
    assert sorted(response.json()["thematic_areas"]) == sorted([refs["top"].pk, refs["sub"].pk])


def test_patch_allowed_transition_moves_the_status(api_as, secretariat_user):
    project = ProjectFactory(status=S.PROPOSAL)

    response = api_as(secretariat_user).patch(f"/api/projects/{project.pk}/", {"status": "approved"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    project.refresh_from_db()
    assert project.status == S.APPROVED


@pytest.mark.parametrize(
    ("old", "new"),
    [(S.PROPOSAL, S.COMPLETED), (S.COMPLETED, S.ONGOING), (S.CANCELLED, S.PROPOSAL), (S.ONGOING, S.APPROVED)],
)
def test_patch_invalid_transition_is_a_400_on_status(api_as, secretariat_user, old, new):
    project = ProjectFactory(status=old, title="Kept")

    response = api_as(secretariat_user).patch(
        f"/api/projects/{project.pk}/", {"status": new, "title": "Changed"}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.json()
    project.refresh_from_db()
    assert (project.status, project.title) == (old, "Kept")


def test_patch_end_before_start_is_a_400_on_end(api_as, secretariat_user):
    project = ProjectFactory(start=date(2010, 1, 1), end=date(2010, 12, 31))

    response = api_as(secretariat_user).patch(f"/api/projects/{project.pk}/", {"end": "2009-01-01"}, format="json")

    assert response.status_code == 400
    assert "end" in response.json()
    project.refresh_from_db()
    assert project.end == date(2010, 12, 31)


def test_reference_write_validates_the_row(api_as, coordinator, refs):
    client = api_as(coordinator)

    bad_code = client.post("/api/mandates/", {"code": "MC-4-07", "title": "x", "year": 2007, "body": "MC"})
    wrong_body = client.post("/api/mandates/", {"code": "MC.DEC/4/07", "title": "x", "year": 2007, "body": "FSC"})
    third_level = client.post(
        "/api/thematic-areas/", {"name": "Deep", "code": "deep", "short_name": "Deep", "parent": refs["sub"].pk}
    )
    good = client.post("/api/mandates/", {"code": "MC.DEC/4/07", "title": "Afghanistan", "year": 2007, "body": "MC"})

    assert (bad_code.status_code, wrong_body.status_code, third_level.status_code) == (400, 400, 400)
    assert "code" in bad_code.json() and "code" in wrong_body.json() and "parent" in third_level.json()
    assert good.status_code == 201
    assert list(Mandate.objects.filter(code__in=["MC-4-07", "MC.DEC/4/07"]).values_list("body", flat=True)) == ["MC"]
    assert not ThematicArea.objects.filter(code="deep").exists()


def test_mandates_carry_the_status_of_suggested_decisions_read_only(api_as, coordinator, delegation_user):
    adopted = MandateFactory(code="PC.DEC/1063", year=2012, body=Mandate.Body.PC)
    suggestion = MandateFactory(
        code="PROPOSAL/2010/1",
        year=2010,
        body=Mandate.Body.PC,
        status=Mandate.Status.ADOPTED,
        adopted_as=adopted,
        proposed_in="Annex 1",
    )
    MandateFactory(code="PROPOSAL/2010/2", year=2010, body=Mandate.Body.PC, status=Mandate.Status.PROPOSED)

    detail = api_as(delegation_user).get(f"/api/mandates/{suggestion.pk}/").json()
    proposed = api_as(delegation_user).get("/api/mandates/", {"status": "proposed"}).json()["results"]
    changed = api_as(coordinator).patch(f"/api/mandates/{suggestion.pk}/", {"status": "not_taken_up"}, format="json")

    assert (detail["status"], detail["adopted_as"], detail["proposed_in"]) == ("adopted", adopted.pk, "Annex 1")
    assert [m["code"] for m in proposed] == ["PROPOSAL/2010/2"]
    assert changed.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == Mandate.Status.ADOPTED  # the status moves only through the decision service


def test_deleting_a_referenced_structure_is_a_409_not_a_500(api_as, admin_user):
    project = ProjectFactory()

    response = api_as(admin_user).delete(f"/api/structures/{project.lead_structure_id}/")

    assert response.status_code == 409
    assert Project.objects.filter(pk=project.pk, lead_structure_id=project.lead_structure_id).exists()


@pytest.mark.parametrize(
    ("url", "factory", "model"),
    [
        ("/api/structures/", ExecutiveStructureFactory, ExecutiveStructure),
        ("/api/states/", ParticipatingStateFactory, ParticipatingState),
        ("/api/partner-organisations/", PartnerOrganisationFactory, PartnerOrganisation),
        ("/api/thematic-areas/", ThematicAreaFactory, ThematicArea),
        ("/api/mandates/", MandateFactory, Mandate),
    ],
)
def test_admin_deletes_unreferenced_reference_data(api_as, admin_user, url, factory, model):
    kept, doomed = factory(), factory()
    assert model.objects.filter(pk__in=[kept.pk, doomed.pk]).count() == 2

    response = api_as(admin_user).delete(f"{url}{doomed.pk}/")

    assert response.status_code == 204
    assert list(model.objects.filter(pk__in=[kept.pk, doomed.pk]).values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.parametrize(
    ("url", "factory", "model"),
    [
        ("/api/structures/", ExecutiveStructureFactory, ExecutiveStructure),
        ("/api/mandates/", MandateFactory, Mandate),
    ],
)
def test_managers_cannot_delete_reference_data(api_as, coordinator, url, factory, model):
    row = factory()

    response = api_as(coordinator).delete(f"{url}{row.pk}/")

    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_deleting_a_project_removes_it_and_its_pledges(api_as, admin_user):
    project, other = ProjectFactory(), ProjectFactory()
    DonorPledgeFactory(project=project)
    DonorPledgeFactory(project=other)
    assert DonorPledge.objects.filter(project=project).count() == 1

    response = api_as(admin_user).delete(f"/api/projects/{project.pk}/")

    assert response.status_code == 204
    assert list(Project.objects.values_list("pk", flat=True)) == [other.pk]
    assert list(DonorPledge.objects.values_list("project_id", flat=True)) == [other.pk]


def test_a_project_named_by_reports_or_events_is_not_deleted_but_answered_409(api_as, admin_user):
    project = ProjectFactory(code="SPMU-THB-7")
    EventFactory(project=project)
    ReportedActivityFactory(project=project)
    ReportedActivityFactory(project=project)

    response = api_as(admin_user).delete(f"/api/projects/{project.pk}/")

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "SPMU-THB-7" in detail and "2 activity reports" in detail and "1 calendar event" in detail
    assert Project.objects.filter(pk=project.pk).exists()
    assert Event.objects.get().project_id == project.pk
    assert set(ReportedActivity.objects.values_list("project_id", flat=True)) == {project.pk}


def test_a_project_is_refused_for_its_events_alone(api_as, admin_user):
    project = ProjectFactory()
    EventFactory(project=project)

    response = api_as(admin_user).delete(f"/api/projects/{project.pk}/")

    assert response.status_code == 409
    assert "calendar event" in response.json()["detail"] and "activity" not in response.json()["detail"]
    assert Project.objects.filter(pk=project.pk).exists()


# --- roles -------------------------------------------------------------------------------------------------------


def test_delegation_sees_no_proposal_and_no_cancelled_project(api_as, delegation_user):
    visible = {ProjectFactory(status=s).pk for s in (S.APPROVED, S.ONGOING, S.COMPLETED)}
    hidden = {ProjectFactory(status=s).pk for s in (S.PROPOSAL, S.CANCELLED)}
    client = api_as(delegation_user)

    listed = {r["id"] for r in client.get("/api/projects/").json()["results"]}

    assert listed == visible
    for pk in hidden:
        assert client.get(f"/api/projects/{pk}/").status_code == 404
    assert Project.objects.filter(pk__in=hidden).count() == 2


def test_staff_see_proposals_and_cancelled_projects(api_as, secretariat_user):
    ids = {ProjectFactory(status=s).pk for s in S.values}

    listed = {r["id"] for r in api_as(secretariat_user).get("/api/projects/").json()["results"]}

    assert listed == ids


@pytest.mark.parametrize("role_fixture", ["field_user", "delegation_user"])
def test_field_and_delegation_cannot_create_or_change_projects(request, api_as, refs, role_fixture):
    client = api_as(request.getfixturevalue(role_fixture))
    project = ProjectFactory(status=S.APPROVED, title="Kept")

    created = client.post("/api/projects/", project_payload(refs), format="json")
    patched = client.patch(f"/api/projects/{project.pk}/", {"title": "Changed"}, format="json")
    deleted = client.delete(f"/api/projects/{project.pk}/")

    assert (created.status_code, patched.status_code, deleted.status_code) == (403, 403, 403)
    assert not Project.objects.filter(code="SPMU-THB-1").exists()
    project.refresh_from_db()
    assert project.title == "Kept"


@pytest.mark.parametrize("role_fixture", ["secretariat_user", "field_user", "delegation_user"])
def test_only_managers_change_reference_data(request, api_as, role_fixture):
    state = ParticipatingStateFactory(name="Before")
    client = api_as(request.getfixturevalue(role_fixture))

    response = client.patch(f"/api/states/{state.pk}/", {"name": "After"}, format="json")

    assert response.status_code == 403
    state.refresh_from_db()
    assert state.name == "Before"


def test_user_without_a_role_gets_no_data(api_as, db):
    from tests.factories import UserFactory

    ProjectFactory()
    response = api_as(UserFactory()).get("/api/projects/")

    assert response.status_code == 403
    assert "results" not in response.json()


def test_token_authentication_works(secretariat_user):
    project = ProjectFactory(status=S.PROPOSAL)
    token = Token.objects.create(user=secretariat_user)
    client = APIClient()

    anonymous = client.get("/api/projects/")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = client.get("/api/projects/")
    patched = client.patch(f"/api/projects/{project.pk}/", {"status": "approved"}, format="json")

    assert anonymous.status_code in (401, 403)
    assert listed.status_code == 200
    assert listed.json()["results"][0]["id"] == project.pk
    assert patched.status_code == 200  # token clients are not subject to CSRF
    project.refresh_from_db()
    assert project.status == S.APPROVED


def test_wrong_token_is_refused(db):
    ProjectFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get("/api/projects/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


# --- filters through the API ---------------------------------------------------------------------------------------


def test_api_filters_match_sub_areas_of_a_top_area(api_as, secretariat_user, refs):
    in_sub = ProjectFactory(thematic_areas=[refs["sub"]])
    in_top = ProjectFactory(thematic_areas=[refs["top"]])
    ProjectFactory()

    ids = [
        r["id"]
        for r in api_as(secretariat_user).get(f"/api/projects/?thematic_area={refs['top'].pk}").json()["results"]
    ]

    assert sorted(ids) == sorted([in_sub.pk, in_top.pk])


def test_api_invalid_filter_value_is_a_400(api_as, secretariat_user):
    ProjectFactory()

    response = api_as(secretariat_user).get("/api/projects/?status=archived")

    assert response.status_code == 400
    assert "status" in response.json()


# --- paging and query counts --------------------------------------------------------------------------------------


def test_page_size_is_capped_at_200(api_as, secretariat_user):
    ParticipatingState.objects.bulk_create(
        ParticipatingState(name=f"State {i}", iso_code=chr(65 + i // 26) + chr(65 + i % 26), region="central_asia")
        for i in range(230)
    )
    lead = ExecutiveStructureFactory()
    Project.objects.bulk_create(
        Project(code=f"B-{i}", title=f"Bulk {i}", lead_structure=lead, funding_source="ub") for i in range(210)
    )
    client = api_as(secretariat_user)

    default = client.get("/api/states/").json()
    custom = client.get("/api/states/?page_size=120").json()
    capped = client.get("/api/states/?page_size=500").json()
    projects = client.get("/api/projects/?page_size=500").json()

    assert (default["count"], len(default["results"])) == (230, 50)
    assert len(custom["results"]) == 120
    assert len(capped["results"]) == 200
    assert capped["next"] is not None
    assert (projects["count"], len(projects["results"])) == (210, 200)


def test_list_and_detail_give_the_same_relation_ids_in_the_same_order(api_as, secretariat_user, refs):
    other_state = ParticipatingStateFactory(name="Afghanistan", iso_code="AF")
    project = ProjectFactory(
        thematic_areas=[refs["sub"], refs["top"]],
        beneficiary_states=[refs["state"], other_state],
        partner_structures=[refs["partner"], refs["lead"]],
        partner_organisations=[refs["org"]],
    )
    project.mandates.set([refs["mandate"], MandateFactory(code="MC.DEC/2/09")])
    ProjectFactory()  # a second row without relations
    client = api_as(secretariat_user)

    listed = next(r for r in client.get("/api/projects/").json()["results"] if r["id"] == project.pk)
    detail = client.get(f"/api/projects/{project.pk}/").json()

    for name in ("thematic_areas", "partner_structures", "beneficiary_states", "partner_organisations", "mandates"):
        assert listed[name] == detail[name], name
    assert listed["beneficiary_states"] == [other_state.pk, refs["state"].pk]  # States in name order
    assert len(listed["mandates"]) == 2 and len(listed["thematic_areas"]) == 2
    assert project.mandates.count() == 2


@pytest.mark.parametrize(
    "payload",
    [
        {"thematic_areas": "x"},
        {"budget": "lots"},
        {"start": 20100101},
        {"partner_structures": [None]},
        {"mandates": {"a": 1}},
        {"target_participants": -3},
        {"target_participants": 10**12},
        {"budget": "1e20"},
    ],
)
def test_malformed_patch_is_a_400_never_a_500(api_as, secretariat_user, payload):
    project = ProjectFactory(title="Kept")

    response = api_as(secretariat_user).patch(f"/api/projects/{project.pk}/", payload, format="json")

    assert response.status_code == 400
    assert set(payload) <= set(response.json())
    project.refresh_from_db()
    assert project.title == "Kept"
