from datetime import UTC, date, datetime

import pytest
from django.core import mail

from programmes.activity import tasks
from programmes.activity.models import ActivityReport, ReportingFrequency, ReportNotice
from programmes.permissions import Role
from tests.factories import FieldOperationFactory, make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportingObligationFactory

S = ActivityReport.Status


@pytest.fixture
def run_cycle(django_capture_on_commit_callbacks):
    """Run the daily task as a worker does, outside a transaction: what it queues is sent at once."""

    def run(today_iso: str):
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.run_reporting_cycle(today_iso)

    return run


def test_cycle_opens_the_draft_of_the_new_period_once(office_tj, centre_bishkek, run_cycle):
    inactive = ReportingObligationFactory(active=False)
    monthly = ReportingObligationFactory(frequency=ReportingFrequency.MONTHLY)
    run_cycle("2010-07-01")
    run_cycle("2010-07-02")
    opened = ActivityReport.objects.order_by("structure__acronym")
    assert {(r.structure_id, r.period_start, r.period_end) for r in opened} == {
        (office_tj.pk, date(2010, 7, 1), date(2010, 9, 30)),
        (centre_bishkek.pk, date(2010, 7, 1), date(2010, 9, 30)),
        (monthly.structure_id, date(2010, 7, 1), date(2010, 7, 31)),
    }
    assert all(r.status == S.DRAFT and r.due_on for r in opened)
    assert not ActivityReport.objects.filter(structure=inactive.structure).exists()
    assert ActivityReport.objects.get(structure=office_tj).due_on == date(2010, 10, 30)


def test_cycle_works_in_batches(db, monkeypatch, run_cycle):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    for _ in range(5):
        ReportingObligationFactory()
    result = run_cycle("2010-04-02")
    assert result["batches"] == 3
    assert ActivityReport.objects.filter(period_start=date(2010, 4, 1)).count() == 5


def test_reminder_is_sent_once_before_the_deadline(office_tj, oit_user, run_cycle):
    report = ActivityReportFactory(
        structure=office_tj, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), due_on=date(2010, 7, 30)
    )
    run_cycle("2010-07-20")  # ten days before: too early
    assert len(mail.outbox) == 0
    run_cycle("2010-07-25")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["oit@example.org"]
    assert "Q2 2010" in mail.outbox[0].subject
    run_cycle("2010-07-25")
    run_cycle("2010-07-28")
    assert len(mail.outbox) == 1
    assert list(ReportNotice.objects.filter(report=report).values_list("stage", flat=True)) == ["reminder"]


def test_overdue_notice_is_sent_once_after_the_deadline_and_copies_the_coordinator(office_tj, oit_user, run_cycle):
    coordinator = make_user(Role.COORDINATOR, email="coordinator@example.org")
    report = ActivityReportFactory(structure=office_tj, due_on=date(2010, 7, 30))
    run_cycle("2010-08-02")
    run_cycle("2010-08-03")
    overdue = [m for m in mail.outbox if m.subject.startswith("Overdue")]
    assert len(overdue) == 1
    assert set(overdue[0].to) == {"oit@example.org", coordinator.email}
    assert ReportNotice.objects.filter(report=report, stage="overdue").count() == 1
    # The run on 2 August also opened the Q3 draft; no reminder was due for it yet.
    assert ActivityReport.objects.filter(structure=office_tj, period_start=date(2010, 7, 1)).exists()
    assert len(mail.outbox) == 1


def test_submitted_reports_get_no_reminder_or_overdue_notice(office_tj, oit_user, run_cycle):
    ActivityReportFactory(
        structure=office_tj,
        due_on=date(2010, 7, 30),
        status=S.SUBMITTED,
        first_submitted_at=datetime(2010, 7, 10, tzinfo=UTC),
    )
    run_cycle("2010-07-25")
    run_cycle("2010-08-05")
    assert len(mail.outbox) == 0
    assert not ReportNotice.objects.exists()


def test_notice_task_claims_its_stage_even_when_called_twice_directly(office_tj, oit_user):
    report = ActivityReportFactory(structure=office_tj, due_on=date(2010, 7, 30))
    assert tasks.send_report_notice(report.pk, "overdue", "2010-08-10") is True
    assert tasks.send_report_notice(report.pk, "overdue", "2010-08-10") is False
    assert len(mail.outbox) == 1
    assert ReportNotice.objects.get(report=report).recipients == 1


@pytest.mark.parametrize("stage", ["reminder", "overdue"])
def test_structure_without_staff_still_records_the_stage(stage, db):
    report = ActivityReportFactory(structure=FieldOperationFactory(), due_on=date(2010, 7, 30))
    today = "2010-07-29" if stage == "reminder" else "2010-08-30"
    tasks.send_report_notice(report.pk, stage, today)
    assert len(mail.outbox) == 0
    assert ReportNotice.objects.get(report=report).recipients == 0


def test_drafts_opened_by_the_cycle_start_their_history(office_tj, run_cycle):
    run_cycle("2010-10-01")
    run_cycle("2010-10-02")
    report = ActivityReport.objects.get(structure=office_tj)
    assert list(report.transitions.values_list("from_status", "to_status", "by")) == [("", S.DRAFT, None)]
