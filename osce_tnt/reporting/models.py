"""Generated TNT reports: a period, a scope, a snapshot of the figures and the files made from it."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.documents import DocumentJob
from programmes.models import Region

# Figures start with the CSCE's first years; the upper bound keeps period arithmetic (the day after a period, the
# quarters of its last year) inside the dates Python can represent, so an odd date is a field error, not a crash.
PERIOD_EARLIEST = date(1973, 1, 1)
PERIOD_LATEST = date(2100, 12, 31)


def period_errors(start: date | None, end: date | None, *, start_field: str, end_field: str) -> dict[str, str]:
    """Field errors for a report or dashboard period outside the dates the portal can report on."""
    message = _("The period must lie between %(earliest)s and %(latest)s.") % {
        "earliest": PERIOD_EARLIEST.isoformat(),
        "latest": PERIOD_LATEST.isoformat(),
    }
    return {
        field: message
        for field, day in ((start_field, start), (end_field, end))
        if day is not None and not PERIOD_EARLIEST <= day <= PERIOD_LATEST
    }


def _report_upload_to(instance, filename: str) -> str:
    # A random folder: the files are served through a permission-checked view, and an unpublished report's
    # path must not be guessable if MEDIA_URL is ever exposed directly.
    return f"reports/{instance.period_start:%Y}/{secrets.token_hex(8)}/{filename}"


class GeneratedReport(DocumentJob):
    task_name = "osce_tnt.reporting.tasks.generate_report"

    class ScopeKind(models.TextChoices):
        ALL = "all", _("All thematic areas")
        AREA = "area", _("One thematic area")
        REGION = "region", _("One region")
        STRUCTURE = "structure", _("One structure")

    title = models.CharField(_("title"), max_length=300)
    scope_kind = models.CharField(
        _("scope"), max_length=16, choices=ScopeKind.choices, default=ScopeKind.ALL, db_index=True
    )
    thematic_area = models.ForeignKey(
        "programmes.ThematicArea",
        verbose_name=_("thematic area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    scheduled = models.BooleanField(
        _("scheduled"), default=False, help_text=_("Created by the quarterly schedule rather than by a person.")
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    pdf_file = models.FileField(_("PDF"), upload_to=_report_upload_to, blank=True, editable=False)
    xlsx_file = models.FileField(_("spreadsheet"), upload_to=_report_upload_to, blank=True, editable=False)
    csv_file = models.FileField(_("CSV"), upload_to=_report_upload_to, blank=True, editable=False)
    published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        indexes = [
            models.Index(fields=["published", "-period_end"], name="report_published_period"),
            models.Index(fields=["-created_at"], name="report_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope_kind="all", thematic_area__isnull=True, region="", structure__isnull=True)
                    | Q(scope_kind="area", thematic_area__isnull=False, region="", structure__isnull=True)
                    | Q(scope_kind="region", thematic_area__isnull=True, structure__isnull=True) & ~Q(region="")
                    | Q(scope_kind="structure", thematic_area__isnull=True, region="", structure__isnull=False)
                ),
                name="report_scope_matches_kind",
                violation_error_message=_("Choose exactly the scope object that matches the kind of scope."),
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(status="done"),
                name="report_published_only_when_done",
                violation_error_message=_("Only a finished report can be published."),
            ),
            # The quarterly schedule makes one report per quarter; a repeated beat finds it and stops.
            models.UniqueConstraint(
                fields=["scope_kind", "period_start", "period_end"],
                condition=Q(scheduled=True),
                name="report_one_scheduled_per_period",
                violation_error_message=_("The scheduled report for this period already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def scope_object(self):
        if self.scope_kind == self.ScopeKind.AREA:
            return self.thematic_area
        if self.scope_kind == self.ScopeKind.STRUCTURE:
            return self.structure
        if self.scope_kind == self.ScopeKind.REGION:
            return self.get_region_display()
        return None

    @property
    def scope_label(self) -> str:
        obj = self.scope_object
        return str(obj) if obj is not None else str(self.ScopeKind.ALL.label)

    def file_for(self, fmt: str):
        return {"pdf": self.pdf_file, "xlsx": self.xlsx_file, "csv": self.csv_file}.get(fmt)
