"""The aggregate queries behind the dashboards and the generated reports.

Every figure is computed by PostgreSQL with annotate/aggregate; Python only reshapes the (small) grouped results
into tables. Two audiences exist:

- ``PUBLIC`` (delegations, and every generated report, since reports are written for participating States):
  projects that are approved, ongoing or completed; public events; activities of accepted reports only.
- ``STAFF``: also proposals and internal events. Activities still come from accepted reports only, because a
  submitted report has not been checked yet.

Cancelled projects and events never count.

A project or event usually touches several thematic areas. Per-area figures count it once under each *top-level*
area it touches (two sub-areas of the same top area count once); totals count it once overall, so the per-area
rows can add up to more than the total.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from focal_points import selectors as focal_point_selectors
from osce_tnt.reporting import knowledge_figures
from programmes import selectors as core_selectors
from programmes.activity import selectors as activity_selectors
from programmes.events import selectors as event_selectors
from programmes.models import DonorPledge, ParticipatingState, Project, Region, ThematicArea
from programmes.selectors import PUBLISHED_PROJECT_STATUSES
from taskforces import selectors as taskforce_selectors

PUBLIC = "public"
STAFF = "staff"
AUDIENCES = (PUBLIC, STAFF)


@dataclass(frozen=True)
class Filters:
    """What a dashboard or report looks at. ``area_top_id`` is the top-level area of ``area_id``."""

    start: date | None = None
    end: date | None = None
    area_id: int | None = None
    area_top_id: int | None = None
    region: str = ""
    state_id: int | None = None
    structure_id: int | None = None

    def cache_key(self) -> str:
        return ":".join(f"{k}={'' if v is None else v}" for k, v in asdict(self).items())

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters, as the filter form reads them."""
        params = {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "area": str(self.area_id or ""),
            "region": self.region,
        }
        return {k: v for k, v in params.items() if v}


# --- base querysets -------------------------------------------------------------------------------------------


def _through(model):
    field = model._meta.get_field("thematic_areas")
    return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def _area_ids(filters: Filters):
    return ThematicArea.objects.filter(Q(pk=filters.area_id) | Q(parent_id=filters.area_id)).values("pk")


def _touching_area(model, filters: Filters) -> Q:
    through, src, tgt = _through(model)
    return Q(pk__in=through.objects.filter(**{f"{tgt}_id__in": _area_ids(filters)}).values(f"{src}_id"))


def projects(filters: Filters, audience: str) -> QuerySet:
    qs = Project.objects.exclude(status=Project.Status.CANCELLED)
    if audience == PUBLIC:
        qs = qs.filter(status__in=PUBLISHED_PROJECT_STATUSES)
    if filters.end:
        qs = qs.filter(Q(start__isnull=True) | Q(start__lte=filters.end))
    if filters.start:
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=filters.start))
    if filters.area_id:
        qs = qs.filter(_touching_area(Project, filters))
    beneficiaries = Project.beneficiary_states.through.objects
    if filters.region:
        qs = qs.filter(
            Q(lead_structure__region=filters.region)
            | Q(pk__in=beneficiaries.filter(participatingstate__region=filters.region).values("project_id"))
        )
    if filters.state_id:
        qs = qs.filter(pk__in=beneficiaries.filter(participatingstate_id=filters.state_id).values("project_id"))
    if filters.structure_id:
        partners = Project.partner_structures.through.objects.filter(executivestructure_id=filters.structure_id)
        qs = qs.filter(Q(lead_structure_id=filters.structure_id) | Q(pk__in=partners.values("project_id")))
    return qs


def events(filters: Filters, audience: str, *, include_taskforce_meetings: bool = False) -> QuerySet:
    # Task-force meetings are working meetings, not thematic events: no figure counts them unless asked to.
    qs = event_selectors.countable_events(
        include_internal=audience != PUBLIC, include_taskforce_meetings=include_taskforce_meetings
    )
    if filters.end:
        qs = qs.filter(start_date__lte=filters.end)
    if filters.start:
        qs = qs.filter(end_date__gte=filters.start)
    if filters.area_id:
        qs = qs.filter(_touching_area(qs.model, filters))
    if filters.region:
        qs = qs.filter(Q(state__region=filters.region) | Q(state__isnull=True, lead_structure__region=filters.region))
    if filters.state_id:
        qs = qs.filter(state_id=filters.state_id)
    if filters.structure_id:
        co = qs.model.co_organisers.through.objects.filter(executivestructure_id=filters.structure_id)
        qs = qs.filter(Q(lead_structure_id=filters.structure_id) | Q(pk__in=co.values("event_id")))
    return qs


def activities(filters: Filters) -> QuerySet:
    """Items of accepted activity reports only, for every audience (the activity app's own rule)."""
    # The selector's joins and prefetches are for pages; aggregates want the bare rows.
    qs = activity_selectors.accepted_activities(start=filters.start, end=filters.end)
    qs = qs.select_related(None).prefetch_related(None).order_by()
    if filters.area_id:
        qs = qs.filter(_touching_area(qs.model, filters))
    if filters.region:
        qs = qs.filter(
            Q(state__region=filters.region) | Q(state__isnull=True, report__structure__region=filters.region)
        )
    if filters.state_id:
        qs = qs.filter(state_id=filters.state_id)
    if filters.structure_id:
        qs = qs.filter(report__structure_id=filters.structure_id)
    return qs


def pledges(filters: Filters, audience: str) -> QuerySet:
    """Pledges to the projects in scope, made within the period."""
    scope = Filters(
        area_id=filters.area_id,
        area_top_id=filters.area_top_id,
        region=filters.region,
        state_id=filters.state_id,
        structure_id=filters.structure_id,
    )
    qs = DonorPledge.objects.filter(project__in=projects(scope, audience).values("pk"))
    return _pledged_in(qs, filters)


