"""iCalendar (RFC 5545) rendering of events with the ``icalendar`` package.

Choices that make the feed import cleanly and stay stable:
- UID is the event's permanent UUID plus the portal's domain, so a client updates rather than duplicates an event.
- DTSTAMP and LAST-MODIFIED are the event's last change, not the render time: two renders of unchanged data are
  byte-identical (clients and caches can rely on ETags), and no METHOD is set, where RFC 5545 defines DTSTAMP so.
- All-day events are VALUE=DATE with an exclusive DTEND (the day after the last day).
- Timed events carry TZID and one VTIMEZONE per zone used; UTC events use the Z form.
- Folding at 75 octets and TEXT escaping are done by ``icalendar`` (it folds on UTF-8 character boundaries).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as ICalEvent

from programmes.events.models import Event

PRODID = "-//OSCE TNT co-ordination portal//Joint calendar of events//EN"

_STATUS = {
    Event.Status.PLANNED: "TENTATIVE",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
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


def render_calendar(events: Iterable[Event], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", str(name))
    for event in events:
        cal.add_component(to_vevent(event))
    # One VTIMEZONE per TZID used by the events above. icalendar adds them in set order, which follows the process's
    # hash seed: sorted by TZID, every worker renders the same bytes (and so the same ETag) for the same events.
    cal.add_missing_timezones()
    zones = sorted(cal.timezones, key=lambda zone: str(zone["TZID"]))
    cal.subcomponents = zones + [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
    return cal.to_ical()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
