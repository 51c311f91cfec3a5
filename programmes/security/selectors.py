"""Reads of the security app: the caller's token and sign-in events."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.authtoken.models import Token

from programmes.security.authentication import token_expires_at
from programmes.security.models import SignInEvent


def api_token_info(*, user) -> dict:
    token = Token.objects.filter(user=user).first()
    if token is None:
        return {"exists": False, "created": None, "expires": None, "expired": False}
    expires = token_expires_at(token)
    return {"exists": True, "created": token.created, "expires": expires, "expired": timezone.now() >= expires}


def sign_in_events_for_users(*, user_ids, limit: int = 20):
    return list(SignInEvent.objects.filter(user_id__in=list(user_ids)).select_related("user")[:limit])
