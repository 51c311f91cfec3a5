"""``?ordering=`` pages the same rows once each, even when many rows share the sorted value."""

import pytest
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from osce_tnt.api.ordering import StableOrderingFilter
from programmes.events.api.views import EventViewSet
from programmes.events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _ordering(query: dict) -> list[str] | None:
    request = Request(APIRequestFactory().get("/api/events/", query))
    view = EventViewSet()
    return StableOrderingFilter().get_ordering(request, Event.objects.all(), view)


def test_a_client_ordering_ends_with_the_primary_key():
    assert _ordering({"ordering": "-updated_at"}) == ["-updated_at", "pk"]


class TitleOrderedView:
    ordering = ["title"]
    ordering_fields = ["title", "id"]


def test_an_ordering_that_already_names_the_key_is_left_alone():
    request = Request(APIRequestFactory().get("/api/events/", {"ordering": "title,-id"}))

    assert StableOrderingFilter().get_ordering(request, Event.objects.all(), TitleOrderedView()) == ["title", "-id"]


def test_the_views_default_ordering_is_left_alone():
    request = Request(APIRequestFactory().get("/api/events/"))

    assert StableOrderingFilter().get_ordering(request, Event.objects.all(), TitleOrderedView()) == ["title"]


def test_paging_by_a_shared_value_returns_every_row_once(api_as, secretariat_user):
    events = EventFactory.create_batch(7)
    Event.objects.update(updated_at=timezone.now())
    client = api_as(secretariat_user)

    seen = []
    for page in (1, 2, 3):
        response = client.get("/api/events/", {"ordering": "-updated_at", "page_size": 3, "page": page})
        assert response.status_code == 200
        seen += [row["id"] for row in response.json()["results"]]

    assert sorted(seen) == sorted(e.pk for e in events)
