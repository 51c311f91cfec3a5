"""The one way a job is requested.

Every app asks for background work through :func:`enqueue_on_commit`: the job is sent only once the change that
caused it is committed, it is identified by ids (never by model instances), and a broker that is down or slow is
logged, never raised into the request that saved the change. The reliability work puts a durable outbox behind this
function; callers do not change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def _send(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply_async(args=args)
    except Exception:
        logger.exception("Could not queue %s%r; the change itself is saved", getattr(task, "name", task), args)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue ``task(*args)`` after the current transaction commits; outside a transaction (a task fanning out
    batches, a management command) it is queued at once."""
    transaction.on_commit(lambda: _send(task, args))
