"""iCalendar (RFC 5545) rendering of events: the calendar frame and VTIMEZONEs with the ``icalendar`` package, each
VEVENT written as content lines here (the same bytes icalendar would write, ~20× less CPU; see bench/README.md).

Choices that make the feed import cleanly and stay stable:
- UID is the event's permanent UUID plus the portal's domain, so a client updates rather than duplicates an event.
- DTSTAMP and LAST-MODIFIED are the event's last change, not the render time: two renders of unchanged data are
  byte-identical (clients and caches can rely on ETags), and no METHOD is set, where RFC 5545 defines DTSTAMP so.
- All-day events are VALUE=DATE with an exclusive DTEND (the day after the last day).
- Timed events carry TZID and one VTIMEZONE per zone used; UTC events use the Z form. The VTIMEZONE lists each
  change of offset in the events' span as its own STANDARD/DAYLIGHT onset, in the local time before the change
  (RFC 5545 §3.6.5). icalendar's own VTIMEZONEs put daylight onsets an hour late and pack the years into RDATE
  lists, which parsers that really apply the VTIMEZONE (dateutil/vobject, hence Radicale) read as "never summer
  time": every summer event moved by an hour.
- Folding at 75 octets and TEXT escaping follow ``icalendar``'s (``_fold``, ``_escape``): folds on UTF-8 character
  boundaries, an escape never split from its character; a test compares the two renderings byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as ICalEvent
from icalendar.prop import vDDDTypes

from programmes.events.models import Event
from programmes.models import ThematicArea

PRODID = "-//OSCE TNT co-ordination portal//Joint calendar of events//EN"

_STATUS: dict[str, str] = {
    Event.Status.PLANNED: "TENTATIVE",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    # Not held on these dates: subscribers should drop it until it is rescheduled.
    Event.Status.POSTPONED: "CANCELLED",
}


# RFC 5545 §3.3.11: TEXT may not carry control characters other than tab and line breaks (escaped as \n).
# Text pasted from word processors can hold vertical tabs or form feeds that strict clients refuse to import.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    return _CONTROL_CHARS.sub(" ", value)


def _domain() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "tnt-portal.invalid"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{_domain()}"


def _absolute(url: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def to_vevent(event: Event) -> ICalEvent:
    vevent = ICalEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", event.sequence)
    vevent.add("summary", _text(event.title))
    if event.all_day:
        vevent.add("dtstart", event.start_date)
        vevent.add("dtend", event.end_date + timedelta(days=1))
    else:
        vevent.add("dtstart", event.local_start)
        vevent.add("dtend", event.local_end)
    url = _absolute(event.get_absolute_url())
    description = _text(event.description).strip()
    lines = [description] if description else []
    lines.append(f"{event.get_format_display()} · {event.lead_structure.acronym}")
    lines.append(url)
    vevent.add("description", "\n\n".join(lines))
    if event.place:
        vevent.add("location", _text(event.place))
    vevent.add("url", url)
    vevent.add("status", _STATUS[event.status])
    vevent.add("class", "PUBLIC" if event.visibility == Event.Visibility.PUBLIC else "CONFIDENTIAL")
    vevent.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
    areas = [a.short_name for a in event.thematic_areas.all()]
    if areas:
        vevent.add("categories", areas)
    return vevent


def _zone_state(zone: ZoneInfo, instant: datetime) -> tuple:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname()


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants in [start, end) where the zone's offset or abbreviation changes: found day by day, then to
    the second by bisection (zoneinfo has no public list of transitions)."""
    found = []
    day, before = start, _zone_state(zone, start)
    while day < end:
        following = day + timedelta(days=1)
        after = _zone_state(zone, following)
        if after != before:
            low, high = day, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _zone_state(zone, middle) == before else (low, middle)
            found.append(high.replace(microsecond=0))
        day, before = following, after
    return found


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    if offset is None:  # never: a datetime in a ZoneInfo always has an offset
        raise ValueError(instant)
    return offset


