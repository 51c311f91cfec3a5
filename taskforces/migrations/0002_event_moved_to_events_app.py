"""Meetings and actions point at the calendar's Event under its new app label; the database is unchanged."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('taskforces', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='actionitem',
                    name='event',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='task_force_actions', to='events.event', verbose_name='event'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='event',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='taskforce_meeting', to='events.event', verbose_name='calendar entry'),
                ),
            ],
            database_operations=[],
        ),
    ]
