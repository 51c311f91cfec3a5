"""The calendar's chips and the agenda's rows, written in Python (programmes/events/html.py, issue 14): the same
links, labels and dates the templates wrote."""

from datetime import date, datetime
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programmes.events.html import EventMarkup
from programmes.events.models import Event
from tests.programmes.events.factories import timed_event

pytestmark = pytest.mark.django_db

CALENDAR = reverse("events:calendar")
AGENDA = reverse("events:agenda")


def _events(world) -> list[Event]:
    return [
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3)),
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 30), end=date(2010, 6, 2)),
        timed_event(world, start=datetime(2010, 5, 4, 10), end=datetime(2010, 5, 4, 12, 30), timezone="Asia/Dushanbe"),
        # Crosses the end of summer time in Vienna: the end is shown in winter time, with its date.
        timed_event(world, start=datetime(2010, 10, 30, 9), end=datetime(2010, 11, 1, 17), timezone="Europe/Vienna"),
        timed_event(world, start=datetime(2010, 5, 6, 23, 15), end=datetime(2010, 5, 7, 0, 45), timezone="UTC"),
    ]


@pytest.mark.parametrize("language", ["en", "ru", "de"])
def test_event_dates_are_written_as_the_event_when_include_writes_them(world, language):
    events = _events(world)

    with translation.override(language):
        markup = EventMarkup()
        for event in events:
            event.refresh_from_db()
            # The include file ends with a newline that its callers keep; the markup is the rest.
            assert markup.when(event) == render_to_string(
                "events/includes/event_when.html", {"event": event}
            ).removesuffix("\n"), event.title


def test_agenda_rows_link_each_event_with_its_dates_lead_place_areas_and_status(client_as, world, coordinator):
    online = world.event(
        lead=world.cthb,
        areas=[world.thb, world.drugs],
        start=date(2010, 5, 3),
        end=date(2010, 5, 4),
        title="Workshop <on> THB & drugs",
        online=True,
        visibility=Event.Visibility.INTERNAL,
        status=Event.Status.CANCELLED,
    )
    timed = timed_event(
        world, start=datetime(2010, 5, 4, 10), end=datetime(2010, 5, 4, 12, 30), timezone="Asia/Dushanbe"
    )

    body = client_as(coordinator).get(AGENDA, {"month": "2010-05"}).content.decode()

    assert (
        "\n        <tr>\n"
        '          <td><time datetime="2010-05-03">Mon 3 May 2010</time> – '
        '<time datetime="2010-05-04">Tue 4 May 2010</time>\n</td>\n'
        f'          <td><a href="/calendar/events/{online.pk}/">Workshop &lt;on&gt; THB &amp; drugs</a><br>'
        '<span class="muted">Workshop · internal</span></td>\n'
        '          <td><abbr title="Office of the Special Representative on THB">OSR/CTHB</abbr></td>\n'
        "          <td>Online</td>\n"
        '          <td><span class="tag">Drugs</span> <span class="tag">THB</span> </td>\n'
        '          <td><span class="status status-cancelled">Cancelled</span></td>\n'
        "        </tr>\n"
    ) in body
    assert (
        f'<td><a href="/calendar/events/{timed.pk}/">Expert meeting on travel document security</a><br>'
        '<span class="muted">Expert meeting</span></td>\n'
        '          <td><abbr title="Action against Terrorism Unit">ATU</abbr></td>\n'
        "          <td>Vienna, Austria</td>\n"
        '          <td><span class="tag">Cyber security</span> </td>\n'
        '          <td><span class="status status-planned">Planned</span></td>'
    ) in body
    assert (
        '<time datetime="2010-05-04T10:00:00+05:00">Tue 4 May 2010, 10:00</time> – '
        '<time datetime="2010-05-04T12:30:00+05:00">12:30</time> <span class="muted">(Asia/Dushanbe)</span>'
    ) in body


