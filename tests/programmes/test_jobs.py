"""The outbox behind enqueue_on_commit: written with the change, relayed after commit, swept when lost."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from programmes import jobs
from programmes.events.models import CalendarBundle
from programmes.models import IdempotencyRecord, OutboxJob
from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
RAN: list[tuple] = []


@shared_task(name="tests.programmes.test_jobs.record")
def record(*args):
    RAN.append(args)
    return True


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.PORTAL_JOB_OUTBOX = True
    RAN.clear()
    jobs._breaker["open_until"] = 0.0
    yield
    jobs._breaker["open_until"] = 0.0


def _later(seconds: int):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_job_is_written_with_the_change_and_runs_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        jobs.enqueue_on_commit(record, 7, "2010-01-01")
        assert OutboxJob.objects.get().sent_at is None
        assert RAN == []

    job = OutboxJob.objects.get()
    assert RAN == [(7, "2010-01-01")]
    assert (job.task, job.args, job.attempts) == ("tests.programmes.test_jobs.record", [7, "2010-01-01"], 1)
    assert job.sent_at is not None and job.done_at is not None


def test_a_rolled_back_change_leaves_no_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_on_commit(record, 1)
        raise RuntimeError("the change failed")

    assert not OutboxJob.objects.exists()
    assert RAN == []


def test_a_broker_outage_keeps_the_job_and_the_sweep_sends_it_when_the_broker_is_back(
    monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(record, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_on_commit(record, 3)  # never raises into the request
    job = OutboxJob.objects.get()
    assert (job.sent_at, job.done_at, job.attempts) == (None, None, 0)
    assert "Connection refused" in job.last_error

    still_down = jobs.sweep(now=_later(60))
    monkeypatch.undo()
    back = jobs.sweep(now=_later(60))
    again = jobs.sweep(now=_later(120))

    job.refresh_from_db()
    assert still_down["failed_to_send"] == 1 and still_down["sent"] == 0
    assert back["sent"] == 1
    assert again["sent"] == 0  # done jobs are not sent again
    assert RAN == [(3,)]
    assert job.done_at is not None and job.last_error == ""


def test_the_sweep_waits_for_the_relay_before_sending(django_capture_on_commit_callbacks):
    with transaction.atomic():
        jobs.enqueue_on_commit(record, 4)  # committed by the test's savepoint, relay not run yet

    assert jobs.sweep()["sent"] == 0
    assert jobs.sweep(now=_later(60))["sent"] == 1
    assert RAN == [(4,)]


def test_a_job_handed_over_but_never_finished_is_sent_again_after_the_resend_delay(settings, monkeypatch):
    job = OutboxJob.objects.create(task=record.name, args=[5], key="k", sent_at=timezone.now(), attempts=1)

    early = jobs.sweep(now=_later(60))
    late = jobs.sweep(now=_later(settings.PORTAL_OUTBOX_RESEND_SECONDS + 60))

    job.refresh_from_db()
    assert (early["sent"], late["sent"]) == (0, 1)
    assert job.attempts == 2 and job.done_at is not None


def test_a_job_naming_an_unknown_task_is_given_up_on():
    job = OutboxJob.objects.create(task="no.such.task", args=[], key="x")

    first = jobs.sweep(now=_later(60))
    second = jobs.sweep(now=_later(120))

    job.refresh_from_db()
    assert first["failed_to_send"] == 1 and second["given_up"] == 1
    assert "unknown task" in job.last_error and job.done_at is None


def test_a_queued_document_whose_message_was_lost_is_built_by_the_sweep(django_capture_on_commit_callbacks):
    bundle = CalendarBundle.objects.create(
        period_start=timezone.localdate().replace(day=1), period_end=timezone.localdate()
    )
    assert jobs.sweep()["documents_requeued"] == 0  # just queued: its message may be on its way

    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep(now=_later(60))

    bundle.refresh_from_db()
    assert counts["documents_requeued"] == 1
    assert bundle.status == CalendarBundle.Status.DONE and bundle.pdf


def test_old_idempotency_records_are_removed_by_the_sweep(settings):
    user = make_user(Role.SECRETARIAT)
    old = IdempotencyRecord.objects.create(user=user, key="old", fingerprint="f")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.create(user=user, key="new", fingerprint="f")

    jobs.sweep()

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_without_the_outbox_jobs_run_in_process_as_before(settings, django_capture_on_commit_callbacks):
    settings.PORTAL_JOB_OUTBOX = False
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_on_commit(record, 9)

    assert RAN == [(9,)]
    assert not OutboxJob.objects.exists()
