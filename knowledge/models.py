"""What the OSCE knows about its area of work: States' legal commitments and the library of documents.

Training centres are ``programmes.events.TrainingCentre`` (events name their centre, and the calendar sits below
this app); mandates are the core's ``programmes.Mandate``, whose suggested decisions carry a status there.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """A treaty, resolution or standard whose per-State status the portal follows."""

    class Kind(models.TextChoices):
        TREATY = "treaty", _("Convention")
        PROTOCOL = "protocol", _("Protocol")
        RESOLUTION = "resolution", _("Security Council resolution")
        STANDARD = "standard", _("Standard or membership")

    class Family(models.TextChoices):
        UNTOC = "untoc", _("Organised crime (UNTOC)")
        CORRUPTION = "corruption", _("Corruption")
        DRUGS = "drugs", _("Drug control")
        CYBERCRIME = "cybercrime", _("Cybercrime")
        TERRORISM = "terrorism", _("Universal anti-terrorism instruments")
        AML = "aml", _("Money laundering and terrorist financing")
        WMD = "wmd", _("Non-proliferation (UNSCR 1540)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, help_text=_("Used as the matrix column head."))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    family = models.CharField(_("family"), max_length=16, choices=Family.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("supplements"), on_delete=models.PROTECT, null=True, blank=True, related_name="protocols"
    )
    adopted_year = models.PositiveSmallIntegerField(_("adopted in"), null=True, blank=True)
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea",
        verbose_name=_("thematic areas"),
        related_name="instruments",
        help_text=_("OSCE work in these areas counts as assistance on it."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "short_name"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:instrument_detail", args=[self.code])

    def clean(self):
        super().clean()
        if self.parent_id is not None and (self.parent_id == self.pk or self.parent.parent_id is not None):
            raise ValidationError({"parent": _("A protocol supplements a convention, not another protocol.")})

    @property
    def statuses(self) -> list[str]:
        return list(STATUSES_BY_KIND[self.kind])

    @property
    def is_treaty(self) -> bool:
        return self.kind in (self.Kind.TREATY, self.Kind.PROTOCOL)


class CommitmentStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")
    RATIFIED = "ratified", _("Ratified")
    ACCEDED = "acceded", _("Acceded")
    REPORT_SUBMITTED = "report_submitted", _("National report submitted")
    ACTION_PLAN = "action_plan", _("National action plan adopted")
    MEMBER = "member", _("Member")
    ASSESSED = "assessed", _("Mutual evaluation done")


CS = CommitmentStatus
STATUSES_BY_KIND: dict[str, tuple[str, ...]] = {
    Instrument.Kind.TREATY: (CS.SIGNED, CS.RATIFIED, CS.ACCEDED),
    Instrument.Kind.PROTOCOL: (CS.SIGNED, CS.RATIFIED, CS.ACCEDED),
    Instrument.Kind.RESOLUTION: (CS.REPORT_SUBMITTED, CS.ACTION_PLAN),
    Instrument.Kind.STANDARD: (CS.MEMBER, CS.ASSESSED),
}
# A State's status on an instrument is the furthest step it has reached: a ratification outranks a signature.
STATUS_RANK: dict[str, int] = {
    CS.SIGNED: 1,
    CS.RATIFIED: 2,
    CS.ACCEDED: 2,
    CS.REPORT_SUBMITTED: 1,
    CS.ACTION_PLAN: 2,
    CS.MEMBER: 1,
    CS.ASSESSED: 2,
}
# Statuses that bind a State to a treaty (the gap analysis asks for these).
BINDING_STATUSES = (CS.RATIFIED, CS.ACCEDED)


class StateCommitment(models.Model):
    """One step a State took on an instrument, as known on ``as_of`` from ``source``.

    ``date`` is when the step happened, if the source says; otherwise the step counts from ``as_of``. Records
    marked ``illustrative`` are demonstration data whose assignment to this State no source supports."""

    state = models.ForeignKey(
        "programmes.ParticipatingState",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        related_name="legal_commitments",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="commitments"
    )
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices, db_index=True)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When it happened, if known."))
    as_of = models.DateField(_("as of"), help_text=_("The date the source gives this information for."))
    reservations = models.BooleanField(_("reservations or declarations"), default=False)
    reservations_note = models.TextField(_("reservations (details)"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        db_index=True,
        help_text=_("Demonstration data: no source names this State for this step."),
    )
    note = models.TextField(_("note"), blank=True)
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

    class Meta:
        ordering = ["state__name", "instrument__position", "as_of"]
        verbose_name = _("State commitment")
        verbose_name_plural = _("State commitments")
        indexes = [models.Index(fields=["instrument", "state"], name="commitment_instrument_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "instrument", "status", "as_of"],
                name="commitment_unique_step_per_date",
                violation_error_message=_("This step is already recorded for this State as of that date."),
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=True) | Q(date__lte=models.F("as_of")),
                name="commitment_date_not_after_as_of",
                violation_error_message=_("The step cannot happen after the date the information is given for."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} · {self.instrument}: {self.get_status_display()}"

    @property
    def effective_on(self):
        return self.date or self.as_of

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.instrument_id is not None
            and self.status
            and self.status not in STATUSES_BY_KIND.get(self.instrument.kind, ())
        ):
            errors["status"] = _("%(status)s does not apply to %(instrument)s; choose one of: %(allowed)s.") % {
                "status": self.get_status_display(),
                "instrument": self.instrument.short_name,
                "allowed": ", ".join(str(CommitmentStatus(s).label) for s in self.instrument.statuses),
            }
        if self.date and self.as_of and self.date > self.as_of:
            errors["date"] = _("The step cannot happen after the date the information is given for.")
        if self.reservations_note and not self.reservations:
            errors["reservations"] = _("Tick this box when you describe reservations.")
        if errors:
            raise ValidationError(errors)


class DocumentQuerySet(models.QuerySet):
    def visible_levels(self, levels) -> DocumentQuerySet:
        return self.filter(visibility__in=levels)


def document_upload_to(instance, filename: str) -> str:
    # A random folder: staff-only documents are served only through the permission-checked file view, and their
    # path must not be guessable from a year and a file name if the media folder is ever exposed. The file name is
    # kept, it is the download's name.
    return f"knowledge/documents/{instance.published_on:%Y}/{secrets.token_urlsafe(16)}/{filename}"


class Document(models.Model):
    """A library document: a report, a law, training material, a best-practice guide or a meeting document."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        LEGISLATION = "legislation", _("Legislation")
        TRAINING_MATERIAL = "training_material", _("Training material")
        BEST_PRACTICE_GUIDE = "best_practice_guide", _("Best-practice guide")
        MEETING_DOCUMENT = "meeting_document", _("Meeting document")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        RUSSIAN = "ru", _("Russian")
        FRENCH = "fr", _("French")
        GERMAN = "de", _("German")
        SPANISH = "es", _("Spanish")
        ITALIAN = "it", _("Italian")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTICIPATING_STATES = "participating_states", _("Participating States")
        STAFF = "staff", _("OSCE staff only")

    class TextStatus(models.TextChoices):
        NONE = "none", _("No file to read")
        PENDING = "pending", _("Waiting for text extraction")
        EXTRACTING = "extracting", _("Extracting text")
        DONE = "done", _("Text extracted")
        FAILED = "failed", _("Text extraction failed")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH)
    published_on = models.DateField(_("date"), db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=24, choices=Visibility.choices, default=Visibility.STAFF, db_index=True
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=255)
    link = models.URLField(_("link"), blank=True, max_length=500)
    thematic_areas = models.ManyToManyField(
        "programmes.ThematicArea", verbose_name=_("thematic areas"), blank=True, related_name="library_documents"
    )
    states = models.ManyToManyField(
        "programmes.ParticipatingState", verbose_name=_("States"), blank=True, related_name="library_documents"
    )
    structures = models.ManyToManyField(
        "programmes.ExecutiveStructure", verbose_name=_("structures"), blank=True, related_name="library_documents"
    )
    partner_organisations = models.ManyToManyField(
        "programmes.PartnerOrganisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="library_documents",
    )
    # What the document belongs to; each of those pages lists its documents.
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("events"), blank=True, related_name="library_documents"
    )
    projects = models.ManyToManyField(
        "programmes.Project", verbose_name=_("projects"), blank=True, related_name="library_documents"
    )
    meetings = models.ManyToManyField(
        "taskforces.Meeting", verbose_name=_("task-force meetings"), blank=True, related_name="library_documents"
    )
    mandates = models.ManyToManyField(
        "programmes.Mandate", verbose_name=_("decisions"), blank=True, related_name="library_documents"
    )
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_status = models.CharField(
        _("text"), max_length=16, choices=TextStatus.choices, default=TextStatus.NONE, editable=False
    )
    text_error = models.CharField(_("extraction problem"), max_length=300, blank=True, editable=False)
    text_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    text_extracted_at = models.DateTimeField(_("text extracted"), null=True, blank=True, editable=False)
    # PostgreSQL only: kept by the services with each document's own language configuration; a GIN index serves the
    # search (created by the migration on PostgreSQL). On SQLite the column stays empty and search uses icontains.
    search_vector = SearchVectorField(null=True, editable=False)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("A demonstration entry, not a real document.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        indexes = [models.Index(fields=["visibility", "-published_on"], name="document_visibility_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""),
                name="document_has_file_or_link",
                violation_error_message=_("Attach a file or give a link."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:document_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if not self.file and not self.link:
            raise ValidationError({"link": _("Attach a file or give a link.")})

    @property
    def is_pdf(self) -> bool:
        return bool(self.file) and self.file.name.lower().endswith(".pdf")
