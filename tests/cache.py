"""The cache backend the suite runs on when REDIS_URL is set: Django's RedisCache, with keys under a prefix of the
test process and a clear() that removes that prefix only.

RedisCache.clear() is FLUSHDB. Under pytest-xdist the workers share one Redis database, so a worker clearing the
cache before its test would empty the cache another worker is reading in the middle of its test (and anything else
kept in that database). Each worker gets its own prefix instead of its own database number because a developer's
Redis (and CI's, 16 databases) has no spare database per worker."""

from __future__ import annotations

import os

from django.core.cache.backends.redis import RedisCache


def worker_prefix() -> str:
    return "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")


class WorkerRedisCache(RedisCache):
    def clear(self) -> bool:
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
