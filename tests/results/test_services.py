from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from programmes.activity.models import ActivityReport
from programmes.service_tools import DeleteRefused
from results import selectors, services
from results.models import ActivityContribution, ActualTransition, IndicatorActual, ParticipantBreakdown
from tests.factories import DonorPledgeFactory, ParticipatingStateFactory, PartnerOrganisationFactory, ProjectFactory
from tests.results.conftest import activity, report
from tests.results.factories import IndicatorActualFactory, ProgrammeFactory, TransactionFactory

S = IndicatorActual.Status
A = ActivityReport.Status


def _submitted(world, value="12", women=4, men=8, period=None):
    actual = services.actual_create(
        period=period or world.q1, actor=world.field, value=Decimal(value), value_women=women, value_men=men
    )
    return services.actual_submit(actual=actual, actor=world.field)


# --- the review workflow ---------------------------------------------------------------------------------------


def test_field_user_creates_a_draft_for_its_own_structure(world):
    assert IndicatorActual.objects.count() == 0

    actual = services.actual_create(period=world.q1, actor=world.field, value=Decimal("12"), value_women=4, value_men=8)

    actual.refresh_from_db()
    assert (actual.status, actual.structure, actual.value) == (S.DRAFT, world.office, Decimal("12"))
    assert list(actual.transitions.values_list("to_status", flat=True)) == [S.DRAFT]


def test_actual_travels_with_the_activity_report_of_the_same_cycle(world):
    cycle = report(world.office, A.DRAFT)

    actual = services.actual_create(period=world.q1, actor=world.field, value=Decimal("3"), value_men=3)

    assert actual.activity_report == cycle
    submitted = services.actuals_submit_for_report(report=cycle, actor=world.field)
    assert [a.pk for a in submitted] == [actual.pk]
    actual.refresh_from_db()
    assert actual.status == S.SUBMITTED


def test_field_user_cannot_report_on_another_operations_project(world):
    with pytest.raises(PermissionDenied):
        services.actual_create(period=world.q1, actor=world.other_field, value=Decimal("1"), value_men=1)
    assert IndicatorActual.objects.count() == 0


def test_field_user_cannot_edit_other_structures_actual(world):
    actual = IndicatorActualFactory(period=world.q1, structure=world.office, value=Decimal("5"), value_men=5)

    with pytest.raises(PermissionDenied):
        services.actual_update(actual=actual, actor=world.other_field, value=Decimal("50"), value_men=50)

    actual.refresh_from_db()
    assert actual.value == Decimal("5")


def test_sex_figures_must_add_up_to_the_actual(world):
    with pytest.raises(ValidationError) as caught:
        services.actual_create(period=world.q1, actor=world.field, value=Decimal("12"), value_women=4, value_men=7)
    assert "value" in caught.value.message_dict
    assert IndicatorActual.objects.count() == 0


def test_submitting_without_a_figure_is_refused_on_the_field(world):
    actual = services.actual_create(period=world.q1, actor=world.field)
    with pytest.raises(ValidationError) as caught:
        services.actual_submit(actual=actual, actor=world.field)
    assert "value" in caught.value.message_dict
    actual.refresh_from_db()
    assert actual.status == S.DRAFT


def test_field_user_cannot_approve(world):
    actual = _submitted(world)
    with pytest.raises(PermissionDenied):
        services.actual_approve(actual=actual, actor=world.field)
    actual.refresh_from_db()
    assert actual.status == S.SUBMITTED


def test_reviewer_cannot_approve_what_they_submitted(world):
    world.reviewer.profile.structure = world.office
    world.reviewer.profile.save()
    actual = services.actual_create(period=world.q1, actor=world.reviewer, value=Decimal("2"), value_men=2)
    services.actual_submit(actual=actual, actor=world.reviewer)

    with pytest.raises(PermissionDenied):
        services.actual_approve(actual=actual, actor=world.reviewer)
    services.actual_approve(actual=actual, actor=world.coordinator)
    actual.refresh_from_db()
    assert actual.status == S.APPROVED


def test_return_needs_a_comment_and_tells_the_structure_once(world, django_capture_on_commit_callbacks):
    actual = _submitted(world)
    with pytest.raises(ValidationError) as caught:
        services.actual_return(actual=actual, actor=world.reviewer, comment="  ")
    assert "comment" in caught.value.message_dict
    world.field.email = "field@example.org"
    world.field.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.actual_return(actual=actual, actor=world.reviewer, comment="Split by sex, please.")

    actual.refresh_from_db()
    assert actual.status == S.RETURNED
    assert actual.return_notice_sent_at is not None
    assert [m.to for m in mail.outbox] == [["field@example.org"]]
    assert services.actual_notify_returned(actual_id=actual.pk) == 0  # a second delivery sends nothing
    assert len(mail.outbox) == 1


