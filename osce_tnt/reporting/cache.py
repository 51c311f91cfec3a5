"""Cached figures. Every key carries a "generation" number; any change to the data the figures read bumps it,
so all cached figures become unreachable at once (and expire on their own later). The key also names the
figure, the audience (delegation vs staff) and the filters, so two audiences never share an entry."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
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


def _stamp_key(latest_key: str) -> str:
    # The latest entry's (generation, time computed, token), small, read on every hit; the entry itself is
    # (token, figures) under latest_key, read only when this process holds no copy with that token.
    return f"{latest_key}:stamp"


def _current(stamp: tuple[int, float, str], generation: int) -> bool:
    return stamp[0] == generation and time.time() - stamp[1] < FIGURE_TIMEOUT


# A copy in this process of the rendered pages and encoded bodies (str, bytes) last read or computed here, by
# latest key: (token, value). Used only when the cache's stamp for that key names the same token, so it is never
# newer or older than what the cache holds (a Redis restart loses the stamp, another worker's computation changes
# the token). A warm dashboard page then reads a 100-byte stamp instead of its 200 KiB body (issue 14, round 5).
# Figure dicts are not kept: callers may change what they are given, and a shared copy would carry that on.
_LOCAL_ENTRIES = 64
_LOCAL_MAX_BYTES = 2 * 1024 * 1024
_local: OrderedDict[str, tuple[str, str | bytes]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(latest_key: str) -> tuple[str, Any] | None:
    with _local_lock:
        entry = _local.get(latest_key)
        if entry is not None:
            _local.move_to_end(latest_key)
        return entry


def _local_put(latest_key: str, token: str, value: Any) -> None:
    if not isinstance(value, str | bytes) or len(value) > _LOCAL_MAX_BYTES:
        return
    with _local_lock:
        _local[latest_key] = (token, value)
        _local.move_to_end(latest_key)
        while len(_local) > _LOCAL_ENTRIES:
            _local.popitem(last=False)


def _agreeing(entry: Any, stamp: Any) -> tuple[str, Any] | None:
    """``entry`` if it is the one ``stamp`` describes (same token), else None: an entry of another computation,
    of the format before stamps, or with no stamp at all is not trusted."""
    if entry is None or stamp is None or not isinstance(entry, tuple) or len(entry) != 2:
        return None
    return entry if entry[0] == stamp[2] else None


def cached(name: str, audience: str, filters_key: str, compute: Callable[[], Any]) -> Any:
    """The figures for this key. A hit is one round trip to the cache: the generation, the view's latest stamp
    (generation, time computed, token) and, unless this process already holds the entry with that token, the
    entry (token, figures) are read together; the entry is current if its generation is the current one and it
    is younger than FIGURE_TIMEOUT. On a miss one process computes (a short lock in the cache, one per view); the
    others meanwhile get the previous figures for the same view if there are any (stale while revalidating), else
    wait for the result, so concurrent cold requests after a write compute once instead of once per worker
    (issue 14). A request that finds no computation running computes, so a read after a write always sees that
    write."""
    _reads.since_bump = True
    latest_key, lock_key = _latest_key(name, audience, filters_key), compute_lock_key(name, audience, filters_key)
    stamp_key = _stamp_key(latest_key)
    local = _local_get(latest_key)
    try:
        found = cache.get_many([GENERATION_KEY, stamp_key] + ([] if local else [latest_key]))
        generation = found.get(GENERATION_KEY)
        generation = current_generation() if generation is None else int(generation)
        stamp: tuple[int, float, str] | None = found.get(stamp_key)
        entry = _agreeing(local, stamp) or _agreeing(found.get(latest_key), stamp)
        if entry is None and local is not None and stamp is not None:
            # Another worker computed since this one kept its copy: read theirs.
            entry = _agreeing(cache.get(latest_key), stamp)
    except CACHE_ERRORS:
        logger.warning("Reporting cache unavailable; computing figures directly", exc_info=True)
        return compute()
    if entry is not None and stamp is not None and _current(stamp, generation):
        if entry is not local:
            _local_put(latest_key, *entry)  # read from the cache: keep it here for the next request
        return entry[1]
    try:
        locked = cache.add(lock_key, 1, timeout=COMPUTE_LOCK_SECONDS)
    except CACHE_ERRORS:
        locked = True
    if not locked:
        waited = 0.0
        try:
            if entry is not None:
                return entry[1]
            while waited < COMPUTE_LOCK_SECONDS:
                time.sleep(_POLL_SECONDS)
                waited += _POLL_SECONDS
                found = cache.get_many([stamp_key, latest_key])
                stamp = found.get(stamp_key)
                entry = _agreeing(found.get(latest_key), stamp)
                if entry is not None and stamp is not None and stamp[0] >= generation:
                    return entry[1]
                if cache.get(lock_key) is None:
                    break
        except CACHE_ERRORS:
            pass
    try:
        value = compute()
        token = uuid.uuid4().hex
        try:
            # Returns the keys it could not set (the resilient backend, with Redis away: all of them).
            unset = cache.set_many(
                {latest_key: (token, value), stamp_key: (generation, time.time(), token)}, timeout=STALE_TIMEOUT
            )
        except CACHE_ERRORS:
            unset = [latest_key]
        if unset:
            logger.warning("Could not store figures in the reporting cache")
        else:
            _local_put(latest_key, token, value)
    finally:
        if locked:
            with contextlib.suppress(*CACHE_ERRORS):
                cache.delete(lock_key)
    return value
