"""HXL-tagged CSV for 3W views (who does what where): a header row for people, a second row of HXL hashtags for
machines (https://hxlstandard.org). Projects give one row per project and beneficiary State; events one row each.
Participant figures come from accepted activity reports only, so delegations and partners read checked numbers."""

from __future__ import annotations

import io
from collections import defaultdict

from django.db.models import Sum

from programmes.activity.models import ActivityReport, ReportedActivity
from programmes.spreadsheets import csv_writer

PROJECT_COLUMNS = [
    ("Organisation", "#org+name"),
    ("Organisation acronym", "#org+acronym"),
    ("Partner organisations", "#org+partner"),
    ("Project code", "#activity+code"),
    ("Project", "#activity+name"),
    ("Programme", "#activity+programme"),
    ("Thematic area", "#sector"),
    ("Sub-area", "#subsector"),
    ("Country", "#country+name"),
    ("Country code", "#country+code"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Status", "#status"),
    ("Funding source", "#meta+funding_source"),
    ("Budget (EUR)", "#value+budget+eur"),
    ("Gender marker", "#indicator+gender_marker"),
    ("Women reached", "#affected+f"),
    ("Men reached", "#affected+m"),
    ("Sex not recorded", "#affected+unrecorded"),
]

EVENT_COLUMNS = [
    ("Organisation", "#org+name"),
    ("Organisation acronym", "#org+acronym"),
    ("Co-organisers", "#org+partner"),
    ("Event", "#activity+name"),
    ("Format", "#activity+type"),
    ("Project code", "#activity+code"),
    ("Thematic area", "#sector"),
    ("Sub-area", "#subsector"),
    ("Country", "#country+name"),
    ("Country code", "#country+code"),
    ("City", "#loc+name"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Status", "#status"),
    ("Women reached", "#affected+f"),
    ("Men reached", "#affected+m"),
    ("Sex not recorded", "#affected+unrecorded"),
]

SEPARATOR = " | "


def _areas(areas) -> tuple[str, str]:
    tops, subs = [], []
    for area in areas:
        if area.parent_id is None:
            tops.append(area.name)
        else:
            subs.append(area.name)
            tops.append(area.parent.name)
    return SEPARATOR.join(dict.fromkeys(sorted(tops))), SEPARATOR.join(sorted(subs))


def _write(columns, rows) -> str:
    buffer = io.StringIO()
    # Titles and places are typed by field staff: the portal's one writer keeps them from becoming formulas.
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow([label for label, _tag in columns])
    writer.writerow([tag for _label, tag in columns])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def _participants(filter_field: str, ids) -> dict[tuple, tuple[int, int, int]]:
    rows = (
        ReportedActivity.objects.filter(report__status=ActivityReport.Status.ACCEPTED, **{f"{filter_field}__in": ids})
        .values(filter_field, "state_id")
        .annotate(w=Sum("participants_women"), m=Sum("participants_men"), u=Sum("participants_unrecorded"))
    )
    return {(r[filter_field], r["state_id"]): (r["w"] or 0, r["m"] or 0, r["u"] or 0) for r in rows}


def projects_csv(projects) -> str:
    projects = list(
        projects.select_related("lead_structure", "programme").prefetch_related(
            "thematic_areas__parent", "beneficiary_states", "partner_organisations"
        )
    )
    reached = _participants("project_id", [p.pk for p in projects])
    rows = []
    for project in projects:
        top, sub = _areas(project.thematic_areas.all())
        states = list(project.beneficiary_states.all()) or [None]
        partners = SEPARATOR.join(o.acronym for o in project.partner_organisations.all())
        for state in states:
            # Activities with no State (online) count on the row without a country, or the first row.
            key = (project.pk, state.pk if state else None)
            women, men, unrecorded = reached.get(key, (0, 0, 0))
            if state is states[0] and state is not None and (project.pk, None) in reached:
                extra = reached[(project.pk, None)]
                women, men, unrecorded = women + extra[0], men + extra[1], unrecorded + extra[2]
            rows.append(
                [
                    project.lead_structure.name,
                    project.lead_structure.acronym,
                    partners,
                    project.code,
                    project.title,
                    project.programme.title if project.programme_id else "",
                    top,
                    sub,
                    state.name if state else "",
                    state.iso_code if state else "",
                    project.start.isoformat() if project.start else "",
                    project.end.isoformat() if project.end else "",
                    project.get_status_display(),
                    project.get_funding_source_display(),
                    f"{project.budget:.2f}" if project.budget else "",
                    "" if project.gender_marker is None else project.gender_marker,
                    women,
                    men,
                    unrecorded,
                ]
            )
    return _write(PROJECT_COLUMNS, rows)


def events_csv(events, *, published_only: bool = False) -> str:
    """``published_only`` hides links to projects that are not published (for delegations)."""
    from programmes.selectors import PUBLISHED_PROJECT_STATUSES

    events = list(events)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (event_id, _state), values in _participants("event_id", [e.pk for e in events]).items():
        for i, value in enumerate(values):
            totals[event_id][i] += value
    rows = []
    for event in events:
        top, sub = _areas(event.thematic_areas.all())
        women, men, unrecorded = totals.get(event.pk, (0, 0, 0))
        rows.append(
            [
                event.lead_structure.name,
                event.lead_structure.acronym,
                SEPARATOR.join(s.acronym for s in event.co_organisers.all()),
                event.title,
                event.get_format_display(),
                event.project.code
                if event.project_id and (not published_only or event.project.status in PUBLISHED_PROJECT_STATUSES)
                else "",
                top,
                sub,
                event.state.name if event.state_id else "",
                event.state.iso_code if event.state_id else "",
                event.city or ("online" if event.online else ""),
                event.start_date.isoformat(),
                event.end_date.isoformat(),
                event.get_status_display(),
                women,
                men,
                unrecorded,
            ]
        )
    return _write(EVENT_COLUMNS, rows)
