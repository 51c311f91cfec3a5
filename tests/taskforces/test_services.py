from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from programmes.events.models import Event
from taskforces import services
from taskforces.models import ActionItem, AgendaItem, Attendance, Meeting
from tests.factories import (
    ExecutiveStructureFactory,
    FieldOperationFactory,
    ParticipatingStateFactory,
    ThematicAreaFactory,
)
from tests.taskforces.factories import MeetingFactory, TaskForceFactory, TaskForceMemberFactory

pytestmark = pytest.mark.django_db


def _titles(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("position", "title"))


class TestAgendaOrdering:
    def test_items_are_appended_in_order(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        for title in ("Adoption of the agenda", "Review of actions", "Any other business"):
            services.agenda_item_add(actor=None, meeting=meeting, title=title)
        assert _titles(meeting) == [(1, "Adoption of the agenda"), (2, "Review of actions"),
                                    (3, "Any other business")]

    def test_inserting_at_a_position_shifts_the_later_items(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        for title in ("A", "B", "C"):
            services.agenda_item_add(actor=None, meeting=meeting, title=title)
        services.agenda_item_add(actor=None, meeting=meeting, title="Inserted", position=2)
        assert _titles(meeting) == [(1, "A"), (2, "Inserted"), (3, "B"), (4, "C")]

    def test_reorder_gives_the_requested_order(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        a, b, c = (services.agenda_item_add(actor=None, meeting=meeting, title=t) for t in ("A", "B", "C"))
        services.agenda_reorder(actor=None, meeting=meeting, item_ids=[c.pk, a.pk, b.pk])
        assert _titles(meeting) == [(1, "C"), (2, "A"), (3, "B")]

    def test_reorder_must_list_every_item_once(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        a, _b = (services.agenda_item_add(actor=None, meeting=meeting, title=t) for t in ("A", "B"))
        with pytest.raises(ValidationError) as excinfo:
            services.agenda_reorder(actor=None, meeting=meeting, item_ids=[a.pk, a.pk])
        assert "item_ids" in excinfo.value.message_dict
        assert _titles(meeting) == [(1, "A"), (2, "B")]

    def test_move_and_delete_keep_positions_contiguous(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        a, _b, c = (services.agenda_item_add(actor=None, meeting=meeting, title=t) for t in ("A", "B", "C"))
        services.agenda_item_move(actor=None, item=AgendaItem.objects.get(pk=c.pk), offset=-1)
        assert _titles(meeting) == [(1, "A"), (2, "C"), (3, "B")]
        services.agenda_item_delete(actor=None, item=AgendaItem.objects.get(pk=a.pk))
        assert _titles(meeting) == [(1, "C"), (2, "B")]


class TestAttendance:
    def test_members_are_recorded(self, task_force, member_unit):
        meeting = MeetingFactory(task_force=task_force)
        member = task_force.members.get(structure=member_unit)
        services.attendance_set(actor=None, meeting=meeting, entries={member.pk: Attendance.Presence.REMOTE})
        assert list(meeting.attendance.values_list("member__structure__acronym", "presence")) == [
            ("SPMU", "remote")]

    def test_a_member_of_another_task_force_is_refused(self, task_force, member_unit):
        meeting = MeetingFactory(task_force=task_force)
        stranger = TaskForceMemberFactory(task_force=TaskForceFactory())
        with pytest.raises(ValidationError) as excinfo:
            services.attendance_set(actor=None, meeting=meeting, entries={stranger.pk: "present"})
        assert "member" in excinfo.value.message_dict
        assert not meeting.attendance.exists()


class TestMeetingOnTheJointCalendar:
    def test_creating_a_meeting_creates_a_timed_task_force_event(self, task_force):
        task_force.thematic_areas.set([ThematicAreaFactory()])
        starts = datetime(2010, 10, 13, 8, 0, tzinfo=UTC)
        meeting = services.meeting_create(actor=None, task_force=task_force, starts_at=starts, timezone="Europe/Vienna",
                                          place="Hofburg, Vienna", duration_minutes=90)
        event = Event.objects.get(pk=meeting.event_id)
        assert event.format == Event.Format.TASKFORCE_MEETING
        assert event.start_at == starts and event.end_at == datetime(2010, 10, 13, 9, 30, tzinfo=UTC)
        assert event.timezone == "Europe/Vienna" and event.all_day is False
        assert event.start_date == date(2010, 10, 13)
        assert event.lead_structure_id == task_force.chair_structure_id
        assert event.thematic_areas.count() == 1

    def test_moving_and_cancelling_the_meeting_updates_the_event(self, task_force):
        ThematicAreaFactory()
        meeting = services.meeting_create(actor=None, task_force=task_force,
                                          starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC), place="Vienna")
        meeting = services.meeting_update(actor=None, meeting=meeting, data={"starts_at": datetime(2010, 10, 20, 8, 0,
                                                                                       tzinfo=UTC)})
        event = Event.objects.get(pk=meeting.event_id)
        assert event.start_date == date(2010, 10, 20)
        assert event.sequence >= 1
        services.meeting_cancel(actor=None, meeting=meeting)
        event.refresh_from_db()
        assert event.status == Event.Status.CANCELLED
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED

    def test_a_meeting_needs_a_place_or_online(self, task_force):
        with pytest.raises(ValidationError):
            services.meeting_create(actor=None, task_force=task_force,
                                    starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC))
        assert not Meeting.objects.exists()
        assert not Event.objects.exists()


class TestActionItems:
    def test_the_deadline_zone_comes_from_the_owner_structure(self, task_force):
        tajikistan = ParticipatingStateFactory(iso_code="TJ", name="Tajikistan")
        office = FieldOperationFactory(host_state=tajikistan)
        action = services.action_item_create(actor=None, task_force=task_force, what="Send figures",
                                             owner_structure=office, due_date=date(2010, 10, 29))
        assert ActionItem.objects.get(pk=action.pk).due_timezone == "Asia/Dushanbe"

    def test_closing_records_the_date_and_reopening_clears_it(self, task_force):
        action = services.action_item_create(actor=None, task_force=task_force, what="X",
                                             owner_structure=ExecutiveStructureFactory(), due_date=date(2010, 10, 1))
        services.action_item_update(actor=None, action=action, data={"status": "done"})
        assert ActionItem.objects.get(pk=action.pk).completed_on is not None
        services.action_item_update(actor=None, action=action, data={"status": "open"})
        assert ActionItem.objects.get(pk=action.pk).completed_on is None

    def test_a_decision_from_another_meeting_is_refused(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        other = services.decision_create(actor=None, meeting=MeetingFactory(task_force=task_force,
                                                                starts_at=datetime(2010, 9, 1, tzinfo=UTC)),
                                         text="Other")
        with pytest.raises(ValidationError) as excinfo:
            services.action_item_create(actor=None, task_force=task_force, meeting=meeting, decision=other, what="Y",
                                        owner_structure=ExecutiveStructureFactory(), due_date=date(2010, 11, 1))
        assert "decision" in excinfo.value.message_dict
        assert not ActionItem.objects.exists()

    def test_progress_note_can_close_the_action(self, action, owner_user):
        services.action_progress_add(action=action, actor=owner_user, text="Concept note sent.", status="done")
        action.refresh_from_db()
        assert action.status == "done"
        assert action.progress_notes.get().text == "Concept note sent."

    def test_an_empty_progress_note_is_refused(self, action, owner_user):
        with pytest.raises(ValidationError):
            services.action_progress_add(action=action, actor=owner_user, text="  ")
        assert not action.progress_notes.exists()


def test_decisions_are_numbered_per_meeting(task_force):
    meeting = MeetingFactory(task_force=task_force)
    first = services.decision_create(actor=None, meeting=meeting, text="First")
    second = services.decision_create(actor=None, meeting=meeting, text="Second")
    assert (first.number, second.number) == (1, 2)
    assert meeting.decisions.count() == 2
