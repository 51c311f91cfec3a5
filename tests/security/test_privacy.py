"""Personal data: an administrator exports everything held about one person and erases it on request."""

import json

import pytest
from django.urls import reverse

from focal_points.models import FocalPoint
from programmes.permissions import Role
from programmes.security.models import ErasureRecord, SignInEvent
from tests.factories import make_user
from tests.focal_points.factories import FocalPointFactory, MembershipFactory

pytestmark = pytest.mark.django_db
EMAIL = "ada.lovelace@example.org"


@pytest.fixture
def person():
    user = make_user(Role.FIELD, email=EMAIL, first_name="Ada", last_name="Lovelace")
    fp = FocalPointFactory(first_name="Ada", last_name="Lovelace", email=EMAIL, phone="+43 1 555 0199", user=user)
    membership = MembershipFactory(focal_point=fp)
    fp.job_title = "Head of unit"
    fp.save()  # a second history row that still holds the details
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_IN, user=user, username=user.username, ip_address="192.0.2.1"
    )
    return user, fp, membership


def test_an_administrator_exports_everything_held_about_one_person(client_as, admin_user, person):
    user, _fp, membership = person
    response = client_as(admin_user).post(reverse("privacy:person"), {"email": EMAIL, "action": "export"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    [record] = data["focal_points"]
    assert record["record"]["phone"] == "+43 1 555 0199"
    assert [m["id"] for m in record["memberships"]] == [membership.pk]
    assert len(record["history"]) == 2 and {h["email"] for h in record["history"]} == {EMAIL}
    [account] = data["user_accounts"]
    assert account["account"]["username"] == user.username and "password" not in account["account"]
    assert account["sign_in_events"][0]["ip_address"] == "192.0.2.1"
    assert account["roles"] == ["Field-operation staff"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SECRETARIAT, Role.FIELD, Role.DELEGATION])
def test_only_administrators_reach_the_personal_data_page(client_as, role, person):
    response = client_as(make_user(role)).post(reverse("privacy:person"), {"email": EMAIL, "action": "export"})
    assert response.status_code == 403


def test_erasure_replaces_the_details_and_purges_them_from_history(client_as, admin_user, person):
    user, fp, _membership = person
    client = client_as(admin_user)
    refused = client.post(reverse("privacy:person"), {"email": EMAIL, "action": "erase"})
    assert refused.status_code == 200 and FocalPoint.objects.get(pk=fp.pk).email == EMAIL

    response = client.post(reverse("privacy:person"), {"email": EMAIL, "action": "erase", "confirm": "on"})

    assert response.status_code == 302
    fp.refresh_from_db()
    user.refresh_from_db()
    assert (fp.email, fp.phone, fp.first_name, fp.user_id) == ("", "", "Erased", None)
    history = list(FocalPoint.history.filter(id=fp.pk))
    assert len(history) == 3
    assert all(h.email == "" and h.phone == "" and "Lovelace" not in h.last_name for h in history)
    assert history[0].history_change_reason == "Personal data erased on request"
    assert history[0].history_user == admin_user
    assert (user.email, user.first_name, user.is_active, user.has_usable_password()) == ("", "", False, False)
    assert not SignInEvent.objects.filter(ip_address="192.0.2.1").exists()
    record = ErasureRecord.objects.get()
    assert record.erased_by == admin_user and EMAIL not in record.summary + record.subject
    assert (
        json.loads(client.post(reverse("privacy:person"), {"email": EMAIL, "action": "export"}).content)["focal_points"]
        == []
    )
