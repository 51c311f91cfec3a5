from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from focal_points import services
from focal_points.models import FocalPoint, Membership, ProposedChange
from programmes.permissions import Role
from tests.factories import ParticipatingStateFactory, ThematicAreaFactory, make_user
from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_focal_point_create_saves_person_and_areas():
    state = ParticipatingStateFactory()
    area = ThematicAreaFactory()
    person = services.focal_point_create(
        first_name=" Ada ",
        last_name="Kern",
        state=state,
        authority="Ministry of Justice",
        email="ada.kern@example.org",
        working_languages=["en", "ru"],
        thematic_areas=[area],
    )
    saved = FocalPoint.objects.get(pk=person.pk)
    assert saved.first_name == "Ada"
    assert list(saved.thematic_areas.all()) == [area]
    assert saved.working_languages == ["en", "ru"]


def test_focal_point_create_refuses_same_name_in_same_organisation():
    existing = FocalPointFactory(first_name="Ada", last_name="Kern")
    with pytest.raises(ValidationError) as error:
        services.focal_point_create(
            first_name="ada",
            last_name="KERN",
            state=existing.state,
            authority=existing.authority,
            email="other@example.org",
        )
    assert "already in the directory" in str(error.value)
    assert FocalPoint.objects.count() == 1


def test_focal_point_create_refuses_duplicate_email_with_field_error():
    FocalPointFactory(email="ada@example.org")
    with pytest.raises(ValidationError):
        services.focal_point_create(
            first_name="B", last_name="C", state=ParticipatingStateFactory(), email="ADA@example.org"
        )
    assert FocalPoint.objects.count() == 1


def test_focal_point_update_moves_memberships_to_new_state():
    membership = MembershipFactory()
    new_state = ParticipatingStateFactory()
    services.focal_point_update(focal_point=membership.focal_point, data={"state": new_state})
    membership.refresh_from_db()
    assert membership.state == new_state


def test_focal_point_update_refuses_a_state_whose_primary_seat_is_taken():
    seated = MembershipFactory()
    mover = MembershipFactory(network=seated.network)
    old_state = mover.focal_point.state
    with pytest.raises(ValidationError) as error:
        services.focal_point_update(focal_point=mover.focal_point, data={"state": seated.focal_point.state})
    assert "already has a primary focal point" in error.value.message_dict["state"][0]
    mover.refresh_from_db()
    mover.focal_point.refresh_from_db()
    assert mover.state == old_state and mover.focal_point.state == old_state


def test_membership_create_refuses_overlapping_primary_for_same_state():
    first = MembershipFactory(start=date(2020, 1, 1), end=date(2022, 12, 31))
    rival = FocalPointFactory(state=first.focal_point.state)
    with pytest.raises(ValidationError) as error:
        services.membership_create(focal_point=rival, network=first.network, start=date(2022, 6, 1))
    assert "role" in error.value.message_dict
    later = services.membership_create(focal_point=rival, network=first.network, start=date(2023, 1, 1))
    assert later.state == rival.state
    assert Membership.objects.filter(network=first.network).count() == 2


def test_membership_end_sets_the_end_date():
    membership = MembershipFactory(start=date(2020, 1, 1))
    services.membership_end(membership=membership, end=date(2024, 1, 1))
    membership.refresh_from_db()
    assert membership.end == date(2024, 1, 1)


def test_confirm_updates_current_memberships_only():
    membership = MembershipFactory(start=date(2020, 1, 1))
    ended = MembershipFactory(
        focal_point=membership.focal_point, start=date(2010, 1, 1), end=date(2012, 1, 1), role=Membership.Role.MEMBER
    )
    request_ids = services.confirmation_requests_create(year=2024, focal_point_ids=[membership.focal_point_id])
    request = membership.focal_point.confirmation_requests.get(pk=request_ids[0])
    assert services.focal_point_confirm(confirmation_request=request, today=date(2024, 3, 1)) == 1
    membership.refresh_from_db()
    ended.refresh_from_db()
    request.refresh_from_db()
    assert membership.last_confirmed == date(2024, 3, 1)
    assert ended.last_confirmed is None
    assert request.confirmed_at is not None


def test_proposed_change_is_validated_and_stored_without_touching_the_person(django_capture_on_commit_callbacks):
    person = FocalPointFactory(phone="+1 000")
    FocalPointFactory(email="taken@example.org")
    with pytest.raises(ValidationError):
        services.proposed_change_submit(focal_point=person, data={"email": "not-an-email"})
    assert services.proposed_change_submit(focal_point=person, data={"phone": "+1 000"}) is None
    with django_capture_on_commit_callbacks(execute=True):
        change = services.proposed_change_submit(
            focal_point=person, data={"phone": "+1 999", "first_name": person.first_name}
        )
    assert change.data == {"phone": "+1 999"}
    person.refresh_from_db()
    assert person.phone == "+1 000"


def test_network_coordinator_approves_and_change_is_applied():
    coordinator_user = make_user(Role.SECRETARIAT)
    membership = MembershipFactory(network=NetworkFactory(coordinator=coordinator_user))
    change = ProposedChange.objects.create(focal_point=membership.focal_point, data={"phone": "+1 222"})
    services.proposed_change_decide(change=change, actor=coordinator_user, approve=True)
    change.refresh_from_db()
    membership.focal_point.refresh_from_db()
    assert change.status == ProposedChange.Status.APPROVED
    assert change.decided_by == coordinator_user
    assert membership.focal_point.phone == "+1 222"
    with pytest.raises(ValidationError):
        services.proposed_change_decide(change=change, actor=coordinator_user, approve=False)


def test_staff_who_is_not_the_networks_coordinator_cannot_decide():
    membership = MembershipFactory()
    change = ProposedChange.objects.create(focal_point=membership.focal_point, data={"phone": "+1 222"})
    with pytest.raises(PermissionDenied):
        services.proposed_change_decide(change=change, actor=make_user(Role.SECRETARIAT), approve=True)
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.PENDING


def test_rejected_change_leaves_the_person_unchanged(coordinator):
    person = FocalPointFactory(phone="+1 000")
    change = ProposedChange.objects.create(focal_point=person, data={"phone": "+1 222"})
    services.proposed_change_decide(change=change, actor=coordinator, approve=False)
    person.refresh_from_db()
    change.refresh_from_db()
    assert person.phone == "+1 000"
    assert change.status == ProposedChange.Status.REJECTED
    assert change.decided_at is not None


def test_confirmation_token_round_trip_expiry_and_tampering():
    membership = MembershipFactory()
    [request_id] = services.confirmation_requests_create(year=2024, focal_point_ids=[membership.focal_point_id])
    request = membership.focal_point.confirmation_requests.get(pk=request_id)
    token = services.confirmation_token(confirmation_request=request)
    assert services.confirmation_request_from_token(token=token) == request
    from django.core import signing

    with pytest.raises(signing.SignatureExpired):
        services.confirmation_request_from_token(token=token, max_age=timedelta(seconds=-1).total_seconds())
    with pytest.raises(signing.BadSignature):
        services.confirmation_request_from_token(token=token[:-2] + ("aa" if token[-2:] != "aa" else "bb"))
    with pytest.raises(signing.BadSignature):
        services.confirmation_request_from_token(token=token.replace(str(request_id), str(request_id + 1), 1))