def _pledge_period_q(filters: Filters, prefix: str = "") -> Q:
    condition = Q()
    if filters.start:
        condition &= Q(**{f"{prefix}pledged_on__gte": filters.start})
    if filters.end:
        condition &= Q(**{f"{prefix}pledged_on__lte": filters.end})
    return condition


def _pledged_in(qs, filters: Filters, prefix: str = ""):
    return qs.filter(_pledge_period_q(filters, prefix))


def area_links(model, objects: QuerySet, filters: Filters) -> tuple[QuerySet, str]:
    """Rows of ``model``'s thematic-area link table for ``objects``, annotated with ``top``, the top-level area of
    the linked area. An object with two sub-areas of one top area has two rows with the same ``top``, so counts
    use ``Count(<object>_id, distinct=True)`` and sums go through ``sums_by_top``."""
    through, src, tgt = _through(model)
    links = through.objects.filter(**{f"{src}_id__in": objects.order_by().values("pk")}).annotate(
        top=Coalesce(F(f"{tgt}__parent_id"), F(f"{tgt}_id"))
    )
    if filters.area_top_id:
        links = links.filter(top=filters.area_top_id)
    return links.order_by(), src


def sums_by_top(rows: QuerySet, key: str, values: dict[str, Any], tops: list[int]) -> dict[int, dict[str, Any]]:
    """Sum ``values`` per top area, counting each (``key``, top) pair once.

    ``rows`` are link rows annotated with ``top``. PostgreSQL first groups them by (key, top) — one row per
    object and top area, however many sub-areas of that area the object has — and then sums each value with one
    FILTER per top area, in a single query."""
    if not tops:
        return {}
    pairs = rows.values(key, "top").annotate(**{name: Max(expression) for name, expression in values.items()})
    result = pairs.aggregate(**{f"{name}__{top}": Sum(name, filter=Q(top=top)) for name in values for top in tops})
    return {top: {name: result[f"{name}__{top}"] for name in values} for top in tops}


# --- scans shared by several figures ------------------------------------------------------------------------
#
# The dashboard shows the same rows in several shapes: activities per region, per State, in the key figures and as
# the "States with no activity" gap; events likewise. At 500,000 activity items every pass over them costs about a
# second, so within one computation (``shared_scans``) each such grouping runs once and the figures read it from
# here. Outside ``shared_scans`` every figure runs its own (same) query, so callers that want one figure get the
# same numbers.

_shared: ContextVar[dict | None] = ContextVar("reporting_shared_scans", default=None)


@contextmanager
def shared_scans() -> Iterator[None]:
    """One computation of many figures. On PostgreSQL JIT compilation is off meanwhile: the large scans cost
    PostgreSQL's JIT 0.3–1.6 s of compilation each on this data (EXPLAIN ANALYZE at N=1: the (activity, top area)
    grouping took 3.96 s with JIT and 3.03 s without), more than compiling saves on queries of a few seconds.
    A session setting reset afterwards, not a transaction: a report job's progress updates must stay visible while
    it computes (services.report_generate). A failed transaction rolls the SET back by itself."""
    token = _shared.set({})
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
        yield
    finally:
        _shared.reset(token)
        if postgres:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("RESET jit")


def _once(key: tuple, compute: Callable[[], Any]) -> Any:
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _sum(values) -> Any:
    """SQL SUM over groups already summed: None when there is nothing to add (no rows), as SUM itself gives."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def activity_rollup(filters: Filters) -> list[dict[str, Any]]:
    """Accepted activities grouped by State and region (of the State, else of the reporting structure): count and
    participants. One scan serves the per-region and per-State charts, the key figures, the participants' total
    and the no-activity gap."""

    def compute() -> list[dict[str, Any]]:
        return list(
            activities(filters)
            .values("state_id", region=Coalesce("state__region", "report__structure__region"))
            .annotate(
                n=Count("pk"),
                women=Sum("participants_women"),
                men=Sum("participants_men"),
                unrecorded=Sum("participants_unrecorded"),
            )
            .order_by()
        )

    return _once(("activities", filters), compute)


def event_rollup(filters: Filters, audience: str, today: date) -> list[dict[str, Any]]:
    """Countable events grouped by State, region (of the State, else of the lead structure), status and whether
    they ended before ``today`` (None when there is no end date): one scan for the per-region and per-State charts,
    the key figures and the no-activity gap."""

    def compute() -> list[dict[str, Any]]:
        # Grouped on plain columns, so PostgreSQL's estimate of the groups (from column statistics) stays small
        # and it hashes a few thousand groups; grouped on the COALESCE and a CASE it expected one group per event
        # and sorted all 180,000 of them on disk (EXPLAIN ANALYZE at N=1). A State's region is never empty, so
        # the region is the State's when there is one, else the lead structure's, as COALESCE gave.
        grouped = (
            events(filters, audience)
            .order_by()
            .values("state_id", "status", "state__region", "lead_structure__region")
            .annotate(
                past=Count("pk", filter=Q(end_date__lt=today)),
                current=Count("pk", filter=Q(end_date__gte=today)),
                n=Count("pk"),
            )
        )
        rows = []
        for row in grouped:
            region = row["state__region"] if row["state_id"] is not None else row["lead_structure__region"]
            common = {"state_id": row["state_id"], "status": row["status"], "region": region}
            for ended, n in (
                (True, row["past"]),
                (False, row["current"]),
                (None, row["n"] - row["past"] - row["current"]),
            ):
                if n:
                    rows.append({**common, "ended": ended, "n": n})
        return rows

    return _once(("events", filters, audience, today), compute)


def _group_rows(pairs: QuerySet, group: list[str], sums: list[str]) -> list[tuple]:
    """``GROUP BY group`` over the rows of ``pairs`` (an ORM query with those columns), with ``COUNT(*)`` and a
    ``SUM`` of each of ``sums``. Integers only: the values come straight from the cursor, without the ORM's
    converters. Django cannot group over a grouped subquery, so the ORM's own SQL (either backend) is wrapped."""
    sql, params = pairs.query.sql_with_params()
    db = connections[pairs.db]
    qn = db.ops.quote_name
    columns = ", ".join(qn(c) for c in group)
    values = ", ".join(["COUNT(*)", *(f"SUM({qn(c)})" for c in sums)])
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, {values} FROM ({sql}) pairs GROUP BY {columns}", params)  # noqa: S608
        return cursor.fetchall()


