"""The calendar and activity models moved from the programmes app to their own apps without copying a row.

The database is migrated back to the schema main had before the move, rows are written with the models as they were
then (app label ``programmes``), and the database is migrated forward again: every row is found through the new
apps, with its links, and the content types followed the models."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("programmes", "0004_project_default_order"),
    ("focal_points", "0001_initial"),
    ("taskforces", "0001_initial"),
    ("reporting", "0001_initial"),
    ("events", None),
    ("activity", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _write_rows_as_before(old_apps):
    structure = old_apps.get_model("programmes", "ExecutiveStructure").objects.create(
        name="Office in Tajikistan", acronym="OiT", kind="field_operation", region="central_asia"
    )
    area = old_apps.get_model("programmes", "ThematicArea").objects.create(code="4", name="Afghanistan", position=4)
    event = old_apps.get_model("programmes", "Event").objects.create(
        title="Customs training", format="training", lead_structure=structure,
        start_date=datetime.date(2010, 7, 5), end_date=datetime.date(2010, 7, 9),
    )
    event.thematic_areas.add(area)
    other = old_apps.get_model("programmes", "Event").objects.create(
        title="Customs training (second entry)", format="training", lead_structure=structure,
        start_date=datetime.date(2010, 7, 5), end_date=datetime.date(2010, 7, 9),
    )
    old_apps.get_model("programmes", "CoordinationAlert").objects.create(
        event_a=event, event_b=other, score=0.9, reasons=["same dates"]
    )
    report = old_apps.get_model("programmes", "ActivityReport").objects.create(
        structure=structure, period_start=datetime.date(2010, 4, 1), period_end=datetime.date(2010, 6, 30),
        due_on=datetime.date(2010, 7, 30),
    )
    old_apps.get_model("programmes", "ReportedActivity").objects.create(
        report=report, title="Customs training", activity_type="training", event=event,
        start=datetime.date(2010, 7, 5), end=datetime.date(2010, 7, 9), results="40 officers trained", online=True,
    )
    task_force = old_apps.get_model("taskforces", "TaskForce").objects.create(
        name="TF-TNT", slug="tf-tnt", chair_structure=structure
    )
    old_apps.get_model("taskforces", "Meeting").objects.create(
        task_force=task_force, starts_at=datetime.datetime(2010, 9, 1, 8, tzinfo=datetime.UTC), event=other, online=True
    )
    return {"event": event.pk, "other": other.pk, "report": report.pk, "area": area.pk}


@pytest.mark.django_db(transaction=True)
def test_migrating_from_before_the_move_keeps_every_row_and_link():
    latest = _latest()
    old_apps = _migrate(BEFORE_THE_MOVE)
    ids = _write_rows_as_before(old_apps)
    ContentType.objects.get_or_create(app_label="programmes", model="event")
    ContentType.objects.get_or_create(app_label="programmes", model="activityreport")

    new_apps = _migrate(latest)

    Event = new_apps.get_model("events", "Event")
    assert sorted(Event.objects.values_list("pk", flat=True)) == sorted([ids["event"], ids["other"]])
    assert list(Event.objects.get(pk=ids["event"]).thematic_areas.values_list("pk", flat=True)) == [ids["area"]]
    alert = new_apps.get_model("events", "CoordinationAlert").objects.get()
    assert (alert.event_a_id, alert.event_b_id) == (ids["event"], ids["other"])
    item = new_apps.get_model("activity", "ReportedActivity").objects.get()
    assert (item.report_id, item.event_id) == (ids["report"], ids["event"])
    assert new_apps.get_model("taskforces", "Meeting").objects.get().event_id == ids["other"]
    labels = set(
        ContentType.objects.filter(model__in=["event", "activityreport"]).values_list("app_label", "model")
    )
    assert labels == {("events", "event"), ("activity", "activityreport")}
