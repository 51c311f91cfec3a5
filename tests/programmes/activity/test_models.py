from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from programmes.activity.models import (
    PARTICIPANTS_TOTAL,
    ActivityReport,
    ReportedActivity,
    ReportingFrequency,
    period_containing,
    period_frequency,
    periods_between,
)
from tests.programmes.activity.factories import (
    ActivityReportFactory,
    ReportedActivityFactory,
    ReportingObligationFactory,
)


def test_period_containing_gives_calendar_quarters_and_months():
    assert period_containing(date(2010, 5, 17), ReportingFrequency.QUARTERLY) == (date(2010, 4, 1), date(2010, 6, 30))
    assert period_containing(date(2010, 2, 3), ReportingFrequency.MONTHLY) == (date(2010, 2, 1), date(2010, 2, 28))
    assert period_containing(date(2010, 12, 31), ReportingFrequency.QUARTERLY)[1] == date(2010, 12, 31)


def test_periods_between_lists_every_quarter_of_a_year():
    quarters = periods_between(date(2010, 1, 1), date(2010, 12, 31), ReportingFrequency.QUARTERLY)
    assert [q[0].month for q in quarters] == [1, 4, 7, 10]
    assert period_frequency(date(2010, 4, 1), date(2010, 6, 30)) == ReportingFrequency.QUARTERLY
    assert period_frequency(date(2010, 4, 1), date(2010, 4, 30)) == ReportingFrequency.MONTHLY
    assert period_frequency(date(2010, 4, 2), date(2010, 6, 30)) is None


def test_participants_total_is_derived_and_summable(db):
    item = ReportedActivityFactory(participants_women=6, participants_men=14, participants_unrecorded=3)
    ReportedActivityFactory(report=item.report, participants_women=1, participants_men=1, participants_unrecorded=0)
    assert item.participants_total == 23
    assert ReportedActivity.objects.aggregate(total=Sum(PARTICIPANTS_TOTAL))["total"] == 25
    assert ReportedActivity.objects.with_participants_sum().get(pk=item.pk).participants_sum == 23
    assert "participants_total" not in [f.name for f in ReportedActivity._meta.get_fields()]


def test_report_period_must_be_a_whole_quarter_or_month(db):
    report = ActivityReportFactory.build(
        period_start=date(2010, 4, 1), period_end=date(2010, 5, 15), structure=ReportingObligationFactory().structure
    )
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert "period_end" in exc.value.message_dict
    assert not ActivityReport.objects.exists()


def test_monthly_period_refused_for_a_quarterly_reporter(db):
    obligation = ReportingObligationFactory(frequency=ReportingFrequency.QUARTERLY)
    report = ActivityReportFactory.build(
        structure=obligation.structure, period_start=date(2010, 4, 1), period_end=date(2010, 4, 30)
    )
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert "quarter" in exc.value.message_dict["period_end"][0]


def test_item_dates_outside_the_period_are_field_errors(db):
    report = ActivityReportFactory()
    item = ReportedActivityFactory.build(report=report, start=date(2010, 3, 30), end=date(2010, 7, 2))
    item.state.save()
    item.state_id = item.state.pk
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert set(exc.value.message_dict) >= {"start", "end"}
    assert not ReportedActivity.objects.exists()


def test_database_refuses_negative_participants_and_a_second_report_for_the_period(db):
    item = ReportedActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedActivity.objects.filter(pk=item.pk).update(participants_men=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityReport.objects.create(
            structure=item.report.structure,
            period_start=item.report.period_start,
            period_end=item.report.period_end,
            due_on=date(2010, 7, 30),
        )
    assert ActivityReport.objects.count() == 1
    assert ReportedActivity.objects.get(pk=item.pk).participants_men == 14
