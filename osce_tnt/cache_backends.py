"""A Redis cache that a stopped or hung Redis cannot turn into errors or slow pages.

The portal uses the cache only for things it can compute again (dashboard figures, their generation counter). Every
call is bounded by the socket timeouts in ``settings.CACHES`` (about a second); a connection error or timeout is
logged and answered like a miss. After a failure the backend skips Redis for ``PORTAL_CACHE_RETRY_SECONDS`` in this
process, so a page that makes ten cache calls while Redis is hung waits one timeout, not ten.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_ERRORS = (RedisError, OSError)
# Shared by every thread's backend instance (Django makes one per thread) for the same server.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class CacheUnavailable(Exception):
    """Raised internally while the breaker is open; never leaves this module."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every cache call, and each one copies redis-py's table of
    response callbacks (about 0.2 ms of Python, twice or more per page). A ``redis.Redis`` holds no connection of its
    own (it borrows from its pool per command) and is thread-safe, so one per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # RedisCacheClient internals, not in the stubs
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _location(self) -> str:
        return ",".join(self._servers)  # type: ignore[attr-defined]  # set by RedisCache.__init__, not in the stubs

    def _available(self) -> bool:
        return _down_until.get(self._location(), 0.0) <= time.monotonic()

    def _failed(self, operation: str, exc: BaseException) -> None:
        with _lock:
            already_down = not self._available()
            _down_until[self._location()] = time.monotonic() + settings.PORTAL_CACHE_RETRY_SECONDS
        if not already_down:
            logger.warning(
                "Cache %s failed (%s: %s); working without the cache for %ss",
                operation,
                type(exc).__name__,
                exc,
                settings.PORTAL_CACHE_RETRY_SECONDS,
            )

    def _guard(self, operation: str, call, default: Any) -> Any:
        if not self._available():
            return default
        try:
            return call()
        except _ERRORS as exc:
            self._failed(operation, exc)
            return default

    def is_available(self) -> bool:
        """For /healthz: a real round trip, bypassing the breaker."""
        try:
            self._cache.get_client(write=False).ping()  # type: ignore[attr-defined]  # RedisCache internals
        except _ERRORS as exc:
            self._failed("ping", exc)
            return False
        with _lock:
            _down_until.pop(self._location(), None)
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        # A missing key is a ValueError, as with every Django cache; an unreachable Redis looks the same, so callers
        # that initialise the counter on ValueError (reporting.cache) keep working.
        missing = object()
        result = self._guard("incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key {key!r} not found (cache unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard("clear", lambda: super(ResilientRedisCache, self).clear(), False)
