from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.events import services
from programmes.events.models import CalendarFeedToken, CoordinationAlert, Event
from programmes.permissions import Role
from tests.factories import make_user
from tests.programmes.events.factories import SUBJECT_A, SUBJECT_B

pytestmark = pytest.mark.django_db

CALENDAR = reverse("events:calendar")


def test_month_grid_starts_on_monday_marks_today_and_spans_days(client_as, world, secretariat_user):
    event = world.event(
        lead=world.oit,
        areas=[world.thb],
        start=date(2010, 5, 30),
        end=date(2010, 6, 2),
        title="Four-day course on victim identification",
    )

    response = client_as(secretariat_user).get(CALENDAR, {"month": "2010-05"})

    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert weeks[0][0]["date"] == date(2010, 4, 26)  # 1 May 2010 was a Saturday; the grid starts on Monday
    assert all(week[0]["date"].weekday() == 0 for week in weeks)
    days_with_event = [cell["date"] for week in weeks for cell in week if event.pk in [e.pk for e in cell["events"]]]
    assert days_with_event == [date(2010, 5, 30), date(2010, 5, 31), date(2010, 6, 1), date(2010, 6, 2)]
    assert response.content.count(b'title="Four-day course on victim identification') == 4
    today = client_as(secretariat_user).get(CALENDAR)
    marked = [cell["date"] for week in today.context["weeks"] for cell in week if cell["today"]]
    assert marked == [timezone.localdate()]
    assert b'aria-current="date"' in today.content


def test_month_filters_are_kept_in_navigation_links(client_as, world, secretariat_user):
    thb = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10), title="THB event")
    world.event(lead=world.atu, areas=[world.cyber], start=date(2010, 5, 11), title="Cyber event")

    response = client_as(secretariat_user).get(CALENDAR, {"month": "2010-05", "thematic_area": world.crime.pk})

    content = response.content.decode()
    assert "THB event" in content and "Cyber event" not in content
    assert f"month=2010-06&amp;thematic_area={world.crime.pk}" in content
    assert f"feed.ics?date_from=2010-05-01&amp;thematic_area={world.crime.pk}" in content
    assert Event.objects.filter(pk=thb.pk).exists()


def test_empty_month_points_to_the_closest_months_with_matching_events(client_as, world, secretariat_user):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10), title="THB in May")
    world.event(lead=world.atu, areas=[world.cyber], start=date(2010, 9, 1), title="Cyber in September")
    world.event(lead=world.oit, areas=[world.thb], start=date(2011, 2, 3), title="THB in February")

    response = client_as(secretariat_user).get(CALENDAR, {"month": "2010-08", "thematic_area": world.crime.pk})

    assert response.status_code == 200
    assert response.context["event_count"] == 0
    assert response.context["earlier_month"] == date(2010, 5, 1)
    assert response.context["later_month"] == date(2011, 2, 1)  # the cyber event does not match the filter
    assert f"?month=2011-02&amp;thematic_area={world.crime.pk}" in response.content.decode()


def test_month_with_events_has_no_pointer_to_other_months(client_as, world, secretariat_user):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))

    response = client_as(secretariat_user).get(CALENDAR, {"month": "2010-05"})

    assert response.context["event_count"] == 1
    assert "earlier_month" not in response.context
    assert b"No events match in this month." not in response.content


def test_agenda_lists_events_in_order(client_as, world, delegation_user):
    late = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 20), title="Late")
    early = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 2), title="Early")
    world.event(
        lead=world.oit, areas=[world.thb], start=date(2010, 5, 3), title="Hidden", visibility=Event.Visibility.INTERNAL
    )

    response = client_as(delegation_user).get(reverse("events:agenda"), {"month": "2010-05"})

    assert [e.pk for e in response.context["page"]] == [early.pk, late.pk]
    assert b"Hidden" not in response.content


def test_delegation_cannot_open_internal_event_or_the_create_form(client_as, world, delegation_user):
    internal = world.event(lead=world.oit, areas=[world.thb], visibility=Event.Visibility.INTERNAL)
    client = client_as(delegation_user)
    assert client.get(internal.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event_create")).status_code == 403
    assert client.get(reverse("events:alert_list")).status_code == 403
    assert Event.objects.count() == 1


def test_event_detail_shows_duplicates_to_staff(client_as, world, secretariat_user):
    event = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A
    )
    other = world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 21),
        title="Victim identification workshop for police",
    )

    response = client_as(secretariat_user).get(event.get_absolute_url())

    assert response.status_code == 200
    assert [m.event for m in response.context["duplicates"]] == [other]
    assert "same area: THB; both in Tajikistan; 3 days apart" in response.content.decode()


def _form(world, **overrides):
    data = {
        "title": "Workshop on border security",
        "format": "workshop",
        "lead_structure": world.oit.pk,
        "thematic_areas": [world.border.pk],
        "state": world.tajikistan.pk,
        "city": "Dushanbe",
        "all_day": "on",
        "start_date": "2010-06-07",
        "end_date": "2010-06-09",
        "timezone": "",
        "status": "planned",
        "visibility": "internal",
    }
    data.update(overrides)
    return data


def test_field_user_creates_an_event_for_own_operation(client_as, world):
    field_user = make_user(Role.FIELD, structure=world.oit)
    client = client_as(field_user)

    response = client.post(reverse("events:event_create"), _form(world))

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (event.lead_structure, event.start_date, event.end_date, event.created_by) == (
        world.oit,
        date(2010, 6, 7),
        date(2010, 6, 9),
        field_user,
    )
    refused = client.post(reverse("events:event_create"), _form(world, lead_structure=world.cthb.pk))
    assert refused.status_code == 200 and "lead_structure" in refused.context["form"].errors
    assert Event.objects.count() == 1


