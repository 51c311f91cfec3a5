"""Factories for results and money."""

from datetime import date
from decimal import Decimal

import factory

from programmes.models import Programme
from results.models import (
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    Result,
    ResultLevel,
)
from tests.factories import ProjectFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    title = factory.Sequence(lambda n: f"Programme {n}")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    project = factory.SubFactory(ProjectFactory)
    level = ResultLevel.OBJECTIVE
    title = factory.Sequence(lambda n: f"Result {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    result = factory.SubFactory(ResultFactory)
    title = factory.Sequence(lambda n: f"Indicator {n}")
    measure = Indicator.Measure.UNIT
    unit = "officers"


class IndicatorPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorPeriod

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = date(2010, 1, 1)
    period_end = date(2010, 3, 31)
    target_value = Decimal("20")


class IndicatorActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorActual

    period = factory.SubFactory(IndicatorPeriodFactory)
    structure = factory.LazyAttribute(lambda o: o.period.indicator.result.project.lead_structure)
    value = Decimal("10")


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialTransaction

    project = factory.SubFactory(ProjectFactory)
    kind = FinancialTransaction.Kind.COMMITMENT
    funding_source = FinancialTransaction.FundingSource.UB
    date = date(2010, 2, 1)
    currency = "EUR"
    amount = Decimal("1000")
    value_eur = factory.LazyAttribute(lambda o: o.amount)
