"""Shared plumbing for generated documents (calendar bundle, meeting pack, TNT reports).

``DocumentJob`` is an abstract model: each app that produces files subclasses it, so every generated document has
the same life cycle (queued → running → done / failed, with progress and a retry) and the same idempotent claim.
``render_pdf`` turns a template into PDF bytes with WeasyPrint; ``workbook_bytes`` saves an openpyxl workbook.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @classmethod
    def claim(cls, pk: int) -> bool:
        """Move a queued job to running. Only one worker wins; a duplicate delivery of the task does nothing."""
        changed = cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(
            status=cls.Status.RUNNING, started_at=timezone.now(), progress=0, error="",
            attempts=models.F("attempts") + 1,
        )
        return changed == 1

    @classmethod
    def report_progress(cls, pk: int, percent: int, message: str = "") -> None:
        # Written outside the job's own transaction so that pages polling the job see it move.
        cls.objects.filter(pk=pk).update(progress=max(0, min(100, percent)), progress_message=message[:200])

    @classmethod
    def mark_failed(cls, pk: int, error: str) -> None:
        cls.objects.filter(pk=pk).update(status=cls.Status.FAILED, error=error[:5000], finished_at=timezone.now())

    @classmethod
    @transaction.atomic
    def requeue(cls, pk: int) -> bool:
        """A failed job may be retried; anything else is left alone."""
        return cls.objects.filter(pk=pk, status=cls.Status.FAILED).update(
            status=cls.Status.QUEUED, progress=0, progress_message="", error="", finished_at=None
        ) == 1


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render a Django template to PDF. WeasyPrint is imported lazily: it loads system libraries."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def workbook_bytes(workbook) -> bytes:
    # Every generated workbook is neutralised against formula injection in one place.
    from programmes.spreadsheets import workbook_bytes as safe_workbook_bytes

    return safe_workbook_bytes(workbook)
