# Suggested decisions (PROPOSAL/year/n codes) get a status: proposed, adopted as a real decision, or not taken up.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0006_programmes_and_gender_marker'),
    ]

    operations = [
        migrations.AddField(
            model_name='mandate',
            name='adopted_as',
            field=models.ForeignKey(blank=True, help_text='For a suggested decision that was adopted: the decision.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adopted_proposals', to='programmes.mandate', verbose_name='adopted as'),
        ),
        migrations.AddField(
            model_name='mandate',
            name='proposed_in',
            field=models.CharField(blank=True, help_text='Where the decision was suggested, e.g. a report and its annex.', max_length=300, verbose_name='proposed in'),
        ),
        migrations.AddField(
            model_name='mandate',
            name='status',
            field=models.CharField(choices=[('adopted', 'Adopted'), ('proposed', 'Proposed'), ('not_taken_up', 'Not taken up')], db_index=True, default='adopted', max_length=16, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='mandate',
            name='thematic_areas',
            field=models.ManyToManyField(blank=True, related_name='mandates', to='programmes.thematicarea', verbose_name='thematic areas'),
        ),
    ]
