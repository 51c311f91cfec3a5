"""Login throttling, the sign-in audit, API token expiry and revocation, session length."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.permissions import Role
from programmes.security.models import SignInEvent
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _attempt(client, username, password, address="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    user = make_user(Role.FIELD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _attempt(client, user.username, "wrong").status_code in (200, 429)

    response = _attempt(client, user.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=user, kind=SignInEvent.Kind.FAILED).count() >= settings.AXES_FAILURE_LIMIT
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.LOCKED_OUT).exists()


def test_failures_from_one_address_lock_that_address_for_every_account(client):
    other = make_user(Role.DELEGATION)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, f"nobody{n}", "wrong", address="203.0.113.9")

    assert _attempt(client, other.username, TEST_PASSWORD, address="203.0.113.9").status_code == 429
    # The same account from another address is not locked by someone else's guessing.
    assert _attempt(client, other.username, TEST_PASSWORD, address="203.0.113.10").status_code == 302


def test_an_administrator_sees_and_lifts_a_lockout_in_the_admin(client, admin_user):
    user = make_user(Role.FIELD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, user.username, "wrong")
    attempt = AccessAttempt.objects.get(username=user.username)
    admin_client = type(client)()
    admin_client.force_login(admin_user)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and user.username in listing.content.decode()

    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert _attempt(client, user.username, TEST_PASSWORD).status_code == 302


def test_sign_in_and_sign_out_are_recorded(client):
    user = make_user(Role.SECRETARIAT)
    assert _attempt(client, user.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.1")
    kinds = list(SignInEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", "ip_address"))
    assert kinds == [(SignInEvent.Kind.SIGNED_IN, "198.51.100.1"), (SignInEvent.Kind.SIGNED_OUT, "198.51.100.1")]
    assert AccessLog.objects.filter(username=user.username, logout_time__isnull=False).exists()


def test_an_expired_api_token_is_refused():
    user = make_user(Role.DELEGATION)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/states/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=settings.PORTAL_API_TOKEN_DAYS))

    response = client.get("/api/states/")

    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]


def test_the_owner_creates_and_revokes_a_token_through_the_api():
    user = make_user(Role.FIELD)
    client = APIClient()
    client.force_authenticate(user)
    created = client.post("/api/auth/token/")
    assert created.status_code == 201 and Token.objects.get(user=user).key == created.json()["key"]
    client.force_authenticate(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {created.json()['key']}")

    assert client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get("/api/states/").status_code in (401, 403)


def test_the_owner_revokes_a_token_on_the_account_page(client_as):
    user = make_user(Role.DELEGATION)
    Token.objects.create(user=user)
    client = client_as(user)
    page = client.get(reverse("security:api_token"))
    assert page.status_code == 200 and "Expires" in page.content.decode()

    client.post(reverse("security:api_token"), {"action": "revoke"})

    assert not Token.objects.filter(user=user).exists()


def test_an_administrator_revokes_someone_elses_token_in_the_admin(client_as, admin_user):
    owner = make_user(Role.FIELD)
    token = Token.objects.create(user=owner)
    client = client_as(admin_user)
    client.post(reverse("admin:authtoken_tokenproxy_delete", args=[owner.pk]), {"post": "yes"})
    assert not Token.objects.filter(pk=token.pk).exists()


def test_a_session_ends_after_a_working_day_without_requests(client_as):
    client = client_as(make_user(Role.SECRETARIAT))
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    response = client.get(reverse("home"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 3600


def test_activity_pushes_the_session_end_back_at_most_every_few_minutes(client_as, settings):
    from django.contrib.sessions.models import Session

    client = client_as(make_user(Role.SECRETARIAT))
    client.get(reverse("home"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == first  # within the interval: no write
    settings.SESSION_REFRESH_SECONDS = 0
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > first


def test_an_api_token_brings_its_user_and_role_in_one_query(django_assert_num_queries):
    from programmes.permissions import role_of
    from programmes.security.authentication import ExpiringTokenAuthentication

    user = make_user(Role.SECRETARIAT)
    token = Token.objects.create(user=user)

    with django_assert_num_queries(1):
        found_user, found_token = ExpiringTokenAuthentication().authenticate_credentials(token.key)
        assert role_of(found_user) == Role.SECRETARIAT

    assert (found_user.pk, found_user.username) == (user.pk, user.username)
    assert (found_token.key, found_token.user_id) == (token.key, user.pk)
    assert found_token.created == Token.objects.get(pk=token.pk).created  # a datetime, on either backend


def test_an_api_token_of_an_inactive_user_is_refused_and_of_a_user_with_no_role_gets_nothing():
    inactive, roleless = make_user(Role.COORDINATOR), make_user(Role.FIELD)
    inactive.is_active = False
    inactive.save()
    roleless.groups.clear()
    client = APIClient()

    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=inactive).key}")
    refused = client.get("/api/states/")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=roleless).key}")
    forbidden = client.get("/api/states/")

    assert refused.status_code in (401, 403) and "inactive" in refused.json()["detail"]
    assert forbidden.status_code == 403
