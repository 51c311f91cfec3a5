"""Sign-in audit: Django's login/logout/failure signals and axes' lockout signal each write one SignInEvent."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from programmes.security import services
from programmes.security.models import SignInEvent


@receiver(user_logged_in, dispatch_uid="security_signed_in")
def _signed_in(sender, request, user, **kwargs):
    services.sign_in_event_record(kind=SignInEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="security_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        services.sign_in_event_record(kind=SignInEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_failed")
def _failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get(get_user_model().USERNAME_FIELD, ""))
    services.sign_in_event_record(kind=SignInEvent.Kind.FAILED, request=request, username=username)


@receiver(user_locked_out, dispatch_uid="security_locked_out")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    services.sign_in_event_record(kind=SignInEvent.Kind.LOCKED_OUT, request=request, username=username or "")
