"""Shared fixtures of the reporting tests: the knowledge data whose gaps the dashboards and reports show.

``legal``: States A and B (Central Asia), C (Eastern Europe) and a partner P. Treaty T (organised crime) and the
UNSCR 1540 resolution R (non-proliferation). T: A ratified in 2005, B signed in 2001, C nothing, P ratified (never
counted). R: A submitted a report in 2008, C adopted an action plan in January 2010. An accepted legal-assistance
activity on trafficking (a sub-area of organised crime) took place in C in April 2010.

``decisions``: M1 has a published project running in 2010; M2 only a proposal running in 2010; M3 a project that
ended in 2008; a suggestion (PROPOSAL/…) has no work at all."""

from datetime import UTC, date, datetime

import pytest

from knowledge.models import CommitmentStatus as CS
from knowledge.models import Instrument
from programmes.activity.models import ActivityReport, ActivityType
from programmes.models import Mandate, Project, Region
from tests.factories import (
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    ProjectFactory,
    ThematicAreaFactory,
)
from tests.knowledge.factories import CommitmentFactory, InstrumentFactory
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory

SUBMITTED_AT = datetime(2010, 7, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def legal(db):
    crime = ThematicAreaFactory(code="oc", name="Organised crime")
    thb = ThematicAreaFactory(code="oc-thb", name="THB", parent=crime)
    wmd = ThematicAreaFactory(code="np", name="Non-proliferation")
    a = ParticipatingStateFactory(name="A", joined=date(1975, 8, 1), region=Region.CENTRAL_ASIA)
    b = ParticipatingStateFactory(name="B", joined=date(1992, 1, 30), region=Region.CENTRAL_ASIA)
    c = ParticipatingStateFactory(name="C", joined=date(1992, 1, 30), region=Region.EASTERN_EUROPE)
    p = ParticipatingStateFactory(name="P", region=Region.ASIAN_PARTNERS, is_partner=True)
    treaty = InstrumentFactory(code="t", short_name="T", thematic_areas=[crime])
    resolution = InstrumentFactory(
        code="r",
        short_name="R",
        kind=Instrument.Kind.RESOLUTION,
        family=Instrument.Family.WMD,
        thematic_areas=[wmd],
    )
    CommitmentFactory(state=a, instrument=treaty, status=CS.RATIFIED, date=date(2005, 3, 1))
    CommitmentFactory(state=b, instrument=treaty, status=CS.SIGNED, date=date(2001, 1, 1))
    CommitmentFactory(state=p, instrument=treaty, status=CS.RATIFIED, date=date(2005, 1, 1))
    CommitmentFactory(state=a, instrument=resolution, status=CS.REPORT_SUBMITTED, date=date(2008, 5, 1))
    CommitmentFactory(state=c, instrument=resolution, status=CS.ACTION_PLAN, date=date(2010, 1, 1))
    # Operated by an office hosted by the partner, so no other participating State appears.
    office = FieldOperationFactory(host_state=p)
    accepted = ActivityReportFactory(
        structure=office,
        status=ActivityReport.Status.ACCEPTED,
        submitted_at=SUBMITTED_AT,
        first_submitted_at=SUBMITTED_AT,
    )
    ReportedActivityFactory(report=accepted, state=c, activity_type=ActivityType.LEGAL_ASSISTANCE, thematic_areas=[thb])
    return {"a": a, "b": b, "c": c, "crime": crime, "thb": thb, "wmd": wmd}


@pytest.fixture
def decisions(db):
    m1 = MandateFactory(code="MC.DEC/1/10", year=2010)
    m2 = MandateFactory(code="MC.DEC/2/09", year=2009)
    m3 = MandateFactory(code="MC.DEC/3/05", year=2005)
    Mandate.objects.create(
        code="PROPOSAL/2010/1", title="Suggestion", year=2010, body="PC", status=Mandate.Status.PROPOSED
    )
    ProjectFactory(start=date(2010, 2, 1), end=date(2010, 11, 30), status=Project.Status.ONGOING).mandates.add(m1)
    ProjectFactory(start=date(2010, 3, 1), end=date(2010, 9, 30), status=Project.Status.PROPOSAL).mandates.add(m2)
    ProjectFactory(start=date(2007, 1, 1), end=date(2008, 12, 31), status=Project.Status.COMPLETED).mandates.add(m3)
    return {"m1": m1, "m2": m2, "m3": m3}
