"""Reads for activity reporting, scoped by who asks and already joined for the pages and endpoints that use them.

Other apps (meeting pack, TNT reports, dashboards) call ``compliance_matrix``, ``compliance_summary``,
``last_closed_period`` and ``accepted_activities``; those never return drafts or review comments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.activity.models import (
    DEFAULT_DEADLINE_DAYS,
    ActivityReport,
    ActivityType,
    ReportAttachment,
    ReportedActivity,
    ReportingFrequency,
    ReportingObligation,
    ReportTransition,
    period_containing,
    periods_between,
)
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, PartnerOrganisation, Project, ThematicArea
from programmes.periods import default_period
from programmes.permissions import Role, is_delegation, role_of, user_structure_id
from programmes.selectors import (
    PUBLISHED_PROJECT_STATUSES,
    ValueRows,
    grouped_by,
    instances_by,
    linked_ids,
    rows_with_linked_ids,
)
from programmes.types import PortalUser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class _AttachedToReport(TypedDict):
    visible_attachments: list[ReportAttachment]


# A report of the API (``report_api_list`` and ``report_items_attach``, or a detail): with the attachments its reader
# may see.
ReportWithAttachments: TypeAlias = "WithAnnotations[ActivityReport, _AttachedToReport]"

S = ActivityReport.Status


# --- reports, scoped by role ---------------------------------------------------------------------------------------


# The items' default ordering starts with "report", which orders by the report's own ordering (period, structure
# acronym) and so joins every report and structure: at N=1 a hash join over all 50,000 reports, 45 ms for one page's
# 494 items (EXPLAIN ANALYZE, issue 14). Within one report that ordering is position, start, pk; a prefetch groups
# the items by report, so this gives each report the same items in the same order, from the items' index alone.
_ITEMS_IN_REPORT_ORDER = ("report_id", "position", "start", "pk")
# The same for the attachments and transitions (their ``ordering`` starts with "report" too), and the reports' own
# order in the lists.
_ATTACHMENTS_IN_ORDER = ("report_id", "uploaded_at", "pk")
_TRANSITIONS_IN_ORDER = ("report_id", "at", "pk")
_REPORTS_IN_LIST_ORDER = ("-period_start", "structure__acronym")


def _item_queryset(*, listed: bool = False) -> QuerySet[ReportedActivity]:
    """The items of a report with their State, project, event, areas and partners. ``listed``: the areas and
    partners as plain lists, ``listed_thematic_areas`` and ``listed_partner_organisations`` (see ``report_page``),
    instead of in each item's related managers."""
    if listed:
        relations: list[Any] = [
            Prefetch("thematic_areas", queryset=ThematicArea.objects.all(), to_attr="listed_thematic_areas"),
            Prefetch(
                "partner_organisations",
                queryset=PartnerOrganisation.objects.all(),
                to_attr="listed_partner_organisations",
            ),
        ]
    else:
        relations = ["thematic_areas", "partner_organisations"]
    return (
        ReportedActivity.objects.select_related("state", "project", "event")
        .prefetch_related(*relations)
        .order_by(*_ITEMS_IN_REPORT_ORDER)
    )


def _listed_items(*, user: PortalUser) -> list[Prefetch]:
    """A delegation's list loads the items as objects (their event's visibility and project's status decide what
    it is shown); staff lists load them as rows in ``report_items_attach`` instead."""
    if not is_delegation(user):
        return []
    items = ReportedActivity.objects.order_by(*_ITEMS_IN_REPORT_ORDER).select_related("project", "event")
    return [Prefetch("items", queryset=items)]


class ReportItemRows(ValueRows):
    """The items of one report for the staff API list: ``values()`` rows of every column of the item (so a new
    column needs no list kept in step here) plus the ``thematic_areas`` and ``partner_organisations`` ids, in the
    report's item order."""


