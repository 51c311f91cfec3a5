"""``make demo`` runs this after the reference data: the current sample scenario (see osce_tnt/demo_scenario.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from osce_tnt import demo_scenario
from programmes.models import ExecutiveStructure


class Command(BaseCommand):
    help = "Add the demo's current sample scenario, dated relative to today (idempotent)."

    def handle(self, *args, **options):
        if not ExecutiveStructure.objects.filter(acronym="OiT").exists():
            raise CommandError("Load the reference data first: python manage.py load_reference_data")
        today = timezone.localdate()
        created = demo_scenario.load_scenario(today=today)
        report = demo_scenario.finish_published_report(created["published_report"], today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Current sample scenario loaded for {today:%d %B %Y}; published report: {report.title} "
                f"({report.get_status_display()})."
            )
        )