def test_returned_actual_can_be_corrected_and_resubmitted(world):
    actual = _submitted(world)
    services.actual_return(actual=actual, actor=world.reviewer, comment="Wrong figure")

    services.actual_update(actual=actual, actor=world.field, value=Decimal("11"), value_women=3, value_men=8)
    services.actual_submit(actual=actual, actor=world.field)

    actual.refresh_from_db()
    assert (actual.status, actual.value) == (S.SUBMITTED, Decimal("11"))
    assert list(ActualTransition.objects.filter(actual=actual).values_list("to_status", flat=True)) == [
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
    ]


def test_approved_actual_is_locked(world):
    actual = _submitted(world)
    services.actual_approve(actual=actual, actor=world.reviewer)

    with pytest.raises(ValidationError):
        services.actual_update(actual=actual, actor=world.field, value=Decimal("99"), value_men=99)
    with pytest.raises(ValidationError):
        services.actual_update(actual=actual, actor=world.admin, value=Decimal("99"), value_men=99)
    with pytest.raises(ValidationError):
        services.actual_return(actual=actual, actor=world.reviewer, comment="Reopen")
    with pytest.raises(DeleteRefused):
        services.actual_delete(actual=actual, actor=world.admin)
    actual.refresh_from_db()
    assert (actual.status, actual.value) == (S.APPROVED, Decimal("12"))


def test_indicator_with_approved_actuals_cannot_be_deleted_or_change_measure(world):
    services.actual_approve(actual=_submitted(world), actor=world.reviewer)

    with pytest.raises(DeleteRefused):
        services.indicator_delete(indicator=world.officers, actor=world.reviewer)
    with pytest.raises(DeleteRefused):
        services.result_delete(result=world.objective, actor=world.reviewer)
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(
            indicator=world.officers, actor=world.reviewer, measure="percentage", counts_people=False
        )
    assert "measure" in caught.value.message_dict or "counts_people" in caught.value.message_dict
    world.officers.refresh_from_db()
    assert world.officers.measure == "unit"


def test_field_user_cannot_change_the_framework(world):
    with pytest.raises(PermissionDenied):
        services.result_create(actor=world.field, project=world.project, level="objective", title="Ours")
    assert world.project.results.count() == 3


def test_output_cannot_hang_under_an_objective(world):
    with pytest.raises(ValidationError) as caught:
        services.result_create(
            actor=world.reviewer,
            project=world.project,
            level="output",
            parent=world.objective,
            title="Skipping a level",
        )
    assert "parent" in caught.value.message_dict


# --- figures worked out by hand -----------------------------------------------------------------------------------


def test_target_against_actual_for_a_project(world):
    # Q1: target 20. Approved 12 (4 women, 8 men) + an accepted activity that counts, 3 women and 5 men = 20.
    services.actual_approve(actual=_submitted(world), actor=world.reviewer)
    accepted = report(world.office, A.ACCEPTED)
    counted = activity(accepted, project=world.project, start=date(2010, 2, 10), women=3, men=5)
    ActivityContribution.objects.create(activity=counted, indicator=world.officers)
    # Not counted: a draft report's activity, a submitted (pending) actual of a partner, an activity outside Q1/Q2.
    draft = report(world.office, A.DRAFT, date(2010, 4, 1), date(2010, 6, 30))
    ActivityContribution.objects.create(
        activity=activity(draft, project=world.project, start=date(2010, 4, 5), women=10, men=10),
        indicator=world.officers,
    )
    world.project.partner_structures.add(world.other_office)
    pending = services.actual_create(period=world.q1, actor=world.other_field, value=Decimal("7"), value_men=7)
    services.actual_submit(actual=pending, actor=world.other_field)

    figures = selectors.indicator_figures(indicators=[world.officers])[0]

    q1, q2 = figures.periods
    assert (q1.target, q1.entered, q1.from_activities, q1.actual) == (
        Decimal("20"),
        Decimal("12"),
        Decimal("8"),
        Decimal("20"),
    )
    assert (q1.women, q1.men, q1.percent, q1.pending) == (7, 13, Decimal("100"), 1)
    assert (q2.target, q2.actual, q2.percent) == (Decimal("30"), None, None)
    assert (figures.total_target, figures.total_actual) == (Decimal("50"), Decimal("20"))