def report_items_attach(*, reports: Iterable[ActivityReport], user: PortalUser) -> None:
    """What the API list shows of the page's items, in one query for staff and two for a delegation, whatever the
    page holds; for staff also the attachments and transitions, one query each.

    Staff: each report gets ``listed_item_rows`` (``ReportItemRows``), rows with their links from one prepared
    statement (``rows_with_linked_ids``), and ``visible_attachments`` and ``listed_transitions`` (with who made
    each move) from one prepared statement each (``instances_by``). Profile of the list (issue 14, N=1, a page of
    50 reports with 494 items): as model instances the items, their State, project and event, areas and partners
    were ~2,500 objects and the serializer's per-field machinery ~8,400 field reads for values that are columns
    and ids. A delegation's items stay objects (see ``_listed_items``) and get ``prefetched_thematic_areas`` and
    ``prefetched_partner_organisations`` id lists.

    The link tables are read by the items' own ids (a delegation's ``linked_ids``; for staff the ids of the items
    the statement found first): a filter on their report made PostgreSQL merge-join along the items' primary key
    (26 ms for no rows at N=0.1, the partner links being few)."""
    reports = list(reports)
    relations = ("thematic_areas", "partner_organisations")
    if is_delegation(user):
        items = [item for report in reports for item in report.items.all()]
        links = linked_ids(model=ReportedActivity, relations=relations, pks=[item.pk for item in items])
        for item in items:
            item.prefetched_thematic_areas = links["thematic_areas"].get(item.pk, [])
            item.prefetched_partner_organisations = links["partner_organisations"].get(item.pk, [])
        return
    pks = [report.pk for report in reports]
    rows = rows_with_linked_ids(
        model=ReportedActivity, by="report_id", values=pks, relations=relations, order_by=_ITEMS_IN_REPORT_ORDER
    )
    by_report = grouped_by(pks, rows, key=itemgetter("report_id"), group=ReportItemRows)
    attachments = grouped_by(
        pks,
        instances_by(model=ReportAttachment, by="report", values=pks, order_by=_ATTACHMENTS_IN_ORDER),
        key=attrgetter("report_id"),
    )
    transitions = grouped_by(
        pks,
        instances_by(model=ReportTransition, by="report", values=pks, order_by=_TRANSITIONS_IN_ORDER, related=("by",)),
        key=attrgetter("report_id"),
    )
    # Read by the API serializer: the items as rows, the attachments and transitions as plain lists.
    for report in reports:
        report.listed_item_rows = by_report[report.pk]  # type: ignore[attr-defined]
        report.visible_attachments = attachments[report.pk]  # type: ignore[attr-defined]
        report.listed_transitions = transitions[report.pk]  # type: ignore[attr-defined]


def report_scope(*, user: PortalUser) -> QuerySet[ActivityReport]:
    """The reports a user may see at all.

    Field staff: their own operation's reports. Secretariat and co-ordinator: everything that has been submitted
    once, plus their own unit's drafts. Administrators: all. Delegations: accepted reports only."""
    qs = ActivityReport.objects.all()
    role = role_of(user)
    if role == Role.ADMIN:
        return qs
    if role == Role.DELEGATION:
        return qs.filter(status=S.ACCEPTED)
    own = user_structure_id(user)
    if role == Role.FIELD:
        return qs.filter(structure_id=own) if own else qs.none()
    if role in (Role.COORDINATOR, Role.SECRETARIAT):
        return qs.filter(~Q(status=S.DRAFT) | Q(structure_id=own)) if own else qs.exclude(status=S.DRAFT)
    return qs.none()


def reports_to_finish(*, user: PortalUser) -> QuerySet[ActivityReport]:
    """The user's own drafts and returned reports: what is waiting for them to write."""
    return report_scope(user=user).filter(status__in=[S.DRAFT, S.RETURNED])


def report_list(*, user: PortalUser) -> QuerySet[ActivityReport]:
    return (
        report_scope(user=user)
        .select_related("structure", "submitted_by")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-period_start", "structure__acronym")
    )


