"""The Redis cache answers like a miss, quickly, when Redis is down; it works normally when Redis is up."""

import time

import pytest
from django.conf import settings

from osce_tnt import cache_backends
from osce_tnt.cache_backends import ResilientRedisCache


def _cache(location: str) -> ResilientRedisCache:
    return ResilientRedisCache(location, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


@pytest.fixture(autouse=True)
def _reset_breaker():
    cache_backends._down_until.clear()
    yield
    cache_backends._down_until.clear()


def test_a_stopped_redis_is_a_miss_and_later_calls_skip_it():
    cache = _cache("redis://127.0.0.1:9/0")  # nothing listens there

    started = time.monotonic()
    values = (cache.get("k", "default"), cache.add("k", 1), cache.set("k", 1), cache.get_many(["k"]))
    elapsed = time.monotonic() - started

    assert values == ("default", False, None, {})
    assert elapsed < 2
    assert not cache.is_available()
    with pytest.raises(ValueError):
        cache.incr("counter")


@pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].endswith("ResilientRedisCache"),
    reason="needs REDIS_URL (make test sets it)",
)
def test_a_running_redis_is_used_normally():
    cache = _cache(settings.CACHES["default"]["LOCATION"])
    cache.set("reliability:test", 41)

    assert cache.incr("reliability:test") == 42
    assert cache.get("reliability:test") == 42
    assert cache.is_available()
    cache.delete("reliability:test")


@pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].endswith("ResilientRedisCache"),
    reason="needs REDIS_URL (make test sets it)",
)
def test_cache_calls_share_one_redis_client_per_connection_pool():
    cache = _cache(settings.CACHES["default"]["LOCATION"])

    first = cache._cache.get_client(write=True)
    cache.set("reliability:client", 1)
    cache.get("reliability:client")

    assert cache._cache.get_client(write=True) is first
    assert cache._cache.get_client(write=False) is first  # one server: reads and writes share its pool
    cache.delete("reliability:client")


def test_a_reused_client_still_fails_over_to_a_miss():
    cache = _cache("redis://127.0.0.1:9/0")
    client = cache._cache.get_client()

    assert cache.get("k", "default") == "default"
    assert cache._cache.get_client() is client
