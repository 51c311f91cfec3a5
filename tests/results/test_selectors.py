"""Selector figures checked against sums worked out by hand."""

from datetime import date
from decimal import Decimal

from programmes.models import Project
from results import selectors
from results.models import IndicatorActual
from tests.factories import DonorPledgeFactory, ParticipatingStateFactory, PartnerOrganisationFactory, ProjectFactory
from tests.results.factories import IndicatorActualFactory, TransactionFactory

S = IndicatorActual.Status
D = Decimal


def _three_projects(world):
    """A: budget 100,000; UB commits 30,000, the EU USD 11,000 = EUR 10,000, DE 7,000 confirming its pledge of
    7,000; NO's pledge of 5,000 is open; 20,000 disbursed, 12,000 spent. Secured 30+10+7+5 = 52,000, unfunded 48,000.
    B: budget 10,000, committed 15,000: secured 15,000, over-funded, unfunded 0 (it fills no gap of A's).
    C: not costed (budget 0), an open pledge of 2,000: secured 2,000, no gap."""
    germany, norway = ParticipatingStateFactory(iso_code="DE"), ParticipatingStateFactory(iso_code="NO")
    eu = PartnerOrganisationFactory(acronym="EU")
    a = world.project  # budget 100,000
    TransactionFactory(project=a, funding_source="ub", amount=D("30000"))
    TransactionFactory(
        project=a, funding_source="exb", donor_organisation=eu, currency="USD", amount=D("11000"), value_eur=D("10000")
    )
    de_pledge = DonorPledgeFactory(project=a, donor_state=germany, amount=D("7000"))
    TransactionFactory(project=a, funding_source="exb", donor_state=germany, pledge=de_pledge, amount=D("7000"))
    DonorPledgeFactory(project=a, donor_state=norway, amount=D("5000"))
    TransactionFactory(project=a, kind="disbursement", funding_source="exb", donor_state=germany, amount=D("20000"))
    TransactionFactory(project=a, kind="expenditure", funding_source="exb", amount=D("12000"))
    b = ProjectFactory(budget=D("10000"))
    TransactionFactory(project=b, funding_source="ub", amount=D("15000"))
    c = ProjectFactory(budget=D("0"))
    DonorPledgeFactory(project=c, donor_state=norway, amount=D("2000"))
    return a, b, c


def test_funding_totals_in_the_database_match_the_sums_done_by_hand(world):
    a, b, c = _three_projects(world)

    totals = selectors.funding_totals_for(projects=Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]))

    assert (totals.budget, totals.secured, totals.unfunded) == (D("110000"), D("69000"), D("48000"))
    assert (totals.disbursed, totals.spent, totals.uncosted) == (D("20000"), D("12000"), 1)


def test_funding_totals_in_the_database_agree_with_the_per_project_figures(world):
    projects = list(_three_projects(world))

    in_python = selectors.funding_totals(list(selectors.project_funding(projects=projects).values()))
    in_db = selectors.funding_totals_for(projects=Project.objects.filter(pk__in=[p.pk for p in projects]))

    assert in_db == in_python
    assert selectors.project_funding(projects=[projects[0]])[projects[0].pk].gap == D("48000")


def test_target_vs_actual_keeps_the_periods_overlapping_the_period(world):
    IndicatorActualFactory(period=world.q1, value=D("12"), value_women=4, value_men=8, status=S.APPROVED)
    IndicatorActualFactory(period=world.q2, value=D("25"), value_men=25, status=S.APPROVED)

    spring = selectors.target_vs_actual(user=world.reviewer, period=(date(2010, 4, 15), date(2010, 12, 31)))
    winter = selectors.target_vs_actual(user=world.reviewer, period=(None, date(2010, 3, 31)))
    later = selectors.target_vs_actual(user=world.reviewer, period=(date(2011, 1, 1), None))

    assert [(p.target, p.actual) for row in spring for p in row.figures.periods] == [(D("30"), D("25"))]
    assert [(p.target, p.actual, p.percent) for row in winter for p in row.figures.periods] == [
        (D("20"), D("12"), D("60"))
    ]
    assert later == []
