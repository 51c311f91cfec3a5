from datetime import date
from decimal import Decimal

from programmes.activity.models import ActivityReport
from programmes.models import Project
from results.models import FinancialTransaction, IndicatorActual, ParticipantBreakdown, Result
from tests.factories import ParticipatingStateFactory, ProjectFactory
from tests.results.conftest import activity, report
from tests.results.factories import (
    IndicatorActualFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    ProgrammeFactory,
    ResultFactory,
    TransactionFactory,
)

S = IndicatorActual.Status


def test_field_user_enters_and_submits_its_own_actual_over_the_api(world, api_as):
    client = api_as(world.field)

    created = client.post(
        "/api/indicator-actuals/",
        {"period": world.q1.pk, "value": "12", "value_women": 4, "value_men": 8},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    submitted = client.post(f"/api/indicator-actuals/{pk}/submit/")

    assert submitted.status_code == 200
    assert submitted.json()["status"] == S.SUBMITTED
    assert IndicatorActual.objects.get(pk=pk).structure == world.office


def test_bad_actual_is_a_400_with_field_messages(world, api_as):
    client = api_as(world.field)

    wrong_sum = client.post(
        "/api/indicator-actuals/",
        {"period": world.q1.pk, "value": "12", "value_women": 1, "value_men": 1},
        format="json",
    )
    not_a_number = client.post("/api/indicator-actuals/", {"period": world.q1.pk, "value": "many"}, format="json")
    no_period = client.post("/api/indicator-actuals/", {"value": "1"}, format="json")

    assert (wrong_sum.status_code, list(wrong_sum.json())) == (400, ["value"])
    assert (not_a_number.status_code, list(not_a_number.json())) == (400, ["value"])
    assert (no_period.status_code, list(no_period.json())) == (400, ["period"])
    assert IndicatorActual.objects.count() == 0


def test_second_actual_for_the_same_period_is_a_400(world, api_as):
    IndicatorActualFactory(period=world.q1, structure=world.office, value=Decimal("1"), value_men=1)
    response = api_as(world.field).post(
        "/api/indicator-actuals/", {"period": world.q1.pk, "value": "2", "value_men": 2}, format="json"
    )
    assert response.status_code == 400
    assert "period" in response.json()


def test_field_user_cannot_approve_over_the_api(world, api_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.SUBMITTED)

    response = api_as(world.field).post(f"/api/indicator-actuals/{actual.pk}/approve/", {}, format="json")

    assert response.status_code == 403
    actual.refresh_from_db()
    assert actual.status == S.SUBMITTED


def test_other_operation_cannot_touch_our_actual(world, api_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5)
    client = api_as(world.other_field)

    assert (
        client.patch(f"/api/indicator-actuals/{actual.pk}/", {"value": "9", "value_men": 9}, format="json").status_code
        == 404
    )  # a draft of another operation is not even visible
    assert (
        client.post(
            "/api/indicator-actuals/", {"period": world.q1.pk, "value": "1", "value_men": 1}, format="json"
        ).status_code
        == 403
    )
    actual.refresh_from_db()
    assert actual.value == Decimal("5")


def test_reviewer_returns_with_a_comment_and_approves(world, api_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.SUBMITTED)
    client = api_as(world.reviewer)

    no_comment = client.post(f"/api/indicator-actuals/{actual.pk}/return/", {"comment": ""}, format="json")
    approved = client.post(f"/api/indicator-actuals/{actual.pk}/approve/", {}, format="json")
    locked = api_as(world.field).patch(f"/api/indicator-actuals/{actual.pk}/", {"narrative": "x"}, format="json")

    assert (no_comment.status_code, list(no_comment.json())) == (400, ["comment"])
    assert (approved.status_code, approved.json()["status"]) == (200, S.APPROVED)
    assert locked.status_code == 400
    assert "status" in locked.json()


def test_approved_actual_cannot_be_deleted(world, api_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.APPROVED)
    response = api_as(world.admin).delete(f"/api/indicator-actuals/{actual.pk}/")
    assert response.status_code == 409
    assert IndicatorActual.objects.filter(pk=actual.pk).exists()


def test_draft_actual_is_deleted_by_its_structure(world, api_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5)
    assert api_as(world.field).delete(f"/api/indicator-actuals/{actual.pk}/").status_code == 204
    assert not IndicatorActual.objects.filter(pk=actual.pk).exists()


def test_delegation_sees_only_approved_actuals_of_published_projects(world, api_as):
    approved = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.APPROVED)
    IndicatorActualFactory(period=world.q2, value=Decimal("6"), value_men=6, status=S.SUBMITTED)
    idea = ProjectFactory(status=Project.Status.PROPOSAL, lead_structure=world.office)
    hidden = IndicatorPeriodFactory(indicator=IndicatorFactory(result=ResultFactory(project=idea)))
    IndicatorActualFactory(period=hidden, structure=world.office, value=Decimal("7"), status=S.APPROVED)
    client = api_as(world.delegation)

    listed = client.get("/api/indicator-actuals/").json()["results"]
    results = client.get("/api/results/", {"project": idea.pk}).json()

    assert [row["id"] for row in listed] == [approved.pk]
    assert "transitions" not in listed[0] and "review_comment" not in listed[0]
    assert results["results"] == []
    assert client.get(f"/api/projects/{idea.pk}/results/").status_code == 404


