"""The legal matrix, its gaps and a decision's trace, against fixtures whose answers were worked out by hand."""

from datetime import UTC, date, datetime

import pytest

from knowledge import selectors
from knowledge.models import CommitmentStatus as CS
from knowledge.models import Instrument
from programmes.activity.models import ActivityReport, ActivityType
from programmes.events.models import Event
from programmes.models import Project, Region
from programmes.permissions import Role
from tests.factories import (
    EventFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    ProjectFactory,
    ThematicAreaFactory,
    make_user,
)
from tests.knowledge.factories import CommitmentFactory, InstrumentFactory
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory

REPORT_DAY = date(2010, 6, 11)
SUBMITTED_AT = datetime(2010, 7, 5, 9, 0, tzinfo=UTC)


def report(status=ActivityReport.Status.ACCEPTED, **kwargs):
    """A report that has been submitted once, in ``status``, by an operation hosted by a partner (so the matrix's
    participating States stay those of the fixture)."""
    office = FieldOperationFactory(host_state=ParticipatingStateFactory(is_partner=True))
    return ActivityReportFactory(
        structure=office, status=status, submitted_at=SUBMITTED_AT, first_submitted_at=SUBMITTED_AT, **kwargs
    )


@pytest.fixture
def world(db):
    """Three participating States in 2010, one joining in 2012, and a partner; a treaty and a resolution.

    Treaty T:   A signed 2001 and ratified 2005; B signed (no date, as of 2010-06-11); C ratified 2009 with
                reservations; D (joined 2012) ratified 2013; the partner P ratified 2005 (never counted).
    Resolution: A submitted a report in 2008; C adopted an action plan in 2010."""
    area = ThematicAreaFactory(code="oc", name="Organised crime")
    sub_area = ThematicAreaFactory(code="oc-thb", name="THB", parent=area)
    a = ParticipatingStateFactory(name="A", iso_code="AA", joined=date(1975, 8, 1), region=Region.CENTRAL_ASIA)
    b = ParticipatingStateFactory(name="B", iso_code="BB", joined=date(1992, 1, 30), region=Region.CENTRAL_ASIA)
    c = ParticipatingStateFactory(name="C", iso_code="CC", joined=date(1992, 1, 30), region=Region.EASTERN_EUROPE)
    d = ParticipatingStateFactory(name="D", iso_code="DD", joined=date(2012, 11, 21), region=Region.MONGOLIA)
    p = ParticipatingStateFactory(
        name="P", iso_code="PP", joined=date(2003, 4, 3), region=Region.ASIAN_PARTNERS, is_partner=True
    )
    treaty = InstrumentFactory(code="t", short_name="T", thematic_areas=[area])
    resolution = InstrumentFactory(
        code="r", short_name="R", kind=Instrument.Kind.RESOLUTION, family=Instrument.Family.WMD
    )
    CommitmentFactory(state=a, instrument=treaty, status=CS.SIGNED, date=date(2001, 1, 1))
    CommitmentFactory(state=a, instrument=treaty, status=CS.RATIFIED, date=date(2005, 3, 1))
    CommitmentFactory(state=b, instrument=treaty, status=CS.SIGNED)
    CommitmentFactory(
        state=c,
        instrument=treaty,
        status=CS.RATIFIED,
        date=date(2009, 1, 1),
        as_of=date(2009, 12, 31),
        reservations=True,
    )
    CommitmentFactory(state=d, instrument=treaty, status=CS.RATIFIED, date=date(2013, 1, 1), as_of=date(2013, 6, 1))
    CommitmentFactory(state=p, instrument=treaty, status=CS.RATIFIED, date=date(2005, 1, 1))
    CommitmentFactory(state=a, instrument=resolution, status=CS.REPORT_SUBMITTED, date=date(2008, 5, 1))
    CommitmentFactory(state=c, instrument=resolution, status=CS.ACTION_PLAN, date=date(2010, 1, 1))
    return {
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "p": p,
        "treaty": treaty,
        "resolution": resolution,
        "area": area,
        "sub_area": sub_area,
    }


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2004, 1, 1), {"signed": 1, "none": 2}),
        (date(2009, 6, 30), {"ratified": 2, "none": 1}),
        (REPORT_DAY, {"ratified": 2, "signed": 1}),
        (date(2014, 1, 1), {"ratified": 3, "signed": 1}),  # D counts once it has joined
    ],
)
def test_matrix_counts_states_per_status_on_each_date(world, on, expected):
    matrix = selectors.legal_matrix(on=on, instrument_ids=[world["treaty"].pk])

    assert matrix.counts[world["treaty"].pk] == expected


