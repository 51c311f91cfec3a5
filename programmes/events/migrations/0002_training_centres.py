# Training centres, and the centre an event is held at.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('programmes', '0005_events_and_activity_moved_out'),
    ]

    operations = [
        migrations.CreateModel(
            name='TrainingCentre',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('acronym', models.CharField(blank=True, max_length=40, verbose_name='short name')),
                ('kind', models.CharField(choices=[('osce', 'OSCE facility'), ('national', 'National institution'), ('international', 'International or partner institution')], db_index=True, max_length=16, verbose_name='kind')),
                ('city', models.CharField(max_length=120, verbose_name='city')),
                ('host', models.CharField(blank=True, help_text='The institution that runs it.', max_length=200, verbose_name='host')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('active', models.BooleanField(db_index=True, default=True, verbose_name='active')),
                ('osce_structure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_centres', to='programmes.executivestructure', verbose_name='OSCE structure involved')),
                ('state', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_centres', to='programmes.participatingstate', verbose_name='State')),
                ('thematic_areas', models.ManyToManyField(blank=True, related_name='training_centres', to='programmes.thematicarea', verbose_name='thematic areas')),
            ],
            options={
                'verbose_name': 'training centre',
                'verbose_name_plural': 'training centres',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='event',
            name='training_centre',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='events.trainingcentre', verbose_name='training centre'),
        ),
    ]
