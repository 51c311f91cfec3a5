"""Markup of the calendar's repeated parts, written in Python (issue 14).

The busiest month shows ~170 event chips and the agenda 50 rows; an ``{% include %}`` per chip or row, with a
``{% url %}``, lazy labels and ``|date`` filters inside, was most of the page's CPU (3.1 s of 4.0 s under the profiler
for the calendar at N=1). These functions write the markup the chip include (now gone) and the agenda's row wrote, and
``events/includes/event_when.html`` (still included by the detail pages; tests/programmes/events/test_html.py compares
the two), with every label translated once per page, each day formatted once and the event URL reversed once.
Every value is escaped here; the result is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from programmes.events.models import Event
    from programmes.events.selectors import ChipRow

_MARKER = 987654321


def url_pattern(name: str) -> str:
    """The URL of ``name`` with ``{}`` where the pk goes: reversed once, formatted per row."""
    return reverse(name, args=[_MARKER]).replace(str(_MARKER), "{}")


def _choice_labels(choices) -> dict[str, str]:
    return {value: conditional_escape(str(label)) for value, label in choices}


def _areas(event: Event):
    # selectors.agenda_rows prefetches the areas into a list; any other queryset through the related manager.
    areas = getattr(event, "area_list", None)
    return event.thematic_areas.all() if areas is None else areas


class EventMarkup:
    """Writes chips, dates and agenda rows for one page: labels, day names and the URL are computed once."""

    def __init__(self) -> None:
        from programmes.events.models import Event

        self.detail_url = url_pattern("events:event_detail")
        self.status_labels = _choice_labels(Event.Status.choices)
        self.format_labels = _choice_labels(Event.Format.choices)
        self._days: dict[date, str] = {}
        self._internal: str | None = None
        self._online: str | None = None
        self._chips: dict[int, str] = {}

    # -- pieces ---------------------------------------------------------------------------------------------------

    def status_label(self, status: str) -> str:
        # As get_status_display: an unknown value shows as itself.
        return self.status_labels.get(status) or conditional_escape(status)

    def format_label(self, value: str) -> str:
        return self.format_labels.get(value) or conditional_escape(value)

    def place(self, event: Event) -> str:
        """``event.place`` with "Online" translated once per page."""
        if event.online:
            if self._online is None:
                self._online = gettext("Online")
            return self._online
        return ", ".join(str(p) for p in (event.city, event.state) if p)

    def day(self, day: date) -> str:
        """``|date:"D j M Y"`` of a day (or a datetime's day), formatted once per page."""
        key = day.date() if isinstance(day, datetime) else day
        text = self._days.get(key)
        if text is None:
            text = self._days[key] = conditional_escape(date_format(key, "D j M Y"))
        return text

    # -- includes -------------------------------------------------------------------------------------------------

    def chip(self, event: ChipRow) -> str:
        """A calendar chip (as the former events/includes/event_chip.html, ``localtime off``: the event's own local
        time); written once per event and page, however many days it spans."""
        html = self._chips.get(event.pk)
        if html is None:
            html = self._chips[event.pk] = self._chip(event)
        return html

    def _chip(self, event: ChipRow) -> str:
        title = conditional_escape(event.title)
        internal = " internal" if event.visibility == "internal" else ""
        time = "" if event.all_day else f'<span class="time">{event.local_start:%H:%M}</span> '
        cancelled = (
            f' <span class="visually-hidden">({self.status_label(event.status)})</span>'
            if event.status == "cancelled"
            else ""
        )
        return (
            f'<a class="event-chip status-{conditional_escape(event.status)}{internal}" '
            f'href="{self.detail_url.format(event.pk)}" '
            f'title="{title} · {conditional_escape(event.lead_acronym)}">'
            f'{time}<span class="chip-title">{title}</span>{cancelled}</a>'
        )

    def when(self, event: Event) -> str:
        """events/includes/event_when.html (with ``localtime off``)."""
        if event.all_day:
            text = f'<time datetime="{event.start_date.isoformat()}">{self.day(event.start_date)}</time>'
            if event.end_date != event.start_date:
                text += f' – <time datetime="{event.end_date.isoformat()}">{self.day(event.end_date)}</time>'
            return text
        start, end = event.local_start, event.local_end
        end_text = f"{self.day(end)}, {end:%H:%M}" if event.end_date != event.start_date else f"{end:%H:%M}"
        return (
            f'<time datetime="{start.isoformat()}">{self.day(start)}, {start:%H:%M}</time> – '
            f'<time datetime="{end.isoformat()}">{end_text}</time> '
            f'<span class="muted">({conditional_escape(event.timezone)})</span>'
        )

    def agenda_row(self, event: Event) -> SafeString:
        """One ``<tr>`` of events/agenda.html (its areas prefetched, its lead structure selected)."""
        if self._internal is None:
            self._internal = conditional_escape(gettext("internal"))
        internal = f" · {self._internal}" if event.visibility == "internal" else ""
        lead = event.lead_structure
        areas = "".join(
            f'<span class="tag">{conditional_escape(area.localized_short_name)}</span> ' for area in _areas(event)
        )
        place = conditional_escape(self.place(event)) or "–"
        status = conditional_escape(event.status)
        return mark_safe(  # every value is escaped above or a fixed string
            "\n        <tr>\n"
            f"          <td>{self.when(event)}\n</td>\n"  # the include's final newline
            f'          <td><a href="{self.detail_url.format(event.pk)}">{conditional_escape(event.title)}</a><br>'
            f'<span class="muted">{self.format_label(event.format)}{internal}</span></td>\n'
            f'          <td><abbr title="{conditional_escape(lead.localized_name)}">'
            f"{conditional_escape(lead.acronym)}</abbr></td>\n"
            f"          <td>{place}</td>\n"
            f"          <td>{areas}</td>\n"
            f'          <td><span class="status status-{status}">{self.status_label(event.status)}</span></td>\n'
            "        </tr>\n      "
        )


def calendar_cell_events(
    markup: EventMarkup, *, day: date, events: Iterable[ChipRow], more: int, agenda_url: str, filter_query: str
) -> SafeString:
    """A month cell's chips and its "+N more" link, as the two lines of events/calendar.html they replace."""
    # The chip template's final newline stays inside each <li>, as the include left it.
    chips = "".join(f"<li>{markup.chip(event)}\n</li>" for event in events)
    events_html = f'<ul class="day-events">{chips}</ul>' if chips else ""
    more_html = ""
    if more:
        iso = day.isoformat()
        query = f"&amp;{conditional_escape(filter_query)}" if filter_query else ""
        label = ngettext("+%(counter)s more", "+%(counter)s more", more) % {
            "counter": conditional_escape(localize(more))
        }
        more_html = f'<a class="more" href="{agenda_url}?date_from={iso}&amp;date_to={iso}{query}">{label}</a>'
    return mark_safe(f"{events_html}\n            {more_html}")  # every value above is escaped


def calendar_grid(weeks: Iterable[Iterable[dict]]) -> SafeString:
    """The month table's rows, as the loop of events/calendar.html they replace wrote them (each cell a dict with
    ``date``, ``in_month``, ``today`` and its ``events_html``): 42 cells with a ``|date`` and ``{% translate %}``
    each were 2.5 ms of the busiest month's CPU (issue 14, round 2)."""
    today_label = conditional_escape(gettext("today"))
    parts = ["\n      "]
    for week in weeks:
        parts.append("\n        <tr>\n        ")
        for cell in week:
            css = ("" if cell["in_month"] else "other-month") + (" today" if cell["today"] else "")
            current = ' aria-current="date"' if cell["today"] else ""
            label = f' <span class="today-label">{today_label}</span>' if cell["today"] else ""
            parts.append(
                f'\n          <td class="{css}"{current}>\n'
                f'            <span class="day-number">{cell["date"].day}{label}</span>\n'
                f"            {cell['events_html']}\n"
                "          </td>\n        "
            )
        parts.append("\n        </tr>\n      ")
    parts.append("\n      ")
    return mark_safe("".join(parts))  # the cells' markup is escaped by calendar_cell_events
