"""Calendar-bundle mailings recorded by label and id find their bundle through the new foreign key."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("taskforces", "0002_event_moved_to_events_app"), ("events", "0001_initial")]
AFTER = [("taskforces", "0003_calendar_mailing_bundle_foreign_key")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_mailings_keep_their_bundle_and_orphans_are_dropped():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE)
    structure = old_apps.get_model("programmes", "ExecutiveStructure").objects.create(
        name="Conflict Prevention Centre", acronym="CPC", kind="secretariat_unit"
    )
    task_force = old_apps.get_model("taskforces", "TaskForce").objects.create(
        name="TF-TNT", acronym="TF-TNT", slug="tf-tnt", chair_structure=structure
    )
    bundle = old_apps.get_model("events", "CalendarBundle").objects.create(
        period_start=datetime.date(2010, 10, 1), period_end=datetime.date(2010, 12, 31)
    )
    Mailing = old_apps.get_model("taskforces", "CalendarBundleMailing")
    before_the_split = Mailing.objects.create(bundle_model="programmes.calendarbundle", bundle_id=bundle.pk,
                                              task_force=task_force, status="sent")
    orphan = Mailing.objects.create(bundle_model="events.calendarbundle", bundle_id=bundle.pk + 1000,
                                    task_force=task_force)

    new_apps = _migrate(AFTER)

    mailings = new_apps.get_model("taskforces", "CalendarBundleMailing").objects.all()
    assert [(m.pk, m.bundle_id, m.status) for m in mailings] == [(before_the_split.pk, bundle.pk, "sent")]
    assert not mailings.filter(pk=orphan.pk).exists()
    _migrate(latest)