def test_percentage_indicator_takes_the_mean_of_structures(world):
    from tests.results.factories import IndicatorFactory, IndicatorPeriodFactory

    share = IndicatorFactory(result=world.outcome, measure="percentage", unit="")
    period = IndicatorPeriodFactory(indicator=share, target_value=Decimal("70"))
    IndicatorActualFactory(period=period, structure=world.office, value=Decimal("60"), status=S.APPROVED)
    IndicatorActualFactory(period=period, structure=world.other_office, value=Decimal("80"), status=S.APPROVED)

    row = selectors.indicator_figures(indicators=[share])[0].periods[0]

    assert (row.actual, row.percent) == (Decimal("70.00"), Decimal("100"))


def test_funding_gap_of_a_project(world):
    donor_a = ParticipatingStateFactory(name="Germany", iso_code="DE")
    donor_b = ParticipatingStateFactory(name="Norway", iso_code="NO")
    eu = PartnerOrganisationFactory(acronym="EU", name="European Union")
    pledge_a = DonorPledgeFactory(project=world.project, donor_state=donor_a, amount=Decimal("30000"))
    DonorPledgeFactory(project=world.project, donor_state=donor_b, amount=Decimal("25000"))
    TransactionFactory(
        project=world.project, funding_source="exb", donor_state=donor_a, pledge=pledge_a, amount=Decimal("30000")
    )
    TransactionFactory(
        project=world.project,
        funding_source="exb",
        donor_organisation=eu,
        currency="USD",
        amount=Decimal("12000"),
        value_eur=Decimal("10000"),
    )
    TransactionFactory(
        project=world.project,
        kind="disbursement",
        funding_source="exb",
        donor_state=donor_a,
        amount=Decimal("20000"),
        date=date(2011, 1, 10),
    )
    TransactionFactory(project=world.project, kind="expenditure", funding_source="exb", amount=Decimal("15000"))

    funding = selectors.project_funding(projects=[world.project])[world.project.pk]

    # secured = 30,000 (DE commitment, confirming its pledge) + 10,000 (EU, USD 12,000) + 25,000 (NO open pledge)
    assert (funding.committed, funding.pledged_open, funding.secured) == (
        Decimal("40000"),
        Decimal("25000"),
        Decimal("65000"),
    )
    assert (funding.gap, funding.unfunded, funding.funded_percent) == (Decimal("35000"), Decimal("35000"), 65)
    assert (funding.disbursed, funding.spent) == (Decimal("20000"), Decimal("15000"))
    assert {d.label: d.secured for d in funding.by_donor} == {
        "Germany": Decimal("30000"),
        "Norway": Decimal("25000"),
        "EU": Decimal("10000"),
    }
    assert funding.by_year == [
        (2010, Decimal("40000"), Decimal("0"), Decimal("15000")),
        (2011, Decimal("0"), Decimal("20000"), Decimal("0")),
    ]


def test_programme_gap_does_not_let_one_surplus_fill_another_gap(world):
    programme = ProgrammeFactory()
    world.project.programme = programme
    world.project.save()
    TransactionFactory(project=world.project, amount=Decimal("65000"))  # gap 35,000
    rich = ProjectFactory(programme=programme, budget=Decimal("50000"))
    TransactionFactory(project=rich, amount=Decimal("60000"))  # over-funded by 10,000
    ProjectFactory(programme=programme, budget=Decimal("0"))  # not costed: no gap, not zero

    summary = selectors.programme_summary(user=world.reviewer, programme=programme)

    totals = summary.totals
    assert (totals.budget, totals.secured, totals.unfunded, totals.uncosted) == (
        Decimal("150000"),
        Decimal("125000"),
        Decimal("35000"),
        1,
    )
    gaps = sorted((f.gap for f in summary.fundings), key=lambda g: (g is None, g))
    assert gaps == [Decimal("-10000"), Decimal("35000"), None]


def test_programme_rolls_up_indicators_with_a_common_code(world):
    from tests.results.factories import IndicatorFactory, IndicatorPeriodFactory, ResultFactory

    programme = ProgrammeFactory()
    world.project.programme = programme
    world.project.save()
    services.actual_approve(actual=_submitted(world), actor=world.reviewer)  # 12 in Q1
    sister = ProjectFactory(programme=programme, lead_structure=world.other_office)
    same = IndicatorFactory(
        result=ResultFactory(project=sister, level="objective"), code="customs-officers-trained", unit="officers"
    )
    IndicatorActualFactory(
        period=IndicatorPeriodFactory(indicator=same, target_value=Decimal("10")),
        structure=world.other_office,
        value=Decimal("9"),
        status=S.APPROVED,
    )

    summary = selectors.programme_summary(user=world.reviewer, programme=programme)

    (row,) = summary.rollup
    assert (row.target, row.actual, row.projects) == (Decimal("60"), Decimal("21"), 2)