def test_agenda_without_events_says_so(client_as, coordinator):
    body = client_as(coordinator).get(AGENDA, {"month": "2010-05"}).content.decode()

    assert '<tr><td colspan="6">No event matches these filters in this period.</td></tr>' in body


def test_calendar_chips_link_events_with_time_title_and_cancelled_label(client_as, world, coordinator):
    cancelled = world.event(
        lead=world.oit,
        areas=[world.thb],
        start=date(2010, 5, 3),
        title='Course "A" & <B>',
        status=Event.Status.CANCELLED,
        visibility=Event.Visibility.INTERNAL,
    )
    timed = timed_event(
        world, start=datetime(2010, 5, 4, 10), end=datetime(2010, 5, 4, 12, 30), timezone="Asia/Dushanbe"
    )

    body = client_as(coordinator).get(CALENDAR, {"month": "2010-05"}).content.decode()

    assert (
        f'<ul class="day-events"><li><a class="event-chip status-cancelled internal" '
        f'href="/calendar/events/{cancelled.pk}/" title="Course &quot;A&quot; &amp; &lt;B&gt; · OiT">'
        '<span class="chip-title">Course &quot;A&quot; &amp; &lt;B&gt;</span> '
        '<span class="visually-hidden">(Cancelled)</span></a>\n</li></ul>'
    ) in body
    # The event's own local time (10:00 in Dushanbe), not the portal's time zone.
    assert (
        f'<li><a class="event-chip status-planned" href="/calendar/events/{timed.pk}/" '
        'title="Expert meeting on travel document security · ATU"><span class="time">10:00</span> '
        '<span class="chip-title">Expert meeting on travel document security</span></a>\n</li>'
    ) in body


def test_busy_day_links_the_rest_to_the_agenda_keeping_the_filters(client_as, world, coordinator):
    for _ in range(6):
        world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 12))

    response = client_as(coordinator).get(
        CALENDAR, {"month": "2010-05", "structure": world.oit.pk, "visibility": "public"}
    )
    body = response.content.decode()

    assert body.count('<a class="event-chip') == 4
    assert (
        f'<a class="more" href="/calendar/agenda/?date_from=2010-05-12&amp;date_to=2010-05-12'
        f'&amp;structure={world.oit.pk}&amp;visibility=public">+2 more</a>'
    ) in body


def test_month_grid_marks_other_month_days_and_today_and_lists_a_multi_day_event_on_each_day(
    client_as, world, coordinator
):
    course = world.event(
        lead=world.oit, areas=[world.thb], start=date(2010, 5, 30), end=date(2010, 6, 1), title="Course <one>"
    )
    chip = (
        f'<ul class="day-events"><li><a class="event-chip status-planned" href="/calendar/events/{course.pk}/" '
        'title="Course &lt;one&gt; · OiT"><span class="chip-title">Course &lt;one&gt;</span></a>\n</li></ul>'
    )

    with mock.patch("django.utils.timezone.localdate", return_value=date(2010, 5, 31)):
        body = client_as(coordinator).get(CALENDAR, {"month": "2010-05"}).content.decode()

    # 1 May 2010 was a Saturday: the grid starts on Monday 26 April, outside the month.
    assert (
        '<tbody>\n      \n        <tr>\n        \n          <td class="other-month">\n'
        '            <span class="day-number">26</span>\n            \n            \n          </td>\n        '
    ) in body
    assert (
        '\n          <td class=" today" aria-current="date">\n'
        '            <span class="day-number">31 <span class="today-label">today</span></span>\n'
        f"            {chip}\n            \n          </td>\n        "
    ) in body
    assert (
        '\n          <td class="other-month">\n            <span class="day-number">1</span>\n'
        f"            {chip}\n            \n          </td>\n        "
    ) in body
    assert body.count(chip) == 3
    assert body.count("<tr>\n        \n          <td") == 6  # six weeks
