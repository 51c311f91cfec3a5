"""API token authentication with an expiry: a token older than PORTAL_API_TOKEN_DAYS is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from programmes.security.principal import principal_by_token


def token_expires_at(token):
    return token.created + timedelta(days=settings.PORTAL_API_TOKEN_DAYS)


def _user_and_token(key: str) -> tuple[Any, Token] | None:
    """The token's user with their role and profile (``principal``), and the token, in one query. DRF's lookup,
    the role and the profile took three, and building them with the ORM cost more Python than the queries took
    (every API request pays it)."""
    found = principal_by_token(key)
    if found is None:
        return None
    user, created = found
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