def activity_top_days(filters: Filters) -> list[tuple[int, date, int, int, int, int]]:
    """Accepted activities per top-level area and first day: (top, day, activities, women, men, not recorded),
    each activity counted once per top area it touches. The per-area participants and the activities-over-time
    chart both read these rows.

    The link rows are first reduced to one per (activity, top area) — PostgreSQL groups them once, by hash —
    and only then counted per area and day, instead of a ``COUNT(DISTINCT …)`` per (area, period), which sorts
    every link row, and one ``SUM … FILTER`` per top area over them."""

    def compute() -> list[tuple[int, date, int, int, int, int]]:
        qs = activities(filters)
        links, src = area_links(qs.model, qs, filters)
        pairs = links.values(f"{src}_id", "top").annotate(
            day=Max(f"{src}__start"),
            women=Max(f"{src}__participants_women"),
            men=Max(f"{src}__participants_men"),
            unrecorded=Max(f"{src}__participants_unrecorded"),
        )
        rows = []
        for top, day, n, women, men, unrecorded in _group_rows(pairs, ["top", "day"], ["women", "men", "unrecorded"]):
            # SQLite hands dates back as text through a bare cursor.
            rows.append((top, date.fromisoformat(day) if isinstance(day, str) else day, n, women, men, unrecorded))
        return rows

    return _once(("activity_top_days", filters), compute)


def _participating(filters: Filters) -> list[tuple[int, str, str]]:
    """(pk, region, name) of the States participating at the end of the period, by name."""
    return _once(
        ("participating", filters.end),
        lambda: list(
            core_selectors.participating_states_on(filters.end).order_by("name").values_list("pk", "region", "name")
        ),
    )


# --- helpers that shape grouped results ----------------------------------------------------------------------


def top_areas(filters: Filters | None = None) -> list[tuple[int, str, str]]:
    qs = ThematicArea.objects.filter(parent__isnull=True).order_by("position", "name")
    if filters is not None and filters.area_top_id:
        qs = qs.filter(pk=filters.area_top_id)
    # Names in the page's language (the figures are cached per language).
    return [(a.pk, a.localized_short_name, a.localized_name) for a in qs]


def _num(value) -> int | float:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value


def _by_top(rows, key: str = "top") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in rows}


def _table(
    name: str,
    title: str,
    columns: list[str],
    rows: list[list],
    *,
    kind: str = "bar",
    description: str = "",
    unit: str = "",
    total: list | None = None,
    series: list[int] | None = None,
) -> dict:
    """A figure as a table: the chart, the accessible table, the CSV and the API all read this one shape.
    ``series`` names the columns the chart draws (default: every numeric column)."""
    return {
        "name": name,
        "title": title,
        "description": description,
        "columns": columns,
        "rows": rows,
        "kind": kind,
        "unit": unit,
        "total": total,
        "series": series,
    }


# --- figures --------------------------------------------------------------------------------------------------


def _project_values(prefix: str, filters: Filters, in_period: bool) -> dict[str, Any]:
    budget = F(f"{prefix}budget")
    values = {
        "count": Value(1),
        "ub": Case(
            When(**{f"{prefix}funding_source": Project.FundingSource.UB}, then=budget),
            default=Value(0),
            output_field=DecimalField(),
        ),
        "exb": Case(
            When(**{f"{prefix}funding_source": Project.FundingSource.EXB}, then=budget),
            default=Value(0),
            output_field=DecimalField(),
        ),
        # An unknown budget adds nothing to the sums, so the table says how many projects it leaves out.
        "no_budget": Case(When(**{f"{prefix}budget__isnull": True}, then=Value(1)), default=Value(0)),
    }
    if in_period:
        period = (filters.start, filters.end)
        values["new"] = Case(When(**{f"{prefix}start__range": period}, then=Value(1)), default=Value(0))
        values["completed"] = Case(
            When(**{f"{prefix}status": Project.Status.COMPLETED, f"{prefix}end__range": period}, then=Value(1)),
            default=Value(0),
        )
    return values


def project_figures(filters: Filters, audience: str, areas) -> dict:
    qs = projects(filters, audience)
    links, src = area_links(Project, qs, filters)
    in_period = filters.start is not None and filters.end is not None
    grouped = sums_by_top(links, f"{src}_id", _project_values(f"{src}__", filters, in_period), [a[0] for a in areas])
    total = qs.aggregate(
        **{name: Sum(expression) for name, expression in _project_values("", filters, in_period).items()}
    )
    columns = [
        _("Thematic area"),
        _("Projects"),
        _("UB budget (EUR)"),
        _("ExB budget (EUR)"),
        _("Projects with no budget figure"),
    ]
    keys = ["count", "ub", "exb", "no_budget"]
    if in_period:
        columns += [_("New in the period"), _("Completed in the period")]
        keys += ["new", "completed"]
    rows = [[short] + [_num(grouped.get(pk, {}).get(k)) for k in keys] for pk, short, _name in areas]
    return _table(
        "projects",
        _("Projects"),
        columns,
        rows,
        kind="table",
        description=_("Projects running in the period, with their budgets by funding source."),
        total=[_("All areas (each project once)")] + [_num(total.get(k)) for k in keys],
    )


