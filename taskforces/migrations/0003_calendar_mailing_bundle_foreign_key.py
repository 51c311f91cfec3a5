"""A calendar bundle mailing points at its bundle with a foreign key instead of a label and an id.

Existing rows are converted: the stored id becomes the key when the label names the calendar bundle (under the
``programmes`` label it had before the calendar became its own app, or ``events``) and the bundle still exists.
A mailing whose bundle is gone records nothing anyone can act on, so it is dropped, as the cascade would drop it
from now on; two rows for one bundle and task force (one per label) keep the furthest along."""

import django.db.models.deletion
from django.db import migrations, models

BUNDLE_LABELS = ("programmes.calendarbundle", "events.calendarbundle")
# Which of two mailings for the same bundle and task force is kept: the one that got furthest.
STATUS_RANK = {"sent": 0, "sending": 1, "failed": 2, "pending": 3}


def label_and_id_to_key(apps, schema_editor):
    Mailing = apps.get_model("taskforces", "CalendarBundleMailing")
    CalendarBundle = apps.get_model("events", "CalendarBundle")
    existing = set(CalendarBundle.objects.values_list("pk", flat=True))
    kept: dict[tuple[int, int], object] = {}
    drop = []
    for mailing in Mailing.objects.order_by("pk"):
        if mailing.bundle_model not in BUNDLE_LABELS or mailing.legacy_bundle_id not in existing:
            drop.append(mailing.pk)
            continue
        key = (mailing.legacy_bundle_id, mailing.task_force_id)
        other = kept.get(key)
        if other is not None and STATUS_RANK.get(other.status, 9) <= STATUS_RANK.get(mailing.status, 9):
            drop.append(mailing.pk)
            continue
        if other is not None:
            drop.append(other.pk)
        kept[key] = mailing
    Mailing.objects.filter(pk__in=drop).delete()
    for (bundle_id, _task_force_id), mailing in kept.items():
        Mailing.objects.filter(pk=mailing.pk).update(bundle_id=bundle_id)


def key_to_label_and_id(apps, schema_editor):
    Mailing = apps.get_model("taskforces", "CalendarBundleMailing")
    Mailing.objects.update(bundle_model="events.calendarbundle", legacy_bundle_id=models.F("bundle_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0001_initial"),
        ("taskforces", "0002_event_moved_to_events_app"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="calendarbundlemailing", name="calendar_mailing_once_per_bundle"),
        # The old column frees the name bundle_id for the foreign key's column.
        migrations.RenameField(model_name="calendarbundlemailing", old_name="bundle_id", new_name="legacy_bundle_id"),
        # Nullable while both exist, so the migration also runs backwards over existing rows.
        migrations.AlterField(
            model_name="calendarbundlemailing", name="legacy_bundle_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="bundle id"),
        ),
        migrations.AlterField(
            model_name="calendarbundlemailing", name="bundle_model",
            field=models.CharField(max_length=100, null=True, verbose_name="bundle model"),
        ),
        migrations.AddField(
            model_name="calendarbundlemailing", name="bundle",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="task_force_mailings", to="events.calendarbundle",
                                    verbose_name="calendar bundle"),
        ),
        migrations.RunPython(label_and_id_to_key, key_to_label_and_id),
        migrations.AlterField(
            model_name="calendarbundlemailing", name="bundle",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="task_force_mailings",
                                    to="events.calendarbundle", verbose_name="calendar bundle"),
        ),
        migrations.RemoveField(model_name="calendarbundlemailing", name="legacy_bundle_id"),
        migrations.RemoveField(model_name="calendarbundlemailing", name="bundle_model"),
        migrations.AddConstraint(
            model_name="calendarbundlemailing",
            constraint=models.UniqueConstraint(
                fields=("bundle", "task_force"), name="calendar_mailing_once_per_bundle",
                violation_error_message="This bundle has already been sent to this task force.",
            ),
        ),
    ]
