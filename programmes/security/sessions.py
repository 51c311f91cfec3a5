"""The portal's session store: Django's database sessions, read by a prepared statement on PostgreSQL.

Every signed-in request reads its session. Django's store builds ``Session.objects.get(session_key=…,
expire_date__gt=now)`` with the ORM each time: 0.55 ms of SQL and about as much Python to build it (issue 14,
round 6, the bare view with a session at N=1). The statement here is the same query, planned once per connection
(``programmes.prepared``); writes, expiry and clearing stay Django's. Other databases (the SQLite demo) use
Django's own read.

Sessions signed in before the portal had its own authentication backend name Django's ``ModelBackend``, which
``PortalModelBackend`` replaced (same password check, the user loaded with their role in one statement): they are
read as the portal's, so nobody is signed out by the upgrade."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from programmes import prepared

LEGACY_BACKEND = "django.contrib.auth.backends.ModelBackend"
PORTAL_BACKEND = "programmes.security.backends.PortalModelBackend"


@cache
def _read_sql() -> str:
    from django.contrib.sessions.models import Session

    qn = connection.ops.quote_name
    meta = Session._meta
    # Table and column names from the model's metadata; the key and the time are parameters.
    return (
        f"SELECT {qn(meta.get_field('session_data').column)}, {qn(meta.get_field('expire_date').column)} "  # noqa: S608
        f"FROM {qn(meta.db_table)} WHERE {qn(meta.get_field('session_key').column)} = %s "
        f"AND {qn(meta.get_field('expire_date').column)} > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        if connection.vendor != "postgresql":
            return super()._get_session_from_db()
        with connection.cursor() as cursor:
            cursor.execute(prepared.statement(_read_sql()), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store does for a missing or expired session
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])

    def load(self) -> dict[str, Any]:
        return _portal_backend(super().load())

    async def aload(self) -> dict[str, Any]:
        return _portal_backend(await super().aload())


def _portal_backend(data: dict[str, Any]) -> dict[str, Any]:
    if data.get(BACKEND_SESSION_KEY) == LEGACY_BACKEND:
        data[BACKEND_SESSION_KEY] = PORTAL_BACKEND
    return data
