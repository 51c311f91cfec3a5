"""The focal-point search reads one stored column per audience, ``UPPER(first ␟ last ␟ job title)`` and the same
with the e-mail address for those who may see it, each through one trigram index (programmes.search; issue 14).
They replace the four per-column trigram indexes of 0003, which served only that search. PostgreSQL only, as in
0003: the SQLite demo gets the columns without indexes."""

import django.db.models.functions.text
from django.db import migrations, models

OLD_INDEXES = [
    ("focal_point_first_name_trgm", "first_name"),
    ("focal_point_last_name_trgm", "last_name"),
    ("focal_point_job_title_trgm", "job_title"),
    ("focal_point_email_trgm", "email"),
]
NEW_INDEXES = [
    ("focal_point_search_trgm", "search_text"),
    ("focal_point_search_with_email_trgm", "search_text_with_email"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in NEW_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON focal_points_focalpoint USING gin ({column} gin_trgm_ops)"
        )
    for name, _column in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in NEW_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, column in OLD_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON focal_points_focalpoint "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("focal_points", "0005_reference_names_ru"),
    ]

    operations = [
        migrations.AddField(
            model_name="focalpoint",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Concat(
                        "first_name",
                        models.Value("\x1f"),
                        "last_name",
                        models.Value("\x1f"),
                        "job_title",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="focalpoint",
            name="search_text_with_email",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Concat(
                        "first_name",
                        models.Value("\x1f"),
                        "last_name",
                        models.Value("\x1f"),
                        "job_title",
                        models.Value("\x1f"),
                        "email",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create, drop),
    ]
