"""Everything the portal holds about one person, found by e-mail address: focal-point records (with memberships,
task-force seats, proposed changes and their history) and user accounts (profile, roles, sign-ins, tokens, the
changes they made). This reads across apps, so it lives at the top, beside reporting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from rest_framework.authtoken.models import Token

from focal_points.models import FocalPoint
from programmes.events.models import CalendarFeedToken
from programmes.security.models import SignInEvent
from taskforces.models import ActionReminder


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _row(instance, *, exclude: tuple[str, ...] = ()) -> dict:
    data = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        data[model_field.attname] = _plain(getattr(instance, model_field.attname))
    return data


def _history_rows(model, object_id: int) -> list[dict]:
    if not hasattr(model, "history"):
        return []
    return [
        _row(record, exclude=("history_user",)) | {"history_user": str(record.history_user or "")}
        for record in model.history.model.objects.filter(id=object_id).select_related("history_user")
    ]


def history_models() -> list:
    return [m for m in apps.get_models() if hasattr(m, "instance_type")]


def people_by_email(email: str) -> tuple[list[FocalPoint], list]:
    email = (email or "").strip()
    if not email:
        return [], []
    focal_points = list(FocalPoint.objects.filter(email__iexact=email).order_by("pk"))
    users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk"))
    linked = get_user_model().objects.filter(focal_point__in=focal_points).exclude(pk__in=[u.pk for u in users])
    return focal_points, users + list(linked)


def person_export(*, email: str) -> dict:
    focal_points, users = people_by_email(email)
    out: dict = {"email": email, "focal_points": [], "user_accounts": [], "reminders_sent": []}
    for fp in focal_points:
        out["focal_points"].append(
            {
                "record": _row(fp) | {"thematic_areas": [a.code for a in fp.thematic_areas.all()]},
                "memberships": [_row(m) | {"history": _history_rows(type(m), m.pk)} for m in fp.memberships.all()],
                "task_force_seats": [_row(seat) for seat in fp.task_force_memberships.all()],
                "confirmation_requests": [_row(r) for r in fp.confirmation_requests.all()],
                "proposed_changes": [_row(c) for c in fp.proposed_changes.all()],
                "history": _history_rows(FocalPoint, fp.pk),
            }
        )
    for user in users:
        profile = getattr(user, "profile", None)
        out["user_accounts"].append(
            {
                "account": _row(user, exclude=("password",)),
                "roles": sorted(user.groups.values_list("name", flat=True)),
                "profile": _row(profile) if profile else None,
                "sign_in_events": [_row(e) for e in SignInEvent.objects.filter(user=user)],
                "api_token_created": [_plain(t.created) for t in Token.objects.filter(user=user)],
                "calendar_feed_tokens": [
                    _row(t, exclude=("token_hash",)) for t in CalendarFeedToken.objects.filter(user=user)
                ],
                "task_force_seats": [_row(seat) for seat in user.task_force_representations.all()],
                "changes_made": [
                    {
                        "model": m.instance_type._meta.label,
                        "object_id": r.id,
                        "type": r.history_type,
                        "at": _plain(r.history_date),
                    }
                    for m in history_models()
                    for r in m.objects.filter(history_user=user).order_by("history_date")
                ],
            }
        )
    if email:
        out["reminders_sent"] = [_row(r) for r in ActionReminder.objects.filter(recipient__iexact=email)]
    return out