def report_api_list(*, user: PortalUser) -> QuerySet[ReportWithAttachments]:
    """Reports for the API list, with everything it shows nested once ``report_items_attach`` has run on the page;
    a delegation gets items and published attachments only.

    The list writes the structure and the reviewers as ids (their columns): no join for them beyond the ordering's,
    no ExecutiveStructure or User per report."""
    if not is_delegation(user):
        # The items, attachments and transitions are attached to the page (``report_items_attach``); a report that
        # missed it would be written without its attachments (DRF skips a read-only field whose attribute is
        # missing), never with other readers' ones.
        return cast("QuerySet[ReportWithAttachments]", report_scope(user=user).order_by(*_REPORTS_IN_LIST_ORDER))
    return _reports_with_items(user=user, items=_listed_items(user=user)).select_related(None)


def report_api_queryset(*, user: PortalUser) -> QuerySet[ReportWithAttachments]:
    """Reports for the API's single-report actions: items with their relations prefetched as the detail has them."""
    return _reports_with_items(user=user, items=[Prefetch("items", queryset=_item_queryset())])


def _reports_with_items(*, user: PortalUser, items: list[Prefetch]) -> QuerySet[ReportWithAttachments]:
    qs = report_scope(user=user).select_related("structure", "submitted_by", "reviewed_by").prefetch_related(*items)
    # The attachments and transitions in their models' order within each report, by the report's id: their
    # ``ordering`` starts with "report", which Django expands to the report's own ordering and so joins the reports
    # and their structures into each prefetch only to sort (issue 14, round 4: about 1 ms of a list's 2.6 ms of
    # prefetching at N=1, for pages whose reports have none). The staff API list reads them by statement instead
    # (``report_items_attach``).
    attachments = ReportAttachment.objects.order_by(*_ATTACHMENTS_IN_ORDER)
    if is_delegation(user):
        return qs.prefetch_related(
            Prefetch("attachments", queryset=attachments.filter(published=True), to_attr="visible_attachments")
        ).order_by(*_REPORTS_IN_LIST_ORDER)
    transitions = ReportTransition.objects.select_related("by").order_by(*_TRANSITIONS_IN_ORDER)
    # The detail page reads report.transitions.all(): the relation's own cache.
    return qs.prefetch_related(
        Prefetch("attachments", queryset=attachments, to_attr="visible_attachments"),
        Prefetch("transitions", queryset=transitions),
    ).order_by(*_REPORTS_IN_LIST_ORDER)


def report_detail(*, user: PortalUser, pk: int) -> ReportWithAttachments:
    # The edit page's item forms read item.thematic_areas.all(): keep the ordinary prefetch caches for one report.
    return _reports_with_items(user=user, items=[Prefetch("items", queryset=_item_queryset())]).get(pk=pk)


def report_page(*, user: PortalUser, pk: int) -> ReportWithAttachments:
    """``report_detail`` for the report's page, which only writes its items (``activity.html.item_rows``): their
    areas and partners come as plain lists, ``listed_thematic_areas`` and ``listed_partner_organisations``.

    Prefetched into each item's related manager, as for the edit page, Django clones a queryset per item and per
    relation and builds a manager on every read: profile of the busiest report at N=1 (48 items), 100 managers
    and 48 querysets per request, about a third of the page's CPU (issue 14, round 3)."""
    return _reports_with_items(user=user, items=[Prefetch("items", queryset=_item_queryset(listed=True))]).get(pk=pk)


def published_links(item: ReportedActivity) -> tuple[Event | None, Project | None]:
    """The calendar event and project of an item as a delegation may see them: an internal event or a project that
    is not approved yet stays hidden even when the report that mentions it is accepted."""
    event = item.event if item.event is not None and item.event.visibility == Event.Visibility.PUBLIC else None
    project = item.project if item.project is not None and item.project.status in PUBLISHED_PROJECT_STATUSES else None
    return event, project


def report_items(*, user: PortalUser, report: ActivityReport) -> list[ReportedActivity]:
    """The report's items with ``shown_event`` and ``shown_project`` set to what ``user`` may see of their links."""
    items = list(report.items.all())
    delegation = is_delegation(user)
    for item in items:
        item.shown_event, item.shown_project = published_links(item) if delegation else (item.event, item.project)
    return items


