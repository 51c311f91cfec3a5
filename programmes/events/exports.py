"""The files of the monthly calendar bundle: events grouped by thematic area, plus open co-ordination alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programmes.documents import render_pdf
from programmes.events.models import CalendarBundle, CoordinationAlert, Event
from programmes.models import ThematicArea
from programmes.spreadsheets import workbook_bytes

# The PDF lists at most this many event rows in all (an event counts once per area it is listed under) and this
# many alerts; the spreadsheet and the calendar file always carry every event and alert. Issue 14: the busiest
# three months at N=1 (3,790 events, 1,386 alerts) made a PDF of hundreds of pages — 22.6 min and 1.2 GB of
# WeasyPrint —, read by no one; the spreadsheet filters by area, State and date, the calendar file imports.
BUNDLE_PDF_EVENT_ROWS = 400
BUNDLE_PDF_ALERT_ROWS = 100


@dataclass
class AreaGroup:
    area: ThematicArea | None
    events: list[Event] = field(default_factory=list)
    # How many of ``events`` the PDF lists (None: all of them); set by ``cap_for_pdf``.
    pdf_limit: int | None = None

    @property
    def title(self) -> str:
        return self.area.name if self.area else _("No thematic area")

    @property
    def listed(self) -> list[Event]:
        return self.events if self.pdf_limit is None else self.events[: self.pdf_limit]

    @property
    def unlisted(self) -> int:
        return len(self.events) - len(self.listed)


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def pdf_context(*, bundle: CalendarBundle, groups: list[AreaGroup], alerts: list[CoordinationAlert]) -> dict:
    """What the PDF shows: every area's number of events per month; the events themselves in full while the bundle
    has at most BUNDLE_PDF_EVENT_ROWS rows, otherwise each area's soonest events (an equal share of the rows) and
    how many more the spreadsheet has; the highest-scoring BUNDLE_PDF_ALERT_ROWS alerts and the number of all."""
    rows = sum(len(g.events) for g in groups)
    if rows > BUNDLE_PDF_EVENT_ROWS and groups:
        share = max(1, BUNDLE_PDF_EVENT_ROWS // len(groups))
        for group in groups:
            group.pdf_limit = share
    months = _months(bundle.period_start, bundle.period_end)
    summary = []
    for group in groups:
        per_month = dict.fromkeys(months, 0)
        for event in group.events:
            # An event that began before the period counts in its first month.
            per_month[max(event.start_date.replace(day=1), months[0])] += 1
        summary.append((group.title, [per_month[m] for m in months], len(group.events)))
    return {
        "bundle": bundle,
        "groups": groups,
        "months": months,
        "summary": summary,
        "capped": any(g.unlisted for g in groups),
        "alerts": sorted(alerts, key=lambda a: (-a.score, a.pk))[:BUNDLE_PDF_ALERT_ROWS],
        "alert_count": len(alerts),
        "event_count": len({e.pk for g in groups for e in g.events}),
    }


def group_by_area(events: list[Event]) -> list[AreaGroup]:
    """One group per top thematic area, in the areas' order. An event on several areas appears in each: showing that
    overlap is the point of the joint calendar. Uses the events' prefetched areas (with parents), no query."""
    groups: dict[int | None, AreaGroup] = {}
    for event in events:
        tops: dict[int, ThematicArea] = {}
        for area in event.thematic_areas.all():
            top = area.parent if area.parent is not None else area
            tops[top.pk] = top
        if not tops:
            groups.setdefault(None, AreaGroup(None)).events.append(event)
        for pk, top in tops.items():
            groups.setdefault(pk, AreaGroup(top)).events.append(event)
    return sorted(groups.values(), key=lambda g: (g.area is None, g.area.position if g.area else 0, g.title))


def bundle_pdf(context: dict) -> bytes:
    return render_pdf("events/bundle_pdf.html", context)


