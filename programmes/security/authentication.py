"""API token authentication with an expiry: a token older than PORTAL_API_TOKEN_DAYS is refused."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from programmes import prepared
from programmes.permissions import remember_role, role_group_subquery_sql


def token_expires_at(token):
    return token.created + timedelta(days=settings.PORTAL_API_TOKEN_DAYS)


@cache
def _token_sql() -> tuple[str, tuple[str, ...]]:
    """The statement and the parameters before the key's (the role groups'), made once per process."""
    qn = connection.ops.quote_name
    role_sql, role_params = role_group_subquery_sql("u.id")
    # Table names from the models' meta and placeholders only; the key is a parameter.
    sql = (
        f"SELECT u.*, t.created AS portal_token_created, {role_sql} AS portal_role_group "  # noqa: S608
        f"FROM {qn(get_user_model()._meta.db_table)} u JOIN {qn(Token._meta.db_table)} t ON t.user_id = u.id "
        "WHERE t.key = %s"
    )
    return sql, tuple(role_params)


def _user_and_token(key: str) -> tuple[Any, Token] | None:
    """The token's user with their role (see ``remember_role``), and the token, in one query. DRF's lookup and
    the role took two, and building them with the ORM cost more Python than the queries took (every API request
    pays it)."""
    sql, role_params = _token_sql()
    user = next(iter(get_user_model().objects.raw(prepared.statement(sql), [*role_params, key])), None)
    if user is None:
        return None
    # An extra column of a raw query comes without the ORM's converters (SQLite returns text): apply the field's.
    field = Token._meta.get_field("created")
    column = field.get_col(Token._meta.db_table)
    created = user.portal_token_created
    for converter in [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]:
        created = converter(created, column, connection)
    remember_role(user, user.portal_role_group)
    token = Token.from_db(connection.alias, ["key", "user_id", "created"], [key, user.pk, created])
    token.user = user
    return user, token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        found = _user_and_token(key)
        if found is None or not found[0].is_active:
            # DRF's own lookup raises its refusal ("Invalid token.", "User inactive or deleted."), in its words.
            super().authenticate_credentials(key)
            raise exceptions.AuthenticationFailed()  # unreachable unless the token appeared in between
        user, token = found
        if timezone.now() >= token_expires_at(token):
            raise exceptions.AuthenticationFailed(_("Token has expired; create a new one on your account page."))
        return user, token