def review_queue() -> QuerySet[ActivityReport]:
    """Submitted reports waiting for a reviewer, oldest submission first."""
    return (
        ActivityReport.objects.filter(status=S.SUBMITTED)
        .select_related("structure", "submitted_by")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("submitted_at", "pk")
    )


def writable_structure(*, user: PortalUser) -> ExecutiveStructure | None:
    """The structure a user reports for, if any."""
    structure_id = user_structure_id(user)
    if structure_id is None or role_of(user) not in (Role.FIELD, Role.SECRETARIAT, Role.COORDINATOR, Role.ADMIN):
        return None
    return ExecutiveStructure.objects.select_related("reporting_obligation").filter(pk=structure_id).first()


def open_periods(*, structure: ExecutiveStructure, today: date, count: int = 6) -> list[tuple[date, date]]:
    """The periods a structure can still open a report for: the current one and the ``count - 1`` before it,
    without those it already has."""
    obligation = getattr(structure, "reporting_obligation", None)
    frequency = obligation.frequency if obligation else ReportingFrequency.QUARTERLY
    periods = []
    start, end = period_containing(today, frequency)
    for _index in range(count):
        periods.append((start, end))
        start, end = period_containing(start - timedelta(days=1), frequency)
    taken = set(
        ActivityReport.objects.filter(structure=structure, period_start__in=[p[0] for p in periods]).values_list(
            "period_start", flat=True
        )
    )
    return [p for p in periods if p[0] not in taken]


@dataclass(frozen=True)
class DueItem:
    """One line of a field user's "what's due" list: a period with no report yet, or a draft or returned report."""

    label: str
    due_on: date
    late: bool
    report: ActivityReport | None


def whats_due(*, structure: ExecutiveStructure, today: date) -> list[DueItem]:
    """Missing, draft and returned periods of the structure with their due dates, late ones first."""
    obligation = getattr(structure, "reporting_obligation", None)
    items = []
    for start, end in open_periods(structure=structure, today=today):
        due = obligation.due_on(end) if obligation else end
        items.append(DueItem(label=period_label((start, end)), due_on=due, late=due < today, report=None))
    for report in ActivityReport.objects.filter(structure=structure, status__in=ActivityReport.EDITABLE_STATUSES):
        items.append(
            DueItem(label=report.period_label, due_on=report.due_on, late=report.due_on < today, report=report)
        )
    return sorted(items, key=lambda item: (not item.late, item.due_on))


# --- what others may aggregate --------------------------------------------------------------------------------------


def accepted_activities(*, start: date | None = None, end: date | None = None) -> QuerySet[ReportedActivity]:
    """Items of accepted reports only, optionally those that overlap [start, end]. This is what delegations and
    aggregate reports may see; sum participants with ``Sum(PARTICIPANTS_TOTAL)``."""
    qs = (
        ReportedActivity.objects.filter(report__status=S.ACCEPTED)
        .select_related("report__structure", "state", "project", "event")
        .prefetch_related("thematic_areas", "partner_organisations")
    )
    if start is not None:
        qs = qs.filter(end__gte=start)
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs.order_by("start", "pk")


def activity_type_choices() -> list[tuple[str, str]]:
    """The kinds of activity, in the order aggregates show them."""
    return [(value, str(label)) for value, label in ActivityType.choices]


# --- compliance -------------------------------------------------------------------------------------------------------


class ComplianceState:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    DRAFT = "draft"
    NOT_DUE = "not_due"
    NOT_REQUIRED = "not_required"

    LABELS = {
        ON_TIME: _("On time"),
        LATE: _("Late"),
        MISSING: _("Missing"),
        DRAFT: _("Draft, not submitted"),
        NOT_DUE: _("Not yet due"),
        NOT_REQUIRED: _("Not required"),
    }
    # For a monthly reporter shown per quarter, the quarter shows its worst month.
    SEVERITY = {MISSING: 5, DRAFT: 4, LATE: 3, NOT_DUE: 2, ON_TIME: 1, NOT_REQUIRED: 0}
    ALL = (ON_TIME, LATE, MISSING, DRAFT, NOT_DUE, NOT_REQUIRED)


