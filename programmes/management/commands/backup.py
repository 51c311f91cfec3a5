from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programmes.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and MEDIA_ROOT (tar) into one folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder to write (default: backups/<timestamp>)")

    def handle(self, *args, output=None, **options):
        folder = (
            Path(output) if output else Path(settings.BASE_DIR) / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S")
        )
        try:
            manifest = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup in {folder}: {sum(manifest['rows'].values())} rows, {len(manifest['files'])} files"
            )
        )