def event_figures(filters: Filters, audience: str, areas, *, today: date | None = None) -> dict:
    """Held counts only events whose outcome (or status) is held; a planned event whose last day has passed is
    no longer planned but waits for its outcome, and is counted as such."""
    today = today or timezone.localdate()
    qs = events(filters, audience)
    links, src = area_links(qs.model, qs, filters)

    def metrics(prefix: str, counted: str) -> dict:
        upcoming = Q(**{f"{prefix}status__in": event_selectors.UPCOMING_STATUSES})
        return {
            "held": Count(counted, distinct=True, filter=Q(**{f"{prefix}status__in": event_selectors.HELD_STATUSES})),
            "planned": Count(counted, distinct=True, filter=upcoming & Q(**{f"{prefix}end_date__gte": today})),
            "awaiting": Count(counted, distinct=True, filter=upcoming & Q(**{f"{prefix}end_date__lt": today})),
        }

    grouped = _by_top(links.values("top").annotate(**metrics(f"{src}__", f"{src}_id")))
    total = qs.aggregate(**metrics("", "pk"))
    keys = ["held", "planned", "awaiting"]
    rows = [[short] + [_num(grouped.get(pk, {}).get(k)) for k in keys] for pk, short, _name in areas]
    return _table(
        "events",
        _("Events held and planned"),
        [_("Thematic area"), _("Held"), _("Planned or confirmed"), _("Past, outcome not yet recorded")],
        rows,
        kind="stacked",
        description=_("Events on the joint calendar in the period, by status; task-force meetings are not counted."),
        total=[_("All areas (each event once)")] + [_num(total[k]) for k in keys],
    )


def activity_type_figures(filters: Filters, areas) -> dict:
    types = activity_selectors.activity_type_choices()
    columns = [_("Thematic area")] + [label for _v, label in types]
    qs = activities(filters)
    links, src = area_links(qs.model, qs, filters)
    grouped: dict[tuple[int, str], int] = {
        (row["top"], row["kind"]): row["n"]
        for row in links.values("top", kind=F(f"{src}__activity_type")).annotate(n=Count(f"{src}_id", distinct=True))
    }
    totals = {row["activity_type"]: row["n"] for row in qs.order_by().values("activity_type").annotate(n=Count("pk"))}
    rows = [[short] + [grouped.get((pk, value), 0) for value, _l in types] for pk, short, _name in areas]
    return _table(
        "activities_by_type",
        _("Reported activities by type"),
        columns,
        rows,
        kind="stacked",
        description=_("Activities in accepted reports, by type of activity."),
        total=[_("All areas (each activity once)")] + [totals.get(value, 0) for value, _l in types],
    )


def participant_figures(filters: Filters, areas) -> dict:
    columns = [_("Thematic area"), _("Women"), _("Men"), _("Not recorded")]
    keys = ["women", "men", "unrecorded"]
    grouped: dict[int, dict[str, Any]] = {}
    for top, _day, _n, *sums in activity_top_days(filters):
        totals = grouped.setdefault(top, dict.fromkeys(keys, 0))
        for key, value in zip(keys, sums, strict=True):
            totals[key] += value or 0
    rollup = activity_rollup(filters)
    total = {k: _sum(row[k] for row in rollup) for k in keys}
    rows = [[short] + [_num(grouped.get(pk, {}).get(k)) for k in keys] for pk, short, _name in areas]
    return _table(
        "participants",
        _("Participants by sex"),
        columns,
        rows,
        kind="stacked",
        description=_("Participants in activities of accepted reports, women, men and not recorded."),
        total=[_("All areas (each activity once)")] + [_num(total[k]) for k in keys],
    )


def partner_figures(filters: Filters, audience: str, areas) -> dict:
    """Co-operation with partner organisations: for each area and organisation, how many projects, events and
    activities name it."""
    names = {pk: short for pk, short, _n in areas}
    sources = [
        ("projects", projects(filters, audience)),
        ("events", events(filters, audience)),
        ("activities", activities(filters)),
    ]
    counts: dict[tuple[int, str], dict[str, int]] = {}
    for label, qs in sources:
        links, src = area_links(qs.model, qs, filters)
        grouped = (
            links.filter(**{f"{src}__partner_organisations__isnull": False})
            .values("top", org=F(f"{src}__partner_organisations__acronym"))
            .annotate(n=Count(f"{src}_id", distinct=True))
        )
        for row in grouped:
            counts.setdefault((row["top"], row["org"]), {})[label] = row["n"]
    order = {pk: i for i, (pk, _s, _n) in enumerate(areas)}
    rows = [
        [names[top], org, value.get("projects", 0), value.get("events", 0), value.get("activities", 0)]
        for (top, org), value in sorted(counts.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1]))
        if top in names
    ]
    return _table(
        "partners",
        _("Co-operation with partner organisations"),
        [_("Thematic area"), _("Organisation"), _("Projects"), _("Events"), _("Activities")],
        rows,
        kind="table",
        description=_("How many projects, events and reported activities each partner organisation took part in."),
    )


def _bucket_start(day: date, by_quarter: bool) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1) if by_quarter else date(day.year, 1, 1)


def _next_bucket(day: date, by_quarter: bool) -> date:
    if not by_quarter:
        return date(day.year + 1, 1, 1)
    return date(day.year + (day.month == 10), (day.month + 2) % 12 + 1, 1)


