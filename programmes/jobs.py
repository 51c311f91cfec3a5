"""The one way a job is requested, with a durable outbox behind it.

Every app asks for background work through :func:`enqueue_on_commit`: the job is identified by ids (never by model
instances) and it is written as an :class:`~programmes.models.OutboxJob` row in the same transaction as the change
that caused it, so a job cannot be lost once the change is saved. After commit a relay hands it to Celery; a broker
that is down or slow is logged, never raised into the request. The periodic :func:`sweep` (beat, every minute)
re-sends what was not handed over or not finished, and re-sends document jobs that are stuck (queued with no
pending message, or running with a dead worker). Tasks are idempotent and claim their work with a conditional
UPDATE, so a job sent twice does its work once.

With no broker configured (the demo, the test suite) tasks run eagerly in-process, as they always have, and the
outbox is skipped (``PORTAL_JOB_OUTBOX``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
# After a failed hand-over this process leaves sending to the sweep for a while, so that during a broker outage a
# request pays for one failed attempt at most, not one per job.
_BREAKER_SECONDS = 10.0
_breaker = {"open_until": 0.0}
_breaker_lock = threading.Lock()


def _task_name(task: Any) -> str:
    return task if isinstance(task, str) else task.name


def _job_key(name: str, args: list[Any]) -> str:
    return f"{name}:{json.dumps(args, separators=(',', ':'), sort_keys=True)}"[:255]


def _send_now(task: Any, args: tuple[Any, ...]) -> None:
    """The eager path (no broker): run or queue the task at once, log any failure."""
    try:
        task.apply_async(args=args)
    except Exception:
        logger.exception("Could not queue %s%r; the change itself is saved", _task_name(task), args)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits; outside a transaction (a task fanning out
    batches, a management command) it is queued at once. Never raises because of the broker."""
    if not settings.PORTAL_JOB_OUTBOX:
        transaction.on_commit(lambda: _send_now(task, args))
        return
    from programmes.models import OutboxJob

    name = _task_name(task)
    arguments = list(args)
    job = OutboxJob.objects.create(task=name, args=arguments, key=_job_key(name, arguments))
    transaction.on_commit(lambda: relay(job.pk))


def _celery_task(name: str) -> Any:
    """The task registered under ``name``. Task modules are imported lazily in the web process, so the module the
    name points to is imported first; KeyError when no such task exists."""
    from osce_tnt.celery import app

    if name not in app.tasks:
        module, _dot, _attribute = name.rpartition(".")
        with contextlib.suppress(ImportError):
            import_module(module)
    return app.tasks[name]


SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def relay(job_id: int, *, force: bool = False) -> str:
    """Hand one outbox job to the broker; never raises. Returns SENT, FAILED (the broker refused: the sweep tries
    again) or SKIPPED (done, being sent by another process, or the breaker is open).

    The hand-over is claimed with a conditional UPDATE of ``sent_at``, so the relay after commit and sweeps running
    at the same time on several workers send a job once, not once each."""
    from programmes.models import OutboxJob

    if not force and _breaker["open_until"] > time.monotonic():
        return SKIPPED
    try:
        job = OutboxJob.objects.get(pk=job_id, done_at__isnull=True)
        claimed = (
            OutboxJob.objects.filter(pk=job_id, done_at__isnull=True, sent_at=job.sent_at).update(
                sent_at=timezone.now()
            )
            if job.sent_at
            else OutboxJob.objects.filter(pk=job_id, done_at__isnull=True, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
        )
    except OutboxJob.DoesNotExist:
        return SKIPPED
    except Exception:
        logger.warning("Outbox job %s could not be read; the sweep will send it", job_id, exc_info=True)
        return FAILED
    if not claimed:
        return SKIPPED
    try:
        task = _celery_task(job.task)
    except KeyError:
        # Not a task this code knows (renamed, removed): sending it again cannot help.
        logger.error("Outbox job %s names no registered task; giving up on it", job)
        _record(
            job_id,
            attempts=settings.PORTAL_OUTBOX_MAX_SENDS,
            sent_at=job.sent_at,
            last_error=f"unknown task {job.task}",
        )
        return FAILED
    try:
        task.apply_async(args=job.args, task_id=f"{TASK_ID_PREFIX}{job.pk}-{uuid.uuid4().hex[:12]}")
    except Exception as exc:
        with _breaker_lock:
            _breaker["open_until"] = time.monotonic() + _BREAKER_SECONDS
        logger.warning("Could not hand %s to the broker; the outbox keeps it for the sweep", job, exc_info=True)
        # Back to its previous state, and not counted as an attempt: a long broker outage must not make the sweep
        # give up on a job.
        _record(job_id, sent_at=job.sent_at, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return FAILED
    with _breaker_lock:
        _breaker["open_until"] = 0.0
    _record(job_id, attempts=F("attempts") + 1, last_error="")
    return SENT


def _record(job_id: int, **fields: Any) -> None:
    from programmes.models import OutboxJob

    try:
        OutboxJob.objects.filter(pk=job_id).update(**fields)
    except Exception:
        logger.warning("Could not record the state of outbox job %s", job_id, exc_info=True)


def outbox_id_from_task_id(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    number = task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0]
    return int(number) if number.isdigit() else None


# --- Consumer side: a task that returned marks its outbox job done ------------------------------------------------


def on_task_postrun(
    sender: Any = None, task_id: str | None = None, state: str | None = None, retval: Any = None, **_kwargs: Any
) -> None:
    from programmes.documents import stop_heartbeats

    stop_heartbeats()
    job_id = outbox_id_from_task_id(task_id)
    if job_id is None:
        return
    if state == "SUCCESS":
        _record(job_id, done_at=timezone.now())
    elif state == "FAILURE":
        _record(job_id, last_error=f"task failed: {retval!r}"[:2000])


def connect_signals() -> None:
    from celery.signals import task_postrun

    task_postrun.connect(on_task_postrun, dispatch_uid="programmes.jobs.on_task_postrun", weak=False)


# --- The sweep --------------------------------------------------------------------------------------------------


def document_job_models() -> list[Any]:
    from programmes.documents import DocumentJob

    return [model for model in apps.get_models() if issubclass(model, DocumentJob) and model.task_name]


def sweep(*, now: datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    """Re-send what the outbox holds and what the document jobs say is stuck. Idempotent: run it as often as you
    like; every send goes through a claim on the consumer side."""
    from programmes.models import IdempotencyRecord, OutboxJob

    now = now or timezone.now()
    counts = {"sent": 0, "failed_to_send": 0, "documents_requeued": 0, "documents_failed": 0, "given_up": 0}
    grace = timedelta(seconds=settings.PORTAL_OUTBOX_GRACE_SECONDS)
    resend_after = timedelta(seconds=settings.PORTAL_OUTBOX_RESEND_SECONDS)
    max_sends = settings.PORTAL_OUTBOX_MAX_SENDS

    # 1. Jobs never handed over (the relay failed or the process died before it ran), or handed over long ago and
    #    never finished (the broker lost the message).
    pending = OutboxJob.objects.filter(done_at__isnull=True, attempts__lt=max_sends).filter(
        sent_at__isnull=True, created_at__lt=now - grace
    ) | OutboxJob.objects.filter(done_at__isnull=True, attempts__lt=max_sends, sent_at__lt=now - resend_after)
    for job_id in pending.order_by("pk").values_list("pk", flat=True)[:batch_size]:
        outcome = relay(job_id, force=True)
        if outcome == SENT:
            counts["sent"] += 1
        elif outcome == FAILED:
            counts["failed_to_send"] += 1
            break  # the broker is away: the next sweep tries again
    given_up = OutboxJob.objects.filter(done_at__isnull=True, attempts__gte=max_sends)
    counts["given_up"] = given_up.count()
    if counts["given_up"]:
        logger.error("%s outbox jobs were not accepted after %s sends", counts["given_up"], max_sends)

    # 2. Document jobs that are stuck: queued with no pending outbox job (a message lost before the outbox existed,
    #    or a job given up on), or running with a dead worker.
    for model in document_job_models():
        manager = model._default_manager
        stuck_queued = manager.filter(status=model.Status.QUEUED, created_at__lt=now - grace)
        stale = manager.filter(model.stale_filter(now))
        for job in (stuck_queued | stale).order_by("pk")[:batch_size]:
            if model.give_up_if_exhausted(job.pk, now=now):
                counts["documents_failed"] += 1
                continue
            key = _job_key(model.task_name, [job.pk])
            waiting = OutboxJob.objects.filter(key=key, done_at__isnull=True, attempts__lt=max_sends)
            if job.status == model.Status.RUNNING:
                # The message that started this run is consumed (its worker died holding it); only a message sent
                # after the last sign of life would take the job over.
                waiting = waiting.filter(created_at__gt=job.heartbeat_at or job.started_at)
            if waiting.exists():
                continue  # part 1 sends it
            with transaction.atomic():
                enqueue_on_commit(_celery_task(model.task_name), job.pk)
            counts["documents_requeued"] += 1

    # 3. Housekeeping: finished outbox rows and idempotency records older than their useful life.
    OutboxJob.objects.filter(done_at__lt=now - timedelta(days=7)).delete()
    IdempotencyRecord.objects.filter(created_at__lt=now - timedelta(hours=settings.PORTAL_IDEMPOTENCY_HOURS)).delete()
    return counts


# --- Heartbeats of the worker and beat processes ------------------------------------------------------------------


def beat_heartbeat(name: str, detail: str = "") -> None:
    from programmes.models import ServiceHeartbeat

    ServiceHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now(), "detail": detail[:200]})


class ProcessHeartbeat(threading.Thread):
    """Writes ``ServiceHeartbeat(name)`` every PORTAL_SERVICE_HEARTBEAT_SECONDS from a long-running process."""

    def __init__(self, name: str, detail: str = "") -> None:
        super().__init__(name=f"service-heartbeat-{name}", daemon=True)
        self.service, self.detail = name, detail
        self.stopped = threading.Event()

    def run(self) -> None:
        from django.db import connections

        while True:
            try:
                beat_heartbeat(self.service, self.detail)
            except Exception:
                logger.warning("Could not write the %s heartbeat", self.service, exc_info=True)
            finally:
                connections.close_all()
            if self.stopped.wait(settings.PORTAL_SERVICE_HEARTBEAT_SECONDS):
                return
