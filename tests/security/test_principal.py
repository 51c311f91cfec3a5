"""The signed-in user, their role and their profile in one statement (``programmes.security.principal``), for a
session (``PortalModelBackend``, ``sessions.SessionStore``) and an API token: the same user, role and profile the
ORM gives, and sessions from before the portal's backend still signed in."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.authtoken.models import Token

from programmes.models import UserProfile
from programmes.permissions import Role, role_of, user_state_id, user_structure_id
from programmes.security import sessions
from programmes.security.backends import PortalModelBackend
from programmes.security.principal import principal_by_id, principal_by_token
from tests.factories import TEST_PASSWORD, UserFactory, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _columns(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_session_user_comes_with_role_and_profile_in_one_query(django_assert_num_queries):
    person = make_user(Role.FIELD, first_name="Ada")
    structure_id = UserProfile.objects.get(user=person).structure_id

    with django_assert_num_queries(1):
        user = PortalModelBackend().get_user(person.pk)
        assert role_of(user) == Role.FIELD
        assert user_structure_id(user) == structure_id
        assert user_state_id(user) is None
        assert user.profile.user is user

    assert _columns(user) == _columns(User.objects.get(pk=person.pk))
    assert user.check_password(TEST_PASSWORD)


def test_user_without_profile_reads_as_having_none_without_a_query(django_assert_num_queries):
    person = UserFactory()
    assert not UserProfile.objects.filter(user=person).exists()

    with django_assert_num_queries(1):
        user = principal_by_id(person.pk)
        assert role_of(user) is None
        assert user_structure_id(user) is None
        with pytest.raises(User.profile.RelatedObjectDoesNotExist):
            _ = user.profile


def test_superuser_is_an_administrator_and_unknown_ids_find_nobody():
    admin = UserFactory(is_superuser=True)
    assert role_of(principal_by_id(admin.pk)) == Role.ADMIN
    assert principal_by_id(admin.pk + 1000) is None


def test_inactive_user_has_no_session_user():
    person = make_user(Role.SECRETARIAT)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert PortalModelBackend().get_user(person.pk) is None


def test_token_brings_its_user_role_profile_and_creation_time_in_one_query(django_assert_num_queries):
    person = make_user(Role.DELEGATION)
    token = Token.objects.create(user=person)
    state_id = UserProfile.objects.get(user=person).state_id

    with django_assert_num_queries(1):
        user, created = principal_by_token(token.key)
        assert role_of(user) == Role.DELEGATION
        assert user_state_id(user) == state_id

    assert created == Token.objects.get(pk=token.pk).created
    assert _columns(user) == _columns(User.objects.get(pk=person.pk))
    assert principal_by_token("not-a-key") is None


def test_session_store_reads_what_djangos_store_wrote_and_not_an_expired_session():
    written = db.SessionStore()
    written["answer"] = 42
    written.create()

    assert sessions.SessionStore(written.session_key).load() == {"answer": 42}

    Session.objects.filter(session_key=written.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = sessions.SessionStore(written.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def _signed_in_with(client, user, backend: str) -> None:
    store = sessions.SessionStore()
    store.update(
        {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
    )
    store.create()
    client.cookies["sessionid"] = store.session_key


def test_a_session_signed_in_with_djangos_model_backend_stays_signed_in(client):
    person = make_user(Role.SECRETARIAT, first_name="Before", last_name="Upgrade")
    _signed_in_with(client, person, sessions.LEGACY_BACKEND)

    response = client.get("/projects/")

    assert response.status_code == 200
    assert response.wsgi_request.user.pk == person.pk
    assert "Before Upgrade" in response.content.decode()


def test_a_session_naming_an_unknown_backend_is_signed_out(client):
    person = make_user(Role.SECRETARIAT)
    _signed_in_with(client, person, "somewhere.else.Backend")

    response = client.get("/projects/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_of_a_changed_password_is_signed_out(client):
    person = make_user(Role.SECRETARIAT)
    _signed_in_with(client, person, sessions.PORTAL_BACKEND)
    person.set_password("another password 123")
    person.save()

    response = client.get("/projects/")

    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)  # the async read runs on another thread's connection
def test_a_legacy_session_reads_as_the_portals_backend_in_async_code_too():
    import asyncio

    store = sessions.SessionStore()
    store[BACKEND_SESSION_KEY] = sessions.LEGACY_BACKEND
    store.create()
    key = store.session_key

    data = asyncio.run(sessions.SessionStore(key).aload())

    assert data[BACKEND_SESSION_KEY] == sessions.PORTAL_BACKEND
    assert sessions.SessionStore(key).load()[BACKEND_SESSION_KEY] == sessions.PORTAL_BACKEND