def test_matrix_counts_a_state_from_its_membership_date_and_never_a_partner(world):
    before = selectors.legal_matrix(on=date(2012, 11, 20))
    after = selectors.legal_matrix(on=date(2012, 11, 21))

    assert [row.state.name for row in before.rows] == ["A", "B", "C"]
    assert [row.state.name for row in after.rows] == ["A", "B", "C", "D"]
    # D joined but has no record yet on its first day.
    assert after.counts[world["treaty"].pk] == {"ratified": 2, "signed": 1, "none": 1}


def test_matrix_filters_by_region(world):
    matrix = selectors.legal_matrix(on=REPORT_DAY, region=Region.CENTRAL_ASIA, instrument_ids=[world["treaty"].pk])

    assert [row.state.name for row in matrix.rows] == ["A", "B"]
    assert matrix.counts[world["treaty"].pk] == {"ratified": 1, "signed": 1}


def test_matrix_cells_show_the_furthest_step_and_reservations(world):
    matrix = selectors.legal_matrix(on=REPORT_DAY)
    cells = {
        (row.state.name, i.code): cell
        for row in matrix.rows
        for i, cell in zip(matrix.instruments, row.cells, strict=True)
    }

    assert cells[("A", "t")].status == CS.RATIFIED
    assert cells[("C", "t")].reservations is True
    assert cells[("A", "t")].reservations is False
    assert cells[("A", "r")].status == CS.REPORT_SUBMITTED
    assert cells[("B", "r")].status is None
    assert matrix.latest_as_of == REPORT_DAY


def test_states_without_action_plan_are_those_whose_furthest_step_is_short_of_a_plan(world):
    gaps = selectors.states_without_action_plan(on=REPORT_DAY)

    assert [(g.state.name, g.cell.status) for g in gaps] == [("A", CS.REPORT_SUBMITTED), ("B", None)]


def test_legal_gap_lists_unbound_states_without_osce_legal_assistance(world):
    assert [(g.state.name, g.instrument.code) for g in selectors.legal_gaps(on=REPORT_DAY)] == [("B", "t")]


def test_accepted_legal_assistance_on_a_sub_area_closes_the_gap(world):
    item_report = report()
    ReportedActivityFactory(
        report=item_report,
        state=world["b"],
        activity_type=ActivityType.LEGAL_ASSISTANCE,
        thematic_areas=[world["sub_area"]],
    )

    assert selectors.legal_gaps(on=REPORT_DAY) == []


@pytest.mark.parametrize(
    ("activity_type", "status"),
    [
        (ActivityType.TRAINING, ActivityReport.Status.ACCEPTED),
        (ActivityType.LEGAL_ASSISTANCE, ActivityReport.Status.SUBMITTED),
    ],
)
def test_training_or_unaccepted_reports_do_not_close_a_legal_gap(world, activity_type, status):
    item_report = report(status)
    ReportedActivityFactory(
        report=item_report, state=world["b"], activity_type=activity_type, thematic_areas=[world["area"]]
    )

    assert [g.state.name for g in selectors.legal_gaps(on=REPORT_DAY)] == ["B"]


def test_legal_assistance_older_than_the_window_does_not_close_the_gap(world):
    item_report = report(period_start=date(2008, 1, 1), period_end=date(2008, 3, 31))
    ReportedActivityFactory(
        report=item_report,
        state=world["b"],
        activity_type=ActivityType.LEGAL_ASSISTANCE,
        thematic_areas=[world["area"]],
    )

    assert [g.state.name for g in selectors.legal_gaps(on=REPORT_DAY)] == ["B"]
    assert selectors.legal_gaps(on=REPORT_DAY, start=date(2008, 1, 1)) == []


def test_gap_summary_counts_both_kinds(world):
    assert selectors.legal_gap_summary(on=REPORT_DAY) == {"treaty_gaps": 1, "without_1540_action_plan": 2}


# --- decisions ---------------------------------------------------------------------------------------------------


