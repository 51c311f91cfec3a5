"""Reads for task forces, meetings and action items, joined for the pages and endpoints that use them.

Who sees what:
- Secretariat staff (administrators, the co-ordinator, Secretariat staff) see everything.
- Field-operation staff see every task force; inside one they are not members of, only published meetings.
- Delegations see only task forces that publish to them, only published meetings, and action owners only by
  structure (never the person).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from programmes.permissions import is_delegation, is_staff_role, user_structure_id
from programmes.types import PortalUser
from taskforces.models import (
    DUE_TIMEZONES,
    ActionItem,
    ActionProgressNote,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingPack,
    TaskForce,
    TaskForceMember,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Overdue(TypedDict):
    overdue: bool


# An action as ``with_overdue_flag`` gives it: with ``overdue`` computed in its deadline zone.
ActionWithOverdue: TypeAlias = "WithAnnotations[ActionItem, _Overdue]"

# --- Dates and deadlines -------------------------------------------------------------------------------------


@functools.cache
def _due_zones() -> tuple[tuple[str, ZoneInfo], ...]:
    # Made once per process: ``ZoneInfo(name)`` keeps few zones alive, so building them for every list request read
    # the zone files again (``zoneinfo.load_data`` ~340 times in 20 requests of the action-item list, issue 14).
    return tuple((zone, ZoneInfo(zone)) for zone in DUE_TIMEZONES)


def _per_zone_dates(now: datetime) -> dict[date, list[str]]:
    """The zones of ``DUE_TIMEZONES`` grouped by their local date at ``now`` (at most three groups)."""
    groups: dict[date, list[str]] = defaultdict(list)
    for zone, info in _due_zones():
        groups[timezone.localtime(now, info).date()].append(zone)
    return groups


def _zone_condition(now: datetime, build: Callable[[date], Q]) -> Q:
    """``build(local_today)`` applied to each group of zones, so the database compares plain dates."""
    condition = Q(pk__in=[])
    for local_today, zones in _per_zone_dates(now).items():
        condition |= Q(due_timezone__in=zones) & build(local_today)
    return condition


def overdue_condition(*, today: date | None = None, now: datetime | None = None) -> Q:
    """Open and due before today. With ``today`` that date is used as is; otherwise "today" is the local date
    in each action's deadline zone at ``now`` (default: the current instant)."""
    if today is not None:
        return Q(status=ActionItem.Status.OPEN, due_date__lt=today)
    return Q(status=ActionItem.Status.OPEN) & _zone_condition(
        now or timezone.now(), lambda local_today: Q(due_date__lt=local_today)
    )


def due_soon_condition(*, days: int, now: datetime | None = None) -> Q:
    """Open, not overdue, and due within ``days`` days of the local today."""
    return Q(status=ActionItem.Status.OPEN) & _zone_condition(
        now or timezone.now(),
        lambda local_today: Q(due_date__gte=local_today, due_date__lte=local_today + timedelta(days=days)),
    )


