"""Reads of the knowledge app: the legal matrix and its gaps, the library and its search, training centres, and the
trace from a decision to the work it mandated.

Selectors other parts of the portal may call (``osce_tnt/reporting`` for the dashboard gaps and periodic reports):
``legal_gaps``, ``states_without_action_plan``, ``legal_gap_summary``, ``mandates_without_work``,
``idle_decisions`` (the same on querysets the caller scoped) and ``mandate_trace``. All take keyword arguments
only and scope what they return to ``user`` where they take one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from knowledge.models import (
    BINDING_STATUSES,
    STATUS_RANK,
    CommitmentStatus,
    Document,
    Instrument,
    StateCommitment,
)
from knowledge.permissions import readable_visibilities
from programmes.activity.models import ActivityType, ReportedActivity
from programmes.activity.selectors import report_scope
from programmes.events.models import Event, TrainingCentre
from programmes.events.selectors import visible_events
from programmes.models import Mandate, ParticipatingState, Project, ThematicArea
from programmes.selectors import project_list
from results.models import ActualStatus, IndicatorActual
from results.selectors import visible_actuals

# PostgreSQL text-search configuration per document language; "simple" only lower-cases, for everything else.
SEARCH_CONFIGS: dict[str, str] = {
    Document.Language.ENGLISH: "english",
    Document.Language.RUSSIAN: "russian",
    Document.Language.FRENCH: "french",
    Document.Language.GERMAN: "german",
    Document.Language.SPANISH: "spanish",
    Document.Language.ITALIAN: "italian",
    Document.Language.OTHER: "simple",
}
# How far back the gap analysis looks for OSCE legal assistance when no start is given.
DEFAULT_ASSISTANCE_WINDOW_DAYS = 365


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")


def full_text_search_available() -> bool:
    return connection.vendor == "postgresql"


# --- legal commitments ------------------------------------------------------------------------------------------------


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("parent").prefetch_related("thematic_areas")


def instrument_ids_for_areas(*, area_ids, family: str | None = None) -> list[int]:
    """Ids of the instruments on any of the thematic areas (of one family, if given)."""
    qs = Instrument.objects.filter(thematic_areas__in=list(area_ids))
    if family:
        qs = qs.filter(family=family)
    return sorted(set(qs.values_list("pk", flat=True)))


def instrument_detail(*, code: str) -> Instrument:
    return instrument_list().get(code=code)


def commitment_list() -> QuerySet[StateCommitment]:
    return StateCommitment.objects.select_related("state", "instrument", "recorded_by")


def participating_states_on(*, on: date, region: str | None = None) -> QuerySet[ParticipatingState]:
    """The participating States on ``on``: a State counts from the day it joined (Mongolia from 2012)."""
    qs = ParticipatingState.objects.filter(is_partner=False).filter(Q(joined__isnull=True) | Q(joined__lte=on))
    if region:
        qs = qs.filter(region=region)
    return qs.order_by("name")


def _records_up_to(*, on: date, state_ids=None, instrument_ids=None) -> QuerySet[StateCommitment]:
    qs = StateCommitment.objects.annotate(effective=Coalesce("date", "as_of")).filter(effective__lte=on)
    if state_ids is not None:
        qs = qs.filter(state_id__in=state_ids)
    if instrument_ids is not None:
        qs = qs.filter(instrument_id__in=instrument_ids)
    return qs


@dataclass
class Cell:
    """A State's position on an instrument on a date: the furthest step recorded by then."""

    status: str | None = None
    record: StateCommitment | None = None
    reservations: bool = False
    illustrative: bool = False

    @property
    def label(self) -> str:
        return str(CommitmentStatus(self.status).label) if self.status else ""

    @property
    def is_binding(self) -> bool:
        return self.status in BINDING_STATUSES


def positions_on(*, on: date, state_ids=None, instrument_ids=None) -> dict[tuple[int, int], Cell]:
    """(state id, instrument id) -> Cell for every pair with a record effective on or before ``on``."""
    cells: dict[tuple[int, int], Cell] = {}
    records = _records_up_to(on=on, state_ids=state_ids, instrument_ids=instrument_ids).order_by("effective", "pk")
    for record in records:
        key = (record.state_id, record.instrument_id)
        cell = cells.setdefault(key, Cell())
        # Later records of the same rank replace earlier ones: the newest information wins.
        if cell.status is None or STATUS_RANK[record.status] >= STATUS_RANK[cell.status]:
            cell.status, cell.record, cell.illustrative = record.status, record, record.illustrative
        cell.reservations = cell.reservations or record.reservations
    return cells