def activities_over_time(filters: Filters, areas) -> dict:
    span_days = (filters.end - filters.start).days if filters.start and filters.end else None
    by_quarter = span_days is not None and span_days <= 3 * 366
    buckets: dict[date, dict[int, int]] = {}
    for top, day, n, *_sums in activity_top_days(filters):
        per_top = buckets.setdefault(_bucket_start(day, by_quarter), {})
        per_top[top] = per_top.get(top, 0) + n

    def label(day: date) -> str:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}" if by_quarter else str(day.year)

    # A real time axis: every period from the first to the last is a row, and a period with no activity at all
    # holds None (drawn as a gap), so two years apart never look adjacent.
    rows: list[list[Any]] = []
    if buckets or (filters.start and filters.end):
        first = _bucket_start(filters.start, by_quarter) if filters.start else min(buckets)
        last = _bucket_start(filters.end, by_quarter) if filters.end else max(buckets)
        if buckets:
            first, last = min(first, min(buckets)), max(last, max(buckets))
        day = first
        while day <= last:
            values = buckets.get(day)
            counts: list[int | None] = (
                [values.get(pk, 0) for pk, _s, _n in areas] if values is not None else [None for _a in areas]
            )
            rows.append([label(day), *counts])
            day = _next_bucket(day, by_quarter)
    return _table(
        "activities_over_time",
        _("Activities by thematic area over time"),
        [_("Quarter") if by_quarter else _("Year")] + [short for _pk, short, _n in areas],
        rows,
        kind="line",
        description=_("Number of reported activities (accepted reports) that started in each period."),
    )


def by_region(filters: Filters, audience: str, *, today: date | None = None) -> dict:
    region_labels = dict(Region.choices)
    ev: dict[str | None, int] = {}
    for row in event_rollup(filters, audience, today or timezone.localdate()):
        ev[row["region"]] = ev.get(row["region"], 0) + row["n"]
    act: dict[str | None, int] = {}
    for row in activity_rollup(filters):
        act[row["region"]] = act.get(row["region"], 0) + row["n"]
    regions = [r for r in Region.values if r in ev or r in act]
    if filters.region:
        regions = [filters.region]
    rows = [[str(region_labels.get(r, r)), act.get(r, 0), ev.get(r, 0)] for r in regions]
    return _table(
        "by_region",
        _("Activities and events by region"),
        [_("Region"), _("Activities"), _("Events")],
        rows,
        description=_(
            "Activities of accepted reports and calendar events, by region of the State "
            "concerned (or of the lead structure when no State is given)."
        ),
    )


def by_state(filters: Filters, audience: str, *, today: date | None = None) -> dict:
    ev: dict[int, int] = {}
    for row in event_rollup(filters, audience, today or timezone.localdate()):
        if row["state_id"] is not None:
            ev[row["state_id"]] = ev.get(row["state_id"], 0) + row["n"]
    act: dict[int, int] = {}
    for row in activity_rollup(filters):
        if row["state_id"] is not None:
            act[row["state_id"]] = act.get(row["state_id"], 0) + row["n"]
    states = ParticipatingState.objects.filter(pk__in=set(ev) | set(act)).order_by("name").values_list("pk", "name")
    rows = [[name, act.get(pk, 0), ev.get(pk, 0)] for pk, name in states]
    return _table(
        "by_state",
        _("Activities and events by State"),
        [_("State"), _("Activities"), _("Events")],
        rows,
        description=_("Activities of accepted reports and calendar events held in or for each State."),
    )


def _pledges_by_top(
    project_qs: QuerySet, filters: Filters, tops: list[int], *, donor_id: int | None = None
) -> dict[int, dict[str, Any]]:
    """Pledged amounts per top area of the pledged project: one (pledge, top area) pair counted once."""
    links, src = area_links(Project, project_qs, filters)
    condition = Q(**{f"{src}__pledges__isnull": False}) & _pledge_period_q(filters, f"{src}__pledges__")
    if donor_id:
        condition &= Q(**{f"{src}__pledges__donor_state_id": donor_id})
    # One filter() call, so the condition and the summed column use the same join to the pledges.
    pledge_links = links.filter(condition).annotate(pledge=F(f"{src}__pledges__id"))
    return sums_by_top(pledge_links, "pledge", {"total": F(f"{src}__pledges__amount")}, tops)


def exb_by_area(filters: Filters, audience: str, areas) -> dict:
    tops = [a[0] for a in areas]
    exb = projects(filters, audience).filter(funding_source=Project.FundingSource.EXB)
    links, src = area_links(Project, exb, filters)
    budget = sums_by_top(links, f"{src}_id", {"total": F(f"{src}__budget")}, tops)
    pledged = _pledges_by_top(projects(filters, audience), filters, tops)
    rows = [
        [short, _num(budget.get(pk, {}).get("total")), _num(pledged.get(pk, {}).get("total"))]
        for pk, short, _n in areas
    ]
    exb_total = exb.aggregate(total=Sum("budget"), unknown=Count("pk", filter=Q(budget__isnull=True)))
    total_budget = exb_total["total"]
    total_pledged = pledges(filters, audience).aggregate(total=Sum("amount"))["total"]
    return _table(
        "exb_by_area",
        _("Extra-budgetary funding by thematic area"),
        [_("Thematic area"), _("ExB budget (EUR)"), _("Pledged in the period (EUR)")],
        rows,
        unit="EUR",
        description=_(
            "Budgets of extra-budgetary projects and donor pledges; a project with several areas counts "
            "under each. %(n)s project(s) have no budget figure and are not in the sums."
        )
        % {"n": exb_total["unknown"]},
        total=[_("All areas (each project once)"), _num(total_budget), _num(total_pledged)],
    )


def exb_by_donor(filters: Filters, audience: str) -> dict:
    grouped = (
        pledges(filters, audience)
        .order_by()
        .values(donor=F("donor_state__name"))
        .annotate(total=Sum("amount"), n=Count("project_id", distinct=True))
        .order_by("-total", "donor")
    )
    rows = [[row["donor"], _num(row["total"]), row["n"]] for row in grouped]
    return _table(
        "exb_by_donor",
        _("Extra-budgetary pledges by donor"),
        [_("Donor State"), _("Pledged (EUR)"), _("Projects")],
        rows,
        unit="EUR",
        series=[1],
        description=_("Pledges made in the period to projects in scope."),
    )


