"""Events on the joint calendar."""

import functools
import secrets
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.documents import DocumentJob
from programmes.versioning import Versioned

__all__ = ["CalendarBundle", "CalendarFeedToken", "CoordinationAlert", "Event", "EventOutcome", "TrainingCentre"]


# Days outside these years are typing slips (0201 for 2010, 9999 for "open-ended"): the day arithmetic of the month
# grid, the duplicate window and the feeds' exclusive DTEND would overflow on them and break every page that lists
# the event, the public feed included.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def year_out_of_range(value) -> bool:
    return value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR


@functools.cache
def iana_timezones() -> frozenset[str]:
    # Reading the tz database walks the file system; the list only changes with a tzdata upgrade (a restart).
    return frozenset(available_timezones())


class TrainingCentre(models.Model):
    """A place where courses run (the directory pages live in the knowledge app); events name the centre they use."""

    class Kind(models.TextChoices):
        OSCE = "osce", _("OSCE facility")
        NATIONAL = "national", _("National institution")
        INTERNATIONAL = "international", _("International or partner institution")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    city = models.CharField(_("city"), max_length=120)
    state = models.ForeignKey(
        "programmes.ParticipatingState",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        related_name="training_centres",
    )
    host = models.CharField(_("host"), max_length=200, blank=True, help_text=_("The institution that runs it."))
    osce_structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("OSCE structure involved"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_centres",
    )
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea", verbose_name=_("thematic areas"), blank=True, related_name="training_centres"
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training centre")
        verbose_name_plural = _("training centres")

    def __str__(self) -> str:
        return self.acronym or self.name


def in_time_zone(moment: datetime | None, zone: str) -> datetime | None:
    """``moment`` in the time zone named ``zone``; as it is when either is empty (an all-day event has neither)."""
    return moment.astimezone(ZoneInfo(zone)) if moment and zone else moment


