from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Project
from results.models import FinancialTransaction, Indicator, IndicatorActual, IndicatorPeriod, Result, ResultLevel
from tests.factories import ParticipatingStateFactory, PartnerOrganisationFactory, ProjectFactory
from tests.results.factories import ProgrammeFactory, ResultFactory


def _errors(instance) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return set(caught.value.message_dict)


def test_outcome_needs_an_objective_of_the_same_project(world):
    stranger = ResultFactory(project=ProjectFactory(), level=ResultLevel.OBJECTIVE)
    assert _errors(Result(project=world.project, level="outcome", title="x")) == {"parent"}
    assert _errors(Result(project=world.project, level="outcome", parent=stranger, title="x")) == {"parent"}
    assert _errors(Result(project=world.project, level="objective", parent=world.objective, title="x")) == {"parent"}
    Result(project=world.project, level="outcome", parent=world.objective, title="fine").full_clean()


def test_qualitative_indicator_has_no_numbers(world):
    indicator = Indicator(
        result=world.outcome,
        title="x",
        measure="qualitative",
        counts_people=True,
        baseline_value=Decimal("1"),
        baseline_year=2009,
    )
    assert _errors(indicator) == {"counts_people", "baseline_value"}


def test_baseline_needs_its_year(world):
    assert _errors(Indicator(result=world.outcome, title="x", unit="laws", baseline_value=Decimal("2"))) == {
        "baseline_year"
    }


def test_periods_of_an_indicator_do_not_overlap(world):
    overlapping = IndicatorPeriod(
        indicator=world.officers,
        period_start=date(2010, 3, 15),
        period_end=date(2010, 4, 15),
        target_value=Decimal("1"),
    )
    assert "period_start" in _errors(overlapping)


def test_target_by_sex_cannot_exceed_the_target(world):
    period = IndicatorPeriod(
        indicator=world.officers,
        period_start=date(2011, 1, 1),
        period_end=date(2011, 3, 31),
        target_value=Decimal("10"),
        target_women=6,
        target_men=6,
    )
    assert _errors(period) == {"target_women"}


def test_non_people_indicator_is_not_split_by_sex(world):
    actual = IndicatorActual(period=world.practice_q1, structure=world.office, narrative="x", value_women=1)
    assert "value_women" in _errors(actual)


def test_percentage_lies_between_0_and_100(world):
    share = Indicator.objects.create(result=world.outcome, title="Share", measure="percentage")
    period = IndicatorPeriod.objects.create(
        indicator=share, period_start=date(2010, 1, 1), period_end=date(2010, 12, 31)
    )
    assert _errors(IndicatorActual(period=period, structure=world.office, value=Decimal("120"))) == {"value"}


def test_one_actual_per_structure_and_period_in_the_database(world):
    IndicatorActual.objects.create(period=world.q1, structure=world.office, value=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorActual.objects.create(period=world.q1, structure=world.office, value=Decimal("2"))


def test_transaction_donor_is_a_state_or_an_organisation(world):
    row = FinancialTransaction(
        project=world.project,
        kind="commitment",
        funding_source="exb",
        donor_state=ParticipatingStateFactory(),
        donor_organisation=PartnerOrganisationFactory(),
        date=date(2010, 1, 1),
        amount=Decimal("1"),
        value_eur=Decimal("1"),
    )
    assert "donor_organisation" in _errors(row)
    row.donor_state = None
    row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancialTransaction.objects.create(
            project=world.project,
            kind="commitment",
            funding_source="exb",
            donor_state=ParticipatingStateFactory(),
            donor_organisation=PartnerOrganisationFactory(),
            date=date(2010, 1, 1),
            amount=Decimal("1"),
            value_eur=Decimal("1"),
        )


def test_eur_amount_is_its_own_eur_value(world):
    row = FinancialTransaction(
        project=world.project,
        kind="expenditure",
        funding_source="ub",
        date=date(2010, 1, 1),
        amount=Decimal("10"),
        value_eur=Decimal("9"),
    )
    assert _errors(row) == {"value_eur"}


def test_pledge_confirmed_must_be_the_projects_and_the_donors(world):
    from tests.factories import DonorPledgeFactory

    pledge = DonorPledgeFactory()  # another project
    row = FinancialTransaction(
        project=world.project,
        kind="commitment",
        funding_source="exb",
        donor_state=pledge.donor_state,
        pledge=pledge,
        date=date(2010, 1, 1),
        amount=Decimal("1"),
        value_eur=Decimal("1"),
    )
    assert _errors(row) == {"pledge"}


def test_gender_marker_constraint_in_the_database(db):
    project = ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(gender_marker=5)


def test_programme_cannot_end_before_it_starts(db):
    programme = ProgrammeFactory.build(start=date(2010, 1, 1), end=date(2009, 1, 1))
    assert _errors(programme) == {"end"}


def test_programme_with_projects_cannot_be_deleted(world):
    from programmes.service_tools import DeleteRefused
    from results import services

    programme = ProgrammeFactory()
    world.project.programme = programme
    world.project.save()
    with pytest.raises(DeleteRefused):
        services.programme_delete(programme=programme, actor=world.coordinator)
    assert type(programme).objects.filter(pk=programme.pk).exists()
