"""Cached figures. Every key carries a "generation" number; any change to the data the figures read bumps it,
so all cached figures become unreachable at once (and expire on their own later). The key also names the
figure, the audience (delegation vs staff) and the filters, so two audiences never share an entry."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
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
# One process computes a missing figure; others wait at most this long (the all-time dashboard takes seconds).
COMPUTE_LOCK_SECONDS = 30
# Previous figures are served to concurrent requests while one recomputes; kept a day at most.
STALE_TIMEOUT = 24 * 60 * 60
_POLL_SECONDS = 0.05
# Per thread: whether figures were read since this thread last bumped the generation (see invalidate).
_reads = threading.local()


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
    """A write to data the figures read. In a transaction: bump now (this process reads fresh figures at once) and
    again after commit, so a figure computed by another request from the not-yet-committed state is not kept.

    Once per transaction, not once per row: creating an event saves the event, its history row, its areas and
    its outbox job, and each bumped twice — 8 cache round trips of an event create's 17 (issue 14, round 3). A
    later write in the same transaction bumps again at once only if this thread has read figures since the last
    bump (they may predate it); the one bump after commit covers the whole transaction for everyone else.
    Outside a transaction the write is already committed: one bump."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump_generation()
        return
    # Django keeps the transaction's callbacks in run_on_commit as (savepoint ids, callback, robust), and drops
    # those of a rolled-back savepoint with it, so "already registered" never outlives the writes it covers.
    registered = any(callback is bump_generation for _ids, callback, _robust in connection.run_on_commit)
    if not registered or getattr(_reads, "since_bump", False):
        _reads.since_bump = False
        bump_generation()
    if not registered:
        transaction.on_commit(bump_generation)


def _latest_key(name: str, audience: str, filters_key: str) -> str:
    # Without the generation: the last figures computed for this view, stored with the generation they were
    # computed at, so one read tells whether they are current (and serves them while a newer set is computed).
    digest = hashlib.sha256(filters_key.encode()).hexdigest()[:24]
    return f"reporting:latest:{name}:{audience}:{digest}"


def compute_lock_key(name: str, audience: str, filters_key: str) -> str:
    # One lock per view, not per generation: under a stream of writes (a deadline day) every write starts a new
    # generation, and a lock per generation would let each request after a write start a computation of its own
    # while the previous one still runs.
    return f"{_latest_key(name, audience, filters_key)}:lock"


def _current(entry: tuple[int, float, Any], generation: int) -> bool:
    return entry[0] == generation and time.time() - entry[1] < FIGURE_TIMEOUT


def cached(name: str, audience: str, filters_key: str, compute: Callable[[], Any]) -> Any:
    """The figures for this key. A hit is one round trip to the cache: the generation and the view's latest entry
    (generation, time computed, figures) are read together, and the entry is current if its generation is the
    current one and it is younger than FIGURE_TIMEOUT. On a miss one process computes (a short lock in the cache,
    one per view); the others meanwhile get the previous figures for the same view if there are any (stale while
    revalidating), else wait for the result, so concurrent cold requests after a write compute once instead of
    once per worker (issue 14). A request that finds no computation running computes, so a read after a write
    always sees that write."""
    _reads.since_bump = True
    latest_key, lock_key = _latest_key(name, audience, filters_key), compute_lock_key(name, audience, filters_key)
    try:
        found = cache.get_many([GENERATION_KEY, latest_key])
        generation = found.get(GENERATION_KEY)
        generation = current_generation() if generation is None else int(generation)
    except CACHE_ERRORS:
        logger.warning("Reporting cache unavailable; computing figures directly", exc_info=True)
        return compute()
    latest = found.get(latest_key)
    if latest is not None and _current(latest, generation):
        return latest[2]
    try:
        locked = cache.add(lock_key, 1, timeout=COMPUTE_LOCK_SECONDS)
    except CACHE_ERRORS:
        locked = True
    if not locked:
        waited = 0.0
        try:
            if latest is not None:
                return latest[2]
            while waited < COMPUTE_LOCK_SECONDS:
                time.sleep(_POLL_SECONDS)
                waited += _POLL_SECONDS
                latest = cache.get(latest_key)
                if latest is not None and latest[0] >= generation:
                    return latest[2]
                if cache.get(lock_key) is None:
                    break
        except CACHE_ERRORS:
            pass
    try:
        value = compute()
        try:
            cache.set(latest_key, (generation, time.time(), value), timeout=STALE_TIMEOUT)
        except CACHE_ERRORS:
            logger.warning("Could not store figures in the reporting cache", exc_info=True)
    finally:
        if locked:
            with contextlib.suppress(*CACHE_ERRORS):
                cache.delete(lock_key)
    return value
