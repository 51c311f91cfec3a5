"""A small world for results tests: a field operation running a project with a three-level framework, the staff
who report and review, and a second field operation that must stay out."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from programmes.activity.models import ActivityReport
from programmes.models import Project
from programmes.permissions import Role
from results.models import Indicator, ResultLevel
from tests.factories import FieldOperationFactory, ParticipatingStateFactory, ProjectFactory, make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.results.factories import IndicatorFactory, IndicatorPeriodFactory, ResultFactory


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The reference data, loaded once for a module (it takes a while) and flushed after it."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(db):
    tajikistan = ParticipatingStateFactory(name="Tajikistan", iso_code="TJ")
    office = FieldOperationFactory(acronym="OiT", name="OSCE Office in Tajikistan", host_state=tajikistan)
    other_office = FieldOperationFactory(acronym="CiB", name="OSCE Centre in Bishkek")
    project = ProjectFactory(
        code="AFG-05",
        title="Customs training",
        lead_structure=office,
        status=Project.Status.ONGOING,
        budget=Decimal("100000.00"),
        start=date(2010, 1, 1),
        end=date(2011, 6, 30),
        beneficiary_states=[tajikistan],
    )
    objective = ResultFactory(project=project, level=ResultLevel.OBJECTIVE, title="Safer border")
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=objective, title="Officers inspect")
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, parent=outcome, title="Officers trained")
    officers = IndicatorFactory(
        result=output,
        title="Customs officers trained",
        code="customs-officers-trained",
        unit="officers",
        counts_people=True,
    )
    q1 = IndicatorPeriodFactory(
        indicator=officers,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        target_value=Decimal("20"),
        target_women=8,
        target_men=12,
    )
    q2 = IndicatorPeriodFactory(
        indicator=officers, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), target_value=Decimal("30")
    )
    practice = IndicatorFactory(
        result=outcome, title="Inspection practice at posts", measure=Indicator.Measure.QUALITATIVE, unit=""
    )
    practice_q1 = IndicatorPeriodFactory(indicator=practice, target_value=None, target_comment="Used at two posts")
    return SimpleNamespace(
        tajikistan=tajikistan,
        office=office,
        other_office=other_office,
        project=project,
        objective=objective,
        outcome=outcome,
        output=output,
        officers=officers,
        q1=q1,
        q2=q2,
        practice=practice,
        practice_q1=practice_q1,
        field=make_user(Role.FIELD, structure=office),
        other_field=make_user(Role.FIELD, structure=other_office),
        reviewer=make_user(Role.SECRETARIAT),
        coordinator=make_user(Role.COORDINATOR),
        delegation=make_user(Role.DELEGATION),
        admin=make_user(Role.ADMIN),
    )


def report(structure, status, period_start=date(2010, 1, 1), period_end=date(2010, 3, 31)):
    submitted = None if status == ActivityReport.Status.DRAFT else timezone.now()
    return ActivityReportFactory(
        structure=structure,
        status=status,
        period_start=period_start,
        period_end=period_end,
        first_submitted_at=submitted,
        submitted_at=submitted,
    )


def activity(report_, *, project, start, women, men, unrecorded=0):
    return ReportedActivityFactory(
        report=report_,
        project=project,
        start=start,
        end=start,
        participants_women=women,
        participants_men=men,
        participants_unrecorded=unrecorded,
    )
