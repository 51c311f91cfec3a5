"""Reads of this app: generated reports (row-scoped by role) and the cached dashboard figures.

Other apps may call ``dashboard_figures`` and ``report_figures``; both return plain JSON-able dicts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from osce_tnt.reporting import cache, figures
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
from osce_tnt.reporting.models import GeneratedReport
from programmes.permissions import VIEW, can, is_staff_role, role_of
from programmes.types import PortalUser
from results import selectors as results_selectors


def audience_for(user: PortalUser) -> str:
    """Staff roles see internal data; everyone else (delegations, field staff) the published aggregates."""
    return STAFF if is_staff_role(user) else PUBLIC


# --- generated reports ----------------------------------------------------------------------------------------


def report_list(*, user: PortalUser) -> QuerySet[GeneratedReport]:
    qs = GeneratedReport.objects.select_related(
        "thematic_area", "thematic_area__parent", "structure", "requested_by", "published_by"
    )
    if not is_staff_role(user):
        # Delegations (and field staff) read what was published for participating States, nothing else.
        qs = qs.filter(published=True, status=GeneratedReport.Status.DONE)
    return qs


def report_detail(*, user: PortalUser, pk: int) -> GeneratedReport:
    return report_list(user=user).get(pk=pk)


def report_filters(report: GeneratedReport) -> Filters:
    area = report.thematic_area
    return Filters(
        start=report.period_start,
        end=report.period_end,
        area_id=area.pk if area else None,
        area_top_id=(area.parent_id or area.pk) if area else None,
        region=report.region,
        structure_id=report.structure_id,
    )


# --- figures --------------------------------------------------------------------------------------------------

SECTION_ORDER = ["projects", "events", "activities_by_type", "participants", "partners", "gaps"]


def report_figures(
    *, filters: Filters, today: date | None = None, progress: Callable[[int, str], object] | None = None
) -> dict[str, Any]:
    """Every section of a TNT report, per top-level thematic area. Always computed for the public audience:
    a report exists to be published to participating States."""
    today = today or timezone.localdate()
    step = progress or (lambda percent, message: None)
    areas = figures.top_areas(filters)
    with figures.shared_scans():
        return _compute_report(filters, today, step, areas)


def _compute_report(
    filters: Filters, today: date, step: Callable[[int, str], object], areas: list[tuple[int, str, str]]
) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    step(10, "projects")
    sections["projects"] = figures.project_figures(filters, PUBLIC, areas)
    step(25, "events")
    sections["events"] = figures.event_figures(filters, PUBLIC, areas, today=today)
    step(40, "activities")
    sections["activities_by_type"] = figures.activity_type_figures(filters, areas)
    sections["participants"] = figures.participant_figures(filters, areas)
    step(55, "partners")
    sections["partners"] = figures.partner_figures(filters, PUBLIC, areas)
    step(65, "gaps")
    gap = figures.gaps(filters, PUBLIC, today=today)
    return {
        "period": {
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None,
        },
        "areas": [{"id": pk, "short_name": short, "name": name} for pk, short, name in areas],
        "key_figures": figures.key_figures(filters, PUBLIC, today=today),
        "sections": sections,
        "gaps": gap,
        "gap_tables": figures.gap_tables(gap),
        "generated_on": today.isoformat(),
    }


def _compute_dashboard(filters: Filters, audience: str, today: date) -> dict[str, Any]:
    # One scan of the activities and one of the events serve several charts (see figures.shared_scans).
    with figures.shared_scans():
        return _compute_dashboard_figures(filters, audience, today)


def _compute_dashboard_figures(filters: Filters, audience: str, today: date) -> dict[str, Any]:
    areas = figures.top_areas(filters)
    charts = {
        "activities_over_time": figures.activities_over_time(filters, areas),
        "by_region": figures.by_region(filters, audience, today=today),
        "by_state": figures.by_state(filters, audience, today=today),
        "exb_by_area": figures.exb_by_area(filters, audience, areas),
        "exb_by_donor": figures.exb_by_donor(filters, audience),
        "exb_area_donor": figures.exb_area_donor(filters, audience, areas),
        "participants": figures.participant_figures(filters, areas),
        "compliance": figures.compliance(filters, audience, today=today),
        "linkage": figures.linkage(filters, audience, areas),
    }
    gap = figures.gaps(filters, audience, today=today)
    return {
        "audience": audience,
        "filters": filters.as_query(),
        "key_figures": figures.key_figures(filters, audience, today=today),
        "charts": charts,
        "gap_tables": figures.gap_tables(gap),
    }


def dashboard_figures(*, filters: Filters, audience: str, today: date | None = None) -> dict[str, Any]:
    """All dashboard figures for one audience and one set of filters, cached until the data changes."""
    if audience not in figures.AUDIENCES:
        raise ValueError(audience)
    today = today or timezone.localdate()
    # Labels are translated when computed, so the language is part of the key.
    key = f"{filters.cache_key()}:today={today.isoformat()}:lang={translation.get_language()}"
    result: dict[str, Any] = cache.cached(
        "dashboard", audience, key, lambda: _compute_dashboard(filters, audience, today)
    )
    return result


def my_state_figures(*, filters: Filters, audience: str, today: date | None = None) -> dict[str, Any]:
    """A State's own view: the dashboard restricted to that State, plus what it pledged as a donor."""
    today = today or timezone.localdate()
    # Labels are translated when computed, so the language is part of the key.
    key = f"{filters.cache_key()}:today={today.isoformat()}:lang={translation.get_language()}"

    def compute() -> dict[str, Any]:
        data = _compute_dashboard(filters, audience, today)
        data["charts"]["donor_pledges"] = figures.donor_pledges_of_state(filters, audience)
        return data

    result: dict[str, Any] = cache.cached("my_state", audience, key, compute)
    return result


