"""Events on the joint calendar."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["Event"]


class Event(models.Model):
    class Format(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        WORKSHOP = "workshop", _("Workshop")
        SEMINAR = "seminar", _("Seminar")
        TRAINING = "training", _("Training course")
        EXPERT_MEETING = "expert_meeting", _("Expert meeting")
        FIELD_EXERCISE = "field_exercise", _("Field exercise")
        DEPLOYMENT = "deployment", _("Deployment")
        TASKFORCE_MEETING = "taskforce_meeting", _("Task-force meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        PUBLIC = "public", _("Public")

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=24, choices=Format.choices, db_index=True)
    lead_structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("lead structure"),
        on_delete=models.PROTECT,
        related_name="led_events",
    )
    co_organisers = models.ManyToManyField(
        "programmes.ExecutiveStructure", verbose_name=_("co-organisers"), blank=True, related_name="co_organised_events"
    )
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea", verbose_name=_("thematic areas"), related_name="events"
    )
    state = models.ForeignKey(
        "programmes.ParticipatingState",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    online = models.BooleanField(_("online"), default=False)
    all_day = models.BooleanField(_("all day"), default=True)
    # Whole-day events use start_date/end_date (end inclusive). Timed events also keep their UTC instants in
    # start_at/end_at and their local dates in start_date/end_date, so one indexed date window serves both.
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    start_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    end_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, help_text=_("IANA name, e.g. Asia/Dushanbe"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL, db_index=True
    )
    partner_organisations = models.ManyToManyField(
        "programmes.PartnerOrganisation", verbose_name=_("partner organisations"), blank=True, related_name="events"
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"), null=True, blank=True)
    project = models.ForeignKey(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    sequence = models.PositiveIntegerField(_("revision"), default=0, help_text=_("iCalendar SEQUENCE"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start_date", "start_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="event_dates"),
            models.Index(fields=["end_date"], name="event_end_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(all_day=True) | (Q(start_at__isnull=False) & Q(end_at__isnull=False) & ~Q(timezone="")),
                name="event_timed_has_times_and_zone",
                violation_error_message=_("A timed event needs a start, an end and a time zone."),
            ),
            models.CheckConstraint(
                condition=Q(start_at__isnull=True) | Q(end_at__isnull=True) | Q(end_at__gt=F("start_at")),
                name="event_end_after_start_time",
                violation_error_message=_("The event must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])
