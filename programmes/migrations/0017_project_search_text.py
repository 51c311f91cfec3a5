"""The project search reads one stored column, ``UPPER(code ␟ title ␟ summary)``, through one trigram index
(programmes.search; issue 14: the COUNT of ``?q=theme 23`` at N=1, 12.7 -> 2.4 ms in EXPLAIN ANALYZE). The summary's
own trigram index served only that search and goes; code and title keep theirs for the project picker, which
searches them alone. PostgreSQL only, as in 0011: the SQLite demo gets the column without an index."""

import django.db.models.functions.text
from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS project_search_trgm ON programmes_project USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS project_summary_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS project_search_trgm")
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS project_summary_trgm ON programmes_project USING gin ((UPPER("summary"::text)) gin_trgm_ops)'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0016_project_budget_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Concat(
                        "code",
                        models.Value("\x1f"),
                        "title",
                        models.Value("\x1f"),
                        "summary",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create, drop),
    ]
