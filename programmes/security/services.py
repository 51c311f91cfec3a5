"""Writes of the security app: sign-in records and API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from programmes.security.models import SignInEvent


def _client_address(request) -> str | None:
    if request is None:
        return None
    # axes resolves the client address (proxy-aware, see AXES_IPWARE_* settings) and stores it on the request.
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None


@transaction.atomic
def sign_in_event_record(*, kind: str, request=None, user=None, username: str = "") -> SignInEvent:
    if user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    event = SignInEvent(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=_client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def api_token_create(*, user) -> Token:
    """A fresh token for ``user``; any earlier one stops working (one token per user, as DRF keeps them)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