@pytest.fixture
def decision_work(db):
    """MC.DEC/4/07-like decision with: project P1 running 2009-2010, a proposal project P2 (2010), an undated
    project P3; a public event of P1 in 2010, an internal one in 2009; an accepted and a draft report item on P1."""
    mandate = MandateFactory(code="MC.DEC/4/07", year=2007)
    p1 = ProjectFactory(start=date(2009, 3, 1), end=date(2010, 6, 30), status=Project.Status.ONGOING)
    p2 = ProjectFactory(start=date(2010, 1, 1), end=date(2010, 12, 31), status=Project.Status.PROPOSAL)
    p3 = ProjectFactory(start=None, end=None, status=Project.Status.APPROVED)
    for project in (p1, p2, p3):
        project.mandates.add(mandate)
    EventFactory(project=p1, start_date=date(2010, 5, 10), visibility=Event.Visibility.PUBLIC)
    EventFactory(project=p1, start_date=date(2009, 11, 2), visibility=Event.Visibility.INTERNAL)
    accepted = report()
    ReportedActivityFactory(report=accepted, project=p1)
    draft = report(ActivityReport.Status.SUBMITTED)
    ReportedActivityFactory(report=draft, project=p1)
    idle = MandateFactory(code="MC.DEC/6/03", year=2003)
    return {"mandate": mandate, "idle": idle, "p1": p1, "p2": p2}


def _counts(trace):
    return {y.year: (y.projects, y.events, y.activities) for y in trace.years}


def test_decision_trace_counts_per_year_for_staff(decision_work, coordinator):
    trace = selectors.mandate_trace(user=coordinator, mandate=decision_work["mandate"], today=date(2011, 1, 1))

    # P1 runs 2009-2010, P2 2010; events in 2009 and 2010; two items (accepted and submitted) start in Q2 2010.
    assert _counts(trace) == {2009: (1, 1, 0), 2010: (2, 1, 2)}
    assert trace.totals == {"projects": 3, "events": 2, "activities": 2}
    assert trace.undated_projects == 1
    assert trace.results_available is False


def test_decision_trace_for_a_delegation_counts_published_work_only(decision_work, delegation_user):
    trace = selectors.mandate_trace(user=delegation_user, mandate=decision_work["mandate"], today=date(2011, 1, 1))

    assert _counts(trace) == {2009: (1, 0, 0), 2010: (1, 1, 1)}
    assert trace.totals == {"projects": 2, "events": 1, "activities": 1}


def test_an_open_ended_project_counts_until_this_year(db, coordinator):
    mandate = MandateFactory()
    ProjectFactory(start=date(2008, 1, 1), end=None).mandates.add(mandate)

    trace = selectors.mandate_trace(user=coordinator, mandate=mandate, today=date(2010, 7, 1))

    assert _counts(trace) == {2008: (1, 0, 0), 2009: (1, 0, 0), 2010: (1, 0, 0)}


def test_decisions_without_work_in_a_period(decision_work, coordinator):
    in_2010 = selectors.mandates_without_work(user=coordinator, start=date(2010, 1, 1), end=date(2010, 12, 31))
    in_2012 = selectors.mandates_without_work(user=coordinator, start=date(2012, 1, 1), end=date(2012, 12, 31))

    assert [g.mandate.code for g in in_2010] == ["MC.DEC/6/03"]
    assert sorted(g.mandate.code for g in in_2012) == ["MC.DEC/4/07", "MC.DEC/6/03"]
    last = {g.mandate.code: g.last_work for g in in_2012}
    assert last == {"MC.DEC/4/07": date(2010, 12, 31), "MC.DEC/6/03": None}


def test_suggested_decisions_are_not_gaps(decision_work, coordinator):
    from programmes.models import Mandate

    Mandate.objects.create(
        code="PROPOSAL/2010/1", title="Suggestion", year=2010, body="PC", status=Mandate.Status.PROPOSED
    )

    gaps = selectors.mandates_without_work(user=coordinator, start=date(2010, 1, 1), end=date(2010, 12, 31))

    assert [g.mandate.code for g in gaps] == ["MC.DEC/6/03"]


def test_field_user_trace_excludes_other_operations_reports(decision_work):
    field = make_user(Role.FIELD)

    trace = selectors.mandate_trace(user=field, mandate=decision_work["mandate"], today=date(2011, 1, 1))

    assert trace.totals["activities"] == 0
