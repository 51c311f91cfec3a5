"""Pledges of one day in id order wherever they are read (the API list reads them by a statement ordered so, issue
14 round 8): only the model's ordering changes, nothing in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0017_project_search_text"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="donorpledge",
            options={
                "ordering": ["pledged_on", "pk"],
                "verbose_name": "donor pledge",
                "verbose_name_plural": "donor pledges",
            },
        ),
    ]
