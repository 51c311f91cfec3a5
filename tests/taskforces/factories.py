"""Factories for task forces. Meetings made here have no calendar entry; tests of the calendar link use the
services, which create it."""

from datetime import UTC, date, datetime

import factory

from taskforces.models import ActionItem, AgendaItem, Decision, Meeting, TaskForce, TaskForceMember
from tests.factories import ExecutiveStructureFactory


class TaskForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskForce

    name = factory.Sequence(lambda n: f"Task Force {n}")
    acronym = factory.Sequence(lambda n: f"TF{n}")
    slug = factory.Sequence(lambda n: f"task-force-{n}")
    chair_structure = factory.SubFactory(ExecutiveStructureFactory)
    meeting_frequency = TaskForce.Frequency.MONTHLY
    active = True
    publishes_to_delegations = True


class TaskForceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskForceMember

    task_force = factory.SubFactory(TaskForceFactory)
    structure = factory.SubFactory(ExecutiveStructureFactory)
    role = TaskForceMember.Role.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    task_force = factory.SubFactory(TaskForceFactory)
    starts_at = datetime(2010, 10, 13, 8, 0, tzinfo=UTC)
    timezone = "Europe/Vienna"
    place = "Vienna"
    status = Meeting.Status.HELD
    published = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Decision text {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    task_force = factory.SubFactory(TaskForceFactory)
    what = factory.Sequence(lambda n: f"Action {n}")
    owner_structure = factory.SubFactory(ExecutiveStructureFactory)
    due_date = date(2010, 11, 30)
    due_timezone = "Europe/Vienna"
    status = ActionItem.Status.OPEN