# --- participants by sex and age ------------------------------------------------------------------------------------


def test_breakdown_by_age_cannot_exceed_the_activity_figures(world):
    accepted = report(world.office, A.ACCEPTED)
    item = activity(accepted, project=world.project, start=date(2010, 2, 1), women=3, men=5)

    with pytest.raises(ValidationError) as caught:
        services.breakdown_set(
            activity=item, actor=world.field, rows=[{"sex": "female", "age_group": "18_24", "count": 4}]
        )
    assert "rows" in caught.value.message_dict
    assert ParticipantBreakdown.objects.count() == 0

    services.breakdown_set(
        activity=item,
        actor=world.field,
        rows=[{"sex": "female", "age_group": "18_24", "count": 2}, {"sex": "male", "age_group": "25_59", "count": 5}],
    )
    table = selectors.participants_by_sex_and_age(
        activities=selectors.accepted_project_activities(projects=[world.project.pk])
    )
    rows = {label: cells for label, cells, _total in table.rows}
    assert rows["18–24"] == [2, 0, 0]
    assert rows["25–59"] == [0, 5, 0]
    assert rows["Age not recorded"] == [1, 0, 0]  # the third woman has no age
    assert (table.women, table.men, table.total) == (3, 5, 8)


def test_other_operation_cannot_break_down_our_activity(world):
    item = activity(report(world.office, A.ACCEPTED), project=world.project, start=date(2010, 2, 1), women=1, men=1)
    with pytest.raises(PermissionDenied):
        services.breakdown_set(activity=item, actor=world.other_field, rows=[])


def test_activity_of_another_project_cannot_count(world):
    other = ProjectFactory()
    item = activity(report(world.office, A.ACCEPTED), project=other, start=date(2010, 2, 1), women=1, men=1)
    with pytest.raises(ValidationError) as caught:
        services.contribution_create(activity=item, indicator=world.officers, actor=world.field)
    assert "activity" in caught.value.message_dict


# --- money and classification ---------------------------------------------------------------------------------


def test_extra_budgetary_commitment_needs_a_donor(world):
    with pytest.raises(ValidationError) as caught:
        services.transaction_create(
            actor=world.reviewer,
            project=world.project,
            kind="commitment",
            funding_source="exb",
            date=date(2010, 1, 1),
            amount=Decimal("5"),
        )
    assert "donor_state" in caught.value.message_dict


def test_foreign_currency_needs_its_eur_value(world):
    state = ParticipatingStateFactory()
    with pytest.raises(ValidationError) as caught:
        services.transaction_create(
            actor=world.reviewer,
            project=world.project,
            kind="commitment",
            funding_source="exb",
            donor_state=state,
            date=date(2010, 1, 1),
            currency="USD",
            amount=Decimal("5"),
        )
    assert "value_eur" in caught.value.message_dict
    row = services.transaction_create(
        actor=world.reviewer,
        project=world.project,
        kind="commitment",
        funding_source="exb",
        donor_state=state,
        date=date(2010, 1, 1),
        amount=Decimal("5"),
    )
    assert row.value_eur == Decimal("5")


def test_field_user_cannot_record_money(world):
    with pytest.raises(PermissionDenied):
        services.transaction_create(
            actor=world.field,
            project=world.project,
            kind="expenditure",
            funding_source="ub",
            date=date(2010, 1, 1),
            amount=Decimal("5"),
        )


def test_follow_up_links_cannot_go_in_a_circle(world):
    pilot = ProjectFactory()
    services.project_classify(project=world.project, actor=world.reviewer, follow_up_of=[pilot], gender_marker=2)
    assert list(world.project.follow_up_of.all()) == [pilot]
    world.project.refresh_from_db()
    assert world.project.gender_marker == 2

    with pytest.raises(ValidationError):
        services.project_classify(project=pilot, actor=world.reviewer, follow_up_of=[world.project])
    with pytest.raises(ValidationError):
        services.project_classify(project=pilot, actor=world.reviewer, follow_up_of=[pilot])
    assert list(pilot.follow_up_of.all()) == []


def test_gender_marker_above_three_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.project_classify(project=world.project, actor=world.reviewer, gender_marker=4)
    assert "gender_marker" in caught.value.message_dict
