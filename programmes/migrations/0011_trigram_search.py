"""Trigram indexes for the project text search (``?q=`` over code, title, summary), issue 14.

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%word%')``; a GIN index over exactly that
expression with ``gin_trgm_ops`` serves it (bench/README.md has the plans). PostgreSQL only: ``TrigramExtension``
does nothing elsewhere and the indexes are created by a RunPython that checks the vendor, so the SQLite demo
migrates unchanged.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("project_code_trgm", "programmes_project", "code"),
    ("project_title_trgm", "programmes_project", "title"),
    ("project_summary_trgm", "programmes_project", "summary"),
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
    dependencies = [("programmes", "0010_history_programme_fields")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
