"""Who may publish: publishing minutes is a staff decision, and an unpublished meeting is in no public view."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from programmes.events.models import Event
from taskforces import services
from taskforces.models import Meeting
from taskforces.permissions import can_publish_meeting

pytestmark = pytest.mark.django_db
WHEN = datetime(2010, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _top_area(db):
    # A meeting's calendar entry needs a thematic area; a task force without its own takes the top areas.
    from tests.factories import ThematicAreaFactory

    ThematicAreaFactory()


def test_a_field_member_cannot_publish_minutes(field_member, task_force):
    meeting = services.meeting_create(task_force=task_force, starts_at=WHEN, place="Dushanbe", actor=field_member)
    assert not can_publish_meeting(user=field_member, obj=meeting)

    with pytest.raises(PermissionDenied):
        services.meeting_update(meeting=meeting, data={"published": True}, actor=field_member)
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            task_force=task_force, starts_at=WHEN, place="Vienna", published=True, actor=field_member
        )

    assert Meeting.objects.get(pk=meeting.pk).published is False
    assert Meeting.objects.filter(task_force=task_force).count() == 1


def test_a_field_member_still_edits_the_rest_of_the_meeting(field_member, task_force):
    meeting = services.meeting_create(task_force=task_force, starts_at=WHEN, place="Dushanbe", actor=field_member)
    services.meeting_update(meeting=meeting, data={"place": "Khorog", "published": False}, actor=field_member)
    assert Meeting.objects.get(pk=meeting.pk).place == "Khorog"


def test_a_field_member_cannot_publish_through_the_api(api_as, field_member, task_force):
    meeting = services.meeting_create(task_force=task_force, starts_at=WHEN, place="Dushanbe", actor=field_member)
    response = api_as(field_member).patch(f"/api/meetings/{meeting.pk}/", {"published": True}, format="json")
    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).published is False


def test_the_publish_box_is_disabled_for_a_field_member(client_as, field_member, task_force):
    meeting = services.meeting_create(task_force=task_force, starts_at=WHEN, place="Dushanbe", actor=field_member)
    client = client_as(field_member)
    page = client.get(reverse("taskforces:meeting_edit", args=[meeting.pk]))
    assert page.status_code == 200 and page.context["form"].fields["published"].disabled


def test_secretariat_staff_publish_and_the_calendar_entry_becomes_public(secretariat_user, task_force):
    meeting = services.meeting_create(task_force=task_force, starts_at=WHEN, place="Vienna", actor=secretariat_user)
    assert Event.objects.get(pk=meeting.event_id).visibility == Event.Visibility.INTERNAL

    services.meeting_update(meeting=meeting, data={"published": True}, actor=secretariat_user)

    assert Meeting.objects.get(pk=meeting.pk).published is True
    assert Event.objects.get(pk=meeting.event_id).visibility == Event.Visibility.PUBLIC


def test_an_unpublished_meeting_is_not_in_the_public_feed_or_the_delegations_calendar(
    client, client_as, secretariat_user, delegation_user, task_force
):
    services.meeting_create(
        task_force=task_force, starts_at=WHEN, place="Secret place", title="Unpublished sitting", actor=secretariat_user
    )
    feed = client.get(reverse("events:feed"), {"date_from": "2010-01-01"})
    assert feed.status_code == 200
    assert b"Unpublished sitting" not in feed.content and b"Secret place" not in feed.content
    calendar = client_as(delegation_user).get(reverse("events:calendar"), {"month": "2010-11"})
    assert "Unpublished sitting" not in calendar.content.decode()
    api = client_as(delegation_user).get("/api/events/", {"date_from": "2010-01-01"})
    assert "Unpublished sitting" not in api.content.decode()
