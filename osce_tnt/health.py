"""What /healthz checks, part by part. Each check is bounded by about a second and never raises.

A part is "ok", "not configured" (the demo runs without a broker, so there is no broker, worker or beat to be down),
"stale: ..." (a heartbeat too old) or "error: ...". ``PORTAL_HEALTH_REQUIRED`` says which parts make the answer 503.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

OK = "ok"
NOT_CONFIGURED = "not configured"
PARTS = ("database", "cache", "broker", "worker", "beat")


def _error(exc: BaseException) -> str:
    return f"error: {exc.__class__.__name__}"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and the reason is reported
        return _error(exc)
    return OK


def cache_state() -> str:
    probe = getattr(cache, "is_available", None)
    if probe is None:  # local memory: part of this process
        return OK
    return OK if probe() else "error: unreachable"


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def broker_state() -> str:
    if not broker_configured():
        return NOT_CONFIGURED
    from osce_tnt.celery import app as celery_app

    url = celery_app.conf.broker_write_url or celery_app.conf.broker_url
    if url.startswith("memory://"):
        return OK
    try:
        import redis

        timeout = settings.REDIS_SOCKET_TIMEOUT
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    return OK


def heartbeat_state(name: str) -> str:
    if not broker_configured():
        return NOT_CONFIGURED
    from programmes.models import ServiceHeartbeat

    try:
        beat = ServiceHeartbeat.objects.filter(name=name).first()
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    if beat is None:
        return "error: never seen"
    age = (timezone.now() - beat.seen_at).total_seconds()
    if age > settings.PORTAL_SERVICE_HEARTBEAT_MAX_AGE:
        return f"stale: last seen {int(age)} s ago"
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_state,
    "cache": cache_state,
    "broker": broker_state,
    "worker": lambda: heartbeat_state("worker"),
    "beat": lambda: heartbeat_state("beat"),
}


def report(required: list[str] | None = None) -> tuple[bool, dict[str, object]]:
    """Every part's state, and whether all required parts are up."""
    required = [part for part in (required or settings.PORTAL_HEALTH_REQUIRED) if part in CHECKS]
    states = {part: CHECKS[part]() for part in PARTS}
    down = [part for part in required if states[part] not in (OK, NOT_CONFIGURED)]
    body: dict[str, object] = {"status": "error" if down else "ok", **states, "required": required}
    if down:
        body["down"] = down
    return not down, body