def figures_json(*, filters: Filters, audience: str, user: PortalUser, today: date | None = None) -> bytes:
    """/api/dashboard/'s JSON body as ``user`` may see it (``for_viewer``), cached as encoded bytes beside the figures.

    A warm request then costs one cache read of a byte string, not unpickling the figures and encoding them again
    (about 1.5 ms of the 6 a warm request took). The bytes are the API renderer's, so they equal what the view
    would render; ``for_viewer`` depends only on the role, which is therefore part of the key."""
    from osce_tnt.api.renderers import encode_json

    today = today or timezone.localdate()
    name = "my_state_json" if filters.state_id else "dashboard_json"
    key = f"{filters.cache_key()}:today={today.isoformat()}:lang={translation.get_language()}:role={role_of(user)}"

    def encode() -> bytes:
        figures_of = my_state_figures if filters.state_id else dashboard_figures
        data = figures_of(filters=filters, audience=audience, today=today)
        return encode_json(for_viewer(data, user=user))

    result: bytes = cache.cached(name, audience, key, encode)
    return result


def for_viewer(data: dict[str, Any], *, user: PortalUser) -> dict[str, Any]:
    """Cached dashboard figures as ``user`` may see them: a gap table that names a resource (the knowledge gaps,
    whose own pages are for staff) is left out for those who may not view that resource. The cache holds one
    entry per audience, so this is applied on the way out, never stored."""
    tables = data.get("gap_tables", [])
    shown = [t for t in tables if not t.get("resource") or can(user, t["resource"], VIEW)]
    if len(shown) == len(tables):
        return data
    return {**data, "gap_tables": shown}


# --- results and money (read through the results app's selectors) ---------------------------------------------

RESULTS_ROWS_SHOWN = 60


def results_overview(*, user: PortalUser, filters: Filters, audience: str) -> dict[str, Any]:
    """Target against actual and the funding totals of the projects the dashboard's filters select (the same
    projects its other figures count), for the indicator periods that overlap the filter period. Not cached here;
    the dashboard page caches the section it renders from this per audience and delegation flag (the only part of
    the user it depends on), and every review bumps the cache generation. Only the first rows are listed; the
    results dashboard has them all."""
    projects = figures.projects(filters, audience).filter(
        pk__in=results_selectors.visible_projects(user=user).order_by().values("pk")
    )
    rows = results_selectors.target_vs_actual(user=user, projects=projects, period=(filters.start, filters.end))
    return {
        "rows": rows[:RESULTS_ROWS_SHOWN],
        "row_count": len(rows),
        "rollup": results_selectors.rollup(rows),
        "funding": results_selectors.funding_totals_for(projects=projects),
    }
