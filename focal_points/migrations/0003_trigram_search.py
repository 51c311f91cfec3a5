"""Trigram indexes for the focal-point search (``?q=`` over first and last name, job title, e-mail), issue 14.

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%word%')``; a GIN index over exactly that
expression with ``gin_trgm_ops`` serves it (bench/README.md has the plans). PostgreSQL only: ``TrigramExtension``
does nothing elsewhere and the indexes are created by a RunPython that checks the vendor, so the SQLite demo
migrates unchanged.
"""

from django.db import migrations

INDEXES = [
    ("focal_point_first_name_trgm", "focal_points_focalpoint", "first_name"),
    ("focal_point_last_name_trgm", "focal_points_focalpoint", "last_name"),
    ("focal_point_job_title_trgm", "focal_points_focalpoint", "job_title"),
    ("focal_point_email_trgm", "focal_points_focalpoint", "email"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("focal_points", "0002_history"), ("programmes", "0011_trigram_search")]

    # pg_trgm is created by programmes.0011, which this depends on; creating it here too would make reversing this
    # migration drop the extension under the project indexes.
    operations = [
        migrations.RunPython(create, drop),
    ]
