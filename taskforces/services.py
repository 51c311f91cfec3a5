"""Writes for task forces. Every write validates the row (``full_clean``) before saving; meetings keep their
calendar entry in step; long work (meeting packs, e-mails) is queued on commit.

Writes inside a task force take ``actor``, the user who asks, and apply the row rules of
``taskforces.permissions`` (``PermissionDenied`` otherwise); ``actor=None`` is the portal itself (reference data
loaders), which is always allowed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from focal_points.models import FocalPoint
from programmes.events import services as event_services
from programmes.events.models import CalendarBundle, Event
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure, ThematicArea
from programmes.service_tools import acting_user, protected_delete, validated_save
from programmes.types import PortalUser
from programmes.versioning import check_version
from taskforces import selectors
from taskforces.models import (
    ActionItem,
    ActionProgressNote,
    ActionReminder,
    AgendaItem,
    Attendance,
    CalendarBundleMailing,
    Decision,
    Meeting,
    MeetingPack,
    TaskForce,
    TaskForceMember,
    structure_timezone,
)
from taskforces.permissions import (
    can_edit_task_force,
    can_publish_meeting,
    can_see_task_force_internals,
    can_update_action,
)

logger = logging.getLogger(__name__)


def _apply(instance: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _require_editor(actor: PortalUser | None, task_force: TaskForce) -> None:
    if actor is not None and not can_edit_task_force(user=actor, task_force=task_force):
        raise PermissionDenied


def _require_action_updater(actor: PortalUser | None, action: ActionItem) -> None:
    if actor is not None and not can_update_action(user=actor, action=action):
        raise PermissionDenied


def _tasks() -> ModuleType:
    # The tasks module imports this one; it is looked up when a job is queued.
    from taskforces import tasks

    return tasks


# --- Task forces and members ------------------------------------------------------------------------------------


@transaction.atomic
def taskforce_create(
    *,
    name: str,
    acronym: str,
    slug: str,
    chair_structure: ExecutiveStructure,
    thematic_areas: Iterable[ThematicArea] = (),
    **fields: Any,
) -> TaskForce:
    task_force = validated_save(
        TaskForce(name=name, acronym=acronym, slug=slug, chair_structure=chair_structure, **fields)
    )
    task_force.thematic_areas.set(list(thematic_areas))
    return task_force


@transaction.atomic
def taskforce_update(*, task_force: TaskForce, data: dict[str, Any], actor: PortalUser | None) -> TaskForce:
    _require_editor(actor, task_force)
    data = dict(data)
    areas = data.pop("thematic_areas", None)
    locked = TaskForce.objects.select_for_update().get(pk=task_force.pk)
    _apply(locked, data)
    validated_save(locked)
    if areas is not None:
        locked.thematic_areas.set(list(areas))
    return locked


@transaction.atomic
def taskforce_delete(*, task_force: TaskForce, actor: PortalUser | None) -> None:
    """The task force goes with its members, meetings and actions (they cascade); its meetings' entries leave the
    joint calendar and its feeds too."""
    _require_editor(actor, task_force)
    events = [meeting.event for meeting in task_force.meetings.select_related("event") if meeting.event is not None]
    protected_delete(task_force)
    for event in events:
        event_services.event_delete(event=event)


@transaction.atomic
def member_add(
    *,
    task_force: TaskForce,
    structure: ExecutiveStructure,
    actor: PortalUser | None,
    role: str = TaskForceMember.Role.MEMBER,
    representative: User | None = None,
    focal_point: FocalPoint | None = None,
    joined_on: date | None = None,
) -> TaskForceMember:
    _require_editor(actor, task_force)
    return validated_save(
        TaskForceMember(
            task_force=task_force,
            structure=structure,
            role=role,
            representative=representative,
            focal_point=focal_point,
            joined_on=joined_on,
        )
    )


@transaction.atomic
def member_update(*, member: TaskForceMember, data: dict[str, Any], actor: PortalUser | None) -> TaskForceMember:
    _require_editor(actor, member.task_force)
    data = {k: v for k, v in data.items() if k not in ("task_force", "structure")}
    _apply(member, data)
    return validated_save(member)


@transaction.atomic
def member_remove(*, member: TaskForceMember, actor: PortalUser | None) -> None:
    _require_editor(actor, member.task_force)
    if ActionItem.objects.filter(
        task_force_id=member.task_force_id, owner_structure_id=member.structure_id, status=ActionItem.Status.OPEN
    ).exists():
        raise ValidationError({"structure": _("This member still owns open actions; close or reassign them first.")})
    protected_delete(member)


# --- Meetings and their calendar entry ---------------------------------------------------------------------------

EVENT_STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: Event.Status.CONFIRMED,
    Meeting.Status.HELD: Event.Status.HELD,
    Meeting.Status.CANCELLED: Event.Status.CANCELLED,
}


def _event_fields(meeting: Meeting) -> dict[str, Any]:
    task_force = meeting.task_force
    return {
        "title": str(meeting.title or _("%(acronym)s meeting") % {"acronym": task_force.acronym})[:300],
        "description": _("Meeting of the %(name)s.") % {"name": task_force.name},
        "format": Event.Format.TASKFORCE_MEETING,
        "lead_structure": task_force.chair_structure,
        "city": meeting.place[:120],
        "online": meeting.online,
        "all_day": False,
        "start_date": meeting.local_start.date(),
        "end_date": meeting.local_end.date(),
        "start_at": meeting.starts_at,
        "end_at": meeting.ends_at,
        "timezone": meeting.timezone,
        "status": EVENT_STATUS[meeting.status],
        # Only a published meeting of a publishing task force is public: until then its title, time and place stay
        # off the public feed and the delegations' calendar.
        "visibility": Event.Visibility.PUBLIC
        if task_force.publishes_to_delegations and meeting.published
        else Event.Visibility.INTERNAL,
    }


def _event_areas(task_force: TaskForce) -> list[ThematicArea]:
    areas = list(task_force.thematic_areas.all())
    # A calendar entry needs at least one area; a task force without its own covers the five TNT areas.
    return areas or list(ThematicArea.objects.filter(parent__isnull=True))


def _sync_event(meeting: Meeting) -> None:
    """Create or update the meeting's entry on the joint calendar through the calendar's services. The entry is
    led by the chair structure and kept by the portal, so it is created without ``created_by``: the calendar's rule
    that field staff only create their own operation's events is about their own proposals, and the caller's right
    to edit this task force was checked before."""
    fields = _event_fields(meeting)
    event = meeting.event
    if event is None:
        meeting.event = event_services.event_create(thematic_areas=_event_areas(meeting.task_force), **fields)
        meeting.save(update_fields=["event", "updated_at"])
        return
    if meeting.status == Meeting.Status.CANCELLED and event.status != Event.Status.CANCELLED:
        event_services.event_update(event=event, data={k: v for k, v in fields.items() if k != "status"})
        event_services.event_cancel(event=event)
    else:
        event_services.event_update(event=event, data=fields)


def _require_publisher(actor: PortalUser | None, meeting: Meeting | None) -> None:
    if actor is not None and not can_publish_meeting(user=actor, obj=meeting):
        raise PermissionDenied(_("Only Secretariat staff publish or withdraw a meeting's minutes."))


MEETING_FIELDS = (
    "title",
    "starts_at",
    "duration_minutes",
    "timezone",
    "place",
    "online",
    "status",
    "minutes_markdown",
    "published",
)


@transaction.atomic
def meeting_create(*, task_force: TaskForce, starts_at: datetime, actor: PortalUser | None, **fields: Any) -> Meeting:
    _require_editor(actor, task_force)
    if fields.get("published"):
        _require_publisher(actor, None)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = validated_save(Meeting(task_force=task_force, starts_at=starts_at, **fields))
    _sync_event(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, data: dict[str, Any], actor: PortalUser | None, expected_version: int | None = None
) -> Meeting:
    """``expected_version`` (the version the editor read) refuses a stale save with ``VersionConflict``."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("task_force", "event").get(pk=meeting.pk)
    _require_editor(actor, locked.task_force)
    check_version(locked, expected_version)
    if "published" in data and bool(data["published"]) != locked.published:
        _require_publisher(actor, locked)
    _apply(locked, {k: v for k, v in data.items() if k in MEETING_FIELDS})
    validated_save(locked)
    _sync_event(locked)
    return locked


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor: PortalUser | None) -> None:
    """The meeting goes with its agenda, attendance, decisions and packs; its entry leaves the joint calendar and
    so every feed. The entry is the portal's own (see ``_sync_event``), so it is removed without the calendar's
    rule for field staff's own proposals."""
    _require_editor(actor, meeting.task_force)
    event = meeting.event if meeting.event_id else None
    protected_delete(meeting)
    if event is not None:
        event_services.event_delete(event=event)


