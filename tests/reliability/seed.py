"""Accounts and ids for the reliability scenarios and the load test; prints them as one JSON line.

Run inside the stack's environment (``python tests/reliability/seed.py``) after load_reference_data."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_tnt.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from programmes.models import ExecutiveStructure, ParticipatingState, ThematicArea  # noqa: E402
from programmes.permissions import Role  # noqa: E402
from programmes.services import user_assign_role  # noqa: E402

PASSWORD = "reliability-pass-1"
# Hashed once: the production hasher takes about a second per hash on a busy machine, and 43 accounts share it.
HASHED = make_password(PASSWORD)


def account(username, role, structure=None, state=None):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@x.invalid"})
    user.password = HASHED
    user.save()
    user_assign_role(user=user, role=role, structure=structure, state=state)
    token, _ = Token.objects.get_or_create(user=user)
    return {
        "username": username,
        "password": PASSWORD,
        "token": token.key,
        "id": user.pk,
        "structure": structure.pk if structure else None,
    }


# Field offices that report quarterly (or have no obligation yet), so every scenario can use whole quarters.
field_operations = list(
    ExecutiveStructure.objects.filter(kind=ExecutiveStructure.Kind.FIELD_OPERATION)
    .exclude(reporting_obligation__frequency="monthly")
    .order_by("pk")
)
atu = ExecutiveStructure.objects.get(acronym="ATU")
austria = ParticipatingState.objects.get(iso_code="AT")
accounts = {
    "coordinator": [account("rel-coordinator", Role.COORDINATOR, ExecutiveStructure.objects.get(acronym="TNT-D"))],
    "secretariat": [account(f"rel-staff-{n}", Role.SECRETARIAT, atu) for n in range(12)],
    "field": [account(f"rel-field-{n}", Role.FIELD, field_operations[n % len(field_operations)]) for n in range(20)],
    "delegation": [account(f"rel-delegation-{n}", Role.DELEGATION, state=austria) for n in range(10)],
    "ids": {
        "area": ThematicArea.objects.filter(parent__isnull=True).order_by("pk").first().pk,
        "state": ParticipatingState.objects.get(iso_code="TJ").pk,
        "atu": atu.pk,
    },
}
print(json.dumps(accounts))
