from datetime import date

import pytest
from django.urls import reverse

from programmes.events import services
from programmes.events.models import CoordinationAlert, Event
from programmes.permissions import Role
from tests.factories import EventFactory, make_user
from tests.programmes.events.factories import SUBJECT_A, SUBJECT_B

pytestmark = pytest.mark.django_db

LIST = reverse("api:event-list")


def _payload(world, **overrides):
    data = {
        "title": "Workshop on victim identification",
        "description": "",
        "format": "workshop",
        "lead_structure": world.oit.pk,
        "co_organisers": [world.cthb.pk],
        "thematic_areas": [world.thb.pk],
        "state": world.tajikistan.pk,
        "city": "Dushanbe",
        "online": False,
        "all_day": True,
        "start": "2010-05-10",
        "end": "2010-05-12",
        "timezone": "Asia/Dushanbe",
        "status": "planned",
        "visibility": "public",
        "partner_organisations": [],
        "project": None,
        "expected_participants": 30,
    }
    data.update(overrides)
    return data


def test_create_all_day_event_as_in_the_contract(api_as, world, secretariat_user):
    response = api_as(secretariat_user).post(LIST, _payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["start"], body["end"], body["all_day"], body["sequence"]) == ("2010-05-10", "2010-05-12", True, 0)
    event = Event.objects.get(pk=body["id"])
    assert (event.start_date, event.end_date, event.created_by) == (
        date(2010, 5, 10),
        date(2010, 5, 12),
        secretariat_user,
    )
    assert str(event.uid) == body["uid"]