def test_form_errors_are_shown_next_to_fields(client_as, world, secretariat_user):
    client = client_as(secretariat_user)
    backwards = client.post(reverse("events:event_create"), _form(world, end_date="2010-06-01"))
    no_zone = client.post(
        reverse("events:event_create"), _form(world, all_day="", start_time="09:00", end_time="17:00")
    )
    no_times = client.post(reverse("events:event_create"), _form(world, all_day="", timezone="Asia/Dushanbe"))

    assert "end_date" in backwards.context["form"].errors
    assert "timezone" in no_zone.context["form"].errors
    assert "start_time" in no_times.context["form"].errors
    assert b'class="error"' in backwards.content
    assert Event.objects.count() == 0


def test_timed_event_via_form_and_edit_bumps_sequence(client_as, world, secretariat_user):
    client = client_as(secretariat_user)
    client.post(
        reverse("events:event_create"),
        _form(world, all_day="", start_time="09:00", end_time="17:30", end_date="2010-06-07", timezone="Asia/Dushanbe"),
    )
    event = Event.objects.get()
    assert (event.local_start.hour, event.local_end.hour, event.local_end.minute) == (9, 17, 30)

    edit = client.get(reverse("events:event_edit", args=[event.pk]))
    assert edit.context["form"].initial["start_time"].hour == 9
    response = client.post(
        reverse("events:event_edit", args=[event.pk]),
        _form(world, all_day="", start_time="10:00", end_time="17:30", end_date="2010-06-07", timezone="Asia/Dushanbe"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.local_start.hour, event.sequence) == (10, 1)


def test_field_user_cannot_edit_or_cancel_another_structures_event(client_as, world):
    field_user = make_user(Role.FIELD, structure=world.oit)
    other = world.event(lead=world.cthb, areas=[world.thb])
    client = client_as(field_user)
    assert client.get(reverse("events:event_edit", args=[other.pk])).status_code == 403
    assert client.post(reverse("events:event_cancel", args=[other.pk])).status_code == 403
    assert Event.objects.get(pk=other.pk).status == Event.Status.PLANNED


def test_cancel_marks_event_cancelled(client_as, world, secretariat_user):
    event = world.event(lead=world.oit, areas=[world.thb])
    response = client_as(secretariat_user).post(reverse("events:event_cancel", args=[event.pk]))
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


def test_coordinator_resolves_alert_from_the_list(client_as, world, coordinator, secretariat_user):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B)
    services.duplicates_check_event(event_id=a.pk)
    alert = CoordinationAlert.objects.get()

    listed = client_as(secretariat_user).get(reverse("events:alert_list"))
    denied = client_as(secretariat_user).post(
        reverse("events:alert_resolve", args=[alert.pk]), {"resolution": "coordinated"}
    )
    done = client_as(coordinator).post(
        reverse("events:alert_resolve", args=[alert.pk]), {"resolution": "not_duplicate"}
    )

    assert list(listed.context["page"]) == [alert]
    assert denied.status_code == 403
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "not_duplicate"
    assert list(client_as(coordinator).get(reverse("events:alert_list")).context["page"]) == []


def test_user_creates_shows_once_and_revokes_a_private_feed(client_as, secretariat_user):
    client = client_as(secretariat_user)
    created = client.post(reverse("events:feed_tokens"), {"action": "create"}, follow=True)
    url = created.context["new_url"]
    token = CalendarFeedToken.objects.get(user=secretariat_user)
    secret = url.rsplit("/", 1)[-1].removesuffix(".ics")
    assert client.get(reverse("events:private_feed", args=[secret])).status_code == 200
    assert client.get(reverse("events:feed_tokens")).context["new_url"] is None  # shown once

    client.post(reverse("events:feed_tokens"), {"action": "revoke", "token": token.pk})

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("events:private_feed", args=[secret])).status_code == 404


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1-1"])
def test_month_at_the_edge_of_the_calendar_falls_back_to_this_month(client_as, world, secretariat_user, month):
    event = world.event(lead=world.oit, areas=[world.thb], start=timezone.localdate(), title="Workshop held today")
    client = client_as(secretariat_user)

    grid = client.get(CALENDAR, {"month": month})
    agenda = client.get(reverse("events:agenda"), {"month": month})

    assert grid.status_code == 200 and agenda.status_code == 200
    assert grid.context["month"] == agenda.context["month"] == timezone.localdate().replace(day=1)
    assert event.title in grid.content.decode() and event.title in agenda.content.decode()


def test_event_form_refuses_a_year_that_would_break_the_calendar(client_as, world, secretariat_user):
    response = client_as(secretariat_user).post(
        reverse("events:event_create"),
        {
            "title": "Typo workshop",
            "format": "workshop",
            "lead_structure": world.oit.pk,
            "thematic_areas": [world.thb.pk],
            "city": "Dushanbe",
            "all_day": "on",
            "start_date": "9999-12-30",
            "end_date": "9999-12-31",
            "status": "planned",
            "visibility": "public",
        },
    )

    assert response.status_code == 200
    assert "between the years 1900 and 2100" in response.content.decode()
    assert not Event.objects.exists()
    assert client_as(secretariat_user).get(reverse("events:feed")).status_code == 200
