"""Reads of the calendar, already joined and scoped to what the user may see.

Functions other apps call: ``visible_events``, ``events_between``, ``upcoming_events``, ``open_alerts``.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import BooleanField, F, Func, Prefetch, Q, QuerySet, Value

from programmes.events import text_search
from programmes.events.duplicates import (
    DOUBLE_ENTRY,
    STRONG_MATCH,
    AreaInfo,
    AtMost,
    EventFacts,
    Match,
    already_coordinated,
    may_match,
    places_that_may_match,
    score_candidates,
)
from programmes.events.models import CalendarBundle, CalendarFeedToken, CoordinationAlert, Event, in_time_zone
from programmes.models import Project, ThematicArea
from programmes.permissions import VIEW, can, is_delegation, is_field, user_structure_id
from programmes.selectors import linked_ids
from programmes.service_tools import acting_user
from programmes.types import PortalUser

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

# The duplicate check never scores more than this many candidates, however crowded a fortnight is.
MAX_DUPLICATE_CANDIDATES = 500
_CANDIDATE_FIELDS = (
    "pk",
    "title",
    "start_date",
    "end_date",
    "state_id",
    "online",
    "lead_structure__region",
    "state__name",
    "state__region",
    "lead_structure_id",
)

EventAreas = Event.thematic_areas.through
EventCoOrganisers = Event.co_organisers.through


def _base_events() -> QuerySet[Event]:
    return Event.objects.select_related("lead_structure", "state", "project").prefetch_related(
        Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")),
        "co_organisers",
    )


def public_events() -> QuerySet[Event]:
    """What anyone may see, signed in or not: the public feed."""
    return _base_events().filter(visibility=Event.Visibility.PUBLIC)


def visible_events(*, user: PortalUser | None) -> QuerySet[Event]:
    """Delegations (and anonymous feed readers) see public events only; field and Secretariat staff see all."""
    if user is None or not getattr(user, "is_authenticated", False):
        return public_events()
    if not can(user, "event", VIEW):
        return Event.objects.none()
    if is_delegation(user):
        return public_events()
    return _base_events()


def event_api_list(*, user: PortalUser | None) -> QuerySet[Event]:
    """``visible_events`` without the joined and prefetched rows: the API list shows only their ids, which
    ``event_attach_relation_ids`` attaches to each page (issue 14: the lead structure, State, project, areas with
    their parents and co-organisers were ~6 model instances per event, read for their ids only)."""
    return visible_events(user=user).select_related(None).prefetch_related(None)


EVENT_LIST_RELATIONS = ("co_organisers", "thematic_areas", "partner_organisations")


def event_attach_relation_ids(*, events: Iterable[Event]) -> None:
    """Give each event ``relation_ids``: relation name -> ids, in the order its relation gives them (one query for
    the page, ``linked_ids``), read by the API serializer's relation fields."""
    events = list(events)
    pks = [event.pk for event in events]
    ids = linked_ids(model=Event, relations=EVENT_LIST_RELATIONS, pks=pks)
    for event in events:
        # Not a model field: read by the API's RelationIdField (as Project.relation_ids).
        event.relation_ids = {  # type: ignore[attr-defined]
            name: ids[name].get(event.pk, []) for name in EVENT_LIST_RELATIONS
        }


def events_between(*, user: PortalUser | None, start: date, end: date) -> QuerySet[Event]:
    """Events touching any day from ``start`` to ``end`` (both inclusive)."""
    return visible_events(user=user).filter(start_date__lte=end, end_date__gte=start)


def month_grid_rows(events: QuerySet[Event], *, start: date, end: date) -> QuerySet[Any]:
    """(pk, first day, last day) of ``events`` (from ``events_between(start, end)``, filtered) in the grid's order.

    The window is asked again as the GiST expression (``_window_filter``), so PostgreSQL reads the rows from the
    covering index of events migration 0010: index-only, 53–72 buffers, 3 ms for the busiest month at N=1, against
    6,627 heap blocks and 31 ms (168 ms cold) through ``event_end_date`` (issue 14). Only here: a query that orders
    and limits (the agenda, the meeting pack) keeps ``events_between``'s B-tree conditions, for which the planner
    walks ``event_dates`` in order (with the expression alone it walked it from the first event: 824 ms)."""
    return (
        _window_filter(events, start, end)
        .prefetch_related(None)
        .order_by("start_date", "start_at", "title")
        .values_list("pk", "start_date", "end_date")
    )