@dataclass(frozen=True)  # rows share the cell of a column without reports (_compliance_rows)
class ComplianceCell:
    state: str
    report_id: int | None = None
    due_on: date | None = None
    overdue: bool = False
    parts: list[tuple[date, date, str]] = field(default_factory=list)

    @property
    def label(self) -> StrOrPromise:
        return ComplianceState.LABELS[self.state]

    @property
    def part_labels(self) -> list[tuple[date, StrOrPromise]]:
        return [(start, ComplianceState.LABELS[state]) for start, _end, state in self.parts]


@dataclass
class ComplianceRow:
    structure: ExecutiveStructure
    frequency: str
    cells: list[ComplianceCell]

    @property
    def frequency_label(self) -> StrOrPromise:
        return ReportingFrequency(self.frequency).label


@dataclass
class ComplianceMatrix:
    year: int
    region: str | None
    today: date
    periods: list[tuple[date, date]]
    rows: list[ComplianceRow]

    @property
    def structures(self) -> list[ExecutiveStructure]:
        return [row.structure for row in self.rows]

    def state(self, structure_id: int, period_start: date) -> str:
        index = [p[0] for p in self.periods].index(period_start)
        return next(row.cells[index].state for row in self.rows if row.structure.pk == structure_id)

    def as_dict(self) -> dict[str, Any]:
        """Plain data: {"periods": [...], "structures": [...], "states": {(structure_id, period_start): state}}."""
        return {
            "periods": self.periods,
            "structures": self.structures,
            "states": {
                (row.structure.pk, self.periods[i][0]): cell.state
                for row in self.rows
                for i, cell in enumerate(row.cells)
            },
        }

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(ComplianceState.ALL, 0)
        for row in self.rows:
            for cell in row.cells:
                totals[cell.state] += 1
        return totals


def _period_label(start: date, end: date) -> str:
    if (start, end) == period_containing(start, ReportingFrequency.QUARTERLY):
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return start.strftime("%Y-%m")


def period_label(period: tuple[date, date]) -> str:
    return _period_label(*period)


def _own_state_fields(
    obligation: ReportingObligation, start: date, end: date, report: dict | None, today: date, tz: tzinfo
) -> tuple[str, int | None, date, bool]:
    """(state, report id, due date, overdue) of one of the obligation's own periods: a tuple, so the matrix builds a
    ComplianceCell per cell, not per month of it (issue 14, round 2: 3,348 months at N=1)."""
    if report is None:
        due = obligation.due_on(end)
        if end < obligation.starts_on:
            return ComplianceState.NOT_REQUIRED, None, due, False
        if due < today:
            return ComplianceState.MISSING, None, due, True
        return ComplianceState.NOT_DUE, None, due, False
    if report["first_submitted_at"] is not None:
        submitted_on = timezone.localdate(report["first_submitted_at"], tz)  # the time zone looked up once
        state = ComplianceState.ON_TIME if submitted_on <= report["due_on"] else ComplianceState.LATE
        return state, report["pk"], report["due_on"], False
    return ComplianceState.DRAFT, report["pk"], report["due_on"], report["due_on"] < today


def _column_cell(
    obligation: ReportingObligation,
    periods: list[tuple[date, date]],
    own_reports: dict[date, Any],
    today: date,
    tz: tzinfo,
) -> ComplianceCell:
    """The cell of one column: the obligation's own periods in it (``periods``) and their reports by start."""
    if len(periods) == 1:
        # The common cell, one own period (a monthly reporter's month, a quarterly one's quarter): its fields as
        # they are, without the worst-of-parts step (a third of the matrix's CPU at N=1).
        start, end = periods[0]
        state, report_id, due_on, overdue = _own_state_fields(obligation, start, end, own_reports.get(start), today, tz)
        return ComplianceCell(state, report_id=report_id, due_on=due_on, overdue=overdue, parts=[])
    parts = [
        (start, end, _own_state_fields(obligation, start, end, own_reports.get(start), today, tz))
        for start, end in periods
    ]
    severity = ComplianceState.SEVERITY
    state, report_id, due_on, overdue = max((p[2] for p in parts), key=lambda f: severity[f[0]])
    return ComplianceCell(
        state,
        report_id=report_id,
        due_on=due_on,
        overdue=overdue,
        parts=[(s, e, f[0]) for s, e, f in parts] if len(parts) > 1 else [],
    )


