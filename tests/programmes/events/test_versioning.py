"""No lost update on calendar events: the service's version check, the API's ETag / If-Match and the edit page."""

import pytest
from django.urls import reverse

from programmes.events import services
from programmes.events.models import Event
from programmes.permissions import Role
from programmes.versioning import VersionConflict, etag_for
from tests.factories import EventFactory, make_user
from tests.versioning import editor, page_form_data, two_api_writes

pytestmark = pytest.mark.django_db


def test_event_update_based_on_an_older_version_is_refused_and_changes_nothing(secretariat_user):
    event = EventFactory(title="Border workshop")
    read = event.version
    services.event_update(event=event, data={"title": "Theirs"}, actor=secretariat_user, expected_version=read)

    with pytest.raises(VersionConflict):
        services.event_update(event=event, data={"title": "Mine"}, actor=secretariat_user, expected_version=read)

    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.version) == ("Theirs", read + 1)


def test_event_update_with_the_current_version_saves(secretariat_user):
    event = EventFactory(title="Border workshop")

    services.event_update(event=event, data={"title": "Mine"}, actor=secretariat_user, expected_version=event.version)

    assert Event.objects.get(pk=event.pk).title == "Mine"


def test_event_api_answers_412_to_a_stale_if_match_and_a_new_etag_after_a_write(api_as, secretariat_user):
    event = EventFactory(title="Border workshop")
    url = reverse("api:event-detail", args=[event.pk])

    read, first, second = two_api_writes(api_as(secretariat_user), url, {"title": "Theirs"}, {"title": "Mine"})

    stored = Event.objects.get(pk=event.pk)
    assert read.status_code == 200 and read["ETag"] == etag_for(event.version)
    assert first.status_code == 200 and first["ETag"] == etag_for(stored.version) != read["ETag"]
    assert second.status_code == 412 and second.json()["current_version"] == stored.version
    assert stored.title == "Theirs"


def test_event_api_without_if_match_still_writes(api_as, secretariat_user):
    event = EventFactory(title="Border workshop")

    response = api_as(secretariat_user).patch(
        reverse("api:event-detail", args=[event.pk]), {"title": "Mine"}, format="json"
    )

    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).title == "Mine"


def test_two_editors_of_an_event_the_second_sees_the_first_change_and_keeps_what_they_typed(secretariat_user):
    event = EventFactory(title="Border workshop", description="")
    url = reverse("events:event_edit", args=[event.pk])
    first, second = editor(secretariat_user), editor(make_user(Role.SECRETARIAT, email="second@example.org"))
    first_data = page_form_data(first.get(url), "form")
    second_data = page_form_data(second.get(url), "form")

    saved = first.post(url, {**first_data, "title": "Border management workshop"})
    refused = second.post(url, {**second_data, "title": "Customs workshop", "description": "Typed by the second"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.description) == ("Border management workshop", "")
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in refused.context["form"].version_conflict}
    assert rows["Title"] == ("Border management workshop", "Customs workshop")
    html = refused.content.decode()
    assert 'value="Customs workshop"' in html and "Typed by the second" in html and "Border management workshop" in html
