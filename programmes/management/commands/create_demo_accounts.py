"""Demo accounts, one per role. Only ``make demo`` runs this; nothing else creates these users."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programmes.models import ExecutiveStructure, ParticipatingState
from programmes.permissions import Role
from programmes.services import user_assign_role

DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, None, None, "Ada", "Admin"),
    ("coordinator", Role.COORDINATOR, "TNT-D", None, "Clara", "Co-ordinator"),
    ("secretariat", Role.SECRETARIAT, "ATU", None, "Sami", "Secretariat"),
    ("field", Role.FIELD, "OiT", None, "Farhod", "Field"),
    ("delegation", Role.DELEGATION, None, "AT", "Dora", "Delegate"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (one per role) and print their shared demo password."

    def add_arguments(self, parser):
        parser.add_argument("--password-file", default=str(Path(settings.BASE_DIR) / ".tmp" / "demo-password"))

    @transaction.atomic
    def handle(self, *args, password_file, **options):
        if not ExecutiveStructure.objects.filter(acronym="OiT").exists():
            raise CommandError("Load the reference data first: python manage.py load_reference_data")
        path = Path(password_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(9)
            path.write_text(password + "\n")
            path.chmod(0o600)
        User = get_user_model()
        for username, role, acronym, iso, first, last in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.tnt.invalid"},
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save()
            user_assign_role(
                user=user,
                role=role,
                structure=ExecutiveStructure.objects.get(acronym=acronym) if acronym else None,
                state=ParticipatingState.objects.get(iso_code=iso) if iso else None,
            )
        self.stdout.write("Demo accounts (username / role):")
        for username, role, acronym, iso, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role.value:<12} {acronym or iso or ''}")
        self.stdout.write(self.style.SUCCESS(f"Demo password for all of them: {password}"))
