"""Activity reports from structures to the central point (issue: activity reporting).

A structure with a ``ReportingObligation`` owes one ``ActivityReport`` per period (a month or a calendar quarter).
A report moves draft → submitted → returned → submitted → accepted; every move is kept as a ``ReportTransition``.
Its ``ReportedActivity`` items are what delegations and aggregate reports read once the report is accepted.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.versioning import Versioned

if TYPE_CHECKING:
    from programmes.events.models import Event
    from programmes.models import Project

__all__ = [
    "PARTICIPANTS_TOTAL",
    "ActivityReport",
    "ActivityType",
    "ReportAttachment",
    "ReportNotice",
    "ReportTransition",
    "ReportedActivity",
    "ReportingFrequency",
    "ReportingObligation",
]

DEFAULT_DEADLINE_DAYS = 30

# The total is derived, never stored: aggregate with Sum(PARTICIPANTS_TOTAL) or annotate with it.
PARTICIPANTS_TOTAL = F("participants_women") + F("participants_men") + F("participants_unrecorded")


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_containing(day: date, frequency: str) -> tuple[date, date]:
    """The calendar month or quarter that contains ``day``."""
    if frequency == ReportingFrequency.MONTHLY:
        return day.replace(day=1), month_end(day)
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return start, month_end(date(day.year, first_month + 2, 1))


def periods_between(first: date, last: date, frequency: str) -> list[tuple[date, date]]:
    """Every period of ``frequency`` that starts on or after ``first``'s period and on or before ``last``."""
    periods = []
    start, end = period_containing(first, frequency)
    while start <= last:
        periods.append((start, end))
        start, end = period_containing(end + timedelta(days=1), frequency)
    return periods


def period_frequency(start: date, end: date) -> str | None:
    """Which frequency the period (start, end) is a whole period of, or None if it is neither."""
    for frequency in (ReportingFrequency.MONTHLY, ReportingFrequency.QUARTERLY):
        if period_containing(start, frequency) == (start, end):
            return frequency
    return None


class ActivityType(models.TextChoices):
    AWARENESS = "awareness", _("Raising awareness")
    LEGAL_ASSISTANCE = "legal_assistance", _("Legal and institutional assistance")
    TRAINING = "training", _("Training and capacity building")
    NETWORKING = "networking", _("Co-operation and networking")
    EQUIPMENT = "equipment", _("Provision of equipment")


