"""API: /api/task-forces/, /api/meetings/, /api/action-items/ — scoping per role, filters, writes, query counts."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.events.models import Event
from taskforces.models import ActionItem, AgendaItem, Meeting
from tests.factories import ExecutiveStructureFactory, ThematicAreaFactory
from tests.taskforces.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, TaskForceFactory

pytestmark = pytest.mark.django_db

TF_URL, MEETINGS_URL, ACTIONS_URL = "/api/task-forces/", "/api/meetings/", "/api/action-items/"


class TestTaskForces:
    def test_delegations_see_published_task_forces_without_representatives(
        self, api_as, delegation_user, task_force, member_unit, owner_user
    ):
        task_force.members.update(representative=owner_user)
        TaskForceFactory(publishes_to_delegations=False, name="Hidden")
        response = api_as(delegation_user).get(TF_URL)
        assert response.status_code == 200
        assert [row["name"] for row in response.data["results"]] == ["Task Force on Transnational Threats"]
        member = response.data["results"][0]["members"][0]
        assert set(member) == {"id", "structure", "structure_acronym", "role"}

    def test_staff_see_representatives_and_only_managers_create(
        self, api_as, secretariat_user, coordinator, task_force, member_unit, owner_user
    ):
        task_force.members.update(representative=owner_user)
        data = api_as(secretariat_user).get(f"{TF_URL}{task_force.pk}/").data
        assert data["members"][0]["representative_name"] == "Anna Ownerova"
        body = {
            "name": "Task Force on Cyber Security",
            "acronym": "TF-CS",
            "slug": "cyber",
            "chair_structure": ExecutiveStructureFactory().pk,
            "meeting_frequency": "quarterly",
        }
        assert api_as(secretariat_user).post(TF_URL, body, format="json").status_code == 403
        response = api_as(coordinator).post(TF_URL, body, format="json")
        assert response.status_code == 201
        assert response.data["slug"] == "cyber"


class TestMeetings:
    def test_delegations_list_published_meetings_only(self, api_as, delegation_user, published_meeting, draft_meeting):
        response = api_as(delegation_user).get(MEETINGS_URL)
        assert response.status_code == 200
        assert [row["id"] for row in response.data["results"]] == [published_meeting.pk]
        assert api_as(delegation_user).get(f"{MEETINGS_URL}{draft_meeting.pk}/").status_code == 404
        assert api_as(delegation_user).post(MEETINGS_URL, {}, format="json").status_code == 403

    def test_detail_has_agenda_decisions_and_safe_minutes(self, api_as, secretariat_user, task_force):
        meeting = MeetingFactory(task_force=task_force, minutes_markdown="ok <script>x()</script>")
        AgendaItemFactory(meeting=meeting, position=1, title="Adoption of the agenda")
        data = api_as(secretariat_user).get(f"{MEETINGS_URL}{meeting.pk}/").data
        assert data["agenda_items"][0]["title"] == "Adoption of the agenda"
        assert "<script>" not in data["minutes_html"]

    def test_staff_create_a_meeting_with_its_calendar_event(self, api_as, secretariat_user, task_force):
        ThematicAreaFactory()
        response = api_as(secretariat_user).post(
            MEETINGS_URL,
            {
                "task_force": task_force.pk,
                "starts_at": "2010-12-08T09:00:00Z",
                "timezone": "Europe/Vienna",
                # Published, so that its entry is in the public feed (an unpublished meeting is in no public view).
                "online": True,
                "published": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.data
        meeting = Meeting.objects.get(pk=response.data["id"])
        assert Event.objects.get(pk=meeting.event_id).format == "taskforce_meeting"
        assert response.data["event"] == meeting.event_id

    def test_meeting_without_place_or_online_is_a_400_with_a_message(self, api_as, secretariat_user, task_force):
        response = api_as(secretariat_user).post(
            MEETINGS_URL, {"task_force": task_force.pk, "starts_at": "2010-12-08T09:00:00Z"}, format="json"
        )
        assert response.status_code == 400
        assert "Give a place or mark the meeting as online." in str(response.data)
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize("starts_at", ["9999-12-31T23:00:00+01:00", "0001-01-01T00:30:00"])
    def test_a_start_the_calendar_cannot_hold_is_a_400_not_a_500(self, api_as, secretariat_user, task_force, starts_at):
        response = api_as(secretariat_user).post(
            MEETINGS_URL, {"task_force": task_force.pk, "starts_at": starts_at, "online": True}, format="json"
        )
        assert response.status_code == 400
        assert "starts_at" in response.json()
        assert not Meeting.objects.exists()
        assert not Event.objects.exists()

    def test_field_members_create_meetings_of_their_own_task_force_only(
        self, api_as, field_member, field_outsider, task_force
    ):
        ThematicAreaFactory()
        payload = {
            "task_force": task_force.pk,
            "starts_at": "2010-12-08T09:00:00Z",
            "timezone": "Europe/Vienna",
            "online": True,
        }

        refused = api_as(field_outsider).post(MEETINGS_URL, payload, format="json")
        assert refused.status_code == 403
        assert not Meeting.objects.exists()

        created = api_as(field_member).post(MEETINGS_URL, payload, format="json")
        assert created.status_code == 201, created.data
        assert Meeting.objects.get().task_force == task_force

    def test_reorder_agenda(self, api_as, secretariat_user, published_meeting):
        a = AgendaItemFactory(meeting=published_meeting, position=1, title="A")
        b = AgendaItemFactory(meeting=published_meeting, position=2, title="B")
        response = api_as(secretariat_user).post(
            f"{MEETINGS_URL}{published_meeting.pk}/reorder-agenda/", {"item_ids": [b.pk, a.pk]}, format="json"
        )
        assert response.status_code == 200
        assert [row["title"] for row in response.data] == ["B", "A"]
        assert AgendaItem.objects.get(pk=b.pk).position == 1
        bad = api_as(secretariat_user).post(
            f"{MEETINGS_URL}{published_meeting.pk}/reorder-agenda/", {"item_ids": [a.pk]}, format="json"
        )
        assert bad.status_code == 400 and "item_ids" in bad.data


class TestActionItems:
    def test_delegations_are_refused(self, api_as, delegation_user, action):
        assert api_as(delegation_user).get(ACTIONS_URL).status_code == 403
        assert ActionItem.objects.count() == 1

    def test_list_counts_the_actions_without_joining_what_the_page_shows(
        self, api_as, secretariat_user, task_force, owner_user, action
    ):
        client = api_as(secretariat_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ACTIONS_URL)
        assert response.status_code == 200
        (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert "JOIN" not in count
        (row,) = response.data["results"]
        assert row["task_force_acronym"] == task_force.acronym
        assert row["owner_structure_acronym"] == action.owner_structure.acronym
        assert row["owner_name"] == (owner_user.get_full_name() or owner_user.username)
        assert client.get(f"{ACTIONS_URL}{action.pk}/").data == row

    def test_filters_task_force_owner_status_and_overdue(
        self, api_as, secretariat_user, task_force, member_unit, owner_user, action
    ):
        future = ActionItemFactory(task_force=task_force, owner_structure=member_unit, due_date=date(2099, 1, 1))
        done = ActionItemFactory(
            task_force=task_force, owner_structure=member_unit, status="done", completed_on=date(2010, 10, 1)
        )
        other = ActionItemFactory(task_force=TaskForceFactory(), due_date=date(2010, 1, 1))
        client = api_as(secretariat_user)

        def ids(query):
            response = client.get(ACTIONS_URL + query)
            assert response.status_code == 200
            return {row["id"] for row in response.data["results"]}

        assert ids(f"?task_force={task_force.pk}") == {action.pk, future.pk, done.pk}
        assert ids(f"?owner={owner_user.pk}") == {action.pk}
        assert ids("?status=done") == {done.pk}
        assert ids("?overdue=true") == {action.pk, other.pk}
        assert ids(f"?overdue=false&task_force={task_force.pk}") == {future.pk, done.pk}
        row = client.get(f"{ACTIONS_URL}{action.pk}/").data
        assert row["overdue"] is True and row["owner_name"] == "Anna Ownerova"

    def test_field_users_see_their_task_forces_actions_only(self, api_as, field_member, field_outsider, action):
        assert [r["id"] for r in api_as(field_member).get(ACTIONS_URL).data["results"]] == [action.pk]
        assert api_as(field_outsider).get(ACTIONS_URL).data["results"] == []

    def test_member_updates_status_non_member_cannot(self, api_as, field_member, field_outsider, action):
        assert (
            api_as(field_outsider).patch(f"{ACTIONS_URL}{action.pk}/", {"status": "done"}, format="json").status_code
            == 404
        )
        response = api_as(field_member).patch(f"{ACTIONS_URL}{action.pk}/", {"status": "done"}, format="json")
        assert response.status_code == 200
        assert response.data["overdue"] is False
        action.refresh_from_db()
        assert action.status == "done" and action.completed_on is not None

    def test_field_members_create_actions_in_their_own_task_force_only(
        self, api_as, field_member, field_outsider, task_force, member_unit
    ):
        payload = {
            "task_force": task_force.pk,
            "what": "X",
            "owner_structure": member_unit.pk,
            "due_date": "2010-12-01",
        }

        assert api_as(field_outsider).post(ACTIONS_URL, payload, format="json").status_code == 403
        assert not ActionItem.objects.exists()

        response = api_as(field_member).post(ACTIONS_URL, payload, format="json")
        assert response.status_code == 201, response.data
        assert ActionItem.objects.get().task_force == task_force

    def test_create_and_validation_errors(self, api_as, secretariat_user, task_force, member_unit, published_meeting):
        other_meeting = MeetingFactory(task_force=TaskForceFactory())
        client = api_as(secretariat_user)
        bad = client.post(
            ACTIONS_URL,
            {
                "task_force": task_force.pk,
                "what": "X",
                "owner_structure": member_unit.pk,
                "due_date": "2010-12-01",
                "meeting": other_meeting.pk,
            },
            format="json",
        )
        assert bad.status_code == 400
        assert bad.data["meeting"] == ["The meeting belongs to another task force."]
        good = client.post(
            ACTIONS_URL,
            {
                "task_force": task_force.pk,
                "what": "Send figures",
                "owner_structure": member_unit.pk,
                "due_date": "2010-12-01",
                "meeting": published_meeting.pk,
            },
            format="json",
        )
        assert good.status_code == 201
        assert good.data["due_timezone"] == "Europe/Vienna"
        assert ActionItem.objects.get().what == "Send figures"

    def test_progress_endpoint_adds_a_note(self, api_as, owner_user, action):
        response = api_as(owner_user).post(f"{ACTIONS_URL}{action.pk}/progress/", {"text": "Half done"}, format="json")
        assert response.status_code == 201
        assert action.progress_notes.get().text == "Half done"

    def test_list_query_count_does_not_grow_with_rows(
        self, api_as, secretariat_user, task_force, member_unit, owner_user, django_assert_max_num_queries
    ):
        client = api_as(secretariat_user)
        meeting = MeetingFactory(task_force=task_force, starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC))
        ActionItemFactory.create_batch(
            3, task_force=task_force, owner_structure=member_unit, owner=owner_user, meeting=meeting
        )
        client.get(ACTIONS_URL)  # warm the role cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(ACTIONS_URL).status_code == 200
        ActionItemFactory.create_batch(
            30, task_force=task_force, owner_structure=member_unit, owner=owner_user, meeting=meeting
        )
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(ACTIONS_URL)
        assert response.data["count"] == 33

    @pytest.mark.parametrize("url", [TF_URL, MEETINGS_URL])
    def test_other_list_query_counts_do_not_grow_with_rows(
        self, url, api_as, secretariat_user, task_force, member_unit, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = api_as(secretariat_user)
        MeetingFactory(task_force=task_force)
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        for i in range(10):
            tf = TaskForceFactory()
            MeetingFactory(task_force=tf, starts_at=datetime(2010, 1, 1 + i, tzinfo=UTC))
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url)
        assert response.status_code == 200 and response.data["count"] >= 11


def _feed_uids(response) -> set[str]:
    from icalendar import Calendar

    assert response.status_code == 200
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


class TestDeletes:
    """Every DELETE goes through the resource's service; the database is checked before and after."""

    def _meeting_on_the_calendar(self, api_as, user, task_force) -> Meeting:
        ThematicAreaFactory()
        response = api_as(user).post(
            MEETINGS_URL,
            {
                "task_force": task_force.pk,
                "starts_at": "2010-12-08T09:00:00Z",
                "timezone": "Europe/Vienna",
                # Published, so that its entry is in the public feed (an unpublished meeting is in no public view).
                "online": True,
                "published": True,
            },
            format="json",
        )
        assert response.status_code == 201, response.data
        return Meeting.objects.select_related("event").get(pk=response.data["id"])

    def test_deleting_a_meeting_removes_its_calendar_event_from_both_feeds(
        self, api_as, client, coordinator, task_force
    ):
        from django.urls import reverse

        from programmes.events import services as event_services
        from programmes.events.feeds import event_uid

        meeting = self._meeting_on_the_calendar(api_as, coordinator, task_force)
        AgendaItemFactory(meeting=meeting, position=1, title="Adoption of the agenda")
        uid = event_uid(meeting.event)
        _row, secret = event_services.feed_token_create(actor=coordinator)
        since = {"date_from": "2010-01-01"}
        public_feed, private_feed = reverse("events:feed"), reverse("events:private_feed", args=[secret])
        assert uid in _feed_uids(client.get(public_feed, since))
        assert uid in _feed_uids(client.get(private_feed, since))

        response = api_as(coordinator).delete(f"{MEETINGS_URL}{meeting.pk}/")

        assert response.status_code == 204
        assert not Meeting.objects.filter(pk=meeting.pk).exists()
        assert not Event.objects.filter(pk=meeting.event_id).exists()
        assert not AgendaItem.objects.filter(meeting_id=meeting.pk).exists()
        assert uid not in _feed_uids(client.get(public_feed, since))
        assert uid not in _feed_uids(client.get(private_feed, since))

    def test_secretariat_cannot_delete_a_meeting_and_its_event_stays(
        self, api_as, coordinator, secretariat_user, task_force
    ):
        meeting = self._meeting_on_the_calendar(api_as, coordinator, task_force)
        response = api_as(secretariat_user).delete(f"{MEETINGS_URL}{meeting.pk}/")
        assert response.status_code == 403
        assert Meeting.objects.filter(pk=meeting.pk).exists()
        assert Event.objects.filter(pk=meeting.event_id).exists()

    def test_deleting_a_task_force_removes_its_meetings_and_their_calendar_events(
        self, api_as, admin_user, coordinator, task_force, action
    ):
        meeting = self._meeting_on_the_calendar(api_as, coordinator, task_force)
        other = TaskForceFactory(name="Other")
        kept = MeetingFactory(task_force=other)

        response = api_as(admin_user).delete(f"{TF_URL}{task_force.pk}/")

        assert response.status_code == 204
        assert not Meeting.objects.filter(task_force_id=task_force.pk).exists()
        assert not Event.objects.filter(pk=meeting.event_id).exists()
        assert not ActionItem.objects.filter(pk=action.pk).exists()
        assert Meeting.objects.filter(pk=kept.pk).exists()

    def test_only_administrators_delete_task_forces(self, api_as, coordinator, task_force):
        assert api_as(coordinator).delete(f"{TF_URL}{task_force.pk}/").status_code == 403
        assert type(task_force).objects.filter(pk=task_force.pk).exists()

    def test_deleting_an_action_item(self, api_as, coordinator, action):
        response = api_as(coordinator).delete(f"{ACTIONS_URL}{action.pk}/")
        assert response.status_code == 204
        assert not ActionItem.objects.filter(pk=action.pk).exists()

    def test_field_members_cannot_delete_action_items(self, api_as, field_member, action):
        assert api_as(field_member).delete(f"{ACTIONS_URL}{action.pk}/").status_code == 403
        assert ActionItem.objects.filter(pk=action.pk).exists()


def test_deadline_zones_are_made_once_and_group_the_zones_by_their_local_date(monkeypatch):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from taskforces import selectors
    from taskforces.models import DUE_TIMEZONES

    now = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    expected: dict = {}
    for zone in DUE_TIMEZONES:
        expected.setdefault(now.astimezone(ZoneInfo(zone)).date(), []).append(zone)
    selectors._per_zone_dates(now)

    def no_new_zones(name):
        raise AssertionError(f"ZoneInfo({name!r}) built per request")

    monkeypatch.setattr(selectors, "ZoneInfo", no_new_zones)
    assert selectors._per_zone_dates(now) == expected
    assert len(expected) > 1  # the instant falls on different dates across the zones
