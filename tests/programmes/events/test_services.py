from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programmes.events import selectors, services
from programmes.events.models import CoordinationAlert, Event
from programmes.permissions import Role
from tests.factories import make_user
from tests.programmes.events.factories import SUBJECT_A, SUBJECT_B

pytestmark = pytest.mark.django_db


def _fields(world, **overrides):
    fields = {
        "title": "Border workshop",
        "format": Event.Format.WORKSHOP,
        "lead_structure": world.oit,
        "thematic_areas": [world.border],
        "state": world.tajikistan,
        "city": "Dushanbe",
        "all_day": True,
        "start": date(2010, 5, 10),
        "end": date(2010, 5, 12),
    }
    fields.update(overrides)
    return fields


def test_event_create_accepts_m2m_lists_and_api_style_dates(world):
    event = services.event_create(**_fields(world, co_organisers=[world.borders_team], partner_organisations=[]))
    event.refresh_from_db()
    assert (event.start_date, event.end_date, event.start_at, event.all_day) == (
        date(2010, 5, 10),
        date(2010, 5, 12),
        None,
        True,
    )
    assert list(event.co_organisers.all()) == [world.borders_team]
    assert list(event.thematic_areas.all()) == [world.border]


def test_timed_event_stores_utc_and_local_days(world):
    event = services.event_create(
        **_fields(
            world,
            all_day=False,
            start=datetime(2010, 5, 10, 22, 0),
            end=datetime(2010, 5, 11, 0, 0),
            timezone="Asia/Dushanbe",
        )
    )
    event.refresh_from_db()
    assert event.start_at == datetime(2010, 5, 10, 17, 0, tzinfo=ZoneInfo("UTC"))
    # Ending at midnight does not occupy the next day.
    assert (event.start_date, event.end_date) == (date(2010, 5, 10), date(2010, 5, 10))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": date(2010, 5, 9)}, "end"),
        (
            {
                "all_day": False,
                "start": datetime(2010, 5, 10, 9),
                "end": datetime(2010, 5, 10, 8),
                "timezone": "Europe/Vienna",
            },
            "end",
        ),
        ({"all_day": False, "start": datetime(2010, 5, 10, 9), "end": datetime(2010, 5, 10, 10)}, "timezone"),
        (
            {
                "all_day": False,
                "start": datetime(2010, 5, 10, 9),
                "end": datetime(2010, 5, 10, 10),
                "timezone": "Mars/Olympus",
            },
            "timezone",
        ),
        ({"thematic_areas": []}, "thematic_areas"),
        # Far-off years would overflow the feeds' exclusive DTEND and the duplicate window.
        ({"start": date(9999, 12, 30), "end": date(9999, 12, 31)}, "end"),
        (
            {"all_day": False, "start": datetime(1, 1, 1, 1), "end": datetime(1, 1, 1, 3), "timezone": "Asia/Dushanbe"},
            "start",
        ),
    ],
)
def test_invalid_events_are_refused_with_field_errors(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.event_create(**_fields(world, **overrides))
    assert field in exc.value.message_dict
    assert Event.objects.count() == 0


def test_field_user_may_only_lead_own_operation(world):
    field_user = make_user(Role.FIELD, structure=world.oit)
    own = services.event_create(actor=field_user, **_fields(world))
    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=field_user, **_fields(world, lead_structure=world.cthb))
    assert "lead_structure" in exc.value.message_dict
    other = services.event_create(**_fields(world, lead_structure=world.cthb))
    with pytest.raises(PermissionDenied):
        services.event_update(event=other, data={"title": "Taken over"}, actor=field_user)
    assert Event.objects.get(pk=other.pk).title == "Border workshop"
    assert own.created_by == field_user


def test_switching_to_timed_requires_times(world):
    event = services.event_create(**_fields(world))
    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, data={"all_day": False, "timezone": "Asia/Dushanbe"})
    assert "start" in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).all_day is True


def test_visibility_delegations_see_public_only_field_and_staff_see_internal(
    world, delegation_user, field_user, secretariat_user
):
    public = world.event(lead=world.oit, areas=[world.thb])
    internal = world.event(lead=world.cthb, areas=[world.thb], visibility=Event.Visibility.INTERNAL)

    assert set(selectors.visible_events(user=delegation_user)) == {public}
    assert set(selectors.visible_events(user=field_user)) == {public, internal}
    assert set(selectors.visible_events(user=secretariat_user)) == {public, internal}
    assert set(selectors.visible_events(user=None)) == {public}


def test_events_between_and_upcoming_events(world, secretariat_user):
    may = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 4, 28), end=date(2010, 5, 2))
    july = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 7, 31))
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 8, 1))

    assert list(selectors.events_between(user=secretariat_user, start=date(2010, 5, 1), end=date(2010, 5, 31))) == [may]
    assert list(selectors.upcoming_events(user=secretariat_user, today=date(2010, 5, 1))) == [may, july]


def test_events_between_and_the_grid_keep_events_touching_either_end_day_but_not_a_day_outside(world, secretariat_user):
    inside = {
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 4, 20), end=date(2010, 5, 1)),  # ends day 1
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 31), end=date(2010, 6, 9)),  # starts last
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 4, 1), end=date(2010, 6, 30)),  # spans it
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 15)),
    }
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 4, 20), end=date(2010, 4, 30))
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 6, 1), end=date(2010, 6, 2))

    may = selectors.events_between(user=secretariat_user, start=date(2010, 5, 1), end=date(2010, 5, 31))
    assert set(may) == inside
    # The month grid's rows (the window asked again as the GiST expression on PostgreSQL): the same events.
    grid = selectors.month_grid_rows(may, start=date(2010, 5, 1), end=date(2010, 5, 31))
    assert {pk for pk, _start, _end in grid} == {event.pk for event in inside}


def test_open_alerts_joins_both_events(world, django_assert_num_queries):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B)
    services.duplicates_check_event(event_id=a.pk)
    with django_assert_num_queries(1):
        rows = [(x.event_a.lead_structure.acronym, x.event_b.lead_structure.acronym) for x in selectors.open_alerts()]
    assert sorted(rows[0]) == ["OSR/CTHB", "OiT"]
    assert CoordinationAlert.objects.filter(status="open").count() == 1


def test_alert_resolve_refuses_unknown_resolution(world, coordinator):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B)
    assert len(services.duplicates_check_event(event_id=a.pk)) == 1
    with pytest.raises(ValidationError):
        services.alert_resolve(alert=CoordinationAlert.objects.get(), resolution="open", actor=coordinator)
    assert CoordinationAlert.objects.get().status == "open"


def test_event_delete_refuses_a_user_who_may_not_edit_the_event(world):
    field_user = make_user(Role.FIELD, structure=world.oit)
    other = services.event_create(**_fields(world, lead_structure=world.cthb))

    with pytest.raises(PermissionDenied):
        services.event_delete(event=other, actor=field_user)

    assert Event.objects.filter(pk=other.pk).exists()
