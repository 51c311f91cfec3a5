from django.core.management.base import BaseCommand
from django.db import transaction

from programmes.activity.reference_data import load_activity_reports
from programmes.events.reference_data import load_real_events
from programmes.reference_data import load_core
from programmes.signals import reference_data_loaded


class Command(BaseCommand):
    help = "Load structures, States, partner organisations, thematic areas, mandates, projects and events. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        load_core()
        load_real_events()
        load_activity_reports()
        reference_data_loaded.send(sender=self.__class__)
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