# --- Agenda ------------------------------------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    # Serialises agenda edits of one meeting so two editors cannot hand out the same position.
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    actor: PortalUser | None,
    notes: str = "",
    presenter: ExecutiveStructure | None = None,
    position: int | None = None,
) -> AgendaItem:
    _require_editor(actor, meeting.task_force)
    _lock_meeting(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    if position is None or position > last:
        position = last + 1
    else:
        position = max(1, position)
        # Make room: shift the later items down in two steps so the unique (meeting, position) holds throughout.
        later = meeting.agenda_items.filter(position__gte=position)
        later.update(position=F("position") + 10000)
        meeting.agenda_items.filter(position__gte=10000).update(position=F("position") - 10000 + 1)
    return validated_save(AgendaItem(meeting=meeting, position=position, title=title, notes=notes, presenter=presenter))


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, data: dict[str, Any], actor: PortalUser | None) -> AgendaItem:
    """Title, notes and presenter; a ``position`` moves the item there (empty leaves it where it is)."""
    _require_editor(actor, item.meeting.task_force)
    _apply(item, {k: v for k, v in data.items() if k in ("title", "notes", "presenter")})
    validated_save(item)
    position = data.get("position")
    if position and position != item.position:
        agenda_item_move(item=item, offset=position - item.position, actor=actor)
    return item


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, item_ids: list[int], actor: PortalUser | None) -> list[AgendaItem]:
    """Give the meeting's agenda the order of ``item_ids`` (every item exactly once), numbered from 1."""
    _require_editor(actor, meeting.task_force)
    _lock_meeting(meeting)
    current = set(meeting.agenda_items.values_list("pk", flat=True))
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != current:
        raise ValidationError({"item_ids": _("List every agenda item of this meeting exactly once.")})
    # Two passes so no intermediate state breaks the unique (meeting, position).
    meeting.agenda_items.update(position=F("position") + 10000)
    for position, pk in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(position=position)
    return list(meeting.agenda_items.order_by("position"))


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int, actor: PortalUser | None) -> list[AgendaItem]:
    ids = list(item.meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    index = ids.index(item.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return agenda_reorder(meeting=item.meeting, item_ids=ids, actor=actor)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: PortalUser | None) -> None:
    meeting = item.meeting
    _require_editor(actor, meeting.task_force)
    protected_delete(item)
    remaining = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    agenda_reorder(meeting=meeting, item_ids=remaining, actor=actor)


# --- Attendance and decisions ------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    member: TaskForceMember,
    actor: PortalUser | None,
    presence: str = Attendance.Presence.PRESENT,
    attendee_name: str = "",
) -> Attendance:
    _require_editor(actor, meeting.task_force)
    row = Attendance.objects.filter(meeting=meeting, member=member).first() or Attendance(
        meeting=meeting, member=member
    )
    row.presence = presence
    row.attendee_name = attendee_name
    return validated_save(row)


