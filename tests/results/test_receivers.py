"""Indicator actuals travel through the report cycle with the activity report of the same structure and period:
activity's services send signals, results' receivers move the actuals (activity never imports results)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programmes.activity import services as activity_services
from programmes.activity.models import ActivityReport
from results.models import IndicatorActual
from tests.factories import ProjectFactory
from tests.results.conftest import report
from tests.results.factories import IndicatorActualFactory, IndicatorPeriodFactory

S = IndicatorActual.Status
A = ActivityReport.Status


def _draft_report(world, structure=None):
    cycle = report(structure or world.office, A.DRAFT)
    cycle.summary = "Two courses in the quarter."
    cycle.save(update_fields=["summary"])
    return cycle


def _status(actual) -> str:
    return IndicatorActual.objects.values_list("status", flat=True).get(pk=actual.pk)


def test_submitting_the_activity_report_submits_its_draft_actuals(world):
    cycle = _draft_report(world)
    actual = IndicatorActualFactory(
        period=world.q1, structure=world.office, activity_report=cycle, value=Decimal("12"), value_women=4, value_men=8
    )
    assert _status(actual) == S.DRAFT

    activity_services.report_submit(report=cycle, actor=world.field)

    actual.refresh_from_db()
    assert (actual.status, actual.submitted_by) == (S.SUBMITTED, world.field)
    assert list(actual.transitions.values_list("from_status", "to_status")) == [(S.DRAFT, S.SUBMITTED)]


def test_actual_entered_before_the_report_was_opened_is_linked_and_submitted(world):
    actual = IndicatorActualFactory(period=world.q1, structure=world.office, value=Decimal("3"), value_men=3)
    cycle = _draft_report(world)
    assert actual.activity_report_id is None

    activity_services.report_submit(report=cycle, actor=world.field)

    actual.refresh_from_db()
    assert (actual.status, actual.activity_report_id) == (S.SUBMITTED, cycle.pk)


def test_other_operations_and_other_periods_actuals_are_untouched(world):
    cycle = _draft_report(world)
    partner_project = ProjectFactory(lead_structure=world.other_office)
    theirs = IndicatorActualFactory(
        period=IndicatorPeriodFactory(indicator__result__project=partner_project),
        structure=world.other_office,
        value=Decimal("7"),
    )
    later = IndicatorActualFactory(period=world.q2, structure=world.office, value=Decimal("9"), value_men=9)
    assert (_status(theirs), _status(later)) == (S.DRAFT, S.DRAFT)

    activity_services.report_submit(report=cycle, actor=world.field)

    assert (_status(theirs), _status(later)) == (S.DRAFT, S.DRAFT)
    assert IndicatorActual.objects.get(pk=later.pk).activity_report_id is None


def test_incomplete_actual_refuses_the_report_submission_and_nothing_moves(world):
    cycle = _draft_report(world)
    empty = IndicatorActualFactory(period=world.q1, structure=world.office, activity_report=cycle, value=None)

    with pytest.raises(ValidationError) as caught:
        activity_services.report_submit(report=cycle, actor=world.field)

    assert "Customs officers trained" in caught.value.message_dict["indicator_actuals"][0]
    cycle.refresh_from_db()
    assert (cycle.status, _status(empty)) == (A.DRAFT, S.DRAFT)


def test_returning_the_report_returns_its_submitted_actuals_with_the_comment(world):
    cycle = _draft_report(world)
    actual = IndicatorActualFactory(
        period=world.q1, structure=world.office, activity_report=cycle, value=Decimal("12"), value_men=12
    )
    activity_services.report_submit(report=cycle, actor=world.field)
    assert _status(actual) == S.SUBMITTED

    activity_services.report_return(report=cycle, actor=world.reviewer, comment="Course 2 lacks dates.")

    actual.refresh_from_db()
    assert (actual.status, actual.review_comment, actual.reviewed_by) == (
        S.RETURNED,
        "Course 2 lacks dates.",
        world.reviewer,
    )
    # resubmitting the report takes the returned actual along again
    activity_services.report_submit(report=cycle, actor=world.field)
    assert _status(actual) == S.SUBMITTED


def test_accepting_the_report_approves_waiting_actuals_and_locks_them(world):
    cycle = _draft_report(world)
    waiting = IndicatorActualFactory(
        period=world.q1, structure=world.office, activity_report=cycle, value=Decimal("12"), value_men=12
    )
    activity_services.report_submit(report=cycle, actor=world.field)
    assert _status(waiting) == S.SUBMITTED

    activity_services.report_accept(report=cycle, actor=world.reviewer)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.reviewed_by, waiting.is_editable) == (S.APPROVED, world.reviewer, False)


def test_actual_returned_on_its_own_keeps_that_decision_when_the_report_is_accepted(world):
    cycle = report(world.office, A.SUBMITTED)
    returned = IndicatorActualFactory(
        period=world.q1,
        structure=world.office,
        activity_report=cycle,
        value=Decimal("12"),
        value_men=12,
        status=S.RETURNED,
        review_comment="Split by sex.",
    )

    activity_services.report_accept(report=cycle, actor=world.reviewer)

    assert _status(returned) == S.RETURNED
