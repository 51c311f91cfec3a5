"""Shared plumbing for generated documents (calendar bundle, meeting pack, TNT reports).

``DocumentJob`` is an abstract model: each app that produces files subclasses it, so every generated document has
the same life cycle (queued → running → done / failed, with progress and a retry) and the same idempotent claim.
A running job writes a heartbeat every few seconds from its worker; a job whose heartbeat stopped (the worker was
killed) is taken over by the next delivery of its task, up to ``PORTAL_JOB_MAX_ATTEMPTS`` runs, after which it is
failed with the reason and can be retried from its page.
``render_pdf`` turns a template into PDF bytes with WeasyPrint; ``workbook_bytes`` saves an openpyxl workbook.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DocumentJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Written by the worker while the job runs; a running job whose heartbeat is older than
    # PORTAL_JOB_STALE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # Runs since the job was last queued by a person; ``attempts`` keeps counting over the job's whole life.
    run_attempts = models.PositiveSmallIntegerField(_("runs since last retry"), default=0)

    # The Celery task that builds one job from its id; the outbox sweep uses it to re-send lost jobs.
    task_name: ClassVar[str] = ""

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @classmethod
    def stale_filter(cls, now: datetime | None = None) -> Q:
        """Running jobs whose worker stopped writing its heartbeat (rows from before heartbeats use started_at)."""
        cutoff = (now or timezone.now()) - timedelta(seconds=settings.PORTAL_JOB_STALE_SECONDS)
        return Q(status=cls.Status.RUNNING) & (
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        )

    def is_stale(self, now: datetime | None = None) -> bool:
        return type(self)._default_manager.filter(pk=self.pk).filter(self.stale_filter(now)).exists()

    @classmethod
    def claim(cls, pk: int) -> bool:
        """Move a queued job, or a running one whose worker died, to running. One conditional UPDATE decides, so
        only one worker wins and a duplicate delivery of the task does nothing. A job that already used up its
        runs is failed with the reason instead."""
        now = timezone.now()
        claimable = Q(status=cls.Status.QUEUED) | cls.stale_filter(now)
        within_attempts = Q(run_attempts__lt=settings.PORTAL_JOB_MAX_ATTEMPTS)
        changed = cls._default_manager.filter(claimable, within_attempts, pk=pk).update(
            status=cls.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error="",
            finished_at=None,
            attempts=models.F("attempts") + 1,
            run_attempts=models.F("run_attempts") + 1,
        )
        if changed == 1:
            start_heartbeat(cls, pk, started_at=now)
            return True
        cls.give_up_if_exhausted(pk, now=now)
        return False

    @classmethod
    def give_up_if_exhausted(cls, pk: int, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        limit = settings.PORTAL_JOB_MAX_ATTEMPTS
        failed = cls._default_manager.filter(
            Q(status=cls.Status.QUEUED) | cls.stale_filter(now), pk=pk, run_attempts__gte=limit
        ).update(
            status=cls.Status.FAILED,
            finished_at=now,
            heartbeat_at=None,
            error=str(
                _(
                    "The job stopped %(count)s times before it finished (its worker was lost). "
                    "Try again to start it afresh."
                )
                % {"count": limit}
            ),
        )
        if failed:
            logger.error("%s %s failed after %s runs without finishing", cls.__name__, pk, limit)
        return failed == 1

    @classmethod
    def report_progress(cls, pk: int, percent: int, message: str = "") -> None:
        # Written outside the job's own transaction so that pages polling the job see it move.
        cls._default_manager.filter(pk=pk).update(progress=max(0, min(100, percent)), progress_message=message[:200])

    @classmethod
    def mark_failed(cls, pk: int, error: str) -> None:
        cls._default_manager.filter(pk=pk).update(
            status=cls.Status.FAILED, error=error[:5000], finished_at=timezone.now()
        )

    @classmethod
    @transaction.atomic
    def requeue(cls, pk: int) -> bool:
        """A failed job, or a running one whose worker died, goes back to the queue with a fresh set of runs. A job
        queued for longer than PORTAL_OUTBOX_GRACE_SECONDS may be sent again too (its message may have been lost):
        the claim keeps the work single. A job just queued, running with a live worker, or done is left alone."""
        now = timezone.now()
        changed = cls._default_manager.filter(Q(status=cls.Status.FAILED) | cls.stale_filter(now), pk=pk).update(
            status=cls.Status.QUEUED,
            progress=0,
            progress_message="",
            error="",
            finished_at=None,
            heartbeat_at=None,
            run_attempts=0,
        )
        waiting_too_long = cls._default_manager.filter(
            pk=pk,
            status=cls.Status.QUEUED,
            created_at__lt=now - timedelta(seconds=settings.PORTAL_OUTBOX_GRACE_SECONDS),
        )
        return changed == 1 or waiting_too_long.exists()


# --- Heartbeats -----------------------------------------------------------------------------------------------------

_running = threading.local()


class _Heartbeat(threading.Thread):
    """Touches ``heartbeat_at`` every PORTAL_JOB_HEARTBEAT_SECONDS while this worker still owns the job (the claim's
    ``started_at`` is the ownership token: a takeover changes it and this thread stops)."""

    def __init__(self, model: type[DocumentJob], pk: int, started_at: datetime) -> None:
        super().__init__(name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
        self.model, self.pk, self.started_at = model, pk, started_at
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.PORTAL_JOB_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(interval):
                try:
                    alive = self.model._default_manager.filter(
                        pk=self.pk, status=self.model.Status.RUNNING, started_at=self.started_at
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # the database is away for a moment: try again at the next beat
                    logger.warning("Heartbeat of %s %s not written", self.model.__name__, self.pk, exc_info=True)
                    alive = 1
                finally:
                    # This thread's own connection; closed so a forked pool child never inherits an open one.
                    connections.close_all()
                if not alive:
                    return
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()


def start_heartbeat(model: type[DocumentJob], pk: int, *, started_at: datetime) -> None:
    """Only inside a real worker: an eager task runs in the request, which has no other process to take over."""
    from celery import current_task

    request = getattr(current_task, "request", None)
    if request is None or getattr(request, "is_eager", True) or current_task.request.id is None:
        return
    beat = _Heartbeat(model, pk, started_at)
    if not hasattr(_running, "beats"):
        _running.beats = []
    _running.beats.append(beat)
    beat.start()


def stop_heartbeats() -> None:
    """Called when a task ends (``programmes.jobs`` connects it to ``task_postrun``)."""
    for beat in getattr(_running, "beats", []):
        beat.stop()
    _running.beats = []


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render a Django template to PDF. WeasyPrint is imported lazily: it loads system libraries."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def workbook_bytes(workbook) -> bytes:
    # Every generated workbook is neutralised against formula injection in one place.
    from programmes.spreadsheets import workbook_bytes as safe_workbook_bytes

    return safe_workbook_bytes(workbook)