@transaction.atomic
def attendance_set(*, meeting: Meeting, entries: dict[int, str], actor: PortalUser | None) -> list[Attendance]:
    """Replace the attendance list: ``entries`` maps member id → presence. Unknown members are refused."""
    _require_editor(actor, meeting.task_force)
    members = {m.pk: m for m in TaskForceMember.objects.filter(pk__in=entries.keys())}
    foreign = [pk for pk in entries if pk not in members or members[pk].task_force_id != meeting.task_force_id]
    if foreign:
        raise ValidationError({"member": _("Only members of this task force can be recorded as attending.")})
    Attendance.objects.filter(meeting=meeting).exclude(member_id__in=entries.keys()).delete()
    return [
        attendance_record(meeting=meeting, member=members[pk], presence=presence, actor=actor)
        for pk, presence in entries.items()
    ]


@transaction.atomic
def decision_create(
    *, meeting: Meeting, text: str, actor: PortalUser | None, thematic_areas: Iterable[ThematicArea] = ()
) -> Decision:
    _require_editor(actor, meeting.task_force)
    _lock_meeting(meeting)
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = validated_save(Decision(meeting=meeting, number=number, text=text))
    decision.thematic_areas.set(list(thematic_areas))
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, data: dict[str, Any], actor: PortalUser | None) -> Decision:
    _require_editor(actor, decision.meeting.task_force)
    areas = data.get("thematic_areas")
    if "text" in data:
        decision.text = data["text"]
    validated_save(decision)
    if areas is not None:
        decision.thematic_areas.set(list(areas))
    return decision


