"""Calendar bundle mailings recorded by label and id become rows with a foreign key to their bundle."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("taskforces", "0002_event_moved_to_events_app"), ("events", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_label_and_id_mailings_point_at_their_bundle_after_migrating():
    latest = _latest()
    old = _migrate(BEFORE)
    structure = old.get_model("programmes", "ExecutiveStructure").objects.create(
        name="Transnational Threats Department", acronym="TNTD", kind="secretariat"
    )
    task_force = old.get_model("taskforces", "TaskForce").objects.create(
        name="TF-TNT", slug="tf-tnt", chair_structure=structure
    )
    Bundle = old.get_model("events", "CalendarBundle")
    autumn = Bundle.objects.create(period_start=datetime.date(2010, 10, 1), period_end=datetime.date(2010, 12, 31))
    winter = Bundle.objects.create(period_start=datetime.date(2011, 1, 1), period_end=datetime.date(2011, 3, 31))
    Mailing = old.get_model("taskforces", "CalendarBundleMailing")
    # Written before the calendar had its own app label, and sent.
    sent = Mailing.objects.create(bundle_model="programmes.calendarbundle", bundle_id=autumn.pk,
                                  task_force=task_force, status="sent", recipients="rep@example.org")
    # The same bundle again under the new label, never sent: the sent one is kept.
    Mailing.objects.create(bundle_model="events.calendarbundle", bundle_id=autumn.pk, task_force=task_force)
    pending = Mailing.objects.create(bundle_model="events.calendarbundle", bundle_id=winter.pk, task_force=task_force)
    # A bundle deleted since: nothing left to send.
    Mailing.objects.create(bundle_model="events.calendarbundle", bundle_id=winter.pk + 100, task_force=task_force)
    assert Mailing.objects.count() == 4

    new = _migrate(latest)

    rows = new.get_model("taskforces", "CalendarBundleMailing").objects.order_by("pk")
    assert [(m.pk, m.bundle_id, m.status) for m in rows] == [(sent.pk, autumn.pk, "sent"),
                                                           (pending.pk, winter.pk, "pending")]
    assert rows.get(pk=sent.pk).recipients == "rep@example.org"
