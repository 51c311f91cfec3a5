import pytest

from programmes.permissions import Role
from tests.factories import ExecutiveStructureFactory, FieldOperationFactory, make_user
from tests.taskforces.factories import (
    ActionItemFactory,
    MeetingFactory,
    TaskForceFactory,
    TaskForceMemberFactory,
)


@pytest.fixture
def task_force(db):
    return TaskForceFactory(
        name="Task Force on Transnational Threats",
        acronym="TF-TNT",
        slug="transnational-threats",
        publishes_to_delegations=True,
    )


@pytest.fixture
def member_operation(task_force):
    """A field operation that sits on the task force."""
    operation = FieldOperationFactory(acronym="OiT", name="OSCE Office in Tajikistan")
    TaskForceMemberFactory(task_force=task_force, structure=operation)
    return operation


@pytest.fixture
def member_unit(task_force):
    unit = ExecutiveStructureFactory(acronym="SPMU", name="Strategic Police Matters Unit")
    TaskForceMemberFactory(task_force=task_force, structure=unit)
    return unit


@pytest.fixture
def field_member(member_operation):
    return make_user(
        Role.FIELD, structure=member_operation, email="oit@example.org", first_name="Dilnoza", last_name="Rahimova"
    )


@pytest.fixture
def field_outsider(db):
    return make_user(Role.FIELD, structure=FieldOperationFactory(acronym="OiBaku"), email="baku@example.org")


@pytest.fixture
def published_meeting(task_force):
    return MeetingFactory(task_force=task_force, published=True, minutes_markdown="Approved **minutes** text.")


@pytest.fixture
def draft_meeting(task_force):
    from datetime import UTC, datetime

    return MeetingFactory(
        task_force=task_force,
        published=False,
        status="planned",
        starts_at=datetime(2010, 11, 10, 9, 0, tzinfo=UTC),
        minutes_markdown="Draft minutes not for delegations.",
    )


@pytest.fixture
def owner_user(member_unit):
    return make_user(
        Role.SECRETARIAT, structure=member_unit, email="owner@example.org", first_name="Anna", last_name="Ownerova"
    )


@pytest.fixture
def action(task_force, published_meeting, member_unit, owner_user):
    return ActionItemFactory(
        task_force=task_force,
        meeting=published_meeting,
        owner_structure=member_unit,
        owner=owner_user,
        what="Draft the concept note on cyber security",
    )
