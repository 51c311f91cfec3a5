"""Reads of focal points and networks, already joined, and scoped to what the user's role may see.

Privacy: staff (administrator, co-ordinator, Secretariat) and field staff see everyone with contact details.
Delegations see only their own State's focal points and those of executive structures, and never e-mail addresses
or phone numbers (except on the record linked to their own account). Other apps call ``network_coverage``
and ``network_vacancies``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from focal_points.models import ConfirmationRequest, FocalPoint, Membership, Network, ProposedChange
from focal_points.permissions import can_see_contacts
from programmes.models import ParticipatingState, ThematicArea
from programmes.permissions import is_delegation, is_manager, role_of, user_state_id
from programmes.selectors import ValueRows, grouped_by, linked_ids, rows_with_linked_ids
from programmes.service_tools import acting_user
from programmes.types import PortalUser

COVERED, VACANT, STALE = "covered", "vacant", "stale"


# --- privacy ---------------------------------------------------------------------------------------------------


def _visible_rows(qs: QuerySet[FocalPoint], user: PortalUser) -> QuerySet[FocalPoint]:
    if role_of(user) is None:
        return qs.none()
    if is_delegation(user):
        # Own State's focal points and the structures' ones; never other States' or partner organisations'.
        return qs.filter(Q(state_id=user_state_id(user), state_id__isnull=False) | Q(structure__isnull=False))
    return qs


# --- focal points ----------------------------------------------------------------------------------------------


def _current_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": today}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": today})
    )


def focal_point_base() -> QuerySet[FocalPoint]:
    return FocalPoint.objects.select_related("structure", "state", "partner_organisation")


def _listed_memberships() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.select_related("network").order_by("network__name"))


def focal_point_list(*, user: PortalUser) -> QuerySet[FocalPoint]:
    """The directory: every row the user may see, with organisations, areas and memberships in constant queries."""
    qs = focal_point_base().prefetch_related("thematic_areas", _listed_memberships())
    if not can_see_contacts(user=user):
        qs = qs.defer("email", "phone")
    return _visible_rows(qs, user).order_by("last_name", "first_name", "pk")


def directory_page_rows(rows: QuerySet[FocalPoint]) -> QuerySet[FocalPoint]:
    """``rows`` (from ``focal_point_list``) with the same areas and memberships prefetched into lists
    (``listed_areas``, ``listed_memberships``) instead of related managers: the same two queries, without a manager
    and a queryset per row and relation (issue 14, round 2: 13.3 → 8.9 ms of CPU for the directory's 50 rows at N=1).
    """
    return rows.prefetch_related(None).prefetch_related(
        Prefetch("thematic_areas", queryset=ThematicArea.objects.all(), to_attr="listed_areas"),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("network").order_by("network__name"),
            to_attr="listed_memberships",
        ),
    )


def focal_point_api_list(*, user: PortalUser) -> QuerySet[FocalPoint]:
    """``focal_point_list`` for the API list, without its prefetches: ``focal_point_attach_listing`` reads what the
    list shows of the areas and memberships for the page alone."""
    return focal_point_list(user=user).prefetch_related(None)


def focal_point_attach_listing(*, focal_points: Iterable[FocalPoint]) -> None:
    """Give each focal point of an API page ``relation_ids["thematic_areas"]`` (the area ids in the relation's
    order) and ``listed_memberships``, its memberships by network name as ``ValueRows`` with the network's name
    (read by the API serializers): two queries for the page.

    Profile of ``/api/focal-points/?q=kowal`` at N=1 (issue 14): as a prefetch the page's 100 memberships and their
    100 networks were two thirds of the 300 model instances the page built, and Django's prefetch machinery (a
    queryset and related-manager cache per focal point) a quarter of the request's CPU. As rows of an ORM
    ``values()`` query the memberships were 1.8 ms a request (round 9), the query built and planned each time; as
    one prepared statement (``rows_with_linked_ids``, the network's name joined) 1.1 ms less."""
    focal_points = list(focal_points)
    pks = [focal_point.pk for focal_point in focal_points]
    areas = linked_ids(model=FocalPoint, relations=("thematic_areas",), pks=pks)["thematic_areas"]
    rows = rows_with_linked_ids(
        model=Membership,
        by="focal_point",
        values=pks,
        relations=(),
        joined=("network__name",),
        order_by=("network__name", "pk"),
    )
    memberships = grouped_by(pks, rows, key=itemgetter("focal_point_id"), group=ValueRows)
    for focal_point in focal_points:
        # Not model fields: read by the API's RelationIdField (as Project.relation_ids) and the memberships list.
        focal_point.relation_ids = {"thematic_areas": areas.get(focal_point.pk, [])}  # type: ignore[attr-defined]
        focal_point.listed_memberships = memberships[focal_point.pk]  # type: ignore[attr-defined]


def focal_point_detail(*, user: PortalUser, pk: int) -> FocalPoint:
    qs = focal_point_base().prefetch_related(
        "thematic_areas",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("network", "network__coordinating_structure").order_by(
                "network__name", "-start"
            ),
        ),
    )
    return _visible_rows(qs, user).get(pk=pk)


