"""A covering index for the month grid (issue 14): which events touch the grid's six weeks, with what the grid sorts
and places them by.

``events_between`` filtered ``start_date <= end AND end_date >= start``; PostgreSQL answered it from
``event_end_date`` and the heap: the busiest month at N=1 read 30,793 index entries and 6,627 heap blocks to keep
2,270 rows, 31 ms. The selector now asks the overlap as the GiST expression of migration 0003 (``daterange(...) &&
daterange(...)``), and this index has that key with the columns the grid reads (id, dates, start time and title for
the order, visibility for delegations' public view) included: an index-only scan, 53 buffers, 3 ms
(bench/README.md). PostgreSQL only, in a RunPython that checks the vendor (as 0009): SQLite has no INCLUDE.
"""

from django.db import migrations

NAME = "event_grid_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON programmes_event USING gist (daterange(start_date, end_date, '[]')) "
        "INCLUDE (id, start_date, end_date, start_at, title, visibility)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("events", "0009_event_feed_fingerprint_index")]

    operations = [migrations.RunPython(create, drop)]
