"""Stored title terms for the duplicate check (issue 11), filled for the events already there (PostgreSQL only)."""

from django.db import migrations, models


def fill_title_terms(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db.models import F

    from programmes.events.text_search import TitleTerms

    Event = apps.get_model("events", "Event")
    Event.objects.using(schema_editor.connection.alias).update(title_terms=TitleTerms(F("title")))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_event_version_historicalevent_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="title_terms",
            field=models.TextField(blank=True, editable=False, null=True, verbose_name="title terms"),
        ),
        migrations.RunPython(fill_title_terms, migrations.RunPython.noop),
    ]