def with_overdue_flag(queryset: QuerySet[ActionItem], *, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    return queryset.annotate(
        overdue=Case(
            When(overdue_condition(now=now), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


# --- Membership (the row rules built on it are in taskforces.permissions) ------------------------------------------


def member_task_force_ids(*, user: PortalUser) -> set[int]:
    """Task forces the user belongs to: as a named representative or through their profile's structure."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_task_force_ids", None)
    if cached is not None:
        return cast(set[int], cached)
    condition = Q(representative=user) | Q(focal_point__user=user)
    structure_id = user_structure_id(user)
    if structure_id:
        condition |= Q(structure_id=structure_id)
    ids = set(TaskForceMember.objects.filter(condition).values_list("task_force_id", flat=True))
    # A per-request cache on the user object, not a model field. Set as an attribute so that a lazy request.user
    # passes it on to the user it wraps.
    user._task_force_ids = ids  # type: ignore[attr-defined]
    return ids


# --- Task forces ------------------------------------------------------------------------------------------------


def taskforce_list(*, user: PortalUser) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.select_related("chair_structure", "mandate").annotate(
        member_count=Count("members", distinct=True)
    )
    if is_delegation(user):
        qs = qs.filter(publishes_to_delegations=True)
    return qs.order_by("name")


def taskforce_detail(*, user: PortalUser, slug: str | None = None, pk: int | None = None) -> TaskForce:
    lookup: dict[str, Any] = {"slug": slug} if slug is not None else {"pk": pk}
    members = TaskForceMember.objects.select_related("structure", "representative", "focal_point").order_by(
        "structure__kind", "structure__name"
    )
    return (
        taskforce_list(user=user)
        .select_related("secretary")
        .prefetch_related(Prefetch("members", queryset=members), "thematic_areas")
        .get(**lookup)
    )


def member_list(*, task_force: TaskForce) -> QuerySet[TaskForceMember]:
    return task_force.members.select_related("structure", "representative", "focal_point").order_by(
        "structure__kind", "structure__name"
    )


# --- Meetings ---------------------------------------------------------------------------------------------------


def meeting_list(*, user: PortalUser) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("task_force", "event").annotate(
        agenda_count=Count("agenda_items", distinct=True), decision_count=Count("decisions", distinct=True)
    )
    if is_staff_role(user):
        return qs
    if is_delegation(user):
        return qs.filter(published=True, task_force__publishes_to_delegations=True)
    return qs.filter(Q(published=True) | Q(task_force_id__in=member_task_force_ids(user=user)))


def meeting_detail(*, user: PortalUser, pk: int) -> Meeting:
    return (
        meeting_list(user=user)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter").order_by("position")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member__structure", "member__representative").order_by(
                    "member__structure__name"
                ),
            ),
            Prefetch("decisions", queryset=Decision.objects.prefetch_related("thematic_areas").order_by("number")),
        )
        .get(pk=pk)
    )


def next_meeting(*, user: PortalUser, task_force: TaskForce, now: datetime | None = None) -> Meeting | None:
    return (
        meeting_list(user=user)
        .filter(task_force=task_force, starts_at__gte=now or timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(task_force_id=meeting.task_force_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


# --- Action items -----------------------------------------------------------------------------------------------


def _action_base() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related(
        "task_force", "owner_structure", "owner", "meeting", "decision", "project", "event"
    )


# What delegations may see of actions: those of task forces that publish to them, raised at published minutes.
DELEGATION_VISIBLE_ACTIONS = Q(meeting__published=True, task_force__publishes_to_delegations=True)


def action_item_list(*, user: PortalUser, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    qs = with_overdue_flag(_action_base(), now=now)
    if is_staff_role(user):
        return qs
    if is_delegation(user):
        return qs.filter(DELEGATION_VISIBLE_ACTIONS)
    structure_id = user_structure_id(user)
    condition = Q(task_force_id__in=member_task_force_ids(user=user)) | Q(owner=user)
    if structure_id:
        condition |= Q(owner_structure_id=structure_id)
    return qs.filter(condition)


def action_item_api_rows(actions: QuerySet[ActionWithOverdue]) -> QuerySet[ActionWithOverdue]:
    """``actions`` with what the API shows of the related rows by more than their id as columns of the action's own
    row (``listed_<name>``, read by ``ActionItemSerializer``): task force and owner structure acronyms, the owner's
    names.

    EXPLAIN ANALYZE of the list's page (issue 14, N=0.1): with all seven relations joined the plan took 78–100 ms
    to make and under 6 ms to run; with these three, 0.8 ms to make. Round 3: the three joined rows were also
    built as model instances, 100 more per page beside the 50 actions (about 2 ms of CPU at N=1); as columns
    they are not. The list applies this to its page only (``PortalPagination``'s ``page_rows``), so its COUNT
    joins nothing."""
    return actions.select_related(None).annotate(
        listed_task_force_acronym=F("task_force__acronym"),
        listed_structure_acronym=F("owner_structure__acronym"),
        listed_owner_first_name=F("owner__first_name"),
        listed_owner_last_name=F("owner__last_name"),
        listed_owner_username=F("owner__username"),
    )


def action_item_api_list(*, user: PortalUser, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    """The actions ``user`` may read, each with the columns ``action_item_api_rows`` adds."""
    return action_item_api_rows(action_item_list(user=user, now=now))


def action_item_detail(*, user: PortalUser, pk: int) -> ActionWithOverdue:
    notes = ActionProgressNote.objects.select_related("author")
    return action_item_list(user=user).prefetch_related(Prefetch("progress_notes", queryset=notes)).get(pk=pk)


def my_action_items(*, user: PortalUser, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    """Actions the user owns in person, then those of their structure with no named owner."""
    condition = Q(owner=user)
    structure_id = user_structure_id(user)
    if structure_id:
        condition |= Q(owner_structure_id=structure_id, owner__isnull=True)
    return with_overdue_flag(_action_base(), now=now).filter(condition).order_by("status", "due_date", "pk")


def open_action_items(*, task_force: TaskForce, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    return (
        with_overdue_flag(_action_base(), now=now)
        .filter(task_force=task_force, status=ActionItem.Status.OPEN)
        .order_by("due_date", "pk")
    )


def overdue_action_items(*, today: date | None = None, now: datetime | None = None) -> QuerySet[ActionItem]:
    """Open actions whose due date has passed. Without ``today`` the date is taken in each action's deadline
    zone (its owner structure's zone, Vienna by default). Joined with task force, owner structure and owner."""
    return (
        _action_base()
        .filter(task_force__active=True)
        .filter(overdue_condition(today=today, now=now))
        .order_by("due_date", "pk")
    )


def my_open_action_items(*, user: PortalUser) -> QuerySet[ActionWithOverdue]:
    return my_action_items(user=user).filter(status=ActionItem.Status.OPEN)


def overdue_action_counts(*, today: date, delegation_visible_only: bool) -> list[tuple[str, int]]:
    """(task force name, overdue actions) by name. With ``delegation_visible_only`` an action a delegation could
    not see does not count, so a hidden task force does not show even as a name and a count."""
    actions = overdue_action_items(today=today)
    if delegation_visible_only:
        actions = actions.filter(DELEGATION_VISIBLE_ACTIONS)
    grouped = actions.order_by().values("task_force__name").annotate(n=Count("pk")).order_by("task_force__name")
    return [(row["task_force__name"], row["n"]) for row in grouped]


def actions_to_review(*, meeting: Meeting, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    """Actions raised at the previous meeting, plus anything still open from before, for the review item."""
    previous = previous_meeting(meeting=meeting)
    qs = with_overdue_flag(_action_base(), now=now).filter(task_force_id=meeting.task_force_id)
    condition = Q(status=ActionItem.Status.OPEN, created_at__lt=meeting.starts_at) & ~Q(meeting=meeting)
    if previous is not None:
        condition |= Q(meeting=previous)
    return qs.filter(condition).order_by("due_date", "pk")


def actions_raised(*, meeting: Meeting, now: datetime | None = None) -> QuerySet[ActionWithOverdue]:
    return with_overdue_flag(_action_base(), now=now).filter(meeting=meeting).order_by("due_date", "pk")


def action_counts(*, task_force: TaskForce, now: datetime | None = None) -> dict[str, int]:
    return ActionItem.objects.filter(task_force=task_force).aggregate(
        open=Count("pk", filter=Q(status=ActionItem.Status.OPEN)),
        overdue=Count("pk", filter=overdue_condition(now=now)),
        done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
    )


def actions_needing_reminder(*, stage: str, days_before: int, now: datetime | None = None) -> QuerySet[ActionItem]:
    from taskforces.models import ActionReminder

    condition = (
        overdue_condition(now=now)
        if stage == ActionReminder.Stage.OVERDUE
        else due_soon_condition(days=days_before, now=now)
    )
    already = ActionReminder.objects.filter(action=OuterRef("pk"), stage=stage)
    return (
        ActionItem.objects.filter(condition, task_force__active=True)
        .filter(~Exists(already))
        .select_related("task_force", "owner", "owner_structure")
        .order_by("pk")
    )


# --- Meeting packs ----------------------------------------------------------------------------------------------


def meeting_pack_list(*, meeting: Meeting) -> QuerySet[MeetingPack]:
    return meeting.packs.select_related("requested_by").order_by("-created_at")


def meeting_pack_detail(*, pk: int) -> MeetingPack:
    return MeetingPack.objects.select_related("meeting__task_force", "requested_by").get(pk=pk)


def calendar_recipients(*, task_force: TaskForce) -> list[str]:
    """E-mail addresses of the member representatives (users or focal points) of a task force, without duplicates."""
    rows = task_force.members.values_list("representative__email", "representative__is_active", "focal_point__email")
    emails: set[str] = set()
    for user_email, user_active, focal_point_email in rows:
        if user_email and user_active:
            emails.add(user_email)
        elif focal_point_email:
            emails.add(focal_point_email)
    return sorted(emails)