# --- Action items ------------------------------------------------------------------------------------------------

ACTION_FIELDS = (
    "what",
    "owner_structure",
    "owner",
    "due_date",
    "due_timezone",
    "decision",
    "project",
    "event",
    "meeting",
    "status",
)


def _close_date(action: ActionItem) -> None:
    if action.status == ActionItem.Status.OPEN:
        action.completed_on = None
    elif action.completed_on is None:
        action.completed_on = action.local_today()


@transaction.atomic
def action_item_create(
    *,
    task_force: TaskForce,
    what: str,
    owner_structure: ExecutiveStructure,
    due_date: date,
    actor: PortalUser | None,
    **fields: Any,
) -> ActionItem:
    _require_editor(actor, task_force)
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown action fields: {sorted(unknown)}")
    if not fields.get("due_timezone"):
        fields["due_timezone"] = structure_timezone(owner_structure)
    action = ActionItem(
        task_force=task_force,
        what=what,
        owner_structure=owner_structure,
        due_date=due_date,
        created_by=acting_user(actor),
        **fields,
    )
    _close_date(action)
    return validated_save(action)


@transaction.atomic
def action_item_update(
    *, action: ActionItem, data: dict[str, Any], actor: PortalUser | None, expected_version: int | None = None
) -> ActionItem:
    """``expected_version`` (the version the editor read) refuses a stale save with ``VersionConflict``."""
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    _require_action_updater(actor, locked)
    check_version(locked, expected_version)
    data = {k: v for k, v in data.items() if k in ACTION_FIELDS}
    structure_changed = "owner_structure" in data and data["owner_structure"].pk != locked.owner_structure_id
    _apply(locked, data)
    if structure_changed and "due_timezone" not in data:
        locked.due_timezone = structure_timezone(locked.owner_structure)
    _close_date(locked)
    validated_save(locked)
    if "due_date" in data:
        # A new deadline deserves fresh reminders.
        locked.reminders.all().delete()
    return locked


@transaction.atomic
def action_item_delete(*, action: ActionItem, actor: PortalUser | None) -> None:
    """Deleting is for the task force's editors, not for whoever may report progress."""
    _require_editor(actor, action.task_force)
    protected_delete(action)


@transaction.atomic
def action_progress_add(
    *, action: ActionItem, actor: PortalUser | None, text: str, status: str | None = None
) -> ActionProgressNote:
    _require_action_updater(actor, action)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what has been done.")})
    note = validated_save(ActionProgressNote(action=action, author=acting_user(actor), text=text))
    if status and status != action.status:
        action_item_update(action=action, data={"status": status}, actor=actor)
    return note


# --- Reminders ---------------------------------------------------------------------------------------------------


def _action_recipient(action: ActionItem) -> str:
    """The named owner, else the owner structure's representative on the task force."""
    owner = action.owner
    if owner is not None and owner.email and owner.is_active:
        return owner.email
    member = (
        TaskForceMember.objects.filter(task_force_id=action.task_force_id, structure_id=action.owner_structure_id)
        .select_related("representative", "focal_point")
        .first()
    )
    return member.representative_email if member else ""