def test_create_timed_event_returns_local_datetimes(api_as, world, secretariat_user):
    response = api_as(secretariat_user).post(
        LIST,
        _payload(world, all_day=False, start="2010-03-27T09:00", end="2010-03-29T17:00", timezone="Europe/Vienna"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["start"], response.json()["end"]) == (
        "2010-03-27T09:00:00+01:00",
        "2010-03-29T17:00:00+02:00",
    )
    assert Event.objects.get().end_date == date(2010, 3, 29)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": "2010-05-01"}, "end"),
        ({"start": "10 May"}, "start"),
        ({"all_day": False, "start": "2010-05-10T10:00", "end": "2010-05-10T09:00"}, "end"),
        ({"all_day": False, "start": "2010-05-10T10:00", "end": "2010-05-10T12:00", "timezone": ""}, "timezone"),
        (
            {"all_day": False, "start": "2010-05-10T10:00", "end": "2010-05-10T12:00", "timezone": "Nowhere/City"},
            "timezone",
        ),
        ({"thematic_areas": []}, "thematic_areas"),
        ({"format": "party"}, "format"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "end"),
        (
            {"all_day": False, "start": "0001-01-01T01:00", "end": "0001-01-01T03:00", "timezone": "Asia/Dushanbe"},
            "start",
        ),
    ],
)
def test_invalid_input_is_a_400_with_field_messages(api_as, world, secretariat_user, overrides, field):
    response = api_as(secretariat_user).post(LIST, _payload(world, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Event.objects.count() == 0


def test_field_user_cannot_create_for_another_structure_and_cannot_edit_others(api_as, world):
    field_user = make_user(Role.FIELD, structure=world.oit)
    client = api_as(field_user)
    refused = client.post(LIST, _payload(world, lead_structure=world.cthb.pk), format="json")
    own = client.post(LIST, _payload(world), format="json")
    other = services.event_create(
        **{
            **_payload(
                world, lead_structure=world.cthb, co_organisers=[], thematic_areas=[world.thb], state=world.tajikistan
            ),
            "project": None,
            "partner_organisations": [],
        }
    )
    forbidden = client.patch(reverse("api:event-detail", args=[other.pk]), {"title": "Mine now"}, format="json")

    assert refused.status_code == 400 and "lead_structure" in refused.json()
    assert own.status_code == 201
    assert forbidden.status_code == 403
    assert Event.objects.get(pk=other.pk).title == "Workshop on victim identification"


def test_delegation_reads_public_events_only_and_cannot_write(api_as, world, delegation_user):
    public = world.event(lead=world.oit, areas=[world.thb])
    internal = world.event(lead=world.oit, areas=[world.thb], visibility=Event.Visibility.INTERNAL)
    client = api_as(delegation_user)

    listed = client.get(LIST)
    hidden = client.get(reverse("api:event-detail", args=[internal.pk]))
    write = client.post(LIST, _payload(world), format="json")

    assert [e["id"] for e in listed.json()["results"]] == [public.pk]
    assert hidden.status_code == 404
    assert write.status_code == 403
    assert Event.objects.count() == 2


def test_patch_bumps_sequence(api_as, world, secretariat_user):
    event = world.event(lead=world.oit, areas=[world.thb])
    response = api_as(secretariat_user).patch(
        reverse("api:event-detail", args=[event.pk]), {"end": "2010-05-11"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["sequence"] == 1
    assert Event.objects.get(pk=event.pk).end_date == date(2010, 5, 11)


def test_list_filters_combine(api_as, world, secretariat_user):
    for day in range(1, 21):
        world.event(
            lead=world.oit if day % 2 else world.cthb,
            areas=[world.thb if day % 3 else world.cyber],
            state=world.tajikistan,
            start=date(2010, 5, day),
        )
    client = api_as(secretariat_user)
    response = client.get(
        LIST,
        {
            "thematic_area": world.crime.pk,
            "structure": world.oit.pk,
            "region": "central_asia",
            "date_from": "2010-05-05",
        },
    )
    ids = [e["id"] for e in response.json()["results"]]
    expected = Event.objects.filter(
        thematic_areas=world.thb, lead_structure=world.oit, end_date__gte=date(2010, 5, 5)
    ).values_list("pk", flat=True)
    assert sorted(ids) == sorted(expected) and ids


def test_duplicates_endpoint_lists_best_first_with_reasons(api_as, world, secretariat_user, delegation_user):
    event = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Workshop on identifying trafficking victims",
    )
    close = world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 19),
        title="Workshop on identifying trafficking victims in Tajikistan",
    )
    # Two days off, not seven: since issue 11 an overlap needs the same State and a close week (threshold 0.80).
    further = world.event(
        lead=world.borders_team, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 21), title=SUBJECT_B
    )
    url = reverse("api:event-duplicates", args=[event.pk])

    response = api_as(secretariat_user).get(url)

    body = response.json()
    assert [item["event"]["id"] for item in body] == [close.pk, further.pk]
    assert body[0]["score"] > body[1]["score"]
    assert body[0]["reasons"][:2] == ["same area: THB", "both in Tajikistan"]
    assert api_as(delegation_user).get(url).status_code == 403


def test_alerts_list_and_resolve(api_as, world, coordinator, secretariat_user):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B)
    services.duplicates_check_event(event_id=a.pk)
    alert = CoordinationAlert.objects.get()
    resolve = reverse("api:coordination-alert-resolve", args=[alert.pk])

    listed = api_as(secretariat_user).get(reverse("api:coordination-alert-list"), {"status": "open"})
    not_allowed = api_as(secretariat_user).post(resolve, {"resolution": "coordinated"}, format="json")
    bad = api_as(coordinator).post(resolve, {"resolution": "maybe"}, format="json")
    done = api_as(coordinator).post(resolve, {"resolution": "coordinated"}, format="json")

    assert [row["id"] for row in listed.json()["results"]] == [alert.pk]
    assert not_allowed.status_code == 403
    assert bad.status_code == 400 and "resolution" in bad.json()
    assert done.status_code == 200 and done.json()["status"] == "coordinated"
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("coordinated", coordinator)


def test_only_managers_delete_events(api_as, world, secretariat_user, coordinator):
    event = world.event(lead=world.oit, areas=[world.thb])
    url = reverse("api:event-detail", args=[event.pk])
    assert api_as(secretariat_user).delete(url).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    assert api_as(coordinator).delete(url).status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


