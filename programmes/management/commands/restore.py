from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder (from manage.py backup) into the configured database and MEDIA_ROOT, "
        "then check that every row count and every file matches the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="the backup folder")

    def handle(self, *args, input, **options):
        try:
            missing = restore(Path(input))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if missing:
            raise CommandError(f"The restore does not match the backup: {missing}")
        self.stdout.write(self.style.SUCCESS(f"Restored {input}: every row count and file matches the manifest"))
