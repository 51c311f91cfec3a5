from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
        assert _titles(meeting) == [(1, "Adoption of the agenda"), (2, "Review of actions"), (3, "Any other business")]

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
        assert list(meeting.attendance.values_list("member__structure__acronym", "presence")) == [("SPMU", "remote")]

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
        meeting = services.meeting_create(
            actor=None,
            task_force=task_force,
            starts_at=starts,
            timezone="Europe/Vienna",
            place="Hofburg, Vienna",
            duration_minutes=90,
        )
        event = Event.objects.get(pk=meeting.event_id)
        assert event.format == Event.Format.TASKFORCE_MEETING
        assert event.start_at == starts and event.end_at == datetime(2010, 10, 13, 9, 30, tzinfo=UTC)
        assert event.timezone == "Europe/Vienna" and event.all_day is False
        assert event.start_date == date(2010, 10, 13)
        assert event.lead_structure_id == task_force.chair_structure_id
        assert event.thematic_areas.count() == 1

    def test_moving_and_cancelling_the_meeting_updates_the_event(self, task_force):
        ThematicAreaFactory()
        meeting = services.meeting_create(
            actor=None, task_force=task_force, starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC), place="Vienna"
        )
        meeting = services.meeting_update(
            actor=None, meeting=meeting, data={"starts_at": datetime(2010, 10, 20, 8, 0, tzinfo=UTC)}
        )
        event = Event.objects.get(pk=meeting.event_id)
        assert event.start_date == date(2010, 10, 20)
        assert event.sequence >= 1
        services.meeting_update(actor=None, meeting=meeting, data={"status": Meeting.Status.CANCELLED})
        event.refresh_from_db()
        assert event.status == Event.Status.CANCELLED
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED

    def test_a_meeting_needs_a_place_or_online(self, task_force):
        with pytest.raises(ValidationError):
            services.meeting_create(
                actor=None, task_force=task_force, starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC)
            )
        assert not Meeting.objects.exists()
        assert not Event.objects.exists()


class TestActionItems:
    def test_the_deadline_zone_comes_from_the_owner_structure(self, task_force):
        tajikistan = ParticipatingStateFactory(iso_code="TJ", name="Tajikistan")
        office = FieldOperationFactory(host_state=tajikistan)
        action = services.action_item_create(
            actor=None, task_force=task_force, what="Send figures", owner_structure=office, due_date=date(2010, 10, 29)
        )
        assert ActionItem.objects.get(pk=action.pk).due_timezone == "Asia/Dushanbe"

    def test_closing_records_the_date_and_reopening_clears_it(self, task_force):
        action = services.action_item_create(
            actor=None,
            task_force=task_force,
            what="X",
            owner_structure=ExecutiveStructureFactory(),
            due_date=date(2010, 10, 1),
        )
        services.action_item_update(actor=None, action=action, data={"status": "done"})
        assert ActionItem.objects.get(pk=action.pk).completed_on is not None
        services.action_item_update(actor=None, action=action, data={"status": "open"})
        assert ActionItem.objects.get(pk=action.pk).completed_on is None

    def test_a_decision_from_another_meeting_is_refused(self, task_force):
        meeting = MeetingFactory(task_force=task_force)
        other = services.decision_create(
            actor=None,
            meeting=MeetingFactory(task_force=task_force, starts_at=datetime(2010, 9, 1, tzinfo=UTC)),
            text="Other",
        )
        with pytest.raises(ValidationError) as excinfo:
            services.action_item_create(
                actor=None,
                task_force=task_force,
                meeting=meeting,
                decision=other,
                what="Y",
                owner_structure=ExecutiveStructureFactory(),
                due_date=date(2010, 11, 1),
            )
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