def _reminder_message(action: ActionItem, stage: str) -> tuple[str, str]:
    url = settings.PORTAL_BASE_URL.rstrip("/") + action.get_absolute_url()
    context = {"what": action.what[:200], "due": action.due_date.isoformat(), "tf": action.task_force.name, "url": url}
    if stage == ActionReminder.Stage.OVERDUE:
        subject = _("Overdue task-force action: %(what)s") % {"what": action.what[:60]}
        body = (
            _(
                'The action "%(what)s" of the %(tf)s was due on %(due)s and is still open.\n'
                "Please record progress or close it: %(url)s"
            )
            % context
        )
    else:
        subject = _("Task-force action due on %(due)s") % {"due": action.due_date.isoformat()}
        body = _('The action "%(what)s" of the %(tf)s is due on %(due)s.\nRecord progress here: %(url)s') % context
    return subject, body


def action_reminder_send(*, action: ActionItem, stage: str) -> bool:
    """Send one stage's reminder unless it was already sent. The reminder row and the e-mail share one
    transaction: a failed send leaves no row, and a second worker blocks on the unique row and then skips."""
    recipient = _action_recipient(action)
    if not recipient:
        return False
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, stage=stage, recipient=recipient)
            subject, body = _reminder_message(action, stage)
            send_mail(subject, body, None, [recipient])
    except IntegrityError:
        return False
    return True


def action_reminders_send(
    *, now: datetime | None = None, days_before: int | None = None, batch_size: int = 500
) -> dict[str, int]:
    """Both stages for every due action, in primary-key batches so memory stays flat at any volume."""
    now = now or timezone.now()
    if days_before is None:
        days_before = settings.PORTAL_ACTION_REMINDER_DAYS
    sent = {ActionReminder.Stage.BEFORE_DUE: 0, ActionReminder.Stage.OVERDUE: 0}
    for stage in (ActionReminder.Stage.OVERDUE, ActionReminder.Stage.BEFORE_DUE):
        last_pk = 0
        while True:
            batch = list(
                selectors.actions_needing_reminder(stage=stage, days_before=days_before, now=now).filter(
                    pk__gt=last_pk
                )[:batch_size]
            )
            if not batch:
                break
            for action in batch:
                if action_reminder_send(action=action, stage=stage):
                    sent[stage] += 1
            last_pk = batch[-1].pk
    return {str(stage): count for stage, count in sent.items()}


# --- Meeting pack ------------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_pack_request(*, meeting: Meeting, actor: PortalUser | None) -> MeetingPack:
    """Queue a pack; while one is queued or running for the meeting, that one is returned instead."""
    if actor is not None and not can_see_task_force_internals(user=actor, task_force=meeting.task_force):
        raise PermissionDenied
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = meeting.packs.filter(status__in=[MeetingPack.Status.QUEUED, MeetingPack.Status.RUNNING]).first()
    if pending is not None:
        # Asking again for a pack that is stuck (its message lost, its worker dead) sends it again; the claim
        # keeps the build single.
        if MeetingPack.requeue(pending.pk):
            enqueue_on_commit(_tasks().build_meeting_pack, pending.pk)
        return pending
    pack = validated_save(MeetingPack(meeting=meeting, requested_by=acting_user(actor)))
    enqueue_on_commit(_tasks().build_meeting_pack, pack.pk)
    return pack


def meeting_pack_build(*, pack_id: int) -> bool:
    """Build the PDF of a queued pack. Returns False when another worker already claimed it."""
    if not MeetingPack.claim(pack_id):
        return False
    from programmes.documents import render_pdf
    from taskforces.pack import meeting_pack_context

    try:
        pack = MeetingPack.objects.select_related("meeting__task_force", "requested_by").get(pk=pack_id)
        context = meeting_pack_context(
            meeting=pack.meeting,
            user=pack.requested_by,
            progress=lambda percent, message: MeetingPack.report_progress(pack_id, percent, message),
        )
        MeetingPack.report_progress(pack_id, 80, _("Rendering the PDF"))
        pdf = render_pdf("taskforces/pdf/meeting_pack.html", context)
        name = f"meeting-pack-{pack.meeting.task_force.slug}-{pack.meeting.local_start:%Y-%m-%d}-{pack.pk}.pdf"
        with transaction.atomic():
            pack.pdf.save(name, ContentFile(pdf), save=False)
            MeetingPack.objects.filter(pk=pack_id, status=MeetingPack.Status.RUNNING).update(
                pdf=pack.pdf.name,
                status=MeetingPack.Status.DONE,
                progress=100,
                progress_message=_("Ready"),
                finished_at=timezone.now(),
            )
    except Exception as exc:
        logger.exception("meeting pack %s failed", pack_id)
        MeetingPack.mark_failed(pack_id, f"{type(exc).__name__}: {exc}")
        return False
    return True