@dataclass
class MatrixRow:
    state: ParticipatingState
    cells: list[Cell]


@dataclass
class LegalMatrix:
    on: date
    instruments: list[Instrument]
    rows: list[MatrixRow]
    # instrument id -> status (or "none") -> number of States
    counts: dict[int, dict[str, int]]
    latest_as_of: date | None
    any_illustrative: bool

    def count_table(self) -> list[dict]:
        """One row per instrument with its counts in the order of the instrument's own statuses."""
        table = []
        for instrument in self.instruments:
            counts = self.counts[instrument.pk]
            table.append(
                {
                    "instrument": instrument,
                    "statuses": [(CommitmentStatus(s).label, counts.get(s, 0)) for s in instrument.statuses],
                    "none": counts.get("none", 0),
                    "total": sum(counts.values()),
                }
            )
        return table


def legal_matrix(
    *, on: date | None = None, region: str | None = None, instrument_ids=None, family: str | None = None
) -> LegalMatrix:
    """States × instruments on ``on`` (default today), with the number of States at each status."""
    on = on or timezone.localdate()
    instruments_qs = Instrument.objects.all()
    if instrument_ids:
        instruments_qs = instruments_qs.filter(pk__in=list(instrument_ids))
    if family:
        instruments_qs = instruments_qs.filter(family=family)
    instruments = list(instruments_qs.order_by("position", "short_name"))
    states = list(participating_states_on(on=on, region=region))
    cells = positions_on(on=on, state_ids=[s.pk for s in states], instrument_ids=[i.pk for i in instruments])
    counts: dict[int, dict[str, int]] = {i.pk: defaultdict(int) for i in instruments}
    rows = []
    for state in states:
        row_cells = []
        for instrument in instruments:
            cell = cells.get((state.pk, instrument.pk), Cell())
            counts[instrument.pk][cell.status or "none"] += 1
            row_cells.append(cell)
        rows.append(MatrixRow(state=state, cells=row_cells))
    shown = [c for c in cells.values() if c.record is not None]
    latest = max((c.record.as_of for c in shown), default=None)
    return LegalMatrix(
        on=on,
        instruments=instruments,
        rows=rows,
        counts={k: dict(v) for k, v in counts.items()},
        latest_as_of=latest,
        any_illustrative=any(c.illustrative for c in shown),
    )


def status_counts(*, instrument: Instrument, on: date, region: str | None = None) -> dict[str, int]:
    """How many participating States are at each status of ``instrument`` on ``on`` ("none": no record)."""
    return legal_matrix(on=on, region=region, instrument_ids=[instrument.pk]).counts[instrument.pk]


@dataclass
class StatePosition:
    instrument: Instrument
    cell: Cell


def state_positions(*, state: ParticipatingState, on: date | None = None) -> list[StatePosition]:
    """Every instrument with the State's position on ``on`` (the State page's section)."""
    on = on or timezone.localdate()
    instruments = list(Instrument.objects.order_by("position", "short_name"))
    cells = positions_on(on=on, state_ids=[state.pk])
    return [StatePosition(instrument=i, cell=cells.get((state.pk, i.pk), Cell())) for i in instruments]


def state_history(*, state: ParticipatingState) -> QuerySet[StateCommitment]:
    return commitment_list().filter(state=state).order_by("instrument__position", "as_of", "pk")


# --- gaps that matter -------------------------------------------------------------------------------------------------


@dataclass
class LegalGap:
    state: ParticipatingState
    instrument: Instrument
    cell: Cell


def legal_assistance_pairs(*, start: date, end: date) -> set[tuple[int, int]]:
    """(State id, thematic area id) of legal-assistance work reported and accepted between ``start`` and ``end``;
    an item on a sub-area also counts for its parent area."""
    items = ReportedActivity.objects.filter(
        report__status="accepted",
        activity_type=ActivityType.LEGAL_ASSISTANCE,
        state__isnull=False,
        start__lte=end,
        end__gte=start,
    )
    # Distinct and unordered: a few hundred (State, area) rows instead of every item's links sorted in the
    # item list's order (at 500,000 items that sort spilled to disk).
    items = items.order_by().values_list("state_id", "thematic_areas__pk", "thematic_areas__parent_id").distinct()
    pairs: set[tuple[int, int]] = set()
    for state_id, area_id, parent_id in items:
        if area_id is not None:
            pairs.add((state_id, area_id))
        if parent_id is not None:
            pairs.add((state_id, parent_id))
    return pairs