def test_deleting_an_event_takes_its_alerts_and_leaves_the_rest_of_the_calendar(api_as, world, coordinator):
    doomed = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A
    )
    twin = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B
    )
    services.duplicates_check_event(event_id=doomed.pk)
    assert CoordinationAlert.objects.filter(event_a=min(doomed.pk, twin.pk)).count() == 1

    response = api_as(coordinator).delete(reverse("api:event-detail", args=[doomed.pk]))

    assert response.status_code == 204
    assert list(Event.objects.values_list("pk", flat=True)) == [twin.pk]
    assert not CoordinationAlert.objects.exists()


@pytest.mark.parametrize("pairs", [2, 12])
def test_alert_list_query_count_is_constant(api_as, world, secretariat_user, django_assert_num_queries, pairs):
    for i in range(pairs):
        a = world.event(
            lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 1 + i % 12, 10), title=SUBJECT_A
        )
        world.event(
            lead=world.cthb,
            areas=[world.thb],
            state=world.tajikistan,
            start=date(2010, 1 + i % 12, 11),
            title=SUBJECT_B,
        )
        services.duplicates_check_event(event_id=a.pk)
    client = api_as(secretariat_user)
    with django_assert_num_queries(2):
        response = client.get(reverse("api:coordination-alert-list"))
    assert response.json()["count"] == CoordinationAlert.objects.count() >= pairs


def test_list_count_for_a_state_and_period_reads_only_columns_of_its_covering_index(api_as, world, secretariat_user):
    """The paginator's COUNT of "a State's events in a period" reads only columns of event_state_period, so PostgreSQL
    can answer it by an index-only scan (the plan depends on statistics and the visibility map: bench/README.md)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 3))
    world.event(lead=world.oit, areas=[world.thb], state=world.austria, start=date(2010, 5, 4))

    with CaptureQueriesContext(connection) as queries:
        response = api_as(secretariat_user).get(
            LIST, {"state": world.tajikistan.pk, "date_from": "2010-05-01", "date_to": "2010-05-31"}
        )

    assert response.json()["count"] == 1
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert set(re.findall(r'"programmes_event"\."(\w+)"', count)) == {"state_id", "start_date", "end_date"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'event_state_period'")
        (definition,) = cursor.fetchone()
    assert "(state_id, end_date) INCLUDE (start_date)" in definition


def test_format_filter_lists_events_of_that_format_not_a_renderer(api_as):
    workshop = EventFactory(format=Event.Format.WORKSHOP, visibility=Event.Visibility.PUBLIC)
    EventFactory(format=Event.Format.CONFERENCE, visibility=Event.Visibility.PUBLIC)
    client = api_as(make_user(Role.SECRETARIAT))

    response = client.get(LIST, {"format": "workshop"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert [row["id"] for row in response.json()["results"]] == [workshop.pk]
    both = client.get(f"{LIST}?format=workshop&format=conference").json()["results"]
    assert len(both) == 2


@pytest.mark.parametrize("value", ["json", "api"])
def test_format_that_names_a_renderer_is_an_unknown_event_format(api_as, value):
    response = api_as(make_user(Role.SECRETARIAT)).get(LIST, {"format": value}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_events_browsable_api_is_still_reached_through_the_accept_header(api_as):
    response = api_as(make_user(Role.SECRETARIAT)).get(LIST, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_events_browsable_api_offers_no_format_links_that_would_be_read_as_the_event_filter(api_as):
    response = api_as(make_user(Role.SECRETARIAT)).get(LIST, HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert 'id="get-form"' in page
    assert "format=json" not in page
    assert "format=api" not in page


def test_other_endpoints_browsable_api_keeps_its_format_links(api_as):
    response = api_as(make_user(Role.SECRETARIAT)).get(reverse("api:project-list"), HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert response.status_code == 200
    assert "?format=json" in page
    assert "?format=api" in page