# --- networks --------------------------------------------------------------------------------------------------


def network_list(*, today: date | None = None) -> QuerySet[Network]:
    today = today or timezone.localdate()
    # A correlated count per network is cheaper than grouping every network column over all memberships.
    current = (
        Membership.objects.filter(network=OuterRef("pk"))
        .filter(_current_q(today))
        .order_by()
        .values("network")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Network.objects.select_related("founding_mandate", "coordinating_structure", "coordinator")
        .prefetch_related("thematic_areas")
        .annotate(current_member_count=Coalesce(Subquery(current, output_field=IntegerField()), 0))
        .order_by("name")
    )


def network_detail(*, pk: int) -> Network:
    return network_list().get(pk=pk)


def network_members(*, user: PortalUser, network: Network, today: date | None = None) -> QuerySet[Membership]:
    """Current members of a network ordered by State (structures and organisations after the States)."""
    today = today or timezone.localdate()
    visible = _visible_rows(FocalPoint.objects.all(), user).values("pk")
    qs = (
        Membership.objects.filter(network=network)
        .filter(_current_q(today))
        .filter(focal_point__in=visible)
        .select_related(
            "state", "focal_point", "focal_point__structure", "focal_point__state", "focal_point__partner_organisation"
        )
        .order_by(
            "state__name",
            "focal_point__structure__acronym",
            "focal_point__partner_organisation__acronym",
            "role",
            "focal_point__last_name",
            "pk",
        )
    )
    if not can_see_contacts(user=user):
        qs = qs.defer("focal_point__email", "focal_point__phone")
    return qs


# --- coverage --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageCell:
    state: ParticipatingState
    status: str
    membership: Membership | None = None

    @property
    def focal_point(self) -> FocalPoint | None:
        return self.membership.focal_point if self.membership else None


def stale_before(today: date) -> date:
    """Confirmations older than this date are stale."""
    stale: date = today - relativedelta(months=settings.PORTAL_FOCAL_POINT_STALE_MONTHS)
    return stale


def coverage_states(today: date) -> list[ParticipatingState]:
    """Participating States (not Partners) that had joined by ``today``."""
    return list(
        ParticipatingState.objects.filter(is_partner=False)
        .filter(Q(joined__isnull=True) | Q(joined__lte=today))
        .order_by("name")
    )


def _current_primaries(network_ids: Iterable[int], today: date) -> dict[tuple[int, int], Membership]:
    rows = (
        Membership.objects.filter(network_id__in=network_ids, role=Membership.Role.PRIMARY, state__isnull=False)
        .filter(_current_q(today))
        .select_related("focal_point")
        .order_by("network_id", "state_id", "-last_confirmed", "-start", "pk")
    )
    found: dict[tuple[int, int], Membership] = {}
    for membership in rows:
        # The best-confirmed primary wins if, exceptionally, two dated primaries overlap.
        if membership.state_id is not None:  # always: the query asks for memberships with a State
            found.setdefault((membership.network_id, membership.state_id), membership)
    return found


def _status(membership: Membership | None, threshold: date) -> str:
    if membership is None:
        return VACANT
    if membership.last_confirmed is None or membership.last_confirmed < threshold:
        return STALE
    return COVERED