def test_delegation_cannot_write_results_or_money(world, api_as):
    client = api_as(world.delegation)
    assert (
        client.post(
            "/api/results/", {"project": world.project.pk, "level": "objective", "title": "x"}, format="json"
        ).status_code
        == 403
    )
    assert client.post("/api/financial-transactions/", {}, format="json").status_code == 403
    assert client.post("/api/indicator-actuals/", {}, format="json").status_code == 403


def test_delegation_sees_money_of_published_projects_only(world, api_as):
    TransactionFactory(project=world.project)
    TransactionFactory(project=ProjectFactory(status=Project.Status.PROPOSAL))

    rows = api_as(world.delegation).get("/api/financial-transactions/").json()["results"]

    assert [r["project"] for r in rows] == [world.project.pk]


def test_framework_errors_are_400s_on_the_field(world, api_as):
    client = api_as(world.reviewer)

    skip = client.post(
        "/api/results/",
        {"project": world.project.pk, "level": "output", "parent": world.objective.pk, "title": "x"},
        format="json",
    )
    unit = client.post(
        "/api/indicators/", {"result": world.output.pk, "title": "Count", "measure": "unit"}, format="json"
    )
    overlap = client.post(
        "/api/indicator-periods/",
        {"indicator": world.officers.pk, "period_start": "2010-03-01", "period_end": "2010-04-30"},
        format="json",
    )
    backwards = client.post(
        "/api/indicator-periods/",
        {"indicator": world.officers.pk, "period_start": "2011-03-01", "period_end": "2011-01-01"},
        format="json",
    )

    assert (skip.status_code, list(skip.json())) == (400, ["parent"])
    assert (unit.status_code, list(unit.json())) == (400, ["unit"])
    assert (overlap.status_code, "period_start" in overlap.json()) == (400, True)
    assert (backwards.status_code, "period_end" in backwards.json()) == (400, True)
    assert Result.objects.filter(project=world.project).count() == 3


def test_staff_build_a_framework_over_the_api(world, api_as):
    client = api_as(world.reviewer)
    objective = client.post(
        "/api/results/", {"project": world.project.pk, "level": "objective", "title": "New"}, format="json"
    )
    indicator = client.post(
        "/api/indicators/",
        {"result": objective.json()["id"], "title": "Laws drafted", "measure": "qualitative"},
        format="json",
    )
    period = client.post(
        "/api/indicator-periods/",
        {
            "indicator": indicator.json()["id"],
            "period_start": "2011-01-01",
            "period_end": "2011-12-31",
            "target_comment": "A draft law",
        },
        format="json",
    )
    assert (objective.status_code, indicator.status_code, period.status_code) == (201, 201, 201)


def test_transaction_api_validates_donor_and_currency(world, api_as):
    client = api_as(world.reviewer)
    state = ParticipatingStateFactory()

    no_donor = client.post(
        "/api/financial-transactions/",
        {
            "project": world.project.pk,
            "kind": "commitment",
            "funding_source": "exb",
            "date": "2010-01-01",
            "amount": "10",
        },
        format="json",
    )
    bad_currency = client.post(
        "/api/financial-transactions/",
        {
            "project": world.project.pk,
            "kind": "commitment",
            "funding_source": "exb",
            "donor_state": state.pk,
            "date": "2010-01-01",
            "amount": "10",
            "currency": "euro",
        },
        format="json",
    )
    ok = client.post(
        "/api/financial-transactions/",
        {
            "project": world.project.pk,
            "kind": "commitment",
            "funding_source": "exb",
            "donor_state": state.pk,
            "date": "2010-01-01",
            "currency": "USD",
            "amount": "12",
            "value_eur": "10",
        },
        format="json",
    )

    assert (no_donor.status_code, list(no_donor.json())) == (400, ["donor_state"])
    assert (bad_currency.status_code, "currency" in bad_currency.json()) == (400, True)
    assert ok.status_code == 201, ok.json()
    assert FinancialTransaction.objects.get().value_eur == Decimal("10")


def test_project_results_endpoint_gives_figures_and_gap(world, api_as):
    IndicatorActualFactory(period=world.q1, value=Decimal("12"), value_women=4, value_men=8, status=S.APPROVED)
    TransactionFactory(project=world.project, amount=Decimal("60000"))

    data = api_as(world.delegation).get(f"/api/projects/{world.project.pk}/results/").json()

    officers = data["framework"][0]["children"][0]["children"][0]["indicators"][0]
    assert [(p["target"], p["actual"], p["percent"]) for p in officers["periods"]] == [
        ("20.00", "12.00", "60"),
        ("30.00", None, None),
    ]
    assert (data["funding"]["secured"], data["funding"]["gap"]) == ("60000.00", "40000.00")


