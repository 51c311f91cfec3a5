"""iCalendar feeds: RFC 5545 details checked on the raw bytes and by parsing them back with ``icalendar``."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from programmes.events import feeds, services
from programmes.events.feeds import event_uid
from programmes.events.models import CalendarFeedToken, Event
from programmes.models import ThematicArea
from tests.factories import EventFactory
from tests.programmes.events.factories import timed_event

pytestmark = pytest.mark.django_db

FEED = reverse("events:feed")
SINCE_2010 = {"date_from": "2010-01-01"}


def _vevents(body: bytes):
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_public_feed_parses_and_uids_round_trip_identically_across_renders(client, world):
    events = [world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, d)) for d in (3, 10, 17)]

    first = client.get(FEED, SINCE_2010)
    second = client.get(FEED, SINCE_2010)

    assert first.status_code == 200
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    uids = [str(v["UID"]) for v in _vevents(first.content)]
    assert sorted(uids) == sorted(event_uid(e) for e in events)
    assert all(uid.startswith(str(e.uid)) for uid, e in zip(uids, events, strict=True))
    assert client.get(FEED, SINCE_2010, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head(FEED, SINCE_2010).status_code == 200
    assert client.post(FEED).status_code == 405


def test_public_feed_has_only_public_events_and_honours_filters(client, world):
    public = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3))
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 4), visibility=Event.Visibility.INTERNAL)
    other_area = world.event(lead=world.atu, areas=[world.cyber], start=date(2010, 5, 5))

    all_public = _vevents(client.get(FEED, SINCE_2010).content)
    crime_only = _vevents(client.get(FEED, {**SINCE_2010, "thematic_area": world.crime.pk}).content)

    assert {str(v["UID"]) for v in all_public} == {event_uid(public), event_uid(other_area)}
    assert [str(v["UID"]) for v in crime_only] == [event_uid(public)]
    assert client.get(FEED, {"date_from": "not-a-date"}).status_code == 400


def test_all_day_event_is_value_date_with_exclusive_end(client, world):
    event = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10), end=date(2010, 5, 12))

    body = client.get(FEED, SINCE_2010).content

    assert b"DTSTART;VALUE=DATE:20100510\r\n" in body
    assert b"DTEND;VALUE=DATE:20100513\r\n" in body
    (vevent,) = _vevents(body)
    assert vevent.decoded("DTSTART") == date(2010, 5, 10)
    assert vevent.decoded("DTEND") == date(2010, 5, 13)
    assert Event.objects.get(pk=event.pk).end_date == date(2010, 5, 12)


def test_dst_crossing_timed_event_keeps_wall_clock_times_and_has_its_vtimezone(client, world):
    # Vienna moves from CET to CEST in the night of 27 to 28 March 2010.
    event = timed_event(
        world, start=datetime(2010, 3, 27, 9, 0), end=datetime(2010, 3, 29, 17, 0), timezone="Europe/Vienna"
    )

    body = client.get(FEED, SINCE_2010).content

    assert b"DTSTART;TZID=Europe/Vienna:20100327T090000\r\n" in body
    assert b"DTEND;TZID=Europe/Vienna:20100329T170000\r\n" in body
    (vevent,) = _vevents(body)
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert start.utcoffset().total_seconds() == 3600 and end.utcoffset().total_seconds() == 7200
    utc = ZoneInfo("UTC")
    assert (end.astimezone(utc) - start.astimezone(utc)).total_seconds() == 55 * 3600  # one hour lost to DST
    event.refresh_from_db()
    assert event.start_at == datetime(2010, 3, 27, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert event.end_at == datetime(2010, 3, 29, 15, 0, tzinfo=ZoneInfo("UTC"))


def test_every_tzid_used_has_a_vtimezone(client, world):
    timed_event(world, start=datetime(2010, 5, 4, 10), end=datetime(2010, 5, 4, 12), timezone="Asia/Dushanbe")
    timed_event(world, start=datetime(2010, 5, 5, 10), end=datetime(2010, 5, 5, 12), timezone="Asia/Bishkek")
    timed_event(world, start=datetime(2010, 5, 6, 10), end=datetime(2010, 5, 6, 12), timezone="Europe/Vienna")
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 7))

    cal = Calendar.from_ical(client.get(FEED, SINCE_2010).content)

    used = {str(v["DTSTART"].params["TZID"]) for v in cal.walk("VEVENT") if "TZID" in v["DTSTART"].params}
    used |= {str(v["DTEND"].params["TZID"]) for v in cal.walk("VEVENT") if "TZID" in v["DTEND"].params}
    defined = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert used == {"Asia/Dushanbe", "Asia/Bishkek", "Europe/Vienna"}
    assert used <= defined


def test_lines_are_folded_at_75_octets_without_splitting_utf8_and_text_is_escaped(client, world):
    title = "Семинар по противодействию торговле людьми в Центральной Азии; Душанбе, Худжанд и Хорог \\ 2010"
    world.event(
        lead=world.oit,
        areas=[world.thb],
        start=date(2010, 5, 10),
        title=title,
        description="Первая строка\nвторая строка, с запятой",
    )

    body = client.get(FEED, SINCE_2010).content

    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title really was folded
    for line in lines:
        line.decode("utf-8")  # raises if a fold split a multi-byte character
    unfolded = body.replace(b"\r\n ", b"").decode("utf-8")
    assert "SUMMARY:Семинар по противодействию торговле людьми в Центральной Азии\\; Душанбе\\, Худжанд" in unfolded
    assert "\\\\ 2010" in unfolded
    assert "Первая строка\\nвторая строка\\, с запятой" in unfolded
    (vevent,) = _vevents(body)
    assert str(vevent["SUMMARY"]) == title


def test_changed_event_has_higher_sequence_and_last_modified(client, world):
    event = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))
    (before,) = _vevents(client.get(FEED, SINCE_2010).content)

    services.event_update(event=event, data={"title": "Renamed workshop", "city": "Khujand"})
    (after,) = _vevents(client.get(FEED, SINCE_2010).content)

    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    assert str(after["UID"]) == str(before["UID"])
    assert Event.objects.get(pk=event.pk).sequence == 1


def test_update_that_changes_nothing_visible_keeps_the_sequence(world):
    event = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))
    updated = services.event_update(event=event, data={"expected_participants": 40})
    assert updated.sequence == 0
    assert Event.objects.get(pk=event.pk).expected_participants == 40


def test_cancelled_event_carries_status_cancelled_and_a_new_sequence(client, world):
    event = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))

    services.event_cancel(event=event)

    (vevent,) = _vevents(client.get(FEED, SINCE_2010).content)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


def test_private_feed_carries_internal_events_for_the_token_holder(client, world, field_user):
    internal = world.event(
        lead=world.oit, areas=[world.thb], start=date(2010, 5, 4), visibility=Event.Visibility.INTERNAL
    )
    public = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 5))
    row, secret = services.feed_token_create(actor=field_user)

    response = client.get(reverse("events:private_feed", args=[secret]), SINCE_2010)

    assert response.status_code == 200
    assert {str(v["UID"]) for v in _vevents(response.content)} == {event_uid(internal), event_uid(public)}
    assert row.token_hash != secret and secret not in row.token_hash
    assert CalendarFeedToken.objects.get(pk=row.pk).last_used_at is not None


def test_private_feed_for_a_delegation_has_public_events_only(client, world, delegation_user):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 4), visibility=Event.Visibility.INTERNAL)
    public = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 5))
    _row, secret = services.feed_token_create(actor=delegation_user)

    response = client.get(reverse("events:private_feed", args=[secret]), SINCE_2010)

    assert [str(v["UID"]) for v in _vevents(response.content)] == [event_uid(public)]


def test_private_feed_with_wrong_or_revoked_token_is_404(client, world, secretariat_user):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 4), visibility=Event.Visibility.INTERNAL)
    row, secret = services.feed_token_create(actor=secretariat_user)

    wrong = client.get(reverse("events:private_feed", args=[secret[:-2] + "xx"]))
    assert services.feed_token_revoke(actor=secretariat_user, token_id=row.pk)
    revoked = client.get(reverse("events:private_feed", args=[secret]))

    assert wrong.status_code == 404
    assert revoked.status_code == 404
    assert CalendarFeedToken.objects.get(pk=row.pk).revoked_at is not None


def test_default_feed_window_leaves_out_old_events(client):
    EventFactory(start_date=date(2001, 1, 1))
    recent = EventFactory(start_date=date.today())

    uids = [str(v["UID"]) for v in _vevents(client.get(FEED).content)]

    assert uids == [event_uid(recent)]


def test_vtimezones_come_in_tzid_order_so_every_worker_renders_the_same_bytes(client, world):
    # icalendar adds missing VTIMEZONEs in set order, which differs between processes (hash seeds): unsorted, two
    # workers would serve different bytes and ETags for the same events. Five zones: 1 in 120 to be sorted by chance.
    zones = ["Europe/Vienna", "Asia/Dushanbe", "Asia/Bishkek", "Asia/Almaty", "Europe/Belgrade"]
    for day, zone in enumerate(zones, start=3):
        timed_event(world, start=datetime(2010, 5, day, 10), end=datetime(2010, 5, day, 12), timezone=zone)

    body = client.get(FEED, SINCE_2010).content

    cal = Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == sorted(zones)
    # Every VTIMEZONE comes before the first VEVENT that refers to it.
    assert body.rindex(b"END:VTIMEZONE") < body.index(b"BEGIN:VEVENT")
    assert Event.objects.filter(all_day=False).count() == len(zones)


def test_feed_is_framed_as_rfc_5545_and_drops_control_characters(client, world):
    event = world.event(
        lead=world.oit,
        areas=[world.thb],
        start=date(2010, 5, 10),
        title="Workshop\x0bon border\x0csecurity",
        description="Line one\r\nline two\x07",
        city="Dushanbe\x1f",
    )

    body = client.get(FEED, SINCE_2010).content

    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//OSCE TNT co-ordination portal//")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
    # No METHOD: the feed is a published calendar, not an iTIP message, so DTSTAMP may be the last change and two
    # renders of unchanged data stay identical.
    assert b"\r\nMETHOD:" not in body
    assert not [c for c in body.decode() if ord(c) < 32 and c not in "\r\n"] and "\x7f" not in body.decode()
    (vevent,) = _vevents(body)
    assert str(vevent["SUMMARY"]) == "Workshop on border security"
    assert str(vevent["DESCRIPTION"]).startswith("Line one\nline two\n\n")
    assert str(vevent["LOCATION"]).startswith("Dushanbe")
    assert vevent.decoded("DTSTAMP").utcoffset().total_seconds() == 0
    assert b"DTSTAMP:" + vevent.decoded("DTSTAMP").strftime("%Y%m%dT%H%M%SZ").encode() + b"\r\n" in body
    assert Event.objects.get(pk=event.pk).title == "Workshop\x0bon border\x0csecurity"  # stored as typed


def test_a_parser_that_applies_the_vtimezone_gets_the_stored_instants(client, world):
    # vobject (dateutil; what Radicale and other CalDAV servers use) builds the zone from the VTIMEZONE itself instead
    # of looking the TZID up, as Outlook does: the instants only survive if the VTIMEZONE is right.
    cases = [
        ("Europe/Vienna", datetime(2010, 7, 1, 10), datetime(2010, 7, 1, 12)),  # summer time
        ("Europe/Vienna", datetime(2010, 3, 28, 3, 30), datetime(2010, 3, 28, 5)),  # just after spring forward
        ("Europe/Vienna", datetime(2010, 10, 31, 1, 30), datetime(2010, 10, 31, 4)),  # just before falling back
        ("Europe/Vienna", datetime(2010, 12, 8, 10), datetime(2010, 12, 8, 12, 30)),  # winter
        ("America/New_York", datetime(2010, 11, 7, 0, 30), datetime(2010, 11, 7, 3)),
        ("Asia/Dushanbe", datetime(2010, 6, 1, 9), datetime(2010, 6, 1, 10)),
    ]
    events = [
        timed_event(world, start=start, end=end, timezone=zone, title=f"{zone} {start:%Y-%m-%d %H:%M}")
        for zone, start, end in cases
    ]

    body = client.get(FEED, SINCE_2010).content

    parsed = {v.uid.value: v for v in vobject.readOne(body.decode()).vevent_list}
    for event in Event.objects.filter(pk__in=[e.pk for e in events]):
        vevent = parsed[event_uid(event)]
        assert (vevent.dtstart.value.astimezone(UTC), vevent.dtend.value.astimezone(UTC)) == (
            event.start_at,
            event.end_at,
        ), event.title
    # RFC 5545 §3.6.5: an onset is the local time before the change (02:00 CET in Vienna, not 03:00).
    unfolded = body.replace(b"\r\n ", b"")
    assert b"BEGIN:DAYLIGHT\r\nDTSTART:20100328T020000\r\n" in unfolded
    assert b"BEGIN:STANDARD\r\nDTSTART:20101031T030000\r\n" in unfolded


def test_a_stored_event_in_year_9999_does_not_break_the_feed(client, world):
    # Saved before the service refused such years (or straight into the database): the feed leaves it out.
    world.event(lead=world.oit, areas=[world.thb], start=date(9999, 12, 30), end=date(9999, 12, 31))
    fine = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))

    response = client.get(FEED, SINCE_2010)

    assert response.status_code == 200
    assert [str(v["UID"]) for v in _vevents(response.content)] == [event_uid(fine)]


def test_conditional_feed_request_is_answered_without_rendering(client, world, monkeypatch):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3))
    etag = client.get(FEED, SINCE_2010)["ETag"]
    rendered = []
    monkeypatch.setattr("programmes.events.feeds.render_calendar", lambda *a, **k: rendered.append(1) or b"")

    response = client.get(FEED, SINCE_2010, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert rendered == []


def test_unchanged_feed_is_served_from_the_cache_and_an_edit_renders_it_again(client, world, monkeypatch):
    event = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3))
    first = client.get(FEED, SINCE_2010)
    from programmes.events import feeds

    real = feeds.render_calendar
    rendered = []
    monkeypatch.setattr(feeds, "render_calendar", lambda *a, **k: rendered.append(1) or real(*a, **k))

    again = client.get(FEED, SINCE_2010)
    assert rendered == [] and again.content == first.content
    services.event_update(event=event, data={"title": "Renamed workshop on trafficking"}, actor=None)
    changed = client.get(FEED, SINCE_2010)

    assert rendered == [1]
    assert changed["ETag"] != first["ETag"]
    assert b"Renamed workshop on trafficking" in changed.content


def test_feed_etag_changes_when_a_matching_event_is_deleted(client, world):
    keep = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3))
    gone = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 10))
    before = client.get(FEED, SINCE_2010)["ETag"]

    services.event_delete(event=gone, actor=None)
    after = client.get(FEED, SINCE_2010)

    assert after["ETag"] != before
    assert [str(v["uid"]) for v in _vevents(after.content)] == [event_uid(keep)]


def _icalendar_rendering(events, *, name: str) -> bytes:
    """The feed as the icalendar package serialises it, one ``to_vevent`` component per event: the reference the
    directly written feed must match byte for byte."""
    cal = Calendar()
    cal.add("prodid", feeds.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    spans: dict[str, tuple[date, date]] = {}
    for event in events:
        cal.add_component(feeds.to_vevent(event))
        if not event.all_day and event.timezone:
            first, last = spans.get(event.timezone, (event.start_date, event.end_date))
            spans[event.timezone] = (min(first, event.start_date), max(last, event.end_date))
    zones = [feeds.vtimezone(tzid, *spans[tzid]) for tzid in sorted(cal.get_missing_tzids())]
    cal.subcomponents = zones + cal.subcomponents
    return cal.to_ical()


def test_directly_written_feed_is_byte_identical_to_icalendars_serialisation(world):
    timed_event(world, start=datetime(2010, 3, 27, 9, 0), end=datetime(2010, 3, 29, 17, 0), timezone="Europe/Vienna")
    timed_event(world, start=datetime(2010, 5, 4, 10), end=datetime(2010, 5, 4, 12), timezone="Asia/Dushanbe")
    timed_event(world, start=datetime(2010, 5, 5, 10), end=datetime(2010, 5, 5, 12), timezone="UTC")
    timed_event(
        world,
        title="x" * 73 + "\\" + "; a, b\\" * 30,  # an escape exactly at a fold, and many more
        start=datetime(2010, 6, 1, 8, 30),
        end=datetime(2010, 6, 1, 18, 0),
        timezone="America/Argentina/Buenos_Aires",
    )
    world.event(
        lead=world.oit,
        areas=[world.thb, world.cyber],
        start=date(2010, 5, 10),
        title="Семинар по противодействию торговле людьми в Центральной Азии; Душанбе, Худжанд 😀 " * 3,
        description="Первая строка\r\nвторая\rтретья\nс запятой, \\N и \x0b вертикальной табуляцией\t.",
    )
    world.event(lead=world.oit, areas=[], start=date(2010, 7, 1), title="No areas, online", online=True, city="")
    cancelled = world.event(lead=world.oit, areas=[world.thb], start=date(2010, 8, 1), title="Cancelled")
    services.event_cancel(event=cancelled)
    events = feeds.feed_events(Event.objects.order_by("start_date", "start_at", "pk"))

    assert feeds.render_calendar(events, name="Joint calendar, test") == _icalendar_rendering(
        Event.objects.order_by("start_date", "start_at", "pk"), name="Joint calendar, test"
    )


def test_feed_from_rows_is_byte_identical_to_the_feed_from_event_instances(world):
    # Timed in several zones, all-day over several days, online, with and without a State or areas, several areas,
    # internal and cancelled: every value the rows carry instead of the instances.
    timed_event(world, start=datetime(2010, 3, 27, 9, 0), end=datetime(2010, 3, 29, 17, 0), timezone="Europe/Vienna")
    timed_event(world, start=datetime(2010, 5, 5, 10), end=datetime(2010, 5, 5, 12), timezone="UTC")
    timed_event(world, start=datetime(2010, 5, 4, 23), end=datetime(2010, 5, 5, 1), timezone="Asia/Dushanbe")
    world.event(
        lead=world.oit,
        areas=[world.thb, world.cyber, world.crime],
        start=date(2010, 5, 10),
        end=date(2010, 5, 14),
        title="Семинар; Душанбе, Худжанд 😀 " * 4,
        description="Строка\r\nвторая, \\N",
    )
    world.event(lead=world.atu, areas=[], start=date(2010, 7, 1), title="No areas, online", online=True, city="")
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 7, 2), state=world.serbia, city="Belgrade")
    world.event(
        lead=world.oit, areas=[world.cyber], start=date(2010, 7, 3), visibility=Event.Visibility.INTERNAL, city=""
    )
    services.event_cancel(event=world.event(lead=world.oit, areas=[world.thb], start=date(2010, 8, 1)))
    ordered = Event.objects.order_by("start_date", "start_at", "pk")

    rows = feeds.feed_rows(feeds.feed_events(ordered)[:100])
    from_rows = feeds.render_calendar(rows, name="Joint calendar, test")

    assert len(rows) == ordered.count() == 8
    assert {row.state_name for row in rows} >= {None, world.austria.name}
    assert from_rows == feeds.render_calendar(list(feeds.feed_events(ordered)), name="Joint calendar, test")
    assert from_rows == _icalendar_rendering(ordered, name="Joint calendar, test")


def test_feed_rows_take_two_queries_whatever_the_number_of_events(world, django_assert_num_queries):
    for day in range(1, 6):
        world.event(lead=world.oit, areas=[world.thb, world.cyber], start=date(2010, 5, day))

    with django_assert_num_queries(2):
        rows = feeds.feed_rows(feeds.feed_events(Event.objects.order_by("start_date", "pk")))

    in_order = ThematicArea.objects.filter(pk__in=[world.thb.pk, world.cyber.pk]).order_by("position", "name")
    assert [row.areas for row in rows] == [[area.short_name for area in in_order]] * 5


def test_feed_fingerprint_of_the_public_feed_reads_only_columns_of_its_covering_index(world):
    """Every column the fingerprint's aggregate reads is in event_feed_fingerprint, so PostgreSQL can answer it by an
    index-only scan (the plan itself depends on statistics and the visibility map, see bench/README.md)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programmes.events import selectors

    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 3))
    events = selectors.public_events().filter(start_date__lte=date(2010, 12, 31), end_date__gte=date(2010, 1, 1))

    with CaptureQueriesContext(connection) as queries:
        feeds.feed_fingerprint(events, name="x", limit=10)

    (query,) = [q["sql"] for q in queries.captured_queries]
    assert set(re.findall(r'"programmes_event"\."(\w+)"', query)) == {
        "end_date",
        "start_date",
        "visibility",
        "updated_at",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'event_feed_fingerprint'")
        (definition,) = cursor.fetchone()
    assert "(end_date) INCLUDE (start_date, visibility, updated_at)" in definition


def test_cold_feed_takes_three_queries_whatever_the_number_of_events(client, world, django_assert_num_queries):
    from django.core.cache import cache

    for count in (2, 9):
        for day in range(1, count + 1):
            world.event(lead=world.oit, areas=[world.thb, world.cyber], state=world.austria, start=date(2011, 3, day))
        cache.clear()
        # the fingerprint, the event rows, their areas
        with django_assert_num_queries(3):
            response = client.get(FEED, SINCE_2010)
        assert response.status_code == 200
        assert len(_vevents(response.content)) == Event.objects.count()
