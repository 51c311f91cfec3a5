"""Cached figures. Every key carries a "generation" number; any change to the data the figures read bumps it,
so all cached figures become unreachable at once (and expire on their own later). The key also names the
figure, the audience (delegation vs staff) and the filters, so two audiences never share an entry."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# Figures are a convenience on top of the database: with Redis away they are computed afresh, and a write to
# projects or events must never fail because the cache could not be told.
CACHE_ERRORS = (RedisError, OSError)

GENERATION_KEY = "reporting:generation"
# A safety net for writes that bypass model signals (QuerySet.update): figures are at most this old.
FIGURE_TIMEOUT = 15 * 60


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 1
    return int(generation)


def bump_generation() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, 2, timeout=None)
    except CACHE_ERRORS:
        logger.warning("Could not bump the reporting cache generation", exc_info=True)


def invalidate() -> None:
    """Bump now (this process reads fresh figures at once) and again after commit, so a figure computed by
    another request from the not-yet-committed state is not kept."""
    bump_generation()
    transaction.on_commit(bump_generation)


def figure_key(name: str, audience: str, filters_key: str) -> str:
    digest = hashlib.sha256(filters_key.encode()).hexdigest()[:24]
    return f"reporting:fig:{current_generation()}:{name}:{audience}:{digest}"


def cached(name: str, audience: str, filters_key: str, compute: Callable[[], Any]) -> Any:
    try:
        key = figure_key(name, audience, filters_key)
        value = cache.get(key)
    except CACHE_ERRORS:
        logger.warning("Reporting cache unavailable; computing figures directly", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=FIGURE_TIMEOUT)
        except CACHE_ERRORS:
            logger.warning("Could not store figures in the reporting cache", exc_info=True)
    return value