def _autosize(sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


class _Labels:
    """Choice labels and yes/no translated once per workbook: ``get_FOO_display`` rebuilds the choices dict on
    every call (issue 14 profile at N=1: 16,541 calls, 16 of the workbook's 44 s under the profiler)."""

    def __init__(self) -> None:
        self.format = {value: str(label) for value, label in Event.Format.choices}
        self.status = {value: str(label) for value, label in Event.Status.choices}
        self.visibility = {value: str(label) for value, label in Event.Visibility.choices}
        self.yes, self.no = str(_("yes")), str(_("no"))


def _event_cells(event: Event, labels: _Labels) -> list:
    """An event's row without the area column: the same for each area the event is listed under."""
    return [
        ", ".join(a.short_name for a in event.thematic_areas.all()),
        event.title,
        labels.format.get(event.format, event.format),
        event.lead_structure.acronym,
        ", ".join(s.acronym for s in event.co_organisers.all()),
        event.state.name if event.state is not None else "",
        event.city,
        labels.yes if event.online else labels.no,
        event.start_date,
        event.end_date,
        event.local_start.strftime("%H:%M") if not event.all_day else "",
        event.local_end.strftime("%H:%M") if not event.all_day else "",
        event.timezone,
        labels.status.get(event.status, event.status),
        labels.visibility.get(event.visibility, event.visibility),
        event.expected_participants,
        str(event.uid),
    ]


def bundle_workbook(*, bundle: CalendarBundle, groups: list[AreaGroup], alerts: list[CoordinationAlert]) -> bytes:
    """Real dates and numbers, one row per event and top area (an event on two areas has two rows), so the sheet
    filters and pivots by area; a summary sheet and an alerts sheet."""
    wb = Workbook()
    summary = wb.active
    summary.title = _("Summary")[:31]
    summary.append([_("TNT joint calendar"), bundle.period_start, bundle.period_end])
    summary.append([])
    summary.append([_("Thematic area"), _("Events")])
    for group in groups:
        summary.append([group.title, len(group.events)])
    summary.append([_("Open co-ordination alerts"), len(alerts)])
    for cell in summary[1] + summary[3]:
        cell.font = Font(bold=True)
    for cell in summary[1][1:3]:
        cell.number_format = "yyyy-mm-dd"
    _autosize(summary, {1: 60, 2: 12, 3: 12})

    sheet = wb.create_sheet(_("Events")[:31])
    header = [
        _("Thematic area"),
        _("All areas"),
        _("Title"),
        _("Format"),
        _("Lead"),
        _("Co-organisers"),
        _("State"),
        _("City"),
        _("Online"),
        _("First day"),
        _("Last day"),
        _("Starts"),
        _("Ends"),
        _("Time zone"),
        _("Status"),
        _("Visibility"),
        _("Expected participants"),
        _("UID"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels, cells = _Labels(), {}
    for group in groups:
        for event in group.events:
            if event.pk not in cells:
                cells[event.pk] = _event_cells(event, labels)
            sheet.append([group.title, *cells[event.pk]])
    for row in sheet.iter_rows(min_row=2, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _autosize(sheet, {1: 34, 2: 30, 3: 60, 4: 16, 5: 12, 6: 18, 7: 18, 8: 14, 10: 12, 11: 12, 17: 10, 18: 38})

    alert_sheet = wb.create_sheet(_("Alerts")[:31])
    alert_sheet.append(
        [
            _("Score"),
            _("Event"),
            _("Lead"),
            _("First day"),
            _("Possible duplicate"),
            _("Lead"),
            _("First day"),
            _("Reasons"),
        ]
    )
    for cell in alert_sheet[1]:
        cell.font = Font(bold=True)
    for alert in alerts:
        alert_sheet.append(
            [
                alert.score,
                alert.event_a.title,
                alert.event_a.lead_structure.acronym,
                alert.event_a.start_date,
                alert.event_b.title,
                alert.event_b.lead_structure.acronym,
                alert.event_b.start_date,
                "; ".join(alert.reasons),
            ]
        )
    for row in alert_sheet.iter_rows(min_row=2):
        row[0].number_format = "0.00"
        row[3].number_format = row[6].number_format = "yyyy-mm-dd"
    _autosize(alert_sheet, {1: 8, 2: 50, 3: 12, 4: 12, 5: 50, 6: 12, 7: 12, 8: 60})
    return workbook_bytes(wb)