def exb_area_donor(filters: Filters, audience: str, areas) -> dict:
    """Pledged amounts per donor (rows) and top area (columns): one query, one conditional sum per area."""
    through, src, tgt = _through(Project)

    def in_top(top: int) -> Exists:
        return Exists(
            through.objects.filter(**{f"{src}_id": OuterRef("project_id")}).filter(
                Q(**{f"{tgt}_id": top}) | Q(**{f"{tgt}__parent_id": top})
            )
        )

    grouped = (
        pledges(filters, audience)
        .order_by()
        .values(donor=F("donor_state__name"))
        .annotate(**{f"t{pk}": Sum("amount", filter=in_top(pk)) for pk, _s, _n in areas})
        .order_by("donor")
    )
    rows = [[row["donor"]] + [_num(row[f"t{pk}"]) for pk, _s, _n in areas] for row in grouped]
    return _table(
        "exb_area_donor",
        _("Pledges by donor and thematic area"),
        [_("Donor State")] + [short for _pk, short, _n in areas],
        rows,
        kind="matrix",
        unit="EUR",
        description=_("Pledged amounts (EUR) per donor and area; a project with several areas counts under each."),
    )


def linkage(filters: Filters, audience: str, areas) -> dict:
    """How often two top-level areas occur together in the same project or event: a self-join on each link
    table, grouped by the two top areas (the diagonal holds how many touch the area at all)."""
    counts: dict[tuple[int, int], int] = {}
    # The linkage matrix always shows every area: an area filter narrows the objects, not the columns.
    unfiltered = Filters(
        start=filters.start,
        end=filters.end,
        area_id=filters.area_id,
        region=filters.region,
        state_id=filters.state_id,
        structure_id=filters.structure_id,
    )
    # Task-force meetings cover every area by design; counting them would link everything to everything.
    substantive_events = events(filters, audience, include_taskforce_meetings=False)
    all_areas = top_areas()
    # Each object's top areas as a bit mask (one bit per top area, summed once each), counted per mask: a few
    # dozen rows from one pass over the link table, where a self-join of the links with COUNT(DISTINCT …) per
    # pair of areas sorted every pair. The pairs and the diagonal are read off the masks here.
    bits = {pk: 1 << i for i, (pk, _s, _n) in enumerate(all_areas)}
    bit = Case(
        *(When(top=pk, then=Value(value)) for pk, value in bits.items()),
        default=Value(0),
        output_field=BigIntegerField(),
    )
    for qs in (projects(filters, audience), substantive_events):
        links, src = area_links(qs.model, qs, unfiltered)
        masks = links.values(f"{src}_id").annotate(mask=Sum(bit, distinct=True)).values("mask")
        for mask, n in _group_rows(masks, ["mask"], []):
            present = [pk for pk, value in bits.items() if mask & value]
            for a in present:
                for b in present:
                    if a <= b:
                        counts[(a, b)] = counts.get((a, b), 0) + n
    rows = []
    for a, short_a, _n in all_areas:
        rows.append([short_a] + [counts.get((min(a, b), max(a, b)), 0) for b, _s, _nb in all_areas])
    return _table(
        "linkage",
        _("Threat-linkage matrix"),
        [_("Thematic area")] + [s for _pk, s, _n in all_areas],
        rows,
        kind="matrix",
        description=_(
            "Number of projects and events (task-force meetings aside) that serve both areas; the "
            "diagonal shows how many serve the area at all."
        ),
    )


# --- figures read from the other apps' selectors (compliance, network vacancies, overdue actions) ---------------


def network_vacancies(filters: Filters, *, today: date) -> dict:
    rows = []
    for network, states in focal_point_selectors.network_vacancies(today=today, joined_by=filters.end):
        if filters.region:
            states = [s for s in states if s.region == filters.region]
        if filters.state_id:
            states = [s for s in states if s.pk == filters.state_id]
        if states:
            rows.append([network.localized_name, ", ".join(s.name for s in states), len(states)])
    return {
        "rows": rows,
        "note": _("A State counts as vacant when the network has no current, confirmed primary focal point for it."),
    }


def overdue_actions(audience: str, *, today: date) -> dict:
    """Counts per task force only: the actions themselves (owners, wording) are internal working data."""
    counts = taskforce_selectors.overdue_action_counts(today=today, delegation_visible_only=audience != STAFF)
    return {
        "columns": [_("Task force"), _("Overdue actions")],
        "rows": [[name, n] for name, n in counts],
        "note": _("Open task-force actions whose due date has passed."),
    }


def _period(filters: Filters, today: date) -> tuple[date, date]:
    if filters.start and filters.end:
        return filters.start, filters.end
    return activity_selectors.last_closed_period(today=today)


def _structure_in_scope(structure, filters: Filters) -> bool:
    if filters.region and structure.region != filters.region:
        return False
    if filters.structure_id and structure.pk != filters.structure_id:
        return False
    return not (filters.state_id and structure.host_state_id != filters.state_id)


def structures_not_reported(filters: Filters, *, today: date) -> dict:
    """Structures whose report for the period is missing or still a draft after its deadline (the activity app's
    compliance summary; only the fact is shown, never the draft)."""
    start, end = _period(filters, today)
    summary = activity_selectors.compliance_summary(period_start=start, period_end=end, today=today)
    label = f"{start.isoformat()} – {end.isoformat()}"
    rows = [
        [s.osce_name, label, _("Not submitted")] for s in summary["not_reported"] if _structure_in_scope(s, filters)
    ]
    return {
        "rows": rows,
        "note": _(
            "Structures with a reporting obligation whose report for %(start)s – %(end)s "
            "was not submitted by its deadline."
        )
        % {"start": start.isoformat(), "end": end.isoformat()},
    }


