"""Celery tasks for activity reporting. Each takes ids, loads, and calls one service; each is safe to repeat."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from programmes.activity import selectors, services
from programmes.activity.models import ReportNotice
from programmes.jobs import enqueue_on_commit

BATCH_SIZE = 500


def _batches(ids_queryset, size: int | None = None):
    size = size or BATCH_SIZE
    batch = []
    last = 0
    while True:
        batch = list(ids_queryset.filter(pk__gt=last)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]


@shared_task
def open_reports(obligation_ids: list[int], today_iso: str) -> int:
    return services.reports_open_for_period(obligation_ids=obligation_ids, today=date.fromisoformat(today_iso))


@shared_task
def send_report_notice(report_id: int, stage: str, today_iso: str) -> bool:
    return services.report_send_notice(report_id=report_id, stage=stage, today=date.fromisoformat(today_iso))


@shared_task
def notify_report_returned(report_id: int) -> int:
    return services.report_notify_returned(report_id=report_id)


@shared_task
def run_reporting_cycle(today_iso: str | None = None) -> dict[str, int]:
    """Daily: open the drafts of the period that has begun, remind before the deadline, notify after it.

    Works in batches of ids; each notice claims its (report, stage) row, so a repeated or overlapping run sends
    nothing twice."""
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    today_iso = today.isoformat()
    counts = {"batches": 0, "reminders": 0, "overdue": 0}
    for batch in _batches(selectors.obligation_ids_due_for_opening(today=today)):
        enqueue_on_commit(open_reports, batch, today_iso)
        counts["batches"] += 1
    # Ids are read batch by batch before queueing, so no cursor stays open while notices are written.
    for stage, ids, key in (
        (ReportNotice.Stage.REMINDER, selectors.reports_due_for_reminder(today=today), "reminders"),
        (ReportNotice.Stage.OVERDUE, selectors.reports_due_for_overdue_notice(today=today), "overdue"),
    ):
        for batch in _batches(ids):
            for report_id in batch:
                enqueue_on_commit(send_report_notice, report_id, stage, today_iso)
            counts[key] += len(batch)
    return counts
