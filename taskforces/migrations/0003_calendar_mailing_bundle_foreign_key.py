"""A calendar-bundle mailing points at its bundle with a foreign key instead of a model label and an id.

Existing rows keep their bundle: the label was ``programmes.calendarbundle`` before the calendar became the
``events`` app and ``events.calendarbundle`` after; rows whose bundle no longer exists are dropped (they could only
fail to send)."""

import django.db.models.deletion
from django.db import migrations, models

BUNDLE_LABELS = ("programmes.calendarbundle", "events.calendarbundle")


def copy_bundle_references(apps, schema_editor):
    Mailing = apps.get_model("taskforces", "CalendarBundleMailing")
    CalendarBundle = apps.get_model("events", "CalendarBundle")
    existing = set(CalendarBundle.objects.values_list("pk", flat=True))
    for mailing in Mailing.objects.only("pk", "bundle_model", "old_bundle_id").iterator():
        if mailing.bundle_model in BUNDLE_LABELS and mailing.old_bundle_id in existing:
            Mailing.objects.filter(pk=mailing.pk).update(bundle_id=mailing.old_bundle_id)
        else:
            Mailing.objects.filter(pk=mailing.pk).delete()


def copy_bundle_references_back(apps, schema_editor):
    Mailing = apps.get_model("taskforces", "CalendarBundleMailing")
    Mailing.objects.update(bundle_model="events.calendarbundle", old_bundle_id=models.F("bundle_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0001_initial"),
        ("taskforces", "0002_event_moved_to_events_app"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="calendarbundlemailing", name="calendar_mailing_once_per_bundle"),
        migrations.RenameField(model_name="calendarbundlemailing", old_name="bundle_id", new_name="old_bundle_id"),
        migrations.AddField(
            model_name="calendarbundlemailing",
            name="bundle",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="task_force_mailings",
                to="events.calendarbundle", verbose_name="calendar bundle",
            ),
        ),
        migrations.RunPython(copy_bundle_references, copy_bundle_references_back),
        migrations.AlterField(
            model_name="calendarbundlemailing",
            name="bundle",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="task_force_mailings",
                to="events.calendarbundle", verbose_name="calendar bundle",
            ),
        ),
        migrations.RemoveField(model_name="calendarbundlemailing", name="old_bundle_id"),
        migrations.RemoveField(model_name="calendarbundlemailing", name="bundle_model"),
        migrations.AddConstraint(
            model_name="calendarbundlemailing",
            constraint=models.UniqueConstraint(
                fields=("bundle", "task_force"), name="calendar_mailing_once_per_bundle",
                violation_error_message="This bundle has already been sent to this task force.",
            ),
        ),
    ]