def _obligations(region: str | None) -> QuerySet[ReportingObligation]:
    qs = ReportingObligation.objects.filter(active=True, structure__active=True).select_related("structure")
    if region:
        qs = qs.filter(structure__region=region)
    return qs.order_by("structure__kind", "structure__region", "structure__acronym")


def _compliance_rows(
    columns: list[tuple[date, date]], obligations: list[ReportingObligation], today: date
) -> list[ComplianceRow]:
    """Two queries in all, whatever the number of structures and periods."""
    if not columns or not obligations:
        return []
    # A month column may belong to a quarterly reporter's report that starts earlier in the quarter.
    first, last = period_containing(columns[0][0], ReportingFrequency.QUARTERLY)[0], columns[-1][1]
    reports: defaultdict[int, dict[date, Any]] = defaultdict(dict)
    # Unordered: one report per structure and period (a constraint), read into a dict; the model's ordering would
    # join the structures only to sort.
    for report in (
        ActivityReport.objects.filter(
            structure_id__in=[o.structure_id for o in obligations], period_start__gte=first, period_start__lte=last
        )
        .order_by()
        .values("pk", "structure_id", "period_start", "period_end", "status", "first_submitted_at", "due_on")
    ):
        reports[report["structure_id"]][report["period_start"]] = report
    # Each column's own periods depend on the frequency only: computed once per frequency, not per structure
    # (issue 14: 278 structures × 4 columns at N=1). A column narrower than the obligation's period (a month for a
    # quarterly reporter) shows that period.
    column_periods: dict[str, list[list[tuple[date, date]]]] = {}
    for frequency in {o.frequency for o in obligations}:
        column_periods[frequency] = []
        for column_start, column_end in columns:
            own = periods_between(column_start, column_end, frequency)
            column_periods[frequency].append([(s, e) for s, e in own if s >= column_start or len(own) == 1])
    rows = []
    tz = timezone.get_current_timezone()
    # A column holding none of the structure's reports depends on the obligation's terms alone (frequency,
    # deadline, start) and the day: one cell for every such structure and column instead of one per structure
    # (issue 14, round 4: the default year, the current one, has few reports yet; at N=1 its 297 structures × 4
    # quarters were 3,420 period states in Python, 7 of the matrix's 12 ms).
    blank_cells: dict[tuple[str, int, date, int], ComplianceCell] = {}
    for obligation in obligations:
        cells = []
        own_reports = reports[obligation.structure_id]
        for index, periods in enumerate(column_periods[obligation.frequency]):
            if any(start in own_reports for start, _end in periods):
                cells.append(_column_cell(obligation, periods, own_reports, today, tz))
                continue
            key = (obligation.frequency, obligation.deadline_days, obligation.starts_on, index)
            cell = blank_cells.get(key)
            if cell is None:
                cell = blank_cells[key] = _column_cell(obligation, periods, own_reports, today, tz)
            cells.append(cell)
        rows.append(ComplianceRow(structure=obligation.structure, frequency=obligation.frequency, cells=cells))
    return rows


