"""Celery tasks of the calendar: each takes ids, loads, and calls one service; all are safe to run twice."""

from datetime import date, timedelta

from celery import shared_task
from django.db.models import Max, Min
from django.utils import timezone

from programmes.events import services
from programmes.events.models import Event
from programmes.jobs import enqueue_on_commit

RESCAN_BATCH = 500  # pk range of the legacy per-event batch task


@shared_task(ignore_result=True)
def check_event_duplicates(event_id: int) -> int:
    return len(services.duplicates_check_event(event_id=event_id))


@shared_task(ignore_result=True)
def rescan_duplicates_batch(first_pk: int, last_pk: int) -> int:
    return services.duplicates_rescan_range(first_pk=first_pk, last_pk=last_pk)


@shared_task(ignore_result=True)
def rescan_duplicates_period(start: str, end: str) -> int:
    return services.duplicates_rescan_period(start=date.fromisoformat(start), end=date.fromisoformat(end))


@shared_task(ignore_result=True)
def rescan_duplicates() -> int:
    """Nightly: re-check every event, one set-based task per calendar month of first days (issue 14: one event at a
    time took hours at 200,000 events). ``rescan_duplicates_batch`` stays for tasks queued before the change."""
    bounds = Event.objects.aggregate(low=Min("start_date"), high=Max("start_date"))
    if bounds["low"] is None:
        return 0
    batches = 0
    month = bounds["low"].replace(day=1)
    while month <= bounds["high"]:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        enqueue_on_commit(rescan_duplicates_period, month.isoformat(), following.isoformat())
        month = following
        batches += 1
    return batches


@shared_task(ignore_result=True)
def build_calendar_bundle(bundle_id: int) -> None:
    services.calendar_bundle_build(bundle_id=bundle_id)


@shared_task(ignore_result=True)
def build_scheduled_calendar_bundle() -> int:
    """Monthly: the bundle for the current month and the two after it (queued once per period)."""
    bundle = services.calendar_bundle_request(first_month=timezone.localdate(), scheduled=True)
    return bundle.pk
