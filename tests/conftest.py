import pytest
from django.conf import settings
from django.test.utils import override_settings
from rest_framework.test import APIClient

from programmes.permissions import Role
from tests.cache import WorkerRedisCache, worker_prefix
from tests.factories import make_user


@pytest.fixture(autouse=True, scope="session")
def _cache_per_test_process():
    """Each xdist worker keeps its cache keys apart from the others' (see tests/cache.py)."""
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache"):
        yield  # locmem: private to the process already
        return
    own = {
        **default,
        "BACKEND": f"{WorkerRedisCache.__module__}.{WorkerRedisCache.__name__}",
        "KEY_PREFIX": worker_prefix(),
    }
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language. Django's LocaleMiddleware activates a request's language in the
    thread and nothing deactivates it, so a test that called a service after a Russian page would otherwise get
    Russian messages from whichever test ran before it in the same worker."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache(_cache_per_test_process):
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


@pytest.fixture(autouse=True)
def _closed_job_breaker():
    """A test that simulates a broker outage opens the enqueue breaker for some seconds; it must not leave the
    next test's jobs unsent."""
    from programmes import jobs

    jobs._breaker["open_until"] = 0.0
    yield
    jobs._breaker["open_until"] = 0.0