class ReportingObligation(models.Model):
    """What a structure owes the central point: how often it reports and how long after the period it may take."""

    structure = models.OneToOneField(
        "programmes.ExecutiveStructure",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="reporting_obligation",
    )
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=ReportingFrequency.choices, default=ReportingFrequency.QUARTERLY
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (days after the period)"),
        default=DEFAULT_DEADLINE_DAYS,
        help_text=_("The report is due this many days after the period ends."),
    )
    starts_on = models.DateField(
        _("reporting since"), default=date(2009, 1, 1), help_text=_("Periods before this date are not owed.")
    )
    active = models.BooleanField(_("active"), default=True, db_index=True)

    class Meta:
        db_table = "programmes_reportingobligation"  # the table kept its name when the model moved out of programmes
        ordering = ["structure__acronym"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days__lte=365),
                name="obligation_deadline_within_a_year",
                violation_error_message=_("The deadline must be at most 365 days after the period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure.acronym}: {self.get_frequency_display()}, +{self.deadline_days} d"

    def due_on(self, period_end: date) -> date:
        return period_end + timedelta(days=self.deadline_days)


class ActivityReport(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    # The only moves a report may make; services refuse anything else.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.RETURNED, Status.ACCEPTED}),
        Status.RETURNED: frozenset({Status.SUBMITTED}),
        Status.ACCEPTED: frozenset(),
    }
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="activity_reports",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"), help_text=_("Fixed from the obligation when the report is opened."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Overall remarks; say here if there was no activity in the period.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Compliance counts the first submission: a report returned for corrections was still delivered on that day.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        db_table = "programmes_activityreport"  # the table kept its name when the model moved out of programmes
        ordering = ["-period_start", "structure__acronym"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="activity_report_status"),
            models.Index(fields=["period_start", "period_end"], name="activity_report_period"),
            models.Index(fields=["status", "due_on"], name="activity_report_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "period_start"],
                name="activity_report_one_per_structure_period",
                violation_error_message=_("This structure already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="activity_report_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="activity_report_submitted_has_date",
                violation_error_message=_("A report that left the draft stage needs a submission date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure.acronym} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("activity:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if period_frequency(self.period_start, self.period_end) == ReportingFrequency.QUARTERLY:
            return f"Q{(self.period_start.month - 1) // 3 + 1} {self.period_start.year}"
        if period_frequency(self.period_start, self.period_end) == ReportingFrequency.MONTHLY:
            return self.period_start.strftime("%Y-%m")
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_late(self) -> bool:
        """Still with the structure (draft or returned) after its due date."""
        return self.is_editable and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def was_submitted_late(self) -> bool:
        first = self.first_submitted_at
        return first is not None and self.due_on is not None and timezone.localdate(first) > self.due_on

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end >= self.period_start:
            whole = period_frequency(self.period_start, self.period_end)
            if whole is None:
                raise ValidationError({"period_end": _("A reporting period is a whole calendar month or quarter.")})
            obligation = getattr(self.structure, "reporting_obligation", None) if self.structure_id else None
            if obligation is not None and whole != obligation.frequency:
                raise ValidationError(
                    {
                        "period_end": _("This structure reports %(frequency)s; choose a whole %(unit)s.")
                        % {
                            "frequency": obligation.get_frequency_display().lower(),
                            "unit": _("month") if obligation.frequency == ReportingFrequency.MONTHLY else _("quarter"),
                        }
                    }
                )


class ReportedActivityQuerySet(models.QuerySet):
    def with_participants_sum(self):
        """Annotates ``participants_sum`` (the property ``participants_total`` cannot be overwritten)."""
        return self.annotate(participants_sum=PARTICIPANTS_TOTAL)


class ReportedActivity(models.Model):
    report = models.ForeignKey(ActivityReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    activity_type = models.CharField(_("activity type"), max_length=24, choices=ActivityType.choices, db_index=True)
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea", verbose_name=_("thematic areas"), related_name="reported_activities"
    )
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_activities",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("calendar event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_activities",
    )
    state = models.ForeignKey(
        "programmes.ParticipatingState",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_activities",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    online = models.BooleanField(_("online"), default=False)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    participants_women = models.PositiveIntegerField(_("women"), default=0)
    participants_men = models.PositiveIntegerField(_("men"), default=0)
    participants_unrecorded = models.PositiveIntegerField(
        _("sex not recorded"), default=0, help_text=_("Participants whose sex was not recorded.")
    )
    partner_organisations = models.ManyToManyField(
        "programmes.PartnerOrganisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="reported_activities",
    )
    results = models.TextField(_("results"), help_text=_("What the activity achieved, in your own words."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ReportedActivityQuerySet.as_manager()

    # Not fields: what the reader may see of the links, set by ``selectors.report_items``.
    shown_event: Event | None
    shown_project: Project | None

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        db_table = "programmes_reportedactivity"  # the table kept its name when the model moved out of programmes
        ordering = ["report", "position", "start", "pk"]
        verbose_name = _("reported activity")
        verbose_name_plural = _("reported activities")
        indexes = [models.Index(fields=["start", "end"], name="reported_activity_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="reported_activity_end_not_before_start",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(participants_women__gte=0) & Q(participants_men__gte=0) & Q(participants_unrecorded__gte=0),
                name="reported_activity_participants_not_negative",
                violation_error_message=_("Participant numbers cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(online=True) | Q(state__isnull=False),
                name="reported_activity_place_or_online",
                violation_error_message=_("Give the State where the activity took place, or mark it as online."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return (self.participants_women or 0) + (self.participants_men or 0) + (self.participants_unrecorded or 0)

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if not self.online and self.state_id is None:
            errors.setdefault("state", []).append(
                _("Give the State where the activity took place, or mark it as online.")
            )
        if self.start and self.end and self.end < self.start:
            errors.setdefault("end", []).append(_("The activity cannot end before it starts."))
        report = self.report if self.report_id else None
        if report is not None and report.period_start and report.period_end:
            outside = _("Must be within the reporting period %(start)s – %(end)s.") % {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
            }
            if self.start and not report.period_start <= self.start <= report.period_end:
                errors.setdefault("start", []).append(outside)
            if self.end and not report.period_start <= self.end <= report.period_end:
                errors.setdefault("end", []).append(outside)
        if errors:
            raise ValidationError(errors)


def attachment_upload_to(instance: ReportAttachment, filename: str) -> str:
    # The stored name is ours; the user's name is kept in original_name, so nothing user-typed reaches the path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    # A random token rather than the checksum: a path must not be derivable from the file's content.
    return f"activity-reports/{instance.report_id}/{secrets.token_urlsafe(16)}.{suffix}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ActivityReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Delegations may read it once the report is accepted.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        db_table = "programmes_reportattachment"  # the table kept its name when the model moved out of programmes
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("activity:attachment_download", args=[self.report_id, self.pk])


class ReportTransition(models.Model):
    """One move of a report between statuses: who, when and why."""

    report = models.ForeignKey(
        ActivityReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ActivityReport.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ActivityReport.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        db_table = "programmes_reporttransition"  # the table kept its name when the model moved out of programmes
        ordering = ["report", "at", "pk"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        indexes = [models.Index(fields=["report", "at"], name="activity_transition_report_at")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status or '–'} → {self.to_status}"


class ReportNotice(models.Model):
    """A reminder or overdue notice sent for a report. The unique pair makes 'once per report and stage' a fact
    the database enforces, so a re-run or a duplicate task delivery sends nothing twice."""

    class Stage(models.TextChoices):
        REMINDER = "reminder", _("Reminder before the deadline")
        OVERDUE = "overdue", _("Overdue notice")

    report = models.ForeignKey(
        ActivityReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notices"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        db_table = "programmes_reportnotice"  # the table kept its name when the model moved out of programmes
        ordering = ["report", "sent_at"]
        verbose_name = _("report notice")
        verbose_name_plural = _("report notices")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "stage"],
                name="activity_notice_once_per_stage",
                violation_error_message=_("This notice was already sent for the report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.stage}"
