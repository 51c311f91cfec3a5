"""Figures this layer reads from the other apps through their own selectors (activity compliance, focal-point
network vacancies, overdue task-force actions), shaped as table rows. Nothing here writes."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from programmes.models import Region


def network_vacancies(filters, *, today: date) -> dict:
    from focal_points.selectors import network_vacancies as vacancies

    rows = []
    for network, states in vacancies(today=today):
        if filters.region:
            states = [s for s in states if s.region == filters.region]
        if filters.state_id:
            states = [s for s in states if s.pk == filters.state_id]
        if states:
            rows.append([network.name, ", ".join(s.name for s in states), len(states)])
    return {"rows": rows, "note": _("A State counts as vacant when the network has no current, confirmed primary "
                                    "focal point for it.")}


def overdue_actions(audience: str, *, today: date) -> dict:
    """Counts per task force only: the actions themselves (owners, wording) are internal working data."""
    from taskforces.selectors import overdue_action_items

    actions = overdue_action_items(today=today)
    if audience != "staff":
        # The delegation rule of taskforces.selectors.action_item_list: a task force that does not publish to
        # delegations, or an action raised at unpublished minutes, must not show even as a name and a count.
        actions = actions.filter(meeting__published=True, task_force__publishes_to_delegations=True)
    grouped = (
        actions.order_by().values("task_force__name")
        .annotate(n=Count("pk")).order_by("task_force__name")
    )
    return {
        "columns": [_("Task force"), _("Overdue actions")],
        "rows": [[row["task_force__name"], row["n"]] for row in grouped],
        "note": _("Open task-force actions whose due date has passed."),
    }


def _period(filters, today: date) -> tuple[date, date]:
    from programmes.activity import selectors as activity_selectors

    if filters.start and filters.end:
        return filters.start, filters.end
    return activity_selectors.last_closed_period(today=today)


def _structure_in_scope(structure, filters) -> bool:
    if filters.region and structure.region != filters.region:
        return False
    if filters.structure_id and structure.pk != filters.structure_id:
        return False
    return not (filters.state_id and structure.host_state_id != filters.state_id)


def structures_not_reported(filters, *, today: date) -> dict:
    """Structures whose report for the period is missing or still a draft after its deadline (the activity app's
    compliance summary; only the fact is shown, never the draft)."""
    from programmes.activity import selectors as activity_selectors

    start, end = _period(filters, today)
    summary = activity_selectors.compliance_summary(period_start=start, period_end=end, today=today)
    label = f"{start.isoformat()} – {end.isoformat()}"
    rows = [[f"{s.name} ({s.acronym})", label, _("Not submitted")]
            for s in summary["not_reported"] if _structure_in_scope(s, filters)]
    return {"rows": rows, "note": _("Structures with a reporting obligation whose report for %(start)s – %(end)s "
                                    "was not submitted by its deadline.") % {"start": start.isoformat(),
                                                                            "end": end.isoformat()}}


# A cell counts as due once its deadline has passed; a draft past its deadline is as good as missing.
_DUE_STATES = ("on_time", "late", "missing")


def compliance_table(filters, audience: str, *, today: date) -> dict:
    """Reporting compliance for the year of the period's end: per structure for staff, per region for
    everyone else (aggregate only). On time (%) = reports submitted by their deadline / reports due."""
    from programmes.activity import selectors as activity_selectors

    year = filters.end.year if filters.end else activity_selectors.compliance_default_year(today=today)
    matrix = activity_selectors.compliance_matrix(year=year, region=filters.region or None, today=today)
    labels = dict(Region.choices)
    groups: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for row in matrix.rows:
        structure = row.structure
        if not _structure_in_scope(structure, filters):
            continue
        if audience == "staff":
            key = structure.acronym
            names[key] = f"{structure.acronym}"
        else:
            key = structure.region or "-"
            names[key] = str(labels.get(structure.region, _("Secretariat and Institutions")))
        counts = groups.setdefault(key, {"due": 0, "on_time": 0, "late": 0, "missing": 0})
        for cell in row.cells:
            state = "missing" if cell.state == "draft" and cell.overdue else cell.state
            if state in _DUE_STATES:
                counts["due"] += 1
                counts[state] += 1

    def percent(counts):
        return round(100 * counts["on_time"] / counts["due"], 1) if counts["due"] else None

    rows = [[names[key], c["due"], c["on_time"], c["late"], c["missing"], percent(c)] for key, c in groups.items()]
    total = {k: sum(c[k] for c in groups.values()) for k in ("due", "on_time", "late", "missing")}
    first = _("Structure") if audience == "staff" else _("Region")
    return {
        "name": "compliance",
        "title": _("Reporting compliance %(year)s") % {"year": year},
        "description": _("Activity reports due in %(year)s, submitted on time, late and missing; on time (%%) is "
                         "on-time reports over reports due.") % {"year": year},
        "columns": [first, _("Due"), _("On time"), _("Late"), _("Missing"), _("On time (%)")],
        "rows": rows, "kind": "bar", "unit": "%", "value_column": 5,
        "total": [_("All"), total["due"], total["on_time"], total["late"], total["missing"], percent(total)],
    }