def test_programme_summary_endpoint(world, api_as):
    programme = ProgrammeFactory()
    world.project.programme = programme
    world.project.save()
    TransactionFactory(project=world.project, amount=Decimal("60000"))

    data = api_as(world.delegation).get(f"/api/programmes/{programme.pk}/summary/").json()

    assert data["totals"]["unfunded"] == "40000.00"
    assert [p["code"] for p in data["projects"]] == ["AFG-05"]


def test_programme_code_clash_is_a_400(world, api_as):
    ProgrammeFactory(code="afghan")
    response = api_as(world.reviewer).post("/api/programmes/", {"code": "afghan", "title": "Again"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["code"])


def test_classification_sets_follow_ups_and_refuses_a_circle(world, api_as):
    pilot = ProjectFactory()
    client = api_as(world.reviewer)

    ok = client.patch(
        f"/api/project-classifications/{world.project.pk}/",
        {"follow_up_of": [pilot.pk], "gender_marker": 1},
        format="json",
    )
    circle = client.patch(
        f"/api/project-classifications/{pilot.pk}/", {"follow_up_of": [world.project.pk]}, format="json"
    )
    too_high = client.patch(f"/api/project-classifications/{pilot.pk}/", {"gender_marker": 7}, format="json")
    by_field = api_as(world.field).patch(
        f"/api/project-classifications/{pilot.pk}/", {"gender_marker": 1}, format="json"
    )

    assert ok.status_code == 200 and ok.json()["follow_up_of"] == [pilot.pk]
    assert (circle.status_code, list(circle.json())) == (400, ["follow_up_of"])
    assert (too_high.status_code, list(too_high.json())) == (400, ["gender_marker"])
    assert by_field.status_code == 403


def test_participants_by_age_over_the_api(world, api_as):
    item = activity(
        report(world.office, ActivityReport.Status.ACCEPTED),
        project=world.project,
        start=date(2010, 2, 1),
        women=3,
        men=5,
    )
    url = f"/api/activity-items/{item.pk}/participants-by-age/"

    bad = api_as(world.field).put(url, {"rows": [{"sex": "female", "age_group": "old", "count": -1}]}, format="json")
    over = api_as(world.field).put(url, {"rows": [{"sex": "male", "age_group": "25_59", "count": 6}]}, format="json")
    ok = api_as(world.field).put(url, {"rows": [{"sex": "male", "age_group": "25_59", "count": 5}]}, format="json")
    stranger = api_as(world.other_field).put(url, {"rows": []}, format="json")

    assert bad.status_code == 400 and "rows" in bad.json()
    assert (over.status_code, list(over.json())) == (400, ["rows"])
    assert ok.status_code == 200
    assert stranger.status_code == 404  # another operation's report is not visible to it
    assert list(ParticipantBreakdown.objects.values_list("count", flat=True)) == [5]


def test_activity_contribution_over_the_api(world, api_as):
    item = activity(
        report(world.office, ActivityReport.Status.ACCEPTED),
        project=world.project,
        start=date(2010, 2, 1),
        women=3,
        men=5,
    )
    qualitative = api_as(world.field).post(
        "/api/activity-contributions/", {"activity": item.pk, "indicator": world.practice.pk}, format="json"
    )
    ok = api_as(world.field).post(
        "/api/activity-contributions/", {"activity": item.pk, "indicator": world.officers.pk}, format="json"
    )
    twice = api_as(world.field).post(
        "/api/activity-contributions/", {"activity": item.pk, "indicator": world.officers.pk}, format="json"
    )
    assert (qualitative.status_code, list(qualitative.json())) == (400, ["indicator"])
    assert ok.status_code == 201
    assert (twice.status_code, list(twice.json())) == (400, ["indicator"])


def test_anonymous_gets_no_results(db, api_client):
    assert api_client.get("/api/indicator-actuals/").status_code in (401, 403)
    assert api_client.get("/api/projects/iati.xml").status_code in (401, 403)


def test_programme_lists_only_published_projects_to_a_delegation(world, api_as):
    programme = ProgrammeFactory()
    world.project.programme = programme
    world.project.save()
    idea = ProjectFactory(programme=programme, status=Project.Status.PROPOSAL)

    as_delegation = api_as(world.delegation).get(f"/api/programmes/{programme.pk}/").json()["projects"]
    as_staff = api_as(world.reviewer).get(f"/api/programmes/{programme.pk}/").json()["projects"]

    assert as_delegation == [world.project.pk]
    assert sorted(as_staff) == sorted([world.project.pk, idea.pk])
