"""No lost update on meetings and action items: the services' version check, the API's ETag / If-Match and the
edit pages."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from programmes.permissions import Role
from programmes.versioning import VersionConflict, etag_for
from taskforces import services
from taskforces.models import ActionItem, Meeting
from tests.factories import ThematicAreaFactory, make_user
from tests.versioning import editor, page_form_data, two_api_writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(task_force):
    ThematicAreaFactory()  # the meeting's calendar entry needs a thematic area
    return Meeting.objects.create(
        task_force=task_force,
        starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC),
        place="Vienna",
        timezone="Europe/Vienna",
    )


@pytest.fixture
def second_secretariat(db):
    return make_user(Role.SECRETARIAT, email="second@example.org")


# --- meetings -----------------------------------------------------------------------------------------------------


def test_meeting_update_based_on_an_older_version_is_refused_and_changes_nothing(meeting, secretariat_user):
    read = meeting.version
    services.meeting_update(meeting=meeting, data={"place": "Hofburg"}, actor=secretariat_user, expected_version=read)

    with pytest.raises(VersionConflict):
        services.meeting_update(
            meeting=meeting, data={"place": "Prague"}, actor=secretariat_user, expected_version=read
        )

    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.place == "Hofburg"
    assert stored.version > read


def test_meeting_update_with_the_current_version_saves(meeting, secretariat_user):
    services.meeting_update(
        meeting=meeting, data={"place": "Prague"}, actor=secretariat_user, expected_version=meeting.version
    )

    assert Meeting.objects.get(pk=meeting.pk).place == "Prague"


def test_meeting_api_answers_412_to_a_stale_if_match_and_a_new_etag_after_a_write(api_as, secretariat_user, meeting):
    read, first, second = two_api_writes(
        api_as(secretariat_user), f"/api/meetings/{meeting.pk}/", {"place": "Hofburg"}, {"place": "Prague"}
    )

    stored = Meeting.objects.get(pk=meeting.pk)
    assert read.status_code == 200 and read["ETag"] == etag_for(meeting.version)
    assert first.status_code == 200 and first["ETag"] == etag_for(stored.version) != read["ETag"]
    assert second.status_code == 412 and second.json()["current_version"] == stored.version
    assert stored.place == "Hofburg"


def test_meeting_api_without_if_match_still_writes(api_as, secretariat_user, meeting):
    response = api_as(secretariat_user).patch(f"/api/meetings/{meeting.pk}/", {"place": "Prague"}, format="json")

    assert response.status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).place == "Prague"


def test_two_editors_of_a_meeting_the_second_sees_the_first_change_and_keeps_what_they_typed(
    meeting, secretariat_user, second_secretariat
):
    url = reverse("taskforces:meeting_edit", args=[meeting.pk])
    first, second = editor(secretariat_user), editor(second_secretariat)
    first_data = page_form_data(first.get(url), "form")
    second_data = page_form_data(second.get(url), "form")

    saved = first.post(url, {**first_data, "place": "Hofburg, Vienna"})
    refused = second.post(url, {**second_data, "place": "Prague", "minutes_markdown": "Typed minutes"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.place, stored.minutes_markdown) == ("Hofburg, Vienna", "")
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in refused.context["form"].version_conflict}
    assert rows["Place"] == ("Hofburg, Vienna", "Prague")
    html = refused.content.decode()
    assert 'value="Prague"' in html and "Typed minutes" in html and "Hofburg, Vienna" in html


# --- action items -------------------------------------------------------------------------------------------------


def test_action_item_update_based_on_an_older_version_is_refused_and_changes_nothing(action, secretariat_user):
    read = action.version
    services.action_item_update(action=action, data={"what": "Theirs"}, actor=secretariat_user, expected_version=read)

    with pytest.raises(VersionConflict):
        services.action_item_update(action=action, data={"what": "Mine"}, actor=secretariat_user, expected_version=read)

    stored = ActionItem.objects.get(pk=action.pk)
    assert (stored.what, stored.version) == ("Theirs", read + 1)


def test_action_item_update_with_the_current_version_saves(action, secretariat_user):
    services.action_item_update(
        action=action, data={"what": "Mine"}, actor=secretariat_user, expected_version=action.version
    )

    assert ActionItem.objects.get(pk=action.pk).what == "Mine"


def test_action_item_api_answers_412_to_a_stale_if_match_and_a_new_etag_after_a_write(api_as, secretariat_user, action):
    read, first, second = two_api_writes(
        api_as(secretariat_user), f"/api/action-items/{action.pk}/", {"what": "Theirs"}, {"what": "Mine"}
    )

    stored = ActionItem.objects.get(pk=action.pk)
    assert read.status_code == 200 and read["ETag"] == etag_for(action.version)
    assert first.status_code == 200 and first["ETag"] == etag_for(stored.version) != read["ETag"]
    assert second.status_code == 412 and second.json()["current_version"] == stored.version
    assert stored.what == "Theirs"


def test_action_item_api_without_if_match_still_writes(api_as, secretariat_user, action):
    response = api_as(secretariat_user).patch(f"/api/action-items/{action.pk}/", {"what": "Mine"}, format="json")

    assert response.status_code == 200
    assert ActionItem.objects.get(pk=action.pk).what == "Mine"


def test_two_editors_of_an_action_the_second_sees_the_first_change_and_keeps_what_they_typed(
    action, secretariat_user, second_secretariat
):
    url = reverse("taskforces:action_edit", args=[action.pk])
    first, second = editor(secretariat_user), editor(second_secretariat)
    first_data = page_form_data(first.get(url), "form")
    second_data = page_form_data(second.get(url), "form")

    saved = first.post(url, {**first_data, "what": "Circulate the concept note"})
    refused = second.post(url, {**second_data, "what": "Translate the concept note", "due_date": "2011-03-01"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = ActionItem.objects.get(pk=action.pk)
    assert stored.what == "Circulate the concept note"
    assert stored.due_date == action.due_date
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in refused.context["form"].version_conflict}
    assert rows["What"] == ("Circulate the concept note", "Translate the concept note")
    html = refused.content.decode()
    assert "Translate the concept note" in html and 'value="2011-03-01"' in html
