"""A covering index for the ICS feed's fingerprint (issue 14): ``count(*)`` and ``max(updated_at)`` of the events in a
date window, asked by every feed request, warm and conditional ones included, before any body is looked up.

With only ``event_end_date`` PostgreSQL read the matching rows from the heap: one year at N=1 (13,465 index entries)
touched 5,841 heap blocks, 64–221 ms depending on the cache. With ``end_date`` as key and the other filtered and
aggregated columns included it is an index-only scan: 9 ms, 79 buffers (bench/README.md). PostgreSQL only, in a
RunPython that checks the vendor (as the trigram indexes): SQLite has no INCLUDE and the demo migrates unchanged.
"""

from django.db import migrations

NAME = "event_feed_fingerprint"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON programmes_event (end_date) INCLUDE (start_date, visibility, updated_at)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("events", "0008_event_title_terms")]

    operations = [migrations.RunPython(create, drop)]
