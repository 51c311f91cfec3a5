"""A small hand-made data set whose figures are worked out by hand in the tests (see EXPECTED in test_figures).

Period of interest: Q1 2010 (1 January – 31 March 2010); "today" is 1 June 2010 unless a test says otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from osce_tnt.reporting.figures import Filters
from osce_tnt.reporting.models import GeneratedReport
from programmes.activity.models import ActivityReport, ReportedActivity, ReportingObligation
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, Project, Region
from tests.factories import (
    DonorPledgeFactory,
    EventFactory,
    ExecutiveStructureFactory,
    FieldOperationFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
)

Q1_START, Q1_END = date(2010, 1, 1), date(2010, 3, 31)
TODAY = date(2010, 6, 1)
Q1 = Filters(start=Q1_START, end=Q1_END)


class GeneratedReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneratedReport

    title = factory.Sequence(lambda n: f"Report {n}")
    scope_kind = GeneratedReport.ScopeKind.ALL
    period_start = Q1_START
    period_end = Q1_END


@dataclass
class Dataset:
    terrorism: object
    crime: object
    cyber: object
    travel: object
    thb: object
    cybercrime: object
    s1: object
    s2: object
    s3: object
    donor: object
    fo1: object
    fo2: object
    unit: object
    unodc: object
    interpol: object
    p1: object
    p2: object
    p3: object
    p4: object
    p5: object
    p6: object
    e1: object
    e2: object
    e3: object
    e4: object
    e5: object
    r1: object
    r2: object
    a1: object
    a2: object
    a3: object


def _submitted(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def build_dataset() -> Dataset:
    terrorism = ThematicAreaFactory(name="Terrorism", short_name="CT", code="ct", position=1)
    crime = ThematicAreaFactory(name="Organised crime", short_name="OC", code="oc", position=2)
    cyber = ThematicAreaFactory(name="Cyber security", short_name="CY", code="cy", position=3)
    travel = ThematicAreaFactory(name="Travel documents", short_name="TD", code="td", parent=terrorism)
    thb = ThematicAreaFactory(name="Trafficking in human beings", short_name="THB", code="thb", parent=crime)
    cybercrime = ThematicAreaFactory(name="Cybercrime", short_name="CC", code="cc", parent=crime)

    s1 = ParticipatingStateFactory(name="Kazakhstan", iso_code="KZ", region=Region.CENTRAL_ASIA)
    s2 = ParticipatingStateFactory(name="Serbia", iso_code="RS", region=Region.SOUTH_EASTERN_EUROPE)
    s3 = ParticipatingStateFactory(name="Moldova", iso_code="MD", region=Region.EASTERN_EUROPE)
    donor = ParticipatingStateFactory(name="Norway", iso_code="NO", region=Region.NORTHERN_EUROPE)

    fo1 = FieldOperationFactory(name="Centre in Astana", acronym="ASTANA", host_state=s1, region=Region.CENTRAL_ASIA)
    fo2 = FieldOperationFactory(
        name="Mission to Serbia", acronym="MSERB", host_state=s2, region=Region.SOUTH_EASTERN_EUROPE
    )
    unit = ExecutiveStructureFactory(
        name="Action against Terrorism Unit", acronym="ATU", kind=ExecutiveStructure.Kind.THEMATIC_UNIT
    )
    unodc = PartnerOrganisationFactory(name="UN Office on Drugs and Crime", acronym="UNODC")
    interpol = PartnerOrganisationFactory(name="INTERPOL", acronym="INTERPOL")

    ub, exb = Project.FundingSource.UB, Project.FundingSource.EXB
    p1 = ProjectFactory(
        code="P1",
        funding_source=exb,
        budget=Decimal("100000"),
        status=Project.Status.ONGOING,
        start=date(2009, 6, 1),
        end=date(2010, 12, 31),
        lead_structure=fo1,
        thematic_areas=[travel, thb, cybercrime],
        beneficiary_states=[s1],
        partner_organisations=[unodc],
    )
    p2 = ProjectFactory(
        code="P2",
        funding_source=ub,
        budget=Decimal("40000"),
        status=Project.Status.COMPLETED,
        start=date(2009, 1, 1),
        end=date(2010, 2, 28),
        lead_structure=unit,
        thematic_areas=[crime],
        beneficiary_states=[s2],
    )
    p3 = ProjectFactory(
        code="P3",
        funding_source=exb,
        budget=Decimal("25000"),
        status=Project.Status.APPROVED,
        start=date(2010, 3, 1),
        end=date(2011, 1, 1),
        lead_structure=unit,
        thematic_areas=[terrorism, cyber],
        partner_organisations=[unodc, interpol],
    )
    p4 = ProjectFactory(
        code="P4",
        funding_source=exb,
        budget=Decimal("999000"),
        status=Project.Status.PROPOSAL,
        start=date(2010, 1, 1),
        end=date(2010, 12, 31),
        lead_structure=unit,
        thematic_areas=[cyber],
    )
    p5 = ProjectFactory(
        code="P5",
        funding_source=ub,
        budget=Decimal("50000"),
        status=Project.Status.CANCELLED,
        start=date(2010, 1, 1),
        end=date(2010, 12, 31),
        lead_structure=unit,
        thematic_areas=[terrorism],
    )
    p6 = ProjectFactory(
        code="P6",
        funding_source=ub,
        budget=Decimal("7000"),
        status=Project.Status.ONGOING,
        start=date(2011, 1, 1),
        end=date(2011, 12, 31),
        lead_structure=unit,
        thematic_areas=[terrorism],
    )
    DonorPledgeFactory(project=p1, donor_state=donor, amount=Decimal("60000"), pledged_on=date(2010, 2, 1))
    DonorPledgeFactory(project=p1, donor_state=s2, amount=Decimal("10000"), pledged_on=date(2009, 5, 1))
    DonorPledgeFactory(project=p3, donor_state=donor, amount=Decimal("5000"), pledged_on=date(2010, 3, 15))
    DonorPledgeFactory(project=p4, donor_state=donor, amount=Decimal("300000"), pledged_on=date(2010, 3, 1))

    public, internal = Event.Visibility.PUBLIC, Event.Visibility.INTERNAL
    e1 = EventFactory(
        title="E1",
        status=Event.Status.HELD,
        visibility=public,
        thematic_areas=[terrorism, thb],
        state=s1,
        lead_structure=fo1,
        start_date=date(2010, 2, 10),
    )
    e1.partner_organisations.set([unodc])
    e2 = EventFactory(
        title="E2",
        status=Event.Status.PLANNED,
        visibility=public,
        thematic_areas=[crime],
        state=s2,
        lead_structure=fo2,
        start_date=date(2010, 3, 20),
    )
    e3 = EventFactory(
        title="E3",
        status=Event.Status.HELD,
        visibility=internal,
        thematic_areas=[cyber, terrorism],
        state=s1,
        lead_structure=unit,
        start_date=date(2010, 1, 15),
    )
    e4 = EventFactory(
        title="E4",
        status=Event.Status.CANCELLED,
        visibility=public,
        thematic_areas=[terrorism],
        state=s3,
        lead_structure=unit,
        start_date=date(2010, 2, 1),
    )
    e5 = EventFactory(
        title="E5",
        status=Event.Status.CONFIRMED,
        visibility=public,
        thematic_areas=[cyber],
        state=None,
        lead_structure=unit,
        start_date=date(2010, 3, 30),
    )

    for structure in (fo1, fo2):
        ReportingObligation.objects.create(
            structure=structure, frequency="quarterly", deadline_days=30, starts_on=date(2009, 1, 1)
        )
    r1 = ActivityReport.objects.create(
        structure=fo1,
        period_start=Q1_START,
        period_end=Q1_END,
        due_on=date(2010, 4, 30),
        status=ActivityReport.Status.ACCEPTED,
        first_submitted_at=_submitted(date(2010, 4, 10)),
        submitted_at=_submitted(date(2010, 4, 10)),
    )
    r2 = ActivityReport.objects.create(
        structure=fo2,
        period_start=Q1_START,
        period_end=Q1_END,
        due_on=date(2010, 4, 30),
        status=ActivityReport.Status.DRAFT,
    )
    a1 = ReportedActivity.objects.create(
        report=r1,
        title="A1",
        activity_type="training",
        state=s1,
        start=date(2010, 1, 20),
        end=date(2010, 1, 22),
        participants_women=5,
        participants_men=10,
        participants_unrecorded=2,
        results="Trained.",
    )
    a1.thematic_areas.set([travel])
    a1.partner_organisations.set([unodc])
    a2 = ReportedActivity.objects.create(
        report=r1,
        title="A2",
        activity_type="awareness",
        state=s1,
        start=date(2010, 2, 2),
        end=date(2010, 2, 2),
        participants_women=20,
        participants_men=3,
        participants_unrecorded=0,
        results="Aware.",
    )
    a2.thematic_areas.set([thb, crime])
    # A draft: its numbers must never reach any figure.
    a3 = ReportedActivity.objects.create(
        report=r2,
        title="A3 draft",
        activity_type="training",
        state=s2,
        start=date(2010, 3, 1),
        end=date(2010, 3, 2),
        participants_women=100,
        participants_men=100,
        participants_unrecorded=0,
        results="Draft.",
    )
    a3.thematic_areas.set([terrorism])
    return Dataset(
        terrorism,
        crime,
        cyber,
        travel,
        thb,
        cybercrime,
        s1,
        s2,
        s3,
        donor,
        fo1,
        fo2,
        unit,
        unodc,
        interpol,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6,
        e1,
        e2,
        e3,
        e4,
        e5,
        r1,
        r2,
        a1,
        a2,
        a3,
    )


def add_vacancy_and_overdue_action():
    """A network expecting one focal point per State (none appointed) and one overdue task-force action, raised at
    published minutes of a task force that publishes to delegations (so every audience may count it)."""
    from focal_points.models import Network
    from taskforces.models import ActionItem, Meeting, TaskForce

    network = Network.objects.create(name="Counter-Terrorism Network", slug="ctn", expects_one_per_state=True)
    chair = ExecutiveStructureFactory(acronym="OSG", name="Office of the Secretary General")
    task_force = TaskForce.objects.create(
        name="Task Force on Organized Crime",
        acronym="TFOC",
        slug="tfoc",
        chair_structure=chair,
        publishes_to_delegations=True,
    )
    meeting = Meeting.objects.create(
        task_force=task_force, starts_at=datetime(2010, 4, 1, 8, 0, tzinfo=UTC), place="Vienna", published=True
    )
    ActionItem.objects.create(
        task_force=task_force,
        meeting=meeting,
        what="Circulate the draft concept note",
        owner_structure=chair,
        due_date=date(2010, 5, 1),
    )
    ActionItem.objects.create(
        task_force=task_force, what="Not yet due", owner_structure=chair, due_date=date(2010, 7, 1)
    )
    return network, task_force


def add_overdue_actions_delegations_may_not_see():
    """Overdue actions that only staff may count: one in a task force that does not publish to delegations, one
    raised at minutes that are not published yet."""
    from taskforces.models import ActionItem, Meeting, TaskForce

    owner = ExecutiveStructureFactory(acronym="TNTD", name="Transnational Threats Department")
    hidden = TaskForce.objects.create(
        name="Internal Working Group on Cyber Incidents",
        acronym="IWGC",
        slug="iwgc",
        chair_structure=owner,
        publishes_to_delegations=False,
    )
    shown = TaskForce.objects.create(
        name="Task Force on Border Management",
        acronym="TFBM",
        slug="tfbm",
        chair_structure=owner,
        publishes_to_delegations=True,
    )
    draft_minutes = Meeting.objects.create(
        task_force=shown, starts_at=datetime(2010, 4, 2, 8, 0, tzinfo=UTC), place="Vienna", published=False
    )
    ActionItem.objects.create(
        task_force=hidden, what="Hidden follow-up", owner_structure=owner, due_date=date(2010, 5, 2)
    )
    ActionItem.objects.create(
        task_force=shown,
        meeting=draft_minutes,
        what="Follow-up of draft minutes",
        owner_structure=owner,
        due_date=date(2010, 5, 3),
    )
    return hidden, shown
