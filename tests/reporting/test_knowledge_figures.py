"""The knowledge gaps the dashboards and reports show, on a small data set worked out by hand.

States A and B (Central Asia), C (Eastern Europe) and a partner P. Treaty T (organised crime) and the UNSCR 1540
resolution R (non-proliferation). T: A ratified in 2005, B signed in 2001, C nothing, P ratified (never counted).
R: A submitted a report in 2008, C adopted an action plan in January 2010. An accepted legal-assistance activity on
trafficking (a sub-area of organised crime) took place in C in April 2010.

Decisions: M1 has a published project running in 2010; M2 only a proposal running in 2010; M3 a project that ended
in 2008; a suggestion (PROPOSAL/…) has no work at all."""

from datetime import UTC, date, datetime

import pytest

from knowledge.models import CommitmentStatus as CS
from knowledge.models import Instrument
from osce_tnt.reporting import figures, knowledge_figures
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
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

pytestmark = pytest.mark.django_db

START, END, TODAY = date(2010, 1, 1), date(2010, 12, 31), date(2010, 6, 11)
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


def test_legal_gaps_per_instrument_leave_out_states_bound_or_assisted(legal):
    result = knowledge_figures.legal_gap_figures(start=START, end=END, today=TODAY)

    # A ratified; C is not bound but had OSCE legal assistance on a sub-area of T's area; B is the gap.
    assert result["rows"] == [["T", 1, "B"]]
    assert result["on"] == "2010-06-11"


def test_legal_gaps_before_the_assistance_took_place(legal):
    result = knowledge_figures.legal_gap_figures(start=START, end=date(2010, 3, 31), today=TODAY)

    assert result["rows"] == [["T", 2, "B, C"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": Region.EASTERN_EUROPE}, []),
        ({"region": Region.CENTRAL_ASIA}, [["T", 1, "B"]]),
        ({"state": "a"}, []),
        ({"area": "thb"}, [["T", 1, "B"]]),
        ({"area": "wmd"}, []),
    ],
)
def test_legal_gaps_follow_the_region_state_and_area_filters(legal, filters, expected):
    area = legal[filters["area"]] if "area" in filters else None
    result = knowledge_figures.legal_gap_figures(
        start=START,
        end=END,
        today=TODAY,
        region=filters.get("region", ""),
        state_id=legal[filters["state"]].pk if "state" in filters else None,
        area_id=area.pk if area else None,
        area_top_id=(area.parent_id or area.pk) if area else None,
    )

    assert result["rows"] == expected


def test_states_without_an_action_plan_grouped_by_their_furthest_step(legal):
    result = knowledge_figures.action_plan_figures(end=END, today=TODAY)
    in_2009 = knowledge_figures.action_plan_figures(end=date(2009, 12, 31), today=TODAY)

    assert result["rows"] == [["National report submitted", 1, "A"], ["Nothing recorded", 1, "B"]]
    assert in_2009["rows"] == [["National report submitted", 1, "A"], ["Nothing recorded", 2, "B, C"]]


def test_action_plan_gaps_only_under_a_matching_area(legal):
    crime = legal["crime"]

    assert (
        knowledge_figures.action_plan_figures(end=END, today=TODAY, area_id=crime.pk, area_top_id=crime.pk)["rows"]
        == []
    )
    assert (
        len(
            knowledge_figures.action_plan_figures(
                end=END, today=TODAY, area_id=legal["wmd"].pk, area_top_id=legal["wmd"].pk
            )["rows"]
        )
        == 2
    )


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


def _decision_rows(audience):
    scope = Filters()
    return knowledge_figures.decision_gap_figures(
        projects=figures.projects(scope, audience),
        events=figures.events(scope, audience),
        activities=figures.activities(scope),
        start=START,
        end=END,
    )["rows"]


def test_decisions_without_published_work_for_the_public(decisions):
    # The proposal under M2 is not published work; M3's project ended in 2008; the suggestion is not a decision.
    assert [(code, last) for code, _title, last in _decision_rows(PUBLIC)] == [
        ("MC.DEC/2/09", "never"),
        ("MC.DEC/3/05", "2008-12-31"),
    ]


def test_staff_count_proposals_as_work(decisions):
    assert [(code, last) for code, _title, last in _decision_rows(STAFF)] == [("MC.DEC/3/05", "2008-12-31")]
