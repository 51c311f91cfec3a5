"""Task forces: who sits on them, when they meet, what they decide and who has to do what by when."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.documents import DocumentJob
from programmes.events.models import EARLIEST_YEAR, LATEST_YEAR, year_out_of_range
from programmes.versioning import Versioned

# Deadlines are calendar dates: an action is overdue once its due date has passed where its owner works.
# Structures have no time-zone column in the core, so it is derived here from the host State (field operations)
# and otherwise defaults to Vienna, where the Secretariat sits.
DEFAULT_TIMEZONE = "Europe/Vienna"
ZONE_BY_STATE_ISO = {
    "AL": "Europe/Tirane",
    "AM": "Asia/Yerevan",
    "AT": "Europe/Vienna",
    "AZ": "Asia/Baku",
    "BA": "Europe/Sarajevo",
    "BY": "Europe/Minsk",
    "KG": "Asia/Bishkek",
    "KZ": "Asia/Almaty",
    "MD": "Europe/Chisinau",
    "ME": "Europe/Podgorica",
    "MK": "Europe/Skopje",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "RS": "Europe/Belgrade",
    "TJ": "Asia/Dushanbe",
    "TM": "Asia/Ashgabat",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}
# Structures without a host State in the core data but based outside Vienna.
ZONE_BY_ACRONYM = {"OMiK": "Europe/Belgrade", "ODIHR": "Europe/Warsaw", "HCNM": "Europe/Amsterdam"}
DUE_TIMEZONES = sorted({DEFAULT_TIMEZONE, *ZONE_BY_STATE_ISO.values(), *ZONE_BY_ACRONYM.values()})
DUE_TIMEZONE_CHOICES = [(zone, zone) for zone in DUE_TIMEZONES]


def structure_timezone(structure) -> str:
    """The IANA zone a structure works in (see the module comment)."""
    if structure is None:
        return DEFAULT_TIMEZONE
    if structure.acronym in ZONE_BY_ACRONYM:
        return ZONE_BY_ACRONYM[structure.acronym]
    host = getattr(structure, "host_state", None)
    if host is not None and host.iso_code in ZONE_BY_STATE_ISO:
        return ZONE_BY_STATE_ISO[host.iso_code]
    return DEFAULT_TIMEZONE


def validate_timezone_name(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("Unknown time zone %(zone)s; use an IANA name such as Europe/Vienna."),
            params={"zone": value},
            code="invalid_timezone",
        )


# Page names under /task-forces/ that a task force's slug would shadow.
RESERVED_SLUGS = frozenset({"new", "meetings", "actions", "packs"})


class TaskForce(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        AS_NEEDED = "as_needed", _("When needed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("terms of reference"), blank=True)
    mandate = models.ForeignKey(
        "programmes.Mandate",
        verbose_name=_("mandate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_forces",
    )
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea",
        verbose_name=_("thematic areas"),
        blank=True,
        related_name="task_forces",
        help_text=_("Used for the calendar entries of its meetings."),
    )
    chair_structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_task_forces",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_forces_as_secretary",
    )
    meeting_frequency = models.CharField(
        _("meeting frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    active = models.BooleanField(_("active"), default=True, db_index=True)
    publishes_to_delegations = models.BooleanField(
        _("published to delegations"),
        default=False,
        help_text=_("Delegations may read this task force, its published meetings and their decisions."),
    )
    receives_calendar_bundle = models.BooleanField(
        _("receives the calendar bundle"),
        default=False,
        help_text=_("Member representatives receive the monthly joint-calendar bundle by e-mail."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("taskforces:taskforce_detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is reserved for a page; choose another.")})


class TaskForceMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CONTACT_POINT = "contact_point", _("Central contact point")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.CASCADE, related_name="members"
    )
    structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="task_force_memberships",
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative (user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_representations",
    )
    focal_point = models.ForeignKey(
        "focal_points.FocalPoint",
        verbose_name=_("representative (focal point)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        ordering = ["task_force", "structure__kind", "structure__name"]
        verbose_name = _("task-force member")
        verbose_name_plural = _("task-force members")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "structure"],
                name="taskforce_member_unique_structure",
                violation_error_message=_("This structure is already a member of the task force."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure.acronym} ({self.task_force.acronym})"

    def clean(self):
        super().clean()
        if self.focal_point is not None and self.focal_point.structure_id not in (None, self.structure_id):
            raise ValidationError({"focal_point": _("The focal point works for another structure.")})

    @property
    def representative_name(self) -> str:
        if self.representative is not None:
            return self.representative.get_full_name() or self.representative.username
        if self.focal_point is not None:
            return self.focal_point.full_name
        return ""

    @property
    def representative_email(self) -> str:
        if self.representative is not None and self.representative.email:
            return self.representative.email
        if self.focal_point is not None:
            return self.focal_point.email
        return ""


class Meeting(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), help_text=_("Stored in UTC; shown in the meeting's time zone."))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIMEZONE,
        validators=[validate_timezone_name],
        help_text=_("IANA name, e.g. Europe/Vienna"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    minutes_markdown = models.TextField(_("minutes (Markdown)"), blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        db_index=True,
        help_text=_("Approved minutes and decisions that delegations may read (if the task force publishes)."),
    )
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("calendar entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taskforce_meeting",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["task_force", "starts_at"], name="meeting_taskforce_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(place=""),
                name="meeting_place_or_online",
                violation_error_message=_("Give a place or mark the meeting as online."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="meeting_duration_positive",
                violation_error_message=_("A meeting lasts at least one minute."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.task_force.acronym} {self.local_start:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("taskforces:meeting_detail", args=[self.pk])

    def clean(self):
        super().clean()
        # The calendar entry refuses such years too; checked here so the error names this form's field.
        if year_out_of_range(self.starts_at):
            raise ValidationError(
                {
                    "starts_at": _("Give a date between the years %(first)s and %(last)s.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
                }
            )

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ValueError, KeyError):
            return ZoneInfo(DEFAULT_TIMEZONE)

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime:
        return self.local_start + timedelta(minutes=self.duration_minutes)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    presenter = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("introduced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_unique_position",
                violation_error_message=_("Another agenda item already has this position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Joined remotely")
        APOLOGIES = "apologies", _("Apologies")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        TaskForceMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendance"
    )
    presence = models.CharField(_("presence"), max_length=16, choices=Presence.choices, default=Presence.PRESENT)
    attendee_name = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        ordering = ["member__structure__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_unique_member",
                violation_error_message=_("This member's attendance is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting_id}"

    def clean(self):
        super().clean()
        if self.meeting_id and self.member_id and self.member.task_force_id != self.meeting.task_force_id:
            raise ValidationError({"member": _("Only members of this task force can be recorded as attending.")})


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea", verbose_name=_("thematic areas"), blank=True, related_name="task_force_decisions"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="decision_unique_number",
                violation_error_message=_("This meeting already has a decision with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class ActionItem(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("raised at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_raised",
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_actions",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_actions",
    )
    what = models.TextField(_("what"))
    owner_structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("owner structure"),
        on_delete=models.PROTECT,
        related_name="task_force_actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_actions",
    )
    due_date = models.DateField(_("due date"))
    due_timezone = models.CharField(
        _("deadline time zone"),
        max_length=64,
        choices=DUE_TIMEZONE_CHOICES,
        default=DEFAULT_TIMEZONE,
        help_text=_("The due date ends at midnight in this zone; set from the owner structure."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["due_date"], name="action_due_date"),
            models.Index(fields=["task_force", "status", "due_date"], name="action_taskforce_status_due"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            models.Index(fields=["owner_structure", "status"], name="action_owner_structure_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_on__isnull=False),
                name="action_closed_has_date",
                violation_error_message=_("A done or dropped action needs the date it was closed."),
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    def get_absolute_url(self) -> str:
        return reverse("taskforces:action_detail", args=[self.pk])

    def local_today(self, now: datetime | None = None):
        return timezone.localtime(now or timezone.now(), ZoneInfo(self.due_timezone)).date()

    def clean(self):
        super().clean()
        errors: dict[str, object] = {}
        if self.meeting_id and self.task_force_id:
            meeting = self.meeting
            if meeting is not None and meeting.task_force_id != self.task_force_id:
                errors["meeting"] = _("The meeting belongs to another task force.")
        decision = self.decision if self.decision_id and (self.meeting_id or self.task_force_id) else None
        if decision is not None and self.meeting_id and decision.meeting_id != self.meeting_id:
            errors["decision"] = _("The decision was taken at another meeting.")
        elif decision is not None and self.task_force_id and decision.meeting.task_force_id != self.task_force_id:
            errors["decision"] = _("The decision belongs to another task force.")
        if errors:
            raise ValidationError(errors)


class ActionProgressNote(models.Model):
    action = models.ForeignKey(
        ActionItem, verbose_name=_("action"), on_delete=models.CASCADE, related_name="progress_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:80]


class ActionReminder(models.Model):
    """One row per action and stage: its existence is what stops a stage being e-mailed twice."""

    class Stage(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        OVERDUE = "overdue", _("Overdue")

    action = models.ForeignKey(ActionItem, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    recipient = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "stage"],
                name="action_reminder_once_per_stage",
                violation_error_message=_("This reminder has already been sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.stage}"


def meeting_pack_upload_to(instance, filename: str) -> str:
    # A random folder: packs are served only through the permission-checked download view, and the path of an
    # unpublished meeting's pack must not be guessable from its date.
    return f"taskforces/meeting-packs/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}/{filename}"


class MeetingPack(DocumentJob):
    task_name = "taskforces.tasks.build_meeting_pack"

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="packs")
    pdf = models.FileField(_("PDF"), upload_to=meeting_pack_upload_to, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting pack")
        verbose_name_plural = _("meeting packs")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("taskforces:pack_detail", args=[self.pk])


class CalendarBundleMailing(models.Model):
    """Records that a calendar bundle was (or is being) e-mailed to a task force, so it goes out once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    bundle = models.ForeignKey(
        "events.CalendarBundle",
        verbose_name=_("calendar bundle"),
        on_delete=models.CASCADE,
        related_name="task_force_mailings",
    )
    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.CASCADE, related_name="calendar_mailings"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    recipients = models.TextField(_("recipients"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar bundle mailing")
        verbose_name_plural = _("calendar bundle mailings")
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "task_force"],
                name="calendar_mailing_once_per_bundle",
                violation_error_message=_("This bundle has already been sent to this task force."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bundle} → {self.task_force.acronym}"
