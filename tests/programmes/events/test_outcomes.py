"""Outcomes of past events: who records them, what they change, where missing ones are listed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes.events import selectors, services
from programmes.events.models import Event, EventOutcome
from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(world):
    last_week = timezone.localdate() - timedelta(days=7)
    return world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=last_week,
        status=Event.Status.PLANNED,
        title="Past workshop",
    )


@pytest.fixture
def oit_user(world):
    return make_user(Role.FIELD, structure=world.oit)


def test_lead_structure_records_a_held_outcome_and_the_event_counts_as_held(past, oit_user):
    assert not EventOutcome.objects.exists()

    record = services.event_outcome_record(
        event=past,
        outcome="held",
        participants_women=7,
        participants_men=9,
        participants_afghan=5,
        results="Referral procedure agreed.",
        follow_up="Second module in spring.",
        actor=oit_user,
    )

    past.refresh_from_db()
    assert past.status == Event.Status.HELD
    assert past.sequence == 1
    stored = EventOutcome.objects.get(event=past)
    assert (stored.pk, stored.participants_total, stored.participants_afghan, stored.recorded_by) == (
        record.pk,
        16,
        5,
        oit_user,
    )


def test_postponed_and_cancelled_outcomes_never_count_as_held(past, world):
    services.event_outcome_record(event=past, outcome="postponed")
    past.refresh_from_db()
    assert past.status == Event.Status.POSTPONED
    services.event_outcome_record(event=past, outcome="cancelled", results="Host withdrew.")
    past.refresh_from_db()
    assert past.status == Event.Status.CANCELLED
    assert EventOutcome.objects.filter(event=past).count() == 1  # corrected, not duplicated


def test_other_field_operation_cannot_record_the_outcome(past, world):
    other = make_user(Role.FIELD, structure=world.mts)
    with pytest.raises(PermissionDenied):
        services.event_outcome_record(event=past, outcome="held", actor=other)
    assert not EventOutcome.objects.exists()


def test_no_outcome_before_the_last_day_has_passed(world, oit_user):
    coming = world.event(lead=world.oit, areas=[world.thb], start=timezone.localdate() + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.event_outcome_record(event=coming, outcome="held", actor=oit_user)
    assert not EventOutcome.objects.exists()


def test_participants_only_for_held_events_and_afghans_not_more_than_all(past):
    with pytest.raises(ValidationError) as exc:
        services.event_outcome_record(event=past, outcome="cancelled", participants_women=3)
    assert "outcome" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.event_outcome_record(
            event=past, outcome="held", participants_women=2, participants_men=2, participants_afghan=9
        )
    assert "participants_afghan" in exc.value.message_dict
    past.refresh_from_db()
    assert past.status == Event.Status.PLANNED and not EventOutcome.objects.exists()


def test_awaiting_outcome_lists_own_past_events_for_the_field_and_all_for_the_coordinator(
    past, world, oit_user, coordinator
):
    today = timezone.localdate()
    world.event(lead=world.mts, areas=[world.thb], start=today - timedelta(days=3), title="Serbia past")
    world.event(lead=world.oit, areas=[world.thb], start=today + timedelta(days=3), title="Future")
    world.event(
        lead=world.oit,
        areas=[world.thb],
        start=today - timedelta(days=9),
        title="TF",
        format=Event.Format.TASKFORCE_MEETING,
    )
    world.event(
        lead=world.oit, areas=[world.thb], start=today - timedelta(days=9), title="Done", status=Event.Status.HELD
    )

    own = list(selectors.events_awaiting_outcome(user=oit_user, today=today).values_list("title", flat=True))
    everyone = set(selectors.events_awaiting_outcome(user=coordinator, today=today).values_list("title", flat=True))
    assert own == ["Past workshop"]
    assert everyone == {"Past workshop", "Serbia past"}
    services.event_outcome_record(event=past, outcome="held", actor=oit_user)
    assert not selectors.events_awaiting_outcome(user=oit_user, today=today).exists()


def test_delegations_see_no_outcome_list(past, delegation_user, client_as):
    assert not selectors.events_awaiting_outcome(user=delegation_user, today=date.today()).exists()
    assert client_as(delegation_user).get(reverse("events:awaiting_outcome")).status_code == 403


def test_outcome_form_records_the_outcome_and_shows_it_on_the_event_page(past, oit_user, client_as):
    client = client_as(oit_user)
    url = reverse("events:event_outcome", args=[past.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": "held",
            "participants_women": "4",
            "participants_men": "6",
            "participants_afghan": "",
            "results": "Done.",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    assert EventOutcome.objects.get(event=past).participants_total == 10
    page = client.get(past.get_absolute_url()).content.decode()
    assert "4 women, 6 men" in page


def test_outcome_form_shows_errors_next_to_the_field(past, oit_user, client_as):
    response = client_as(oit_user).post(
        reverse("events:event_outcome", args=[past.pk]),
        {"outcome": "held", "participants_women": "1", "participants_men": "1", "participants_afghan": "5"},
    )
    assert response.status_code == 400
    assert "There cannot be more Afghan participants" in response.content.decode()
    assert not EventOutcome.objects.exists()


def test_event_page_asks_for_the_outcome_of_a_past_event(past, oit_user, client_as):
    page = client_as(oit_user).get(past.get_absolute_url()).content.decode()
    assert "no outcome is recorded" in page
    assert reverse("events:event_outcome", args=[past.pk]) in page


def test_api_records_and_reads_the_outcome(past, oit_user, api_as, world):
    url = reverse("api:event-outcome", args=[past.pk])
    client = api_as(oit_user)
    assert client.get(url).status_code == 404
    response = client.post(url, {"outcome": "held", "participants_women": 3, "participants_men": 5}, format="json")
    assert response.status_code == 201, response.content
    assert client.get(url).json()["outcome"] == "held"
    past.refresh_from_db()
    assert past.status == Event.Status.HELD
    bad = client.post(url, {"outcome": "maybe"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()
    other = api_as(make_user(Role.FIELD, structure=world.mts)).post(url, {"outcome": "cancelled"}, format="json")
    assert other.status_code == 403
    assert EventOutcome.objects.get(event=past).outcome == "held"