# A cell counts as due once its deadline has passed; a draft past its deadline is as good as missing.
_DUE_STATES = ("on_time", "late", "missing")


def compliance(filters: Filters, audience: str, *, today: date) -> dict:
    """Reporting compliance for the year of the period's end: per structure for staff, per region for
    everyone else (aggregate only). On time (%) = reports submitted by their deadline / reports due."""
    year = filters.end.year if filters.end else activity_selectors.compliance_default_year(today=today)
    matrix = activity_selectors.compliance_matrix(year=year, region=filters.region or None, today=today)
    labels = dict(Region.choices)
    groups: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for row in matrix.rows:
        structure = row.structure
        if not _structure_in_scope(structure, filters):
            continue
        if audience == STAFF:
            key = structure.acronym
            names[key] = structure.osce_name
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
    first = _("Structure") if audience == STAFF else _("Region")
    return {
        "name": "compliance",
        "title": _("Reporting compliance %(year)s") % {"year": year},
        "description": _(
            "Activity reports due in %(year)s, submitted on time, late and missing; on time (%%) is "
            "on-time reports over reports due."
        )
        % {"year": year},
        "columns": [first, _("Due"), _("On time"), _("Late"), _("Missing"), _("On time (%)")],
        "rows": rows,
        "kind": "bar",
        "unit": "%",
        "value_column": 5,
        "total": [_("All"), total["due"], total["on_time"], total["late"], total["missing"], percent(total)],
    }


