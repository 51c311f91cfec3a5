"""Erasure on request: the person's details are replaced, their past values purged from the history rows too, and
one ErasureRecord (plus a history entry with the reason) says that it happened."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from focal_points.models import FocalPoint
from osce_tnt.privacy.selectors import people_by_email
from programmes.events.models import CalendarFeedToken
from programmes.permissions import DELETE, can
from programmes.security.models import ErasureRecord, SignInEvent
from taskforces.models import ActionReminder

ERASED = "erased"
REASON = "Personal data erased on request"


def _erased_focal_point_values(pk: int) -> dict:
    return {
        "first_name": _("Erased"),
        "last_name": _("person #%(id)s") % {"id": pk},
        "job_title": "",
        "email": "",
        "phone": "",
        "working_languages": [],
        "user_id": None,
    }


@transaction.atomic
def person_erase(*, email: str, actor) -> ErasureRecord:
    if not can(actor, "personal_data", DELETE):
        raise PermissionDenied(_("Only an administrator erases personal data."))
    focal_points, users = people_by_email(email)
    summary = []
    for fp in focal_points:
        values = _erased_focal_point_values(fp.pk)
        # Past versions first: the history must not keep what the person asked to have erased.
        purged = FocalPoint.history.model.objects.filter(id=fp.pk).update(**values)
        fp.proposed_changes.all().delete()
        for name, value in values.items():
            setattr(fp, name, value)
        fp._history_user = actor
        fp._change_reason = REASON
        fp.full_clean()
        fp.save()
        summary.append(f"focal point #{fp.pk}: details replaced, {purged} history rows purged")
    for user in users:
        username = user.get_username()
        SignInEvent.objects.filter(user=user).delete()
        SignInEvent.objects.filter(username=username).delete()
        AccessAttempt.objects.filter(username=username).delete()
        AccessLog.objects.filter(username=username).delete()
        AccessFailureLog.objects.filter(username=username).delete()
        Token.objects.filter(user=user).delete()
        CalendarFeedToken.objects.filter(user=user).delete()
        user.username = f"{ERASED}-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        summary.append(f"user #{user.pk}: account anonymised and deactivated, sign-in records deleted")
    reminders = ActionReminder.objects.filter(recipient__iexact=email).update(recipient=f"{ERASED}@invalid")
    if reminders:
        summary.append(f"{reminders} reminder addresses replaced")
    subjects = [f"focal point #{fp.pk}" for fp in focal_points] + [f"user #{u.pk}" for u in users]
    record = ErasureRecord(
        subject=(", ".join(subjects) or _("nothing found"))[:120], summary="\n".join(summary), erased_by=actor
    )
    record.full_clean()
    record.save()
    return record