@transaction.atomic
def meeting_pack_retry(*, pack: MeetingPack) -> bool:
    if not MeetingPack.requeue(pack.pk):
        return False
    enqueue_on_commit(_tasks().build_meeting_pack, pack.pk)
    return True


# --- Monthly calendar bundle to the TNT task force ---------------------------------------------------------------


@transaction.atomic
def calendar_bundle_queue(*, bundle: CalendarBundle) -> list[CalendarBundleMailing]:
    """Record one mailing per receiving task force for this bundle and queue those not yet sent; a repeated
    signal for a bundle already e-mailed queues nothing."""
    queued = []
    for task_force in TaskForce.objects.filter(active=True, receives_calendar_bundle=True):
        mailing, _created = CalendarBundleMailing.objects.get_or_create(bundle=bundle, task_force=task_force)
        # A mailing still pending (its task was lost) is queued again; the claim in the task stops doubles.
        if mailing.status == CalendarBundleMailing.Status.PENDING:
            queued.append(mailing)
    for mailing in queued:
        enqueue_on_commit(_tasks().send_calendar_bundle, mailing.pk)
    return queued


def _bundle_attachments(bundle: CalendarBundle) -> list[tuple[str, bytes]]:
    files = []
    for field in bundle._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(bundle, field.name)
            if value:
                with value.open("rb") as handle:
                    files.append((value.name.rsplit("/", 1)[-1], handle.read()))
    return files


def calendar_bundle_send(*, mailing_id: int) -> bool:
    """E-mail the bundle's files to the member representatives; claimed by a conditional update so it goes once."""
    claimed = CalendarBundleMailing.objects.filter(pk=mailing_id, status=CalendarBundleMailing.Status.PENDING).update(
        status=CalendarBundleMailing.Status.SENDING
    )
    if claimed != 1:
        return False
    mailing = CalendarBundleMailing.objects.select_related("task_force", "bundle").get(pk=mailing_id)
    try:
        bundle = mailing.bundle
        recipients = selectors.calendar_recipients(task_force=mailing.task_force)
        if recipients:
            message = EmailMessage(
                subject=_("Joint calendar of events: %(name)s") % {"name": str(bundle)},
                body=_(
                    "Attached is the joint calendar of events for the %(tf)s: PDF, spreadsheet and iCalendar.\n"
                    "The calendar is also on the portal: %(url)s"
                )
                % {
                    "tf": mailing.task_force.name,
                    "url": settings.PORTAL_BASE_URL.rstrip("/")
                    + reverse("taskforces:taskforce_detail", args=[mailing.task_force.slug]),
                },
                to=[settings.DEFAULT_FROM_EMAIL],
                bcc=recipients,
            )
            for name, content in _bundle_attachments(bundle):
                message.attach(name, content)
            message.send()
    except Exception as exc:
        logger.exception("calendar bundle mailing %s failed", mailing_id)
        CalendarBundleMailing.objects.filter(pk=mailing_id).update(
            status=CalendarBundleMailing.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000]
        )
        return False
    CalendarBundleMailing.objects.filter(pk=mailing_id).update(
        status=CalendarBundleMailing.Status.SENT, sent_at=timezone.now(), recipients="\n".join(recipients)
    )
    return True


def default_due_date(*, meeting: Meeting | None = None, weeks: int = 4) -> date:
    base = meeting.local_start.date() if meeting is not None else timezone.localdate()
    return base + timedelta(weeks=weeks)