def _observance(zone: ZoneInfo, onset: datetime, offset_from: timedelta) -> TimezoneStandard | TimezoneDaylight:
    local = onset.astimezone(zone)
    part = TimezoneDaylight() if local.dst() else TimezoneStandard()
    part.add("dtstart", (onset + offset_from).replace(tzinfo=None))  # local time before the change
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", local.utcoffset())
    part.add("tzname", local.tzname())
    return part


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE valid for the whole years from ``first`` to ``last``: the offset in force at the start, and every
    change. Whole years give a zone with summer time both its STANDARD and its DAYLIGHT part, as clients expect."""
    zone = ZoneInfo(tzid)
    start = datetime(first.year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(last.year, 12, 31, tzinfo=UTC) + timedelta(days=2)
    component = Timezone()
    component.add("tzid", tzid)
    component.add_component(_observance(zone, start, _offset(start, zone)))
    for onset in _transitions(zone, start, end):
        component.add_component(_observance(zone, onset, _offset(onset - timedelta(seconds=1), zone)))
    return component


# --- the feed body, written directly ---------------------------------------------------------------------------------
# Building an icalendar object per event and serialising it cost ~4 ms per event (issue 14: 22.8 s cold for a year of
# 5,000 events at N=1; profile: Component.add, property type lookup, Contentline and folding per property). The
# events are written here as content lines instead, with the same escaping, folding, property order and date forms
# as icalendar's output, so the bytes are identical (tests/programmes/events/test_feeds.py compares them with
# ``to_vevent`` rendered by icalendar). The calendar frame and the VTIMEZONEs still come from icalendar.


def _escape(value: str) -> str:
    # RFC 5545 §3.3.11 TEXT, in icalendar's order (backslash first; every line break becomes \n).
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 §3.1 folding as icalendar does it: each physical line at most 74 octets of content (75 with the
    leading space), cut on character boundaries, never between a backslash (or ^) and the character it escapes.
    Cut by slices, not per character: the longest prefix of at most 74 characters that fits in 74 octets."""
    if len(line) < 75 and (line.isascii() or len(line.encode()) < 75):
        return line
    chunks: list[str] = []
    start, length = 0, len(line)
    while True:
        size = min(74, length - start)
        piece = line[start : start + size]
        if not piece.isascii():
            while len(piece.encode()) > 74:
                size -= 1
                piece = line[start : start + size]
        if start + size >= length:
            chunks.append(piece)
            return "\r\n ".join(chunks)
        if size > 1 and piece[-1] in "\\^":
            size -= 1
            piece = piece[:-1]
        chunks.append(piece)
        start += size


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _local(name: str, value: datetime) -> tuple[str, str | None]:
    """A timed DTSTART/DTEND line and its TZID (None for UTC), through icalendar's own date-time type so the TZID
    and the UTC forms are exactly its choice. Two per timed event: cheap next to a whole component."""
    prop = vDDDTypes(value)
    tzid = prop.params.get("TZID")
    text = prop.to_ical().decode()
    return (f"{name};TZID={tzid}:{text}" if tzid else f"{name}:{text}"), tzid


_ONLINE = "\x00online"  # a key no format value can take


class _Labels(dict[str, str]):
    """Translated labels looked up once per render (format names; "Online"), not once per event."""

    def __missing__(self, key: str) -> str:
        value = str(Event.Format(key).label) if key in Event.Format.values else str(key)
        self[key] = value
        return value


# The attribute ``feed_events`` prefetches the areas into (a plain list per event).
FEED_AREAS_ATTR = "feed_areas"
# Areas in their usual order (position, name) and then by id, so the rows and the instances list ties alike.
_AREA_ORDER = ("position", "name", "pk")


def _areas(event: Event) -> list[str]:
    # A plain prefetched list where there is one: event.thematic_areas.all() builds a related manager per event.
    listed = getattr(event, FEED_AREAS_ATTR, None)
    if listed is None:
        listed = getattr(event, "_prefetched_objects_cache", {}).get("thematic_areas")
    return [a.short_name for a in (listed if listed is not None else event.thematic_areas.all())]