def legal_gaps(
    *, on: date | None = None, start: date | None = None, region: str | None = None, instrument_ids=None
) -> list[LegalGap]:
    """Participating States not bound by a treaty on ``on`` where no accepted OSCE legal-assistance activity on the
    treaty's thematic areas took place in the State between ``start`` (default a year before ``on``) and ``on``."""
    on = on or timezone.localdate()
    start = start or on - timedelta(days=DEFAULT_ASSISTANCE_WINDOW_DAYS)
    treaties = Instrument.objects.filter(kind__in=[Instrument.Kind.TREATY, Instrument.Kind.PROTOCOL]).prefetch_related(
        "thematic_areas"
    )
    if instrument_ids:
        treaties = treaties.filter(pk__in=list(instrument_ids))
    treaties = list(treaties.order_by("position", "short_name"))
    states = list(participating_states_on(on=on, region=region))
    cells = positions_on(on=on, state_ids=[s.pk for s in states], instrument_ids=[i.pk for i in treaties])
    assisted = legal_assistance_pairs(start=start, end=on)
    # One query for the sub-areas of every treaty's areas, not one per treaty.
    children: dict[int, set[int]] = defaultdict(set)
    treaty_area_ids = {a.pk for i in treaties for a in i.thematic_areas.all()}
    for child_id, parent_id in ThematicArea.objects.filter(parent_id__in=treaty_area_ids).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].add(child_id)
    gaps = []
    for instrument in treaties:
        own = {a.pk for a in instrument.thematic_areas.all()}
        areas = own.union(*(children[a] for a in own))
        for state in states:
            cell = cells.get((state.pk, instrument.pk), Cell())
            if cell.is_binding:
                continue
            if any((state.pk, area_id) in assisted for area_id in areas):
                continue
            gaps.append(LegalGap(state=state, instrument=instrument, cell=cell))
    return gaps


def states_without_action_plan(*, on: date | None = None, region: str | None = None) -> list[LegalGap]:
    """Participating States without a national UNSCR 1540 action plan on ``on`` (their furthest step is shown)."""
    on = on or timezone.localdate()
    resolutions = list(Instrument.objects.filter(family=Instrument.Family.WMD, kind=Instrument.Kind.RESOLUTION))
    states = list(participating_states_on(on=on, region=region))
    cells = positions_on(on=on, state_ids=[s.pk for s in states], instrument_ids=[i.pk for i in resolutions])
    return [
        LegalGap(state=state, instrument=instrument, cell=cells.get((state.pk, instrument.pk), Cell()))
        for instrument in resolutions
        for state in states
        if cells.get((state.pk, instrument.pk), Cell()).status != CommitmentStatus.ACTION_PLAN
    ]


def legal_gap_summary(*, on: date | None = None) -> dict[str, int]:
    """Figures for a dashboard: unbound States without OSCE legal assistance, and States without a 1540 plan."""
    on = on or timezone.localdate()
    return {
        "treaty_gaps": len(legal_gaps(on=on)),
        "without_1540_action_plan": len(states_without_action_plan(on=on)),
    }


# --- library ----------------------------------------------------------------------------------------------------------


def _document_queryset() -> QuerySet[Document]:
    return Document.objects.prefetch_related(
        Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")),
        "states",
        "structures",
        "partner_organisations",
    ).defer("text", "search_vector")


def document_list(*, user) -> QuerySet[Document]:
    """The documents ``user`` may read: delegations public and participating-States ones, OSCE staff all."""
    return _document_queryset().filter(visibility__in=readable_visibilities(user=user))


def document_detail(*, user, pk: int) -> Document:
    return document_list(user=user).prefetch_related("events", "projects", "meetings", "mandates").get(pk=pk)