class TestRowRulesInTheServices:
    """The task-force rule holds whoever calls the service, not only behind the pages and the API."""

    def test_a_field_user_outside_the_task_force_cannot_create_a_meeting(self, task_force, field_outsider):
        ThematicAreaFactory()
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                actor=field_outsider,
                task_force=task_force,
                starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC),
                online=True,
            )
        assert not Meeting.objects.exists()
        assert not Event.objects.exists()

    def test_a_field_member_creates_a_meeting_of_their_task_force(self, task_force, field_member):
        ThematicAreaFactory()
        meeting = services.meeting_create(
            actor=field_member, task_force=task_force, starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC), online=True
        )
        assert Meeting.objects.get().pk == meeting.pk

    def test_an_outsider_cannot_change_the_agenda_decisions_or_attendance(
        self, task_force, field_outsider, member_unit
    ):
        meeting = MeetingFactory(task_force=task_force)
        item = services.agenda_item_add(actor=None, meeting=meeting, title="Adoption of the agenda")
        member = task_force.members.get(structure=member_unit)
        calls = [
            lambda: services.agenda_item_add(actor=field_outsider, meeting=meeting, title="Intruder"),
            lambda: services.agenda_item_update(actor=field_outsider, item=item, data={"title": "Changed"}),
            lambda: services.agenda_item_delete(actor=field_outsider, item=item),
            lambda: services.decision_create(actor=field_outsider, meeting=meeting, text="Decided elsewhere"),
            lambda: services.attendance_set(actor=field_outsider, meeting=meeting, entries={member.pk: "present"}),
            lambda: services.meeting_update(actor=field_outsider, meeting=meeting, data={"place": "Baku"}),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
        assert _titles(meeting) == [(1, "Adoption of the agenda")]
        assert not meeting.decisions.exists()
        assert not meeting.attendance.exists()
        assert Meeting.objects.get(pk=meeting.pk).place == "Vienna"

    def test_an_outsider_cannot_update_an_action_or_add_progress(self, action, field_outsider):
        with pytest.raises(PermissionDenied):
            services.action_item_update(actor=field_outsider, action=action, data={"status": "done"})
        with pytest.raises(PermissionDenied):
            services.action_progress_add(actor=field_outsider, action=action, text="Done.", status="done")
        assert ActionItem.objects.get(pk=action.pk).status == "open"
        assert not action.progress_notes.exists()

    def test_the_named_owner_outside_the_task_force_may_report_progress(self, task_force, member_unit, field_outsider):
        owned = services.action_item_create(
            actor=None,
            task_force=task_force,
            what="Send the figures",
            owner_structure=member_unit,
            owner=field_outsider,
            due_date=date(2010, 10, 29),
        )
        services.action_progress_add(actor=field_outsider, action=owned, text="Sent.", status="done")
        assert ActionItem.objects.get(pk=owned.pk).status == "done"
        assert owned.progress_notes.get().author == field_outsider

    def test_an_outsider_cannot_request_a_meeting_pack(self, published_meeting, field_outsider):
        with pytest.raises(PermissionDenied):
            services.meeting_pack_request(actor=field_outsider, meeting=published_meeting)
        assert not published_meeting.packs.exists()


class TestDeleteServices:
    def test_meeting_delete_removes_the_calendar_entry(self, task_force, secretariat_user):
        ThematicAreaFactory()
        meeting = services.meeting_create(
            actor=secretariat_user,
            task_force=task_force,
            starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC),
            online=True,
        )
        assert Event.objects.filter(pk=meeting.event_id).exists()
        services.meeting_delete(actor=secretariat_user, meeting=meeting)
        assert not Meeting.objects.filter(pk=meeting.pk).exists()
        assert not Event.objects.filter(pk=meeting.event_id).exists()

    def test_an_outsider_cannot_delete_a_meeting(self, task_force, field_outsider):
        meeting = MeetingFactory(task_force=task_force)
        with pytest.raises(PermissionDenied):
            services.meeting_delete(actor=field_outsider, meeting=meeting)
        assert Meeting.objects.filter(pk=meeting.pk).exists()

    def test_a_member_who_owns_open_actions_is_not_removed(self, task_force, member_unit, action):
        member = task_force.members.get(structure=member_unit)
        with pytest.raises(ValidationError):
            services.member_remove(actor=None, member=member)
        assert task_force.members.filter(pk=member.pk).exists()
        services.action_item_update(actor=None, action=action, data={"status": "done"})
        services.member_remove(actor=None, member=member)
        assert not task_force.members.filter(pk=member.pk).exists()