class Event(Versioned):
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
        POSTPONED = "postponed", _("Postponed")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        PUBLIC = "public", _("Public")

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    # The title as the duplicate check compares it: PostgreSQL's lexemes (english or russian configuration, chosen by
    # the title's script) with glossary terms replaced by their concept, space-separated (text_search.TitleTerms).
    # Kept by the event services; NULL until filled, and the check computes it on the fly meanwhile.
    title_terms = models.TextField(_("title terms"), null=True, blank=True, editable=False)
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
    training_centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
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

    # Who changed what and when (django-simple-history); shown on the object's page. The derived title terms are
    # not history.
    history = HistoricalRecords(excluded_fields=["title_terms"])

    class Meta:
        db_table = "programmes_event"  # the table kept its name when the model moved out of programmes
        ordering = ["start_date", "start_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="event_dates"),
            models.Index(fields=["end_date"], name="event_end_date"),
            # "A State's events in a period" (the API list's COUNT, issue 14): an index-only scan of the State's
            # events ending after the period starts, 7.5 ms -> 0.55 ms at N=1 (SQLite gets it without INCLUDE).
            models.Index(fields=["state", "end_date"], include=["start_date"], name="event_state_period"),
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

    # The check constraints above that clean() also checks, with its message at the field concerned. full_clean()
    # leaves them to clean(): Django validates a check constraint by asking the database (a savepoint, a query, a
    # release each: 9 of an event create's 33 queries), and the database still enforces them on every write.
    # tests/programmes/events/test_models.py proves clean() refuses every row these constraints refuse.
    CONSTRAINTS_CHECKED_BY_CLEAN = frozenset(
        {"event_end_not_before_start", "event_timed_has_times_and_zone", "event_end_after_start_time"}
    )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    def get_constraints(self):
        # Read by validate_constraints() only.
        return [
            (model, [c for c in constraints if c.name not in self.CONSTRAINTS_CHECKED_BY_CLEAN])
            for model, constraints in super().get_constraints()
        ]

    def clean(self):
        super().clean()
        errors: dict[str, object] = {}
        if self.timezone and self.timezone not in iana_timezones():
            errors["timezone"] = _("Choose a time zone from the IANA list, e.g. Europe/Vienna.")
        for name in ("start_date", "end_date"):
            if year_out_of_range(getattr(self, name)):
                errors[name] = _("Give a date between the years %(first)s and %(last)s.") % {
                    "first": EARLIEST_YEAR,
                    "last": LATEST_YEAR,
                }
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if not self.all_day:
            if not self.timezone:
                errors.setdefault("timezone", _("A timed event needs a time zone."))
            if self.start_at is None:
                errors["start_at"] = _("A timed event needs a start time.")
            if self.end_at is None:
                errors["end_at"] = _("A timed event needs an end time.")
        if self.start_at is not None and self.end_at is not None and self.end_at <= self.start_at:
            errors["end_at"] = _("The event must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def tzinfo(self):
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def local_start(self):
        """The start in the event's own time zone (timed events only)."""
        return in_time_zone(self.start_at, self.timezone)

    @property
    def local_end(self):
        return in_time_zone(self.end_at, self.timezone)

    @property
    def region(self) -> str:
        """Where the event happens for co-ordination purposes: its State's region, else its lead's."""
        if self.state is not None:
            return self.state.region
        return self.lead_structure.region

    @property
    def place(self) -> str:
        if self.online:
            return str(_("Online"))
        return ", ".join(str(p) for p in (self.city, self.state) if p)


class EventOutcome(models.Model):
    """What happened, recorded by the lead structure once the last day has passed. Until then a past event is
    "awaiting an outcome", not planned, and only a held outcome counts the event as held."""

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    event = models.OneToOneField(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="outcome")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    participants_women = models.PositiveIntegerField(_("women taking part"), null=True, blank=True)
    participants_men = models.PositiveIntegerField(_("men taking part"), null=True, blank=True)
    participants_afghan = models.PositiveIntegerField(
        _("Afghan participants"),
        null=True,
        blank=True,
        help_text=_("Where relevant: how many of the participants came from Afghanistan."),
    )
    results = models.TextField(_("results"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # An outcome changes what dashboards count as held: who recorded or corrected it is kept.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event outcome")
        verbose_name_plural = _("event outcomes")

    def __str__(self) -> str:
        return f"{self.event}: {self.get_outcome_display()}"

    @property
    def participants_total(self) -> int | None:
        if self.participants_women is None and self.participants_men is None:
            return None
        return (self.participants_women or 0) + (self.participants_men or 0)

    def clean(self):
        errors = {}
        total = self.participants_total
        if self.outcome != self.Outcome.HELD and (total or self.participants_afghan):
            errors["outcome"] = _("Only an event that was held has participants.")
        if self.participants_afghan and total is not None and self.participants_afghan > total:
            errors["participants_afghan"] = _("There cannot be more Afghan participants than participants.")
        if errors:
            raise ValidationError(errors)


class CoordinationAlert(models.Model):
    """A likely duplicate: two events of different structures on the same theme, place and dates.

    The pair is stored in canonical order (lower id first) so each pair has exactly one row, and a resolved row keeps
    its status on every re-scan: that is what stops a pair from alerting again."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COORDINATED = "coordinated", _("Co-ordinated")
        NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")

    class Kind(models.TextChoices):
        OVERLAP = "overlap", _("Overlap between structures")
        DOUBLE_ENTRY = "double_entry", _("Possible double entry")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OVERLAP, db_index=True)
    event_a = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    event_b = models.ForeignKey(Event, verbose_name=_("possible duplicate"), on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"), help_text=_("0 = unrelated, 1 = certainly the same activity."))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("detected"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "programmes_coordinationalert"  # the table kept its name when the model moved out of programmes
        ordering = ["-score", "pk"]
        verbose_name = _("co-ordination alert")
        verbose_name_plural = _("co-ordination alerts")
        indexes = [
            models.Index(fields=["status", "-score"], name="alert_status_score"),
            models.Index(fields=["event_b", "status"], name="alert_event_b_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event_a", "event_b"],
                name="alert_unique_pair",
                violation_error_message=_("This pair of events already has an alert."),
            ),
            models.CheckConstraint(
                condition=Q(event_a__lt=F("event_b")),
                name="alert_pair_canonical_order",
                violation_error_message=_("An alert pairs two different events, the lower id first."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1),
                name="alert_score_between_0_and_1",
                violation_error_message=_("The score must be between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False),
                name="alert_resolved_has_time",
                violation_error_message=_("A resolved alert records when it was resolved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_a_id} ↔ {self.event_b_id} ({self.score:.2f})"


class CalendarFeedToken(models.Model):
    """A personal feed URL. Only a SHA-256 of the secret is stored: the URL is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("hint"), max_length=8, blank=True, help_text=_("First characters, to tell URLs apart."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        db_table = "programmes_calendarfeedtoken"  # the table kept its name when the model moved out of programmes
        ordering = ["-created_at"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="feedtoken_user_revoked")]

    def __str__(self) -> str:
        return f"{self.user} · {self.hint}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def _bundle_path(instance, filename: str) -> str:
    # A random folder: files are served only through the permission-checked download view, and a stored path
    # must not be guessable from the bundle's month and id.
    return f"calendar-bundles/{instance.period_start:%Y-%m}/{secrets.token_urlsafe(16)}/{filename}"


class CalendarBundle(DocumentJob):
    """The monthly calendar pack: three months of events by thematic area plus open alerts, as PDF, XLSX and ICS."""

    task_name = "programmes.events.tasks.build_calendar_bundle"

    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    scheduled = models.BooleanField(
        _("scheduled"), default=False, help_text=_("Built by the monthly schedule rather than on request.")
    )
    pdf = models.FileField(_("PDF"), upload_to=_bundle_path, blank=True)
    xlsx = models.FileField(_("spreadsheet"), upload_to=_bundle_path, blank=True)
    ics = models.FileField(_("iCalendar file"), upload_to=_bundle_path, blank=True)
    event_count = models.PositiveIntegerField(_("events"), default=0)
    alert_count = models.PositiveIntegerField(_("open alerts"), default=0)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        db_table = "programmes_calendarbundle"  # the table kept its name when the model moved out of programmes
        ordering = ["-created_at"]
        verbose_name = _("calendar bundle")
        verbose_name_plural = _("calendar bundles")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start"],
                condition=Q(scheduled=True),
                name="bundle_one_scheduled_per_period",
                violation_error_message=_("The scheduled bundle for this period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="bundle_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"