def document_search(*, queryset: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Documents of ``queryset`` matching ``query`` in their title, summary or extracted text, best first.

    On PostgreSQL each document's vector is built with its own language's configuration, so the query is parsed
    with every configuration in use and any one matching is enough ("договоры" finds "договор" in a Russian text,
    "trafficking" finds "traffickers" in an English one). SQLite, for the demo, falls back to substring matching."""
    query = (query or "").strip()
    if not query:
        return queryset
    if not full_text_search_available():
        return queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(text__icontains=query))
    search = None
    for config in sorted(set(SEARCH_CONFIGS.values())):
        part = SearchQuery(query, config=config, search_type="websearch")
        search = part if search is None else search | part
    return (
        queryset.filter(search_vector=search)
        .annotate(rank=SearchRank(F("search_vector"), search))
        .order_by("-rank", "-published_on", "pk")
    )


_LINK_RELATIONS = {
    Event: "events",
    Project: "projects",
    Mandate: "mandates",
    ParticipatingState: "states",
}


def documents_linked_to(*, user, obj) -> QuerySet[Document]:
    """The documents ``user`` may read that are linked to ``obj`` (an event, project, meeting, decision or State)."""
    relation = _LINK_RELATIONS.get(type(obj))
    if relation is None and obj._meta.label == "taskforces.Meeting":
        relation = "meetings"
    if relation is None:
        raise TypeError(f"documents are not linked to {type(obj).__name__}")
    return document_list(user=user).filter(**{relation: obj}).order_by("-published_on", "title")


# --- training centres -------------------------------------------------------------------------------------------------


def centre_list(*, user) -> QuerySet[TrainingCentre]:
    visible = visible_events(user=user).values("pk")
    return (
        TrainingCentre.objects.select_related("state", "osce_structure")
        .prefetch_related(Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")))
        .annotate(event_count=Count("events", filter=Q(events__in=visible), distinct=True))
        .order_by("state__name", "name")
    )


def centre_detail(*, user, pk: int) -> TrainingCentre:
    return centre_list(user=user).get(pk=pk)


def centre_events(*, user, centre: TrainingCentre) -> QuerySet[Event]:
    return visible_events(user=user).filter(training_centre=centre).order_by("-start_date", "title")


# --- decisions and what they mandate ----------------------------------------------------------------------------------


def decision_list() -> QuerySet[Mandate]:
    return (
        Mandate.objects.select_related("adopted_as")
        .prefetch_related("thematic_areas")
        .order_by("-year", "body", "code")
    )


def decision_detail(*, pk: int) -> Mandate:
    return decision_list().prefetch_related("adopted_proposals").get(pk=pk)


def proposed_decisions() -> QuerySet[Mandate]:
    return decision_list().filter(code__startswith="PROPOSAL/")


def mandate_results(*, user, mandate: Mandate) -> QuerySet[IndicatorActual]:
    """The results reported under ``mandate``: approved indicator actuals (reviewed figures, not drafts or
    figures waiting for review) on the projects of ``mandate`` that ``user`` may see, as the results app scopes
    them for ``user``."""
    projects = project_list(user=user).filter(mandates=mandate).values("pk")
    return (
        visible_actuals(user=user)
        .filter(status=ActualStatus.APPROVED, period__indicator__result__project__in=projects)
        .order_by("period__period_start", "period__indicator__title", "pk")
    )


def mandate_results_by_year(*, user, mandate: Mandate) -> dict[int, int]:
    """Results reported under ``mandate`` per year, a result counting in the year its period starts (as an event
    or an activity counts in the year it starts)."""
    by_year: dict[int, int] = defaultdict(int)
    for start in mandate_results(user=user, mandate=mandate).values_list("period__period_start", flat=True):
        by_year[start.year] += 1
    return dict(by_year)


@dataclass
class YearCounts:
    year: int
    projects: int = 0
    events: int = 0
    activities: int = 0
    results: int = 0

    @property
    def total(self) -> int:
        return self.projects + self.events + self.activities + self.results


@dataclass
class MandateTrace:
    mandate: Mandate
    projects: list[Project]
    events: list[Event]
    activities: list[ReportedActivity]
    results: list[IndicatorActual]
    years: list[YearCounts]
    undated_projects: int
    totals: dict[str, int] = field(default_factory=dict)


def _mandate_work(*, user, mandate: Mandate) -> tuple[QuerySet, QuerySet, QuerySet]:
    """What ``user`` may see of the work under ``mandate``: projects citing it, events of those projects, and
    reported activities on those projects or events."""
    projects = project_list(user=user).filter(mandates=mandate)
    project_ids = projects.values("pk")
    events = visible_events(user=user).filter(project__in=project_ids)
    activities = (
        ReportedActivity.objects.filter(report__in=report_scope(user=user))
        .filter(Q(project__in=project_ids) | Q(event__in=events.values("pk")))
        .select_related("report__structure", "project", "event", "state")
        .distinct()
    )
    return projects, events, activities


def _project_years(project: Project, today: date) -> range:
    last = (project.end or today).year
    return range(project.start.year, max(project.start.year, last) + 1)


def mandate_trace(*, user, mandate: Mandate, today: date | None = None) -> MandateTrace:
    """A decision's projects, events, reported activities and results as ``user`` may see them, with counts per
    year: a project counts in every year it runs (an open-ended one until this year), an event and an activity in
    the year they start, a result in the year its indicator period starts."""
    today = today or timezone.localdate()
    projects_qs, events_qs, activities_qs = _mandate_work(user=user, mandate=mandate)
    projects = list(projects_qs.order_by("start", "code"))
    events = list(events_qs.order_by("start_date", "title"))
    activities = list(activities_qs.order_by("start", "pk"))
    by_year: dict[int, YearCounts] = {}

    def bucket(year: int) -> YearCounts:
        return by_year.setdefault(year, YearCounts(year=year))

    undated = 0
    for project in projects:
        if project.start is None:
            undated += 1
            continue
        for year in _project_years(project, today):
            bucket(year).projects += 1
    for event in events:
        bucket(event.start_date.year).events += 1
    for activity in activities:
        bucket(activity.start.year).activities += 1
    results = list(mandate_results(user=user, mandate=mandate))
    for actual in results:
        bucket(actual.period.period_start.year).results += 1
    years = [by_year[y] for y in sorted(by_year)]
    totals = {
        "projects": len(projects),
        "events": len(events),
        "activities": len(activities),
        "results": len(results),
    }
    return MandateTrace(
        mandate=mandate,
        projects=projects,
        events=events,
        activities=activities,
        results=results,
        years=years,
        undated_projects=undated,
        totals=totals,
    )


@dataclass
class DecisionGap:
    mandate: Mandate
    last_work: date | None


def mandates_without_work(*, user, start: date, end: date) -> list[DecisionGap]:
    """Adopted decisions with no project running, no event and no reported activity between ``start`` and ``end``
    (as ``user`` may see them), with the date work was last seen under each, if ever."""
    return idle_decisions(
        projects=project_list(user=user).prefetch_related(None),
        events=visible_events(user=user),
        activities=ReportedActivity.objects.filter(report__in=report_scope(user=user)),
        start=start,
        end=end,
    )


def idle_decisions(
    *,
    projects: QuerySet[Project],
    events: QuerySet[Event],
    activities: QuerySet[ReportedActivity],
    start: date,
    end: date,
    decisions: QuerySet[Mandate] | None = None,
) -> list[DecisionGap]:
    """The adopted ``decisions`` (default: all) with no work between ``start`` and ``end`` among the given
    projects, events and activities, which the caller has already scoped (to a user, or to the published data a
    report counts). The last date work was seen under each comes from the same projects."""
    active_projects = projects.filter(start__isnull=False, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    busy = set(
        Project.mandates.through.objects.filter(project__in=active_projects.values("pk")).values_list(
            "mandate_id", flat=True
        )
    )
    events_in_period = events.filter(project__isnull=False, start_date__lte=end, end_date__gte=start)
    busy |= set(
        Project.mandates.through.objects.filter(project__in=events_in_period.values("project_id")).values_list(
            "mandate_id", flat=True
        )
    )
    activities_in_period = activities.filter(start__lte=end, end__gte=start).order_by()
    # EXISTS per project-mandate link (index probes on the item's project and event) rather than
    # ``IN (…) OR IN (…)``, which PostgreSQL runs as two plain subplans rescanning every item for each link.
    busy |= set(
        Project.mandates.through.objects.filter(
            Exists(activities_in_period.filter(project_id=OuterRef("project_id")))
            | Exists(activities_in_period.filter(event__project_id=OuterRef("project_id")))
        ).values_list("mandate_id", flat=True)
    )
    adopted = decision_list() if decisions is None else decisions
    idle = list(adopted.filter(status=Mandate.Status.ADOPTED).exclude(pk__in=busy))
    last_seen: dict[int, date] = {}
    for mandate_id, project_end, project_start in Project.mandates.through.objects.filter(
        project__in=projects.values("pk"), mandate__in=idle
    ).values_list("mandate_id", "project__end", "project__start"):
        seen = project_end or project_start
        if seen is not None and seen < start:
            last_seen[mandate_id] = max(seen, last_seen.get(mandate_id, seen))
    return [DecisionGap(mandate=m, last_work=last_seen.get(m.pk)) for m in idle]