def key_figures(filters: Filters, audience: str, *, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    proj = projects(filters, audience).aggregate(
        count=Count("pk"),
        ub=Sum("budget", filter=Q(funding_source=Project.FundingSource.UB)),
        exb=Sum("budget", filter=Q(funding_source=Project.FundingSource.EXB)),
        no_budget=Count("pk", filter=Q(budget__isnull=True)),
    )
    ev = {"held": 0, "planned": 0, "awaiting": 0}
    for row in event_rollup(filters, audience, today):
        if row["status"] in event_selectors.HELD_STATUSES:
            ev["held"] += row["n"]
        if row["status"] in event_selectors.UPCOMING_STATUSES and row["ended"] is not None:
            ev["awaiting" if row["ended"] else "planned"] += row["n"]
    pledged = pledges(filters, audience).aggregate(total=Sum("amount"))["total"]
    figures = [
        {"key": "projects", "label": _("Projects"), "value": proj["count"]},
        {"key": "ub_budget", "label": _("UB budget (EUR)"), "value": _num(proj["ub"])},
        {"key": "exb_budget", "label": _("ExB budget (EUR)"), "value": _num(proj["exb"])},
        {"key": "projects_no_budget", "label": _("Projects with no budget figure"), "value": proj["no_budget"]},
        {"key": "pledged", "label": _("Pledged (EUR)"), "value": _num(pledged)},
        {"key": "events_held", "label": _("Events held"), "value": ev["held"]},
        {"key": "events_planned", "label": _("Events planned"), "value": ev["planned"]},
        {"key": "events_awaiting_outcome", "label": _("Past events with no outcome yet"), "value": ev["awaiting"]},
    ]
    rollup = activity_rollup(filters)
    act = {key: _sum(row[key] for row in rollup) for key in ("women", "men", "unrecorded")}
    act["n"] = sum(row["n"] for row in rollup)
    people = (act["women"] or 0) + (act["men"] or 0) + (act["unrecorded"] or 0)
    recorded = (act["women"] or 0) + (act["men"] or 0)
    figures += [
        {"key": "activities", "label": _("Reported activities"), "value": act["n"]},
        {"key": "participants", "label": _("Participants"), "value": people},
        {
            "key": "women_share",
            "label": _("Women among recorded participants (%)"),
            "value": round(100 * (act["women"] or 0) / recorded, 1) if recorded else None,
        },
        # Only the States participating by the end of the period (2010: 56, without Mongolia).
        {
            "key": "participating_states",
            "label": _("Participating States in the period"),
            "value": len(_participating(filters)),
        },
    ]
    return figures


def gaps(filters: Filters, audience: str, *, today: date) -> dict:
    # The States that saw an event or an activity come from the grouped scans (a few dozen ids), so the quiet
    # States and regions need no NOT IN over 200,000 events and 500,000 activities.
    active = {row["state_id"] for row in event_rollup(filters, audience, today)} | {
        row["state_id"] for row in activity_rollup(filters)
    }
    participating = _participating(filters)
    quiet = [
        (pk, region, name)
        for pk, region, name in participating
        if pk not in active
        and (not filters.region or region == filters.region)
        and (not filters.state_id or pk == filters.state_id)
    ]
    quiet_states = [name for _pk, _region, name in quiet]
    # A region is quiet when none of its participating States saw an activity or event.
    totals: dict[str, int] = {}
    for _pk, region, _name in participating:
        totals[region] = totals.get(region, 0) + 1
    quiet_counts: dict[str, int] = {}
    for _pk, region, _name in quiet:
        quiet_counts[region] = quiet_counts.get(region, 0) + 1
    quiet_regions = [region for region, total in totals.items() if quiet_counts.get(region, 0) == total]
    if filters.region:
        quiet_regions = [r for r in quiet_regions if r == filters.region]
    labels = dict(Region.choices)
    return {
        "states_without_activity": quiet_states,
        "regions_without_activity": sorted(str(labels.get(r, r)) for r in quiet_regions),
        "structures_not_reported": structures_not_reported(filters, today=today),
        "networks_with_vacancies": network_vacancies(filters, today=today),
        "overdue_actions": overdue_actions(audience, today=today),
        **knowledge_gaps(filters, audience, today=today),
    }


def knowledge_gaps(filters: Filters, audience: str, *, today: date) -> dict:
    """The knowledge app's gaps over the period: unbound States without OSCE legal assistance, States without a
    1540 action plan, decisions without implementing work (counted on the audience's own projects, events and
    accepted activities, in the same area, region, State and structure as the rest of the page)."""
    # "All years" leaves both ends open: every instrument as of today, any assistance and any work ever.
    start, end = filters.start, filters.end
    work = replace(filters, start=None, end=None)  # the decision gap applies the period itself
    return {
        "legal_commitments": knowledge_figures.legal_gap_figures(
            start=start,
            end=end,
            today=today,
            region=filters.region,
            state_id=filters.state_id,
            area_id=filters.area_id,
            area_top_id=filters.area_top_id,
        ),
        "without_1540_action_plan": knowledge_figures.action_plan_figures(
            end=end,
            today=today,
            region=filters.region,
            state_id=filters.state_id,
            area_id=filters.area_id,
            area_top_id=filters.area_top_id,
        ),
        "decisions_without_work": knowledge_figures.decision_gap_figures(
            projects=projects(work, audience),
            events=events(work, audience),
            activities=activities(work),
            start=start,
            end=end,
            area_id=filters.area_id,
            area_top_id=filters.area_top_id,
        ),
    }


def gap_tables(gap: dict) -> list[dict]:
    tables = [
        _table(
            "gap_states",
            _("States with no activity"),
            [_("State")],
            [[name] for name in gap["states_without_activity"]],
            kind="list",
        ),
        _table(
            "gap_regions",
            _("Regions with no activity"),
            [_("Region")],
            [[name] for name in gap["regions_without_activity"]],
            kind="list",
        ),
    ]
    not_reported = gap["structures_not_reported"]
    tables.append(
        _table(
            "gap_structures",
            _("Structures that did not report"),
            [_("Structure"), _("Period"), _("Status")],
            not_reported.get("rows", []),
            kind="list",
            description=not_reported.get("note", ""),
        )
    )
    vacancies = gap["networks_with_vacancies"]
    tables.append(
        _table(
            "gap_networks",
            _("Networks with vacancies"),
            [_("Network"), _("States without a focal point"), _("Count")],
            vacancies.get("rows", []),
            kind="list",
            description=vacancies.get("note", ""),
        )
    )
    overdue = gap["overdue_actions"]
    tables.append(
        _table(
            "gap_actions",
            _("Overdue task-force actions"),
            overdue.get("columns", [_("Task force"), _("Overdue actions")]),
            overdue.get("rows", []),
            kind="list",
            description=overdue.get("note", ""),
        )
    )
    return tables + knowledge_gap_tables(gap)


def knowledge_gap_tables(gap: dict) -> list[dict]:
    """The knowledge gaps as tables; each names the knowledge resource whose page lists the same gap, so a
    dashboard shows it only to those who may open that page (see ``selectors.gap_tables_for``)."""
    legal = gap.get("legal_commitments") or {}
    plans = gap.get("without_1540_action_plan") or {}
    decisions = gap.get("decisions_without_work") or {}
    tables = [
        (
            _table(
                "gap_legal",
                _("Instruments not ratified where the OSCE gave no legal assistance"),
                [_("Instrument"), _("States"), _("Which")],
                legal.get("rows", []),
                kind="list",
                description=legal.get("note", ""),
            ),
            knowledge_figures.LEGAL_GAPS_RESOURCE,
        ),
        (
            _table(
                "gap_1540",
                _("States without a UNSCR 1540 action plan"),
                [_("Furthest step"), _("States"), _("Which")],
                plans.get("rows", []),
                kind="list",
                description=plans.get("note", ""),
            ),
            knowledge_figures.LEGAL_GAPS_RESOURCE,
        ),
        (
            _table(
                "gap_decisions",
                _("Decisions with no implementing work"),
                [_("Decision"), _("Title"), _("Work last seen")],
                decisions.get("rows", []),
                kind="list",
                description=decisions.get("note", ""),
            ),
            knowledge_figures.DECISION_GAPS_RESOURCE,
        ),
    ]
    return [{**table, "resource": resource} for table, resource in tables]


def donor_pledges_of_state(filters: Filters, audience: str) -> dict:
    """What one State pledged as a donor, by thematic area of the projects it funds (anywhere)."""
    scope = Filters(area_id=filters.area_id, area_top_id=filters.area_top_id)
    areas = top_areas(filters)
    tops = [a[0] for a in areas]
    in_scope = projects(scope, audience)
    amounts = _pledges_by_top(in_scope, filters, tops, donor_id=filters.state_id)
    links, src = area_links(Project, in_scope, filters)
    funded = _by_top(
        links.filter(
            Q(**{f"{src}__pledges__donor_state_id": filters.state_id}) & _pledge_period_q(filters, f"{src}__pledges__")
        )
        .values("top")
        .annotate(n=Count(f"{src}_id", distinct=True))
    )
    rows = [[short, _num(amounts.get(pk, {}).get("total")), funded.get(pk, {}).get("n", 0)] for pk, short, _n in areas]
    total = _pledged_in(
        DonorPledge.objects.filter(donor_state_id=filters.state_id, project__in=in_scope.values("pk")),
        filters,
    ).aggregate(total=Sum("amount"), n=Count("project_id", distinct=True))
    return _table(
        "donor_pledges",
        _("Pledges made by this State"),
        [_("Thematic area"), _("Pledged (EUR)"), _("Projects")],
        rows,
        unit="EUR",
        series=[1],
        description=_("Extra-budgetary pledges this State made in the period, by area of the project."),
        total=[_("All areas (each project once)"), _num(total["total"]), total["n"]],
    )