def feed_events(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` with what the feed shows and nothing more: lead structure and State joined (no project), the
    areas' short names prefetched into a list per event. Profile of a cold feed of 4,668 events (issue 14): with
    the ordinary prefetch Django built a related manager and a filtered QuerySet per event to hold the cache
    (2.2 s of 4.5 s under the profiler), and instantiated an unused Project per event."""
    return (
        events.select_related(None)
        .select_related("lead_structure", "state")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "thematic_areas",
                queryset=ThematicArea.objects.only("pk", "short_name").order_by(*_AREA_ORDER),
                to_attr=FEED_AREAS_ATTR,
            )
        )
    )


@dataclass(slots=True)
class FeedEvent:
    """What one VEVENT shows, as plain values: built from a database row (``feed_rows``) or from an Event instance
    (``from_event``); both render the same bytes. Rows skip the ORM's instantiation of an Event, its lead structure
    and its State per event — after the direct writing, the largest cost of a cold feed (issue 14)."""

    pk: int
    uid: object
    title: str
    description: str
    format: str
    lead_acronym: str
    state_name: str | None
    city: str
    online: bool
    all_day: bool
    start_date: date
    end_date: date
    start_at: datetime | None
    end_at: datetime | None
    timezone: str
    status: str
    visibility: str
    sequence: int
    created_at: datetime
    updated_at: datetime
    areas: list[str]

    # The Event fields a row carries, in the order of the fields above (up to ``areas``).
    ROW_FIELDS = (
        "pk",
        "uid",
        "title",
        "description",
        "format",
        "lead_structure__acronym",
        "state__name",
        "city",
        "online",
        "all_day",
        "start_date",
        "end_date",
        "start_at",
        "end_at",
        "timezone",
        "status",
        "visibility",
        "sequence",
        "created_at",
        "updated_at",
    )

    @classmethod
    def from_event(cls, event: Event) -> FeedEvent:
        state = event.state
        return cls(
            pk=event.pk,
            uid=event.uid,
            title=event.title,
            description=event.description,
            format=event.format,
            lead_acronym=event.lead_structure.acronym,
            state_name=str(state) if state is not None else None,
            city=event.city,
            online=event.online,
            all_day=event.all_day,
            start_date=event.start_date,
            end_date=event.end_date,
            start_at=event.start_at,
            end_at=event.end_at,
            timezone=event.timezone,
            status=event.status,
            visibility=event.visibility,
            sequence=event.sequence,
            created_at=event.created_at,
            updated_at=event.updated_at,
            areas=_areas(event),
        )

    def _local(self, value: datetime | None) -> datetime | None:
        # Event.local_start / local_end
        return value.astimezone(ZoneInfo(self.timezone)) if value and self.timezone else value

    @property
    def local_start(self) -> datetime | None:
        return self._local(self.start_at)

    @property
    def local_end(self) -> datetime | None:
        return self._local(self.end_at)

    def place(self, online_label: str) -> str:
        # Event.place, with "Online" translated once per render
        if self.online:
            return online_label
        return ", ".join(p for p in (self.city, self.state_name) if p)


def feed_rows(events: QuerySet[Event]) -> list[FeedEvent]:
    """The events of ``events`` (filtered, ordered, possibly sliced) as FeedEvents: one query for the event rows with
    the lead's acronym and the State's name joined, one for the areas' short names of those events."""
    rows = list(events.select_related(None).prefetch_related(None).values_list(*FeedEvent.ROW_FIELDS))
    areas: dict[int, list[str]] = {row[0]: [] for row in rows}
    if areas:
        through = Event.thematic_areas.through.objects.filter(event_id__in=list(areas))
        order = [f"thematicarea__{name}" for name in _AREA_ORDER]
        for event_id, short_name in through.order_by("event_id", *order).values_list(
            "event_id", "thematicarea__short_name"
        ):
            areas[event_id].append(short_name)
    # A row holds the ROW_FIELDS in the dataclass's field order; mypy cannot count a values_list tuple.
    return [FeedEvent(*row, areas[row[0]]) for row in rows]  # type: ignore[call-arg]


def _vevent_text(event: FeedEvent, *, domain: str, url_pattern: str, labels: _Labels) -> tuple[str, str | None]:
    """One VEVENT as folded content lines (CRLF-terminated), and the TZID it uses. Properties in icalendar's order:
    its canonical VEVENT order (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE), then the rest alphabetically."""
    url = url_pattern.format(event.pk)
    description = _text(event.description).strip()
    lines = [description] if description else []
    lines.append(f"{labels[event.format]} · {event.lead_acronym}")
    lines.append(url)
    stamp = _utc(event.updated_at)
    tzid = None
    if event.all_day:
        start = f"DTSTART;VALUE=DATE:{_day(event.start_date)}"
        end = f"DTEND;VALUE=DATE:{_day(event.end_date + timedelta(days=1))}"
    else:
        local_start, local_end = event.local_start, event.local_end
        if local_start is None or local_end is None:  # never: a check constraint requires both on timed events
            raise ValueError(f"timed event {event.pk} without start or end")
        start, tzid = _local("DTSTART", local_start)
        end, _end_tzid = _local("DTEND", local_end)
    out = [
        "BEGIN:VEVENT",
        _fold("SUMMARY:" + _escape(_text(event.title))),
        start,
        end,
        "DTSTAMP:" + stamp,
        _fold(f"UID:{event.uid}@{domain}"),
        f"SEQUENCE:{event.sequence}",
    ]
    areas = event.areas
    if areas:
        out.append(_fold("CATEGORIES:" + ",".join(_escape(a) for a in areas)))
    out += [
        "CLASS:" + ("PUBLIC" if event.visibility == Event.Visibility.PUBLIC else "CONFIDENTIAL"),
        "CREATED:" + _utc(event.created_at),
        _fold("DESCRIPTION:" + _escape("\n\n".join(lines))),
        "LAST-MODIFIED:" + stamp,
    ]
    place = event.place(labels[_ONLINE])
    if place:
        out.append(_fold("LOCATION:" + _escape(_text(place))))
    out += [
        "STATUS:" + _STATUS[event.status],
        "TRANSP:" + ("TRANSPARENT" if event.all_day else "OPAQUE"),
        _fold("URL:" + url),
        "END:VEVENT",
        "",
    ]
    return "\r\n".join(out), tzid


def render_calendar(events: Iterable[Event | FeedEvent], *, name: str) -> bytes:
    """The calendar of ``events``: FeedEvents (``feed_rows``, the feed) or Event instances (the monthly bundle)."""
    domain = _domain()
    marker = 987654321  # reverse() once; the event URLs differ only by the id
    url_pattern = _absolute(reverse("events:event_detail", args=[marker])).replace(str(marker), "{}")
    labels = _Labels({_ONLINE: str(_("Online"))})
    bodies: list[str] = []
    spans: dict[str, tuple[date, date]] = {}
    used: set[str] = set()
    for item in events:
        event = item if isinstance(item, FeedEvent) else FeedEvent.from_event(item)
        text, tzid = _vevent_text(event, domain=domain, url_pattern=url_pattern, labels=labels)
        bodies.append(text)
        if tzid:
            used.add(tzid)
        if not event.all_day and event.timezone:
            first, last = spans.get(event.timezone, (event.start_date, event.end_date))
            spans[event.timezone] = (min(first, event.start_date), max(last, event.end_date))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", str(name))
    # One VTIMEZONE per TZID used (UTC events need none), in TZID order so every worker renders the same bytes.
    cal.subcomponents = [vtimezone(tzid, *spans[tzid]) for tzid in sorted(used)]
    frame = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    return frame[: -len(end)] + "".join(bodies).encode() + end


# A feed body stays in the cache this long at most: renames of areas, structures or States (shown in the feed but not
# part of the fingerprint) reach subscribers within this time.
FEED_CACHE_SECONDS = 15 * 60
# While one worker renders a feed, others asking for the same one wait this long for its body before rendering too.
FEED_LOCK_SECONDS = 30
_FEED_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class FeedFingerprint:
    """What identifies a feed body without rendering it: the query (filters, scope, cap), the calendar name and the
    newest change and number of the matching events. One aggregate query; the ETag is known before any rendering."""

    key: str

    @property
    def etag(self) -> str:
        return f'"{self.key[:32]}"'


def feed_fingerprint(events: QuerySet[Event], *, name: str, limit: int) -> FeedFingerprint:
    # The count and newest updated_at of the whole filtered set (not only the capped page): an edit, a new event,
    # a deletion or an event moving out of the range all change one of them.
    # count(*), not count(id): with the covering index event_feed_fingerprint (end_date, then start_date, visibility
    # and updated_at included) the default feed's filters are answered by an index-only scan (9 ms for a year at N=1,
    # 64–221 ms from the heap; migration events 0009).
    stats = events.order_by().aggregate(newest=Max("updated_at"), count=Count("*"))
    sql, params = events.query.sql_with_params()
    raw = "|".join(
        [
            PRODID,
            str(name),
            sql,
            repr(params),
            str(stats["newest"]),
            str(stats["count"]),
            str(limit),
            settings.PORTAL_BASE_URL,
        ]
    )
    return FeedFingerprint(key=hashlib.sha256(raw.encode()).hexdigest())


def cached_calendar(events: QuerySet[Event], *, name: str, fingerprint: FeedFingerprint) -> bytes:
    """The rendered feed, from the cache when this fingerprint was rendered before. Concurrent misses for the same
    fingerprint render once: the first takes a short lock, the others wait for its body (bounded)."""
    body_key, lock_key = f"events:feed:{fingerprint.key}", f"events:feed-lock:{fingerprint.key}"
    body = cache.get(body_key)
    if body is not None:
        return body
    if not cache.add(lock_key, 1, FEED_LOCK_SECONDS):
        waited = 0.0
        while waited < FEED_LOCK_SECONDS:
            time.sleep(_FEED_POLL_SECONDS)
            waited += _FEED_POLL_SECONDS
            body = cache.get(body_key)
            if body is not None:
                return body
            if cache.get(lock_key) is None:
                break
    try:
        body = render_calendar(feed_rows(events), name=name)
        cache.set(body_key, body, FEED_CACHE_SECONDS)
    finally:
        cache.delete(lock_key)
    return body


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
