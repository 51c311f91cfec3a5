"""Who is asking: the signed-in user, their role and their profile, in one prepared statement.

Every signed-in request loaded the user (Django's ``ModelBackend.get_user`` for a session, the token's join for the
API), then asked for the role group (``permissions.role_group_of``) and, on most lists, the profile
(``user_structure_id``): three statements, two of them built by the ORM on every request. Measured at N=1 (issue
14, round 6) for a signed-in page that does nothing (the bare view with a session): 3.0 ms in process against
0.33 ms without a session; the session, user and role were 0.55, 0.48 and 0.38 ms of SQL and most of the rest the
ORM building them. Here one statement brings the user's columns, the role group
(``permissions.role_group_subquery_sql``) and the profile's columns; the role goes into ``role_of``'s per-request
cache and the profile into the user's own ``profile`` cache, so that ``user.profile`` (or its absence,
``RelatedObjectDoesNotExist``) is what the ORM would have given. The session itself is read by
``programmes.security.sessions``.

The columns are read by name from the models' metadata and converted with the ORM's own converters for the
database (``prepared.ModelColumns``), so the user is the instance ``User.objects.get`` gives."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection

from programmes import prepared
from programmes.models import UserProfile
from programmes.permissions import remember_role, role_group_subquery_sql


class _Statement:
    """One principal statement: its SQL, the parameters before the caller's, and how to read a row back."""

    def __init__(self, *, join: str = "", where: str, extra: prepared.ModelColumns | None = None) -> None:
        qn = connection.ops.quote_name
        user_model = get_user_model()
        self.user = prepared.ModelColumns(user_model, alias="u")
        self.profile = prepared.ModelColumns(UserProfile, alias="p")
        self.extra = extra
        user_pk = _user_pk()
        role_sql, role_params = role_group_subquery_sql(user_pk)
        profile_user = qn(UserProfile._meta.get_field("user").column)
        columns = [self.user.select_list, f"{role_sql} AS portal_role_group", self.profile.select_list]
        if extra is not None:
            columns.append(extra.select_list)
        # Table and column names from the models' metadata and placeholders only; every value is a parameter.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {qn(user_model._meta.db_table)} u {join} "  # noqa: S608
            f"LEFT JOIN {qn(UserProfile._meta.db_table)} p ON p.{profile_user} = {user_pk} WHERE {where}"
        )
        self.params_before = list(role_params)

    def fetch(self, params: list[Any]) -> list[Any] | None:
        with connection.cursor() as cursor:
            cursor.execute(prepared.statement(self.sql), [*self.params_before, *params])
            row = cursor.fetchone()
        return None if row is None else list(row)

    def extra_values(self, values: list[Any]) -> Sequence[Any]:
        assert self.extra is not None  # only statements made with extra columns are asked for them
        return self.extra.convert(values[len(self.user) + 1 + len(self.profile) :])

    def principal(self, values: list[Any]) -> Any:
        """The user of a fetched row, with their role and profile remembered on it."""
        count = len(self.user)
        user = self.user.instance(values[:count])
        remember_role(user, values[count])
        profile_values = values[count + 1 : count + 1 + len(self.profile)]
        user_link = UserProfile._meta.get_field("user")
        if profile_values[0] is None:
            # No profile row: ``user.profile`` raises RelatedObjectDoesNotExist, as after a query that found none.
            user_link.remote_field.set_cached_value(user, None)
        else:
            profile = self.profile.instance(profile_values)
            user_link.set_cached_value(profile, user)
            user_link.remote_field.set_cached_value(user, profile)
        return user


def _user_pk() -> str:
    # The user table's key column by the model's metadata (a custom user model may name it otherwise).
    return f"u.{connection.ops.quote_name(get_user_model()._meta.pk.column)}"


@cache
def _by_id() -> _Statement:
    return _Statement(where=f"{_user_pk()} = %s")


@cache
def _by_token() -> _Statement:
    from rest_framework.authtoken.models import Token

    qn = connection.ops.quote_name
    return _Statement(
        join=f"JOIN {qn(Token._meta.db_table)} t ON t.{qn(Token._meta.get_field('user').column)} = {_user_pk()}",
        where=f"t.{qn(Token._meta.get_field('key').column)} = %s",
        extra=prepared.ModelColumns(Token, alias="t", fields=["created"]),
    )


def principal_by_id(user_id: Any) -> Any | None:
    """The user ``user_id`` with their role and profile, or None (no such user)."""
    statement = _by_id()
    values = statement.fetch([user_id])
    return None if values is None else statement.principal(values)


def principal_by_token(key: str) -> tuple[Any, Any] | None:
    """(the user of API token ``key`` with their role and profile, the token's creation time), or None."""
    statement = _by_token()
    values = statement.fetch([key])
    return None if values is None else (statement.principal(values), statement.extra_values(values)[0])
