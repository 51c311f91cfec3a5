"""Idempotency-Key on API POSTs: a retried create is answered from the first response, never written twice."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.events.models import Event
from programmes.models import IdempotencyRecord
from programmes.permissions import Role
from tests.factories import make_user
from tests.programmes.events.test_api import LIST, _payload


@pytest.fixture
def staff_client(world):
    user = make_user(Role.SECRETARIAT)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


def test_the_same_post_twice_without_a_key_writes_twice(staff_client, world):
    before = Event.objects.count()

    first = staff_client.post(LIST, _payload(world), format="json")
    second = staff_client.post(LIST, _payload(world), format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Event.objects.count() == before + 2


def test_the_same_post_twice_with_a_key_writes_once_and_replays_the_answer(staff_client, world):
    before = Event.objects.count()

    first = staff_client.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    second = staff_client.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="create-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Event.objects.count() == before + 1
    assert IdempotencyRecord.objects.get(key="create-1").user == staff_client.user


def test_the_same_key_with_another_body_is_422_and_writes_nothing(staff_client, world):
    staff_client.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="create-2")
    before = Event.objects.count()

    other = staff_client.post(
        LIST, _payload(world, title="Another workshop"), format="json", HTTP_IDEMPOTENCY_KEY="create-2"
    )

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Event.objects.count() == before


def test_keys_belong_to_one_user(staff_client, world):
    other_user = make_user(Role.SECRETARIAT)
    other = APIClient()
    other.force_login(other_user)
    before = Event.objects.count()

    staff_client.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = other.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Event.objects.count() == before + 2


def test_a_rejected_request_is_replayed_too_but_a_forbidden_one_is_not_kept(staff_client, world):
    invalid = staff_client.post(LIST, _payload(world, title=""), format="json", HTTP_IDEMPOTENCY_KEY="bad")
    replay = staff_client.post(LIST, _payload(world, title=""), format="json", HTTP_IDEMPOTENCY_KEY="bad")
    delegation = APIClient()
    delegation.force_login(make_user(Role.DELEGATION))
    forbidden = delegation.post(LIST, _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="no")

    assert invalid.status_code == replay.status_code == 400
    assert replay.json() == invalid.json()
    assert forbidden.status_code == 403
    assert not IdempotencyRecord.objects.filter(key="no").exists()
