from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from taskforces.models import ActionItem, Attendance, TaskForce, structure_timezone
from taskforces.rendering import render_minutes
from taskforces.selectors import overdue_action_items
from tests.factories import ExecutiveStructureFactory, FieldOperationFactory, ParticipatingStateFactory
from tests.taskforces.factories import ActionItemFactory, MeetingFactory, TaskForceFactory, TaskForceMemberFactory

pytestmark = pytest.mark.django_db


def test_attendance_of_a_structure_outside_the_task_force_is_refused(task_force, member_unit):
    meeting = MeetingFactory(task_force=task_force)
    other_member = TaskForceMemberFactory(task_force=TaskForceFactory())
    row = Attendance(meeting=meeting, member=other_member)
    with pytest.raises(ValidationError) as excinfo:
        row.full_clean()
    assert "member" in excinfo.value.message_dict
    assert not Attendance.objects.exists()


def test_reserved_slug_is_refused():
    task_force = TaskForce(name="Meetings", acronym="M", slug="meetings", chair_structure=ExecutiveStructureFactory())
    with pytest.raises(ValidationError) as excinfo:
        task_force.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_structure_timezone_follows_the_host_state_and_defaults_to_vienna():
    tajikistan = ParticipatingStateFactory(iso_code="TJ", name="Tajikistan")
    assert structure_timezone(FieldOperationFactory(host_state=tajikistan)) == "Asia/Dushanbe"
    assert structure_timezone(ExecutiveStructureFactory(acronym="ATU")) == "Europe/Vienna"
    assert structure_timezone(None) == "Europe/Vienna"


class TestOverdueAcrossTimeZones:
    """An action due on 13 October 2010 becomes overdue at midnight where its owner works."""

    @pytest.fixture
    def actions(self):
        due = date(2010, 10, 13)
        vienna = ActionItemFactory(due_date=due, due_timezone="Europe/Vienna", what="Vienna action")
        dushanbe = ActionItemFactory(due_date=due, due_timezone="Asia/Dushanbe", what="Dushanbe action")
        return vienna, dushanbe

    def test_at_20_30_utc_only_dushanbe_has_passed_midnight(self, actions):
        _vienna, dushanbe = actions
        now = datetime(2010, 10, 13, 20, 30, tzinfo=UTC)  # Vienna 22:30 on the 13th, Dushanbe 01:30 on the 14th
        assert list(overdue_action_items(now=now)) == [dushanbe]

    def test_at_23_30_utc_both_have_passed_midnight(self, actions):
        vienna, dushanbe = actions
        now = datetime(2010, 10, 13, 23, 30, tzinfo=UTC)  # Vienna 01:30 (CEST), Dushanbe 04:30 on the 14th
        assert set(overdue_action_items(now=now)) == {vienna, dushanbe}

    def test_in_winter_23_30_utc_is_already_the_next_day_in_vienna(self):
        action = ActionItemFactory(due_date=date(2010, 1, 13), due_timezone="Europe/Vienna")
        assert not overdue_action_items(now=datetime(2010, 1, 13, 22, 59, tzinfo=UTC)).exists()
        assert list(overdue_action_items(now=datetime(2010, 1, 13, 23, 30, tzinfo=UTC))) == [action]

    def test_on_the_due_date_itself_nothing_is_overdue(self, actions):
        assert not overdue_action_items(now=datetime(2010, 10, 13, 12, 0, tzinfo=UTC)).exists()

    def test_an_explicit_today_is_used_as_is(self, actions):
        assert overdue_action_items(today=date(2010, 10, 13)).count() == 0
        assert overdue_action_items(today=date(2010, 10, 14)).count() == 2

    def test_done_and_dropped_actions_are_never_overdue(self, actions):
        vienna, dushanbe = actions
        ActionItem.objects.filter(pk=vienna.pk).update(status="done", completed_on=date(2010, 10, 1))
        ActionItem.objects.filter(pk=dushanbe.pk).update(status="dropped", completed_on=date(2010, 10, 1))
        assert not overdue_action_items(today=date(2011, 1, 1)).exists()


class TestMinutesCannotInjectScript:
    def test_script_tags_javascript_links_and_event_handlers_are_removed(self):
        html = str(
            render_minutes(
                "## Summary\n\nAgreed <script>alert('x')</script> plan.\n\n"
                '[click me](javascript:alert(1)) and <img src=x onerror="alert(2)">\n\n'
                '<a href="https://www.osce.org" onclick="steal()">OSCE</a>'
            )
        )
        assert "<script" not in html and "alert('x')" not in html
        assert "javascript:" not in html
        assert "onerror" not in html and "onclick" not in html
        assert "<img" not in html
        assert "<h2>Summary</h2>" in html
        assert 'href="https://www.osce.org"' in html

    def test_minutes_shown_on_the_meeting_page_are_cleaned(self, client_as, secretariat_user, task_force):
        meeting = MeetingFactory(task_force=task_force, minutes_markdown="Hi <script>alert(1)</script> **bold**")
        response = client_as(secretariat_user).get(meeting.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert "<strong>bold</strong>" in body
        assert "alert(1)" not in body
        meeting.refresh_from_db()
        assert "<script>" in meeting.minutes_markdown  # the source is kept as written; only the output is cleaned