class ChipRow(NamedTuple):
    """What a month-grid chip shows of an event (``events.html.EventMarkup.chip``)."""

    pk: int
    title: str
    status: str
    visibility: str
    all_day: bool
    start_at: datetime | None
    timezone: str
    lead_acronym: str

    @property
    def local_start(self) -> datetime | None:
        return in_time_zone(self.start_at, self.timezone)


CHIP_COLUMNS = ("pk", "title", "status", "visibility", "all_day", "start_at", "timezone", "lead_structure__acronym")


def calendar_chips(*, pks: Iterable[int]) -> dict[int, ChipRow]:
    """The chips of the events ``pks`` — taken from the grid's rows, so already scoped to the user — in one query of
    plain rows (issue 14: model instances for the ~300 events of the busiest month were 6 ms of its CPU)."""
    rows = Event.objects.filter(pk__in=list(pks)).order_by().values_list(*CHIP_COLUMNS)
    return {row[0]: ChipRow(*row) for row in rows}


AGENDA_COLUMNS = (
    "pk",
    "title",
    "format",
    "status",
    "visibility",
    "all_day",
    "start_date",
    "end_date",
    "start_at",
    "end_at",
    "timezone",
    "online",
    "city",
    "lead_structure",
    "state",
)


def agenda_rows(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` with what an agenda row shows only: its lead structure, State (the place) and thematic areas (a
    list per event, ``area_list``), not the project and co-organisers the calendar's base query loads (issue 14)."""
    return (
        events.select_related(None)
        .select_related("lead_structure", "state")
        .prefetch_related(None)
        .prefetch_related(Prefetch("thematic_areas", queryset=ThematicArea.objects.all(), to_attr="area_list"))
        .only(*AGENDA_COLUMNS)
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp to the month's last day (31 January + 1 month = 28/29 February).
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def nearest_event_months(*, events: QuerySet[Event], before: date, after: date) -> dict[str, date | None]:
    """First days of the months of the closest events ending before ``before`` and starting after ``after``
    (two indexed look-ups)."""
    earlier = events.filter(end_date__lt=before).order_by("-end_date").values_list("end_date", flat=True).first()
    later = events.filter(start_date__gt=after).order_by("start_date").values_list("start_date", flat=True).first()
    return {
        "earlier_month": earlier.replace(day=1) if earlier else None,
        "later_month": later.replace(day=1) if later else None,
    }


def upcoming_events(*, user: PortalUser | None, today: date, months: int = 3) -> QuerySet[Event]:
    return events_between(user=user, start=today, end=add_months(today, months) - timedelta(days=1))


def event_detail(*, user: PortalUser | None, pk: int) -> Event:
    return visible_events(user=user).prefetch_related("partner_organisations").get(pk=pk)


# --- co-ordination alerts -------------------------------------------------------------------------------------------

_ALERT_JOINS = ("event_a__lead_structure", "event_a__state", "event_b__lead_structure", "event_b__state")


def alert_list() -> QuerySet[CoordinationAlert]:
    return CoordinationAlert.objects.select_related(*_ALERT_JOINS, "resolved_by")


def open_alerts() -> QuerySet[CoordinationAlert]:
    return alert_list().filter(status=CoordinationAlert.Status.OPEN)


def alerts_between(*, start: date, end: date) -> QuerySet[CoordinationAlert]:
    """Open alerts with at least one of the two events in the period."""
    return open_alerts().filter(
        Q(event_a__start_date__lte=end, event_a__end_date__gte=start)
        | Q(event_b__start_date__lte=end, event_b__end_date__gte=start)
    )


# --- duplicate candidates -------------------------------------------------------------------------------------------


class DateRangeOverlaps(Func):
    """``daterange(start, end, '[]') && daterange(low, high, '[]')``: the same expression as the GiST index of
    migration 0003, so PostgreSQL answers it from the index. Compiled column by column, so it also works inside
    subqueries where the table has an alias."""

    output_field = BooleanField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        (start, start_params), (end, end_params), (low, low_params), (high, high_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        sql = f"daterange({start}, {end}, '[]') && daterange({low}, {high}, '[]')"
        return sql, (*start_params, *end_params, *low_params, *high_params)


def _window_filter(qs: QuerySet[Event], low: date, high: date) -> QuerySet[Event]:
    """Events whose days touch [low, high]. On PostgreSQL the GiST index on the date range answers this; elsewhere
    (the SQLite demo) the B-tree indexes on start_date/end_date do."""
    if connection.vendor == "postgresql":
        return qs.filter(DateRangeOverlaps(F("start_date"), F("end_date"), Value(low), Value(high)))
    return qs.filter(start_date__lte=high, end_date__gte=low)


def _own_terms(event: Event) -> frozenset[str] | None:
    """The event's own terms on PostgreSQL: stored ones for a saved event, else computed (one query)."""
    if not text_search.uses_postgres():
        return None
    if event.pk is not None and event.title_terms is not None:
        return text_search.split_terms(event.title_terms)
    return text_search.title_terms(event.title)


def _with_terms(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's title terms under "terms": the stored ones, computed in one query for rows not filled yet (none,
    normally). Not a COALESCE in the row query: its cost estimate alone (a ts_debug subplan per row) makes PostgreSQL
    JIT-compile the query, 100+ ms per query for rows that all have their terms. SQLite: None (Python tokens)."""
    if not text_search.uses_postgres():
        for row in rows:
            row["terms"] = None
        return rows
    missing = [row["pk"] for row in rows if row["title_terms"] is None]
    computed = (
        dict(Event.objects.filter(pk__in=missing).values_list("pk", text_search.TitleTerms(F("title"))))
        if missing
        else {}
    )
    for row in rows:
        stored = row["title_terms"]
        row["terms"] = text_search.split_terms(stored if stored is not None else computed.get(row["pk"]))
    return rows


def _place_filter(event: Event) -> Q | None:
    """The events sharing a place with ``event`` (its State, online, its region) that ``places_that_may_match``
    allows, as a filter; None when no candidate could match. A superset of what ``may_match`` keeps. The region (a
    join through the State or the lead) is only looked at when the weights let a region alert."""
    places = places_that_may_match()
    state_id, online = event.state_id, event.online
    if "" in places:
        return Q()
    parts = []
    if "state" in places and state_id is not None:
        parts.append(Q(state_id=state_id))
    if "online" in places and online:
        parts.append(Q(online=True))
    if "region" in places and (region := event.region):
        parts.append(Q(state__region=region) | Q(state__isnull=True, lead_structure__region=region))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _capped(
    event: EventFacts, candidates: Iterable[EventFacts], *, areas: dict[int, AreaInfo], window_days: int
) -> list[EventFacts]:
    """The candidates (in pk order) that could match, at most MAX_DUPLICATE_CANDIDATES: both checks cap the same
    list, after dropping those that could never reach the threshold."""
    kept = []
    for candidate in candidates:
        if may_match(event, candidate, areas=areas, window_days=window_days):
            kept.append(candidate)
            if len(kept) == MAX_DUPLICATE_CANDIDATES:
                break
    return kept


def _candidate_facts(row: dict[str, Any], area_ids: Iterable[int], co_organiser_ids: Iterable[int]) -> EventFacts:
    return EventFacts(
        pk=row["pk"],
        title=row["title"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        state_id=row["state_id"],
        state_name=row["state__name"] or "",
        region=row["state__region"] if row["state_id"] else row["lead_structure__region"],
        online=row["online"],
        area_ids=frozenset(area_ids),
        lead_id=row["lead_structure_id"],
        co_organiser_ids=frozenset(co_organiser_ids),
        terms=row["terms"],
    )


def _facts(
    event: Event,
    area_ids: Iterable[int],
    co_organiser_ids: Iterable[int] = (),
    terms: frozenset[str] | None = None,
) -> EventFacts:
    return EventFacts(
        pk=event.pk,
        title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        state_id=event.state_id,
        state_name=event.state.name if event.state is not None else "",
        region=event.region,
        online=event.online,
        area_ids=frozenset(area_ids),
        lead_id=event.lead_structure_id,
        co_organiser_ids=frozenset(co_organiser_ids),
        terms=terms,
    )


@dataclass
class DuplicateMatch:
    event: Event
    score: float
    reasons: list[str]
    alert: CoordinationAlert | None = None
    kind: str = "overlap"

    @property
    def strong(self) -> bool:
        """Strong enough for the form to ask "save anyway?"."""
        return self.kind == DOUBLE_ENTRY or self.score >= STRONG_MATCH


def duplicate_matches(
    *, event: Event, area_ids: Iterable[int] | None = None, co_organiser_ids: Iterable[int] | None = None
) -> list[Match]:
    """Likely duplicates of ``event`` among other structures' events, best first.

    A fixed number of indexed queries whatever the size of the calendar: the event's areas, their family (parents and
    sub-areas), the candidates in the date window, and the candidates' areas."""
    if event.is_cancelled:
        return []
    window = settings.PORTAL_DUPLICATE_WINDOW_DAYS
    # An unsaved event (the pre-save check) brings its areas and co-organisers along.
    area_filter = Q(pk__in=list(area_ids)) if area_ids is not None else Q(events=event)
    own_areas = list(ThematicArea.objects.filter(area_filter).values_list("pk", "parent_id"))
    if not own_areas:
        return []
    own_ids = {pk for pk, _parent in own_areas}
    parent_ids = {parent for _pk, parent in own_areas if parent}
    family = {
        row["pk"]: AreaInfo(row["pk"], row["parent_id"], row["short_name"])
        for row in ThematicArea.objects.filter(
            Q(pk__in=own_ids) | Q(parent_id__in=own_ids) | Q(pk__in=parent_ids)
        ).values("pk", "parent_id", "short_name")
    }
    place = _place_filter(event)
    if place is None:
        return []
    low, high = event.start_date - timedelta(days=window), event.end_date + timedelta(days=window)
    in_window = _window_filter(Event.objects.all(), low, high).exclude(status=Event.Status.CANCELLED).filter(place)
    # Only the (event, area) rows inside the area family matter to the score; the date window bounds them.
    areas_by_event: dict[int, set[int]] = {}
    for event_id, area_id in EventAreas.objects.filter(
        thematicarea_id__in=list(family), event_id__in=in_window.values("pk")
    ).values_list("event_id", "thematicarea_id"):
        areas_by_event.setdefault(event_id, set()).add(area_id)
    if event.pk is not None:
        areas_by_event.pop(event.pk, None)
    if not areas_by_event:
        return []
    # Who co-organises what decides between "already co-ordinated", "possible double entry" and an overlap.
    co_by_event: dict[int, set[int]] = {}
    for event_id, structure_id in EventCoOrganisers.objects.filter(
        event_id__in=[*areas_by_event, event.pk] if event.pk else list(areas_by_event)
    ).values_list("event_id", "executivestructure_id"):
        co_by_event.setdefault(event_id, set()).add(structure_id)
    own_co = co_by_event.get(event.pk, set()) if co_organiser_ids is None else set(co_organiser_ids)
    facts = _facts(event, own_ids, own_co, terms=_own_terms(event))
    # Plain rows, not model instances: building hundreds of objects would cost more than the queries. On PostgreSQL
    # the same query brings pg_trgm's similarity of each candidate's title to this event's title.
    extra = {"trigram": TrigramSimilarity("title", event.title)} if text_search.uses_postgres() else {}
    rows = _with_terms(
        list(
            Event.objects.filter(pk__in=list(areas_by_event))
            .order_by("pk")
            .values(*_CANDIDATE_FIELDS, "title_terms", **extra)
        )
    )
    trigram = {row["pk"]: float(row["trigram"]) for row in rows} if extra else None
    candidates = _capped(
        facts,
        (_candidate_facts(row, areas_by_event[row["pk"]], co_by_event.get(row["pk"], ())) for row in rows),
        areas=family,
        window_days=window,
    )
    return score_candidates(facts, candidates, areas=family, window_days=window, trigram=trigram)


def duplicate_matches_starting_between(*, start: date, end: date) -> dict[int, list[Match]]:
    """``duplicate_matches`` of every event whose first day is in [start, end), computed together (the nightly
    rescan). Candidate generation only differs: the events and the candidates of the whole period come in a fixed
    number of queries over the date-range index, then each event's window, place, lead and area family are applied
    in memory (a bisect per area and place), with the same ``may_match`` filter and 500-candidate cap in pk order;
    the scorer call is the same as the per-event check's. Each candidate's facts and terms are built once."""
    window = settings.PORTAL_DUPLICATE_WINDOW_DAYS
    events = _with_terms(
        list(
            Event.objects.filter(start_date__gte=start, start_date__lt=end)
            .order_by("pk")
            .values("pk", "status", *_CANDIDATE_FIELDS[1:], "title_terms")
        )
    )
    if not events:
        return {}
    own_areas: dict[int, set[int]] = {}
    for event_id, area_id in EventAreas.objects.filter(event_id__in=[e["pk"] for e in events]).values_list(
        "event_id", "thematicarea_id"
    ):
        own_areas.setdefault(event_id, set()).add(area_id)
    all_areas = {
        row["pk"]: AreaInfo(row["pk"], row["parent_id"], row["short_name"])
        for row in ThematicArea.objects.values("pk", "parent_id", "short_name")
    }
    children: dict[int, set[int]] = {}
    for info in all_areas.values():
        if info.parent_id:
            children.setdefault(info.parent_id, set()).add(info.pk)

    low = min(e["start_date"] for e in events) - timedelta(days=window)
    high = max(e["end_date"] for e in events) + timedelta(days=window)
    in_window = _window_filter(Event.objects.all(), low, high).exclude(status=Event.Status.CANCELLED)
    candidates = {
        row["pk"]: row for row in _with_terms(list(in_window.order_by().values(*_CANDIDATE_FIELDS, "title_terms")))
    }
    candidate_areas: dict[int, set[int]] = {}
    for event_id, area_id in EventAreas.objects.filter(event_id__in=in_window.values("pk")).values_list(
        "event_id", "thematicarea_id"
    ):
        candidate_areas.setdefault(event_id, set()).add(area_id)
    # Who co-organises what decides between "already co-ordinated", "possible double entry" and an overlap.
    co_by_event: dict[int, set[int]] = {}
    for event_id, structure_id in EventCoOrganisers.objects.filter(
        Q(event_id__in=in_window.values("pk")) | Q(event_id__in=[e["pk"] for e in events])
    ).values_list("event_id", "executivestructure_id"):
        co_by_event.setdefault(event_id, set()).add(structure_id)
    # Each candidate's facts once, with all its areas; an event's check sees only the areas of its family.
    base = {
        pk: _candidate_facts(row, candidate_areas.get(pk, ()), co_by_event.get(pk, ()))
        for pk, row in candidates.items()
    }
    # Per (area, place) the candidates sorted by first day: an event's window is then a bisect per area of its family
    # and per place it may match by (``_place_filter`` in memory: the same State, online, the same region, anything).
    places = places_that_may_match()
    by_key: dict[tuple[int, str, Any], list[tuple[date, int]]] = {}
    for pk, area_ids in candidate_areas.items():
        if pk not in base:
            continue
        c = base[pk]
        keys = _place_keys(c, places)
        for area_id in area_ids:
            for kind, value in keys:
                by_key.setdefault((area_id, kind, value), []).append((c.start_date, pk))
    for rows in by_key.values():
        rows.sort()
    starts = {key: [r[0] for r in rows] for key, rows in by_key.items()}
    longest = max((c["end_date"] - c["start_date"] for c in candidates.values()), default=timedelta(0))

    postgres = text_search.uses_postgres()
    pending: dict[int, tuple[EventFacts, list[EventFacts], dict[int, AreaInfo]]] = {}
    result: dict[int, list[Match]] = {}
    for e in events:
        own = own_areas.get(e["pk"], set())
        if e["status"] == Event.Status.CANCELLED or not own:
            result[e["pk"]] = []
            continue
        facts = _candidate_facts(e, own, co_by_event.get(e["pk"], ()))
        own_keys = _place_keys(facts, places)
        if not own_keys:
            result[e["pk"]] = []
            continue
        parents = {all_areas[a].parent_id for a in own if a in all_areas and all_areas[a].parent_id}
        family_ids = set(own) | parents
        for a in own:
            family_ids |= children.get(a, set())
        family = {a: all_areas[a] for a in family_ids if a in all_areas}
        e_low, e_high = e["start_date"] - timedelta(days=window), e["end_date"] + timedelta(days=window)
        matched: dict[int, set[int]] = {}
        for area_id in family:
            for kind, value in own_keys:
                key = (area_id, kind, value)
                area_rows = by_key.get(key)
                if not area_rows:
                    continue
                i = bisect_left(starts[key], e_low - longest)
                j = bisect_right(starts[key], e_high)
                for _start, pk in area_rows[i:j]:
                    if pk == e["pk"] or base[pk].end_date < e_low:
                        continue
                    matched.setdefault(pk, set()).add(area_id)
        others = _capped(
            facts,
            (_restricted(base[pk], matched[pk], candidate_areas[pk]) for pk in sorted(matched)),
            areas=family,
            window_days=window,
        )
        if not postgres:
            result[e["pk"]] = score_candidates(facts, others, areas=family, window_days=window)
            continue
        # First with the best title similarity any pair could have: only the pairs that could then match need
        # PostgreSQL's similarity(), asked for all events of the period together below.
        hopeful = {
            m.other_id for m in score_candidates(facts, others, areas=family, window_days=window, trigram=AtMost())
        }
        pending[e["pk"]] = (facts, [o for o in others if o.pk in hopeful], family)
    if pending:
        # Spelling only counts for a possible double entry (structures that already organise together).
        pairs = [(pk, o.pk) for pk, (f, others, _fam) in pending.items() for o in others if already_coordinated(f, o)]
        trigram = text_search.trigram_similarities(pairs)
        for pk, (facts, others, family) in pending.items():
            result[pk] = score_candidates(
                facts,
                others,
                areas=family,
                window_days=window,
                trigram={o.pk: trigram.get((pk, o.pk), 0.0) for o in others},
            )
    return result


def _place_keys(facts: EventFacts, places: frozenset[str]) -> list[tuple[str, Any]]:
    """The places an event is indexed by in the rescan, in memory what ``_place_filter`` is in SQL: two events can
    match only if they share a key."""
    if "" in places:
        return [("", None)]
    keys: list[tuple[str, Any]] = []
    if "state" in places and facts.state_id is not None:
        keys.append(("state", facts.state_id))
    if "online" in places and facts.online:
        keys.append(("online", True))
    if "region" in places and facts.region:
        keys.append(("region", facts.region))
    return keys


def _restricted(facts: EventFacts, area_ids: set[int], all_area_ids: set[int]) -> EventFacts:
    """The candidate's facts with only the areas of the checked event's family, as the per-event query loads them."""
    if len(area_ids) == len(all_area_ids):
        return facts
    return replace(facts, area_ids=frozenset(area_ids))


def event_duplicates(*, event: Event, user: PortalUser | None) -> list[DuplicateMatch]:
    """What the event page and ``/api/events/{id}/duplicates/`` show: live matches the user may see, with the state
    of their alert; pairs marked "not a duplicate" are left out."""
    return visible_matches(event=event, matches=duplicate_matches(event=event), user=user)


def visible_matches(*, event: Event, matches: list[Match], user: PortalUser | None) -> list[DuplicateMatch]:
    """The matches as rows the user may see; for a saved event with their alert, never a "not a duplicate" pair.
    An unsaved event (the pre-save check) has no alerts yet."""
    if not matches:
        return []
    # The matches carry only what the scorer needs; the page and the API get fully joined rows.
    visible = {e.pk: e for e in visible_events(user=user).filter(pk__in=[m.other_id for m in matches])}
    alerts = {}
    if event.pk is not None:
        alerts = {
            (a.event_a_id, a.event_b_id): a
            for a in CoordinationAlert.objects.filter(
                Q(event_a=event, event_b_id__in=list(visible)) | Q(event_b=event, event_a_id__in=list(visible))
            )
        }
    result = []
    for match in matches:
        other = visible.get(match.other_id)
        if other is None:
            continue
        alert = alerts.get((min(event.pk, other.pk), max(event.pk, other.pk))) if event.pk is not None else None
        if alert is not None and alert.status == CoordinationAlert.Status.NOT_DUPLICATE:
            continue
        result.append(
            DuplicateMatch(event=other, score=match.score, reasons=match.reasons, alert=alert, kind=match.kind)
        )
    return result


# --- feeds and bundles ----------------------------------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_owner(*, token: str) -> CalendarFeedToken | None:
    """The active token row (its user joined) behind a private feed token, or None (unknown, revoked, or the user is
    gone)."""
    row = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return row


def user_feed_tokens(*, user: PortalUser) -> QuerySet[CalendarFeedToken]:
    return CalendarFeedToken.objects.filter(user=acting_user(user))


def bundle_list() -> QuerySet[CalendarBundle]:
    return CalendarBundle.objects.select_related("requested_by")


def bundle_events(*, start: date, end: date) -> QuerySet[Event]:
    """Every event of the period, internal ones included: the bundle goes to the Task Force, not to the public."""
    return _base_events().filter(start_date__lte=end, end_date__gte=start).order_by("start_date", "start_at", "pk")


# --- what others may aggregate -------------------------------------------------------------------------------------

# The statuses dashboards and reports count as held, and as still to come.
HELD_STATUSES = (Event.Status.HELD,)
UPCOMING_STATUSES = (Event.Status.PLANNED, Event.Status.CONFIRMED)


def events_awaiting_outcome(
    *, user: PortalUser | None, today: date, structure_id: int | None = None
) -> QuerySet[Event]:
    """Past events still marked planned or confirmed and with no outcome recorded: for a field user those their
    operation leads, for staff every structure's (or ``structure_id``'s). Delegations see none."""
    if user is None or not can(user, "event_outcome", VIEW):
        return Event.objects.none()
    qs = (
        _base_events()
        .filter(end_date__lt=today, status__in=UPCOMING_STATUSES, outcome__isnull=True)
        .exclude(format=Event.Format.TASKFORCE_MEETING)
    )
    if is_field(user):
        qs = qs.filter(lead_structure_id=user_structure_id(user))
    elif structure_id is not None:
        qs = qs.filter(lead_structure_id=structure_id)
    return qs.order_by("end_date", "pk")


def countable_events(*, include_internal: bool, include_taskforce_meetings: bool = True) -> QuerySet[Event]:
    """Events aggregates count: never cancelled ones, internal ones only for staff audiences. Bare rows without
    joins or ordering, because callers group and count them."""
    qs = Event.objects.exclude(status=Event.Status.CANCELLED)
    if not include_internal:
        qs = qs.filter(visibility=Event.Visibility.PUBLIC)
    if not include_taskforce_meetings:
        qs = qs.exclude(format=Event.Format.TASKFORCE_MEETING)
    return qs


def project_event_count(*, project: Project) -> int:
    """How many calendar events name the project (internal ones too)."""
    return Event.objects.filter(project=project).count()