def network_coverage(*, network: Network, today: date | None = None) -> list[CoverageCell]:
    """Per participating State: covered / vacant / stale, with the current primary membership where there is one."""
    today = today or timezone.localdate()
    threshold = stale_before(today)
    primaries = _current_primaries([network.pk], today)
    cells = []
    for state in coverage_states(today):
        membership = primaries.get((network.pk, state.pk))
        cells.append(CoverageCell(state=state, status=_status(membership, threshold), membership=membership))
    return cells


def per_state_networks() -> QuerySet[Network]:
    return Network.objects.filter(expects_one_per_state=True).order_by("name")


@dataclass
class CoverageMatrix:
    networks: list[Network]
    rows: list[tuple[ParticipatingState, list[CoverageCell]]]
    totals: list[dict[str, Any]]


def coverage_matrix(*, today: date | None = None, networks: Iterable[Network] | None = None) -> CoverageMatrix:
    """States × networks that expect one focal point per State, in three queries."""
    today = today or timezone.localdate()
    threshold = stale_before(today)
    networks = list(networks if networks is not None else per_state_networks())
    primaries = _current_primaries([n.pk for n in networks], today)
    rows = []
    totals: list[dict[str, Any]] = [{"network": n, COVERED: 0, STALE: 0, VACANT: 0} for n in networks]
    for state in coverage_states(today):
        cells = []
        for index, network in enumerate(networks):
            membership = primaries.get((network.pk, state.pk))
            cell = CoverageCell(state=state, status=_status(membership, threshold), membership=membership)
            totals[index][cell.status] += 1
            cells.append(cell)
        rows.append((state, cells))
    return CoverageMatrix(networks=networks, rows=rows, totals=totals)


def network_vacancies(
    *, today: date | None = None, joined_by: date | None = None
) -> list[tuple[Network, list[ParticipatingState]]]:
    """For each network that expects one focal point per State: the States without a current, confirmed primary
    (vacant, or whose primary's confirmation is stale). ``joined_by`` leaves out States that joined later (a report
    on 2010 does not list Mongolia)."""
    matrix = coverage_matrix(today=today)
    result = []
    for index, network in enumerate(matrix.networks):
        states = [
            state
            for state, cells in matrix.rows
            if cells[index].status != COVERED
            and (joined_by is None or state.joined is None or state.joined <= joined_by)
        ]
        result.append((network, states))
    return result


def vacancy_rows(*, today: date | None = None) -> list[dict[str, Any]]:
    """Flat list for the vacancies page and its exports: network, State, status and the stale focal point."""
    matrix = coverage_matrix(today=today)
    rows = []
    for index, network in enumerate(matrix.networks):
        for state, cells in matrix.rows:
            cell = cells[index]
            if cell.status != COVERED:
                rows.append({"network": network, "state": state, "status": cell.status, "cell": cell})
    return rows


# --- upkeep ----------------------------------------------------------------------------------------------------


def focal_points_due_for_confirmation(*, year: int, today: date) -> QuerySet[FocalPoint]:
    """Focal points with an e-mail and a current membership who have not been asked in ``year``."""
    asked = ConfirmationRequest.objects.filter(focal_point=OuterRef("pk"), year=year)
    current = Membership.objects.filter(focal_point=OuterRef("pk")).filter(_current_q(today))
    return FocalPoint.objects.exclude(email="").filter(Exists(current)).filter(~Exists(asked)).order_by("pk")


def unsent_confirmation_request_ids(*, year: int, created_before: date) -> Iterator[int]:
    return (
        ConfirmationRequest.objects.filter(year=year, sent_at__isnull=True, created_at__date__lt=created_before)
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=500)
    )


def pending_changes(*, user: PortalUser) -> QuerySet[ProposedChange]:
    """The approval queue: all pending changes for managers, those of their networks for network co-ordinators."""
    qs = ProposedChange.objects.filter(status=ProposedChange.Status.PENDING).select_related(
        "focal_point", "focal_point__structure", "focal_point__state", "focal_point__partner_organisation"
    )
    if is_manager(user):
        return qs
    return qs.filter(
        Exists(Membership.objects.filter(focal_point=OuterRef("focal_point"), network__coordinator=acting_user(user)))
    )


def network_coordinator_emails(*, focal_point: FocalPoint) -> list[str]:
    return sorted(
        set(
            Network.objects.filter(memberships__focal_point=focal_point, coordinator__isnull=False)
            .exclude(coordinator__email="")
            .values_list("coordinator__email", flat=True)
        )
    )
