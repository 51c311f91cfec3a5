"""HTML pages per role: who sees what, who may edit, and that forms save (or show errors next to fields)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from programmes.events.models import Event
from taskforces.models import ActionItem, ActionProgressNote, AgendaItem, Attendance, Decision, Meeting
from tests.factories import ExecutiveStructureFactory, ThematicAreaFactory
from tests.taskforces.factories import ActionItemFactory, AgendaItemFactory, DecisionFactory, TaskForceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_task_force(db):
    return TaskForceFactory(name="Secretariat Afghan Task Force", slug="afghan", publishes_to_delegations=False)


class TestTaskForcePages:
    def test_every_role_sees_the_list_but_delegations_only_published_task_forces(
        self,
        client_as,
        admin_user,
        coordinator,
        secretariat_user,
        field_user,
        delegation_user,
        task_force,
        hidden_task_force,
    ):
        for user in (admin_user, coordinator, secretariat_user, field_user):
            body = client_as(user).get(reverse("taskforces:taskforce_list")).content.decode()
            assert "Secretariat Afghan Task Force" in body and "Task Force on Transnational Threats" in body
        response = client_as(delegation_user).get(reverse("taskforces:taskforce_list"))
        assert response.status_code == 200
        assert "Task Force on Transnational Threats" in response.content.decode()
        assert "Secretariat Afghan Task Force" not in response.content.decode()
        assert client_as(delegation_user).get(hidden_task_force.get_absolute_url()).status_code == 404

    def test_detail_shows_members_next_meeting_and_open_actions_to_staff(
        self, client_as, secretariat_user, task_force, member_unit, action, owner_user
    ):
        task_force.members.filter(structure=member_unit).update(representative=owner_user)
        Meeting.objects.create(task_force=task_force, starts_at=datetime(2099, 1, 14, 9, 0, tzinfo=UTC), place="Vienna")
        body = client_as(secretariat_user).get(task_force.get_absolute_url()).content.decode()
        assert "Strategic Police Matters Unit" in body and "Anna Ownerova" in body
        assert "14 January 2099" in body
        assert "Draft the concept note on cyber security" in body

    def test_delegations_see_neither_representatives_nor_the_action_list(
        self, client_as, delegation_user, task_force, member_unit, action, owner_user
    ):
        task_force.members.filter(structure=member_unit).update(representative=owner_user)
        response = client_as(delegation_user).get(task_force.get_absolute_url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "Strategic Police Matters Unit" in body
        assert "Anna Ownerova" not in body and "owner@example.org" not in body
        assert "Open actions" not in body

    def test_anonymous_visitors_are_sent_to_login(self, client, task_force):
        response = client.get(task_force.get_absolute_url())
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestMeetingPage:
    def test_staff_see_agenda_attendance_minutes_decisions_and_actions(
        self, client_as, secretariat_user, task_force, member_unit, published_meeting, action
    ):
        AgendaItemFactory(meeting=published_meeting, title="Review of actions", position=1)
        DecisionFactory(meeting=published_meeting, text="Adopt the joint calendar", number=1)
        Attendance.objects.create(meeting=published_meeting, member=task_force.members.get(structure=member_unit))
        earlier = Meeting.objects.create(
            task_force=task_force, starts_at=datetime(2010, 9, 8, 8, 0, tzinfo=UTC), place="Vienna", status="held"
        )
        ActionItemFactory(
            task_force=task_force, meeting=earlier, owner_structure=member_unit, what="Map anti-trafficking activities"
        )
        body = client_as(secretariat_user).get(published_meeting.get_absolute_url()).content.decode()
        for text in (
            "Review of actions",
            "Adopt the joint calendar",
            "Strategic Police Matters Unit",
            "<strong>minutes</strong>",
            "Draft the concept note on cyber security",
            "Map anti-trafficking activities",
            "Build the meeting pack",
        ):
            assert text in body

    def test_delegations_read_published_meetings_without_owner_names(
        self, client_as, delegation_user, published_meeting, action
    ):
        DecisionFactory(meeting=published_meeting, text="Adopt the joint calendar", number=1)
        body = client_as(delegation_user).get(published_meeting.get_absolute_url()).content.decode()
        assert "Adopt the joint calendar" in body and "<strong>minutes</strong>" in body
        assert "Draft the concept note on cyber security" in body and "SPMU" in body
        assert "Anna Ownerova" not in body
        assert "Build the meeting pack" not in body and "Edit meeting" not in body

    def test_draft_meetings_are_hidden_from_delegations_and_non_members(
        self, client_as, delegation_user, field_outsider, field_member, draft_meeting
    ):
        url = draft_meeting.get_absolute_url()
        assert client_as(delegation_user).get(url).status_code == 404
        assert client_as(field_outsider).get(url).status_code == 404
        response = client_as(field_member).get(url)
        assert response.status_code == 200
        assert "Draft minutes not for delegations." in response.content.decode()

    def test_published_meeting_of_an_unpublished_task_force_is_hidden_from_delegations(
        self, client_as, delegation_user, hidden_task_force
    ):
        meeting = Meeting.objects.create(
            task_force=hidden_task_force,
            place="Vienna",
            published=True,
            starts_at=datetime(2010, 10, 1, 8, 0, tzinfo=UTC),
        )
        assert client_as(delegation_user).get(meeting.get_absolute_url()).status_code == 404


class TestEditing:
    def test_secretariat_creates_a_meeting_that_appears_on_the_calendar(self, client_as, secretariat_user, task_force):
        ThematicAreaFactory()
        response = client_as(secretariat_user).post(
            reverse("taskforces:meeting_create", args=[task_force.slug]),
            {
                "title": "November meeting",
                "local_start": "2010-11-10T10:00",
                "timezone": "Asia/Dushanbe",
                "duration_minutes": "120",
                "place": "OSCE Office in Tajikistan",
                "status": "planned",
            },
        )
        meeting = Meeting.objects.get(title="November meeting")
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert meeting.starts_at == datetime(2010, 11, 10, 5, 0, tzinfo=UTC)  # 10:00 in Dushanbe (UTC+5)
        assert Event.objects.get(pk=meeting.event_id).format == "taskforce_meeting"

    def test_bad_meeting_input_shows_errors_and_saves_nothing(self, client_as, secretariat_user, task_force):
        response = client_as(secretariat_user).post(
            reverse("taskforces:meeting_create", args=[task_force.slug]),
            {
                "local_start": "2010-11-10T10:00",
                "timezone": "Mars/Olympus",
                "duration_minutes": "120",
                "status": "planned",
                "minutes_markdown": "keep this draft",
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Unknown time zone" in body and "Give a place or mark the meeting as online." in body
        assert "keep this draft" in body  # the draft is not lost
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("local_start", "zone"), [("9999-12-31T23:00", "Europe/Vienna"), ("0001-01-01T00:30", "Asia/Dushanbe")]
    )
    def test_a_start_the_calendar_cannot_hold_is_shown_next_to_the_field(
        self, client_as, secretariat_user, task_force, local_start, zone
    ):
        response = client_as(secretariat_user).post(
            reverse("taskforces:meeting_create", args=[task_force.slug]),
            {
                "local_start": local_start,
                "timezone": zone,
                "duration_minutes": "120",
                "online": "on",
                "status": "planned",
                "minutes_markdown": "keep this draft",
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["local_start"] == ["Give a date between the years 1900 and 2100."]
        assert "keep this draft" in response.content.decode()
        assert not Meeting.objects.exists()

    def test_field_members_edit_their_task_forces_meetings_and_record_progress(
        self, client_as, field_member, field_outsider, published_meeting, action
    ):
        edit_url = reverse("taskforces:meeting_edit", args=[published_meeting.pk])
        assert client_as(field_outsider).get(edit_url).status_code in (403, 404)
        client = client_as(field_member)
        assert client.get(edit_url).status_code == 200
        response = client.post(
            reverse("taskforces:action_progress_add", args=[action.pk]),
            {"text": "Figures sent to SPMU.", "status": "done"},
        )
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == "done"
        assert ActionProgressNote.objects.get(action=action).author == field_member

    def test_non_members_and_delegations_cannot_record_progress(
        self, client_as, field_outsider, delegation_user, action
    ):
        url = reverse("taskforces:action_progress_add", args=[action.pk])
        assert client_as(field_outsider).post(url, {"text": "x"}).status_code == 404
        assert client_as(delegation_user).post(url, {"text": "x"}).status_code == 403
        assert not ActionProgressNote.objects.exists()

    def test_agenda_attendance_decision_and_action_forms(
        self, client_as, secretariat_user, task_force, member_unit, published_meeting
    ):
        client = client_as(secretariat_user)
        pk = published_meeting.pk
        for title in ("Adoption of the agenda", "Any other business"):
            assert client.post(reverse("taskforces:agenda_item_add", args=[pk]), {"title": title}).status_code == 302
        last = AgendaItem.objects.get(title="Any other business")
        client.post(reverse("taskforces:agenda_item_move", args=[pk, last.pk]), {"direction": "up"})
        assert list(published_meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
            "Any other business",
            "Adoption of the agenda",
        ]

        member = task_force.members.get(structure=member_unit)
        response = client.post(reverse("taskforces:attendance_edit", args=[pk]), {f"member_{member.pk}": "remote"})
        assert response.status_code == 302
        assert Attendance.objects.get(meeting=published_meeting).presence == "remote"

        response = client.post(reverse("taskforces:decision_add", args=[pk]), {"text": "Adopt the calendar"})
        assert response.status_code == 302
        decision = Decision.objects.get(meeting=published_meeting)
        assert decision.number == 1

        url = reverse("taskforces:action_create", args=[task_force.slug]) + f"?meeting={pk}"
        response = client.post(
            url,
            {
                "what": "Circulate the calendar",
                "owner_structure": member_unit.pk,
                "due_date": "2010-11-01",
                "status": "open",
                "decision": decision.pk,
            },
        )
        assert response.status_code == 302
        created = ActionItem.objects.get(what="Circulate the calendar")
        assert created.meeting == published_meeting and created.decision == decision

    def test_an_action_form_with_a_missing_due_date_shows_the_error(
        self, client_as, secretariat_user, task_force, member_unit
    ):
        response = client_as(secretariat_user).post(
            reverse("taskforces:action_create", args=[task_force.slug]),
            {"what": "X", "owner_structure": member_unit.pk, "status": "open"},
        )
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        assert not ActionItem.objects.exists()

    def test_field_users_cannot_create_task_forces_nor_meetings_of_others(
        self, client_as, field_member, field_outsider, task_force
    ):
        assert client_as(field_member).get(reverse("taskforces:taskforce_create")).status_code == 403
        meeting_url = reverse("taskforces:meeting_create", args=[task_force.slug])
        assert client_as(field_outsider).post(meeting_url, {}).status_code in (403, 404)
        assert client_as(field_member).get(meeting_url).status_code == 200
        assert not Meeting.objects.exists()


class TestMyActions:
    def test_owner_sees_own_and_structure_actions_with_overdue_highlighted(
        self, client_as, owner_user, task_force, member_unit, action
    ):
        ActionItemFactory(
            task_force=task_force,
            owner_structure=member_unit,
            what="Unassigned structure action",
            due_date=date(2099, 1, 1),
        )
        ActionItemFactory(task_force=task_force, owner_structure=ExecutiveStructureFactory(), what="Someone else's")
        response = client_as(owner_user).get(reverse("taskforces:my_actions"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Draft the concept note on cyber security" in body and "Unassigned structure action" in body
        assert "Someone else" not in body
        assert body.count('class="overdue"') == 1  # due 2010, still open
        assert ActionItem.objects.filter(status="open").count() == 3

    def test_delegations_have_no_action_pages(self, client_as, delegation_user):
        assert client_as(delegation_user).get(reverse("taskforces:my_actions")).status_code == 403
        assert client_as(delegation_user).get(reverse("taskforces:action_list")).status_code == 403

    def test_action_list_filters_overdue(self, client_as, secretariat_user, task_force, member_unit, action):
        ActionItemFactory(
            task_force=task_force, owner_structure=member_unit, what="Future one", due_date=date(2099, 1, 1)
        )
        body = client_as(secretariat_user).get(reverse("taskforces:action_list") + "?overdue=true").content.decode()
        assert "Draft the concept note on cyber security" in body and "Future one" not in body
        assert ActionItem.objects.count() == 2


def test_meeting_edit_form_shows_local_time_and_saves_minutes(client_as, secretariat_user, task_force):
    ThematicAreaFactory()
    meeting = Meeting.objects.create(
        task_force=task_force,
        starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC),
        place="Vienna",
        timezone="Europe/Vienna",
    )
    client = client_as(secretariat_user)
    url = reverse("taskforces:meeting_edit", args=[meeting.pk])
    assert 'value="2010-10-13T10:00"' in client.get(url).content.decode()  # 08:00 UTC is 10:00 in Vienna (CEST)
    response = client.post(
        url,
        {
            "local_start": "2010-10-13T10:00",
            "timezone": "Europe/Vienna",
            "duration_minutes": "120",
            "place": "Vienna",
            "status": "held",
            "minutes_markdown": "## Summary\n\nAgreed.",
            "published": "on",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.published and meeting.minutes_markdown.startswith("## Summary")
    assert meeting.starts_at == datetime(2010, 10, 13, 8, 0, tzinfo=UTC)
    assert Event.objects.get(pk=meeting.event_id).status == "held"


@pytest.mark.parametrize("url_name", ["taskforces:my_actions", "taskforces:action_list"])
def test_action_pages_query_count_does_not_grow_with_rows(
    url_name, client_as, owner_user, task_force, member_unit, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(owner_user)
    ActionItemFactory.create_batch(2, task_force=task_force, owner=owner_user, owner_structure=member_unit)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(url_name))
    ActionItemFactory.create_batch(20, task_force=task_force, owner=owner_user, owner_structure=member_unit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == 23  # header + 22 rows


class TestHtmlDeletes:
    def test_removing_an_agenda_item_renumbers_the_rest(
        self, client_as, secretariat_user, field_outsider, published_meeting
    ):
        first = AgendaItemFactory(meeting=published_meeting, position=1, title="Adoption of the agenda")
        AgendaItemFactory(meeting=published_meeting, position=2, title="Any other business")
        url = reverse("taskforces:agenda_item_delete", args=[published_meeting.pk, first.pk])
        assert client_as(field_outsider).post(url).status_code == 403
        assert AgendaItem.objects.filter(pk=first.pk).exists()

        assert client_as(secretariat_user).post(url).status_code == 302

        assert list(published_meeting.agenda_items.values_list("position", "title")) == [(1, "Any other business")]

    def test_removing_a_member_with_open_actions_is_refused_then_allowed(
        self, client_as, secretariat_user, task_force, member_unit, action
    ):
        member = task_force.members.get(structure=member_unit)
        url = reverse("taskforces:member_remove", args=[task_force.slug, member.pk])
        client = client_as(secretariat_user)
        response = client.post(url, follow=True)
        assert "still owns open actions" in response.content.decode()
        assert task_force.members.filter(pk=member.pk).exists()

        ActionItem.objects.filter(pk=action.pk).delete()
        assert client.post(url).status_code == 302
        assert not task_force.members.filter(pk=member.pk).exists()


def test_a_member_can_be_added_with_a_focal_point_as_representative(client_as, secretariat_user, task_force):
    from tests.focal_points.factories import FocalPointFactory

    structure = ExecutiveStructureFactory(acronym="TNTD")
    focal_point = FocalPointFactory(structure=structure, state=None, authority="")
    response = client_as(secretariat_user).post(
        reverse("taskforces:member_add", args=[task_force.slug]),
        {"structure": structure.pk, "role": "member", "focal_point": focal_point.pk},
    )
    assert response.status_code == 302
    assert task_force.members.get(structure=structure).focal_point == focal_point


def test_deleting_a_meeting_in_the_admin_removes_its_calendar_event(client, django_user_model, task_force):
    from taskforces import services

    ThematicAreaFactory()
    meeting = services.meeting_create(
        actor=None, task_force=task_force, starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC), online=True
    )
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)

    response = client.post(reverse("admin:taskforces_meeting_delete", args=[meeting.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Event.objects.filter(pk=meeting.event_id).exists()
