import pytest
from rest_framework.test import APIClient

from programmes.permissions import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def coordinator(db):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def secretariat_user(db):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def field_user(db):
    return make_user(Role.FIELD)


@pytest.fixture
def delegation_user(db):
    return make_user(Role.DELEGATION)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """``api_as(user)`` returns an APIClient authenticated as that user."""

    def _login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return _login


@pytest.fixture
def client_as(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