def compliance_years() -> list[int]:
    """The years that have reports, newest first. A recursive skip scan: one probe of the period index per year
    instead of truncating every report's date and sorting them (issue 14: 16.6 ms → 0.5 ms at N=0.1, and the
    cost no longer grows with the number of reports)."""
    table = connection.ops.quote_name(ActivityReport._meta.db_table)
    if connection.vendor != "postgresql":
        return sorted({d.year for d in ActivityReport.objects.dates("period_start", "year")}, reverse=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE years(first_day) AS (
                SELECT MIN(period_start) FROM {table}
                UNION ALL
                SELECT (SELECT MIN(r.period_start) FROM {table} r
                        WHERE r.period_start >= MAKE_DATE(EXTRACT(YEAR FROM years.first_day)::int + 1, 1, 1))
                FROM years WHERE years.first_day IS NOT NULL
            )
            SELECT EXTRACT(YEAR FROM first_day)::int FROM years WHERE first_day IS NOT NULL
            """  # noqa: S608 - the table name comes from the model, nothing from the request
        )
        return sorted((row[0] for row in cursor.fetchall()), reverse=True)


def compliance_default_year(*, today: date) -> int:
    """The year of the portal's one default period (programmes.periods), as on the dashboard and in reports."""
    return default_period(today)[0].year


def compliance_matrix(
    *, year: int | None = None, region: str | None = None, today: date | None = None
) -> ComplianceMatrix:
    """Structures with an active obligation × the four quarters of ``year``, each cell one of ``on_time``, ``late``,
    ``missing``, ``draft`` (a report exists but was never submitted), ``not_due`` (deadline not passed, nothing
    submitted) or ``not_required`` (before the obligation started). A monthly reporter's quarter shows its worst
    month; its months are in ``cell.parts``. Timeliness counts the first submission against the report's due date."""
    today = today or timezone.localdate()
    year = year or today.year
    columns = periods_between(date(year, 1, 1), date(year, 12, 31), ReportingFrequency.QUARTERLY)
    obligations = list(_obligations(region))
    return ComplianceMatrix(
        year=year,
        region=region or None,
        today=today,
        periods=columns,
        rows=_compliance_rows(columns, obligations, today),
    )


def compliance_summary(*, period_start: date, period_end: date, today: date | None = None) -> dict[str, Any]:
    """Counts per state for one period and the structures that did not report (missing, or a draft never
    submitted) — for the "gaps" section of a meeting pack or a TNT report."""
    today = today or timezone.localdate()
    obligations = list(_obligations(None))
    rows = _compliance_rows([(period_start, period_end)], obligations, today)
    counts = dict.fromkeys(ComplianceState.ALL, 0)
    not_reported, late = [], []
    for row in rows:
        cell = row.cells[0]
        counts[cell.state] += 1
        if cell.state in (ComplianceState.MISSING, ComplianceState.DRAFT) and cell.overdue:
            not_reported.append(row.structure)
        elif cell.state == ComplianceState.LATE:
            late.append(row.structure)
    return {
        "period_start": period_start,
        "period_end": period_end,
        "counts": counts,
        "total": len(rows),
        "not_reported": not_reported,
        "late": late,
    }


def last_closed_period(*, today: date) -> tuple[date, date]:
    """The last calendar quarter whose default deadline (``DEFAULT_DEADLINE_DAYS`` after its end) has passed.
    Quarters, because field operations report quarterly; a monthly reporter's months roll up into it."""
    start, end = period_containing(today, ReportingFrequency.QUARTERLY)
    while end + timedelta(days=DEFAULT_DEADLINE_DAYS) >= today:
        start, end = period_containing(start - timedelta(days=1), ReportingFrequency.QUARTERLY)
    return start, end


# --- the reporting cycle -------------------------------------------------------------------------------------------

REMINDER_DAYS_BEFORE = 7


def obligation_ids_due_for_opening(*, today: date) -> QuerySet[ReportingObligation, int]:
    return (
        ReportingObligation.objects.filter(active=True, starts_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reports_due_for_reminder(*, today: date, days_before: int = REMINDER_DAYS_BEFORE) -> QuerySet[ActivityReport, int]:
    """Ids of never-submitted drafts due within ``days_before`` days that have had no reminder yet."""
    return (
        ActivityReport.objects.filter(
            status=S.DRAFT,
            first_submitted_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=days_before),
        )
        .exclude(notices__stage="reminder")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reports_due_for_overdue_notice(*, today: date) -> QuerySet[ActivityReport, int]:
    return (
        ActivityReport.objects.filter(status=S.DRAFT, first_submitted_at__isnull=True, due_on__lt=today)
        .exclude(notices__stage="overdue")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def project_report_count(*, project: Project) -> int:
    """How many activity reports (drafts too) have an item that names the project."""
    return ActivityReport.objects.filter(items__project=project).distinct().count()
