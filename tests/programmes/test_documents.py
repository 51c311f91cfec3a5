"""Document jobs survive their worker: heartbeat, takeover of a dead worker's job, bounded runs, retry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.events.models import CalendarBundle

pytestmark = pytest.mark.django_db
S = CalendarBundle.Status


def _bundle(**fields) -> CalendarBundle:
    today = timezone.localdate()
    return CalendarBundle.objects.create(period_start=today.replace(day=1), period_end=today, **fields)


def _ago(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


def test_only_one_claim_wins(settings):
    bundle = _bundle()

    first, second = CalendarBundle.claim(bundle.pk), CalendarBundle.claim(bundle.pk)

    bundle.refresh_from_db()
    assert (first, second) == (True, False)
    assert bundle.status == S.RUNNING and bundle.heartbeat_at is not None
    assert (bundle.attempts, bundle.run_attempts) == (1, 1)


def test_a_running_job_with_a_live_heartbeat_is_not_taken_over(settings):
    bundle = _bundle(status=S.RUNNING, started_at=_ago(600), heartbeat_at=_ago(1), run_attempts=1)

    assert not CalendarBundle.claim(bundle.pk)
    assert not CalendarBundle.requeue(bundle.pk)
    bundle.refresh_from_db()
    assert bundle.status == S.RUNNING and bundle.run_attempts == 1


def test_a_job_whose_heartbeat_stopped_is_taken_over(settings):
    stale = settings.PORTAL_JOB_STALE_SECONDS + 5
    bundle = _bundle(
        status=S.RUNNING, started_at=_ago(stale), heartbeat_at=_ago(stale), run_attempts=1, attempts=1, progress=40
    )

    assert CalendarBundle.claim(bundle.pk)

    bundle.refresh_from_db()
    assert bundle.status == S.RUNNING and bundle.progress == 0
    assert (bundle.attempts, bundle.run_attempts) == (2, 2)
    assert bundle.heartbeat_at > _ago(5)


def test_after_the_last_run_the_job_fails_with_the_reason_and_a_retry_starts_afresh(settings):
    settings.PORTAL_JOB_MAX_ATTEMPTS = 2
    stale = settings.PORTAL_JOB_STALE_SECONDS + 5
    bundle = _bundle(status=S.RUNNING, started_at=_ago(stale), heartbeat_at=_ago(stale), run_attempts=2, attempts=2)

    assert not CalendarBundle.claim(bundle.pk)
    bundle.refresh_from_db()
    assert bundle.status == S.FAILED
    assert "stopped 2 times" in bundle.error and bundle.finished_at is not None

    assert CalendarBundle.requeue(bundle.pk)
    bundle.refresh_from_db()
    assert (bundle.status, bundle.run_attempts, bundle.error) == (S.QUEUED, 0, "")
    assert CalendarBundle.claim(bundle.pk)


def test_a_job_queued_long_ago_may_be_sent_again_but_not_one_just_queued(settings):
    fresh = _bundle()
    waiting = _bundle()
    CalendarBundle.objects.filter(pk=waiting.pk).update(created_at=_ago(settings.PORTAL_OUTBOX_GRACE_SECONDS + 5))
    done = _bundle(status=S.DONE)

    assert not CalendarBundle.requeue(fresh.pk)
    assert CalendarBundle.requeue(waiting.pk)
    assert not CalendarBundle.requeue(done.pk)


def test_a_heartbeat_is_only_started_inside_a_worker(settings):
    from programmes import documents

    bundle = _bundle()
    CalendarBundle.claim(bundle.pk)  # here: no Celery task is running

    assert getattr(documents._running, "beats", []) == []
