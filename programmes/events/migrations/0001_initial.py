"""The calendar's models move from the programmes app to their own; their tables keep their names, so no row moves."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import programmes.events.models
import uuid



def _content_types_follow(app_label, model_names):
    """Content types (and so permissions and admin log entries) follow the models to their new app label."""

    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label="programmes", model__in=model_names).update(app_label=app_label)

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=app_label, model__in=model_names).update(app_label="programmes")

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programmes', '0004_project_default_order'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='calendar UID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('format', models.CharField(choices=[('conference', 'Conference'), ('workshop', 'Workshop'), ('seminar', 'Seminar'), ('training', 'Training course'), ('expert_meeting', 'Expert meeting'), ('field_exercise', 'Field exercise'), ('deployment', 'Deployment'), ('taskforce_meeting', 'Task-force meeting')], db_index=True, max_length=24, verbose_name='format')),
                        ('city', models.CharField(blank=True, max_length=120, verbose_name='city')),
                        ('online', models.BooleanField(default=False, verbose_name='online')),
                        ('all_day', models.BooleanField(default=True, verbose_name='all day')),
                        ('start_date', models.DateField(verbose_name='first day')),
                        ('end_date', models.DateField(verbose_name='last day')),
                        ('start_at', models.DateTimeField(blank=True, null=True, verbose_name='starts at')),
                        ('end_at', models.DateTimeField(blank=True, null=True, verbose_name='ends at')),
                        ('timezone', models.CharField(blank=True, help_text='IANA name, e.g. Asia/Dushanbe', max_length=64, verbose_name='time zone')),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('confirmed', 'Confirmed'), ('held', 'Held'), ('cancelled', 'Cancelled')], db_index=True, default='planned', max_length=16, verbose_name='status')),
                        ('visibility', models.CharField(choices=[('internal', 'Internal'), ('public', 'Public')], db_index=True, default='internal', max_length=16, verbose_name='visibility')),
                        ('expected_participants', models.PositiveIntegerField(blank=True, null=True, verbose_name='expected participants')),
                        ('sequence', models.PositiveIntegerField(default=0, help_text='iCalendar SEQUENCE', verbose_name='revision')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('co_organisers', models.ManyToManyField(blank=True, related_name='co_organised_events', to='programmes.executivestructure', verbose_name='co-organisers')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lead_structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_events', to='programmes.executivestructure', verbose_name='lead structure')),
                        ('partner_organisations', models.ManyToManyField(blank=True, related_name='events', to='programmes.partnerorganisation', verbose_name='partner organisations')),
                        ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='programmes.project', verbose_name='project')),
                        ('state', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='programmes.participatingstate', verbose_name='State')),
                        ('thematic_areas', models.ManyToManyField(related_name='events', to='programmes.thematicarea', verbose_name='thematic areas')),
                    ],
                    options={
                        'verbose_name': 'event',
                        'verbose_name_plural': 'events',
                        'db_table': 'programmes_event',
                        'ordering': ['start_date', 'start_at', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='CoordinationAlert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField(help_text='0 = unrelated, 1 = certainly the same activity.', verbose_name='score')),
                        ('reasons', models.JSONField(blank=True, default=list, verbose_name='reasons')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('coordinated', 'Co-ordinated'), ('not_duplicate', 'Not a duplicate')], default='open', max_length=16, verbose_name='status')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='detected')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
                        ('event_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.event', verbose_name='event')),
                        ('event_b', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.event', verbose_name='possible duplicate')),
                    ],
                    options={
                        'verbose_name': 'co-ordination alert',
                        'verbose_name_plural': 'co-ordination alerts',
                        'db_table': 'programmes_coordinationalert',
                        'ordering': ['-score', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarBundle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], db_index=True, default='queued', max_length=16, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('progress_message', models.CharField(blank=True, max_length=200, verbose_name='progress message')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('period_start', models.DateField(verbose_name='first day')),
                        ('period_end', models.DateField(verbose_name='last day')),
                        ('scheduled', models.BooleanField(default=False, help_text='Built by the monthly schedule rather than on request.', verbose_name='scheduled')),
                        ('pdf', models.FileField(blank=True, upload_to=programmes.events.models._bundle_path, verbose_name='PDF')),
                        ('xlsx', models.FileField(blank=True, upload_to=programmes.events.models._bundle_path, verbose_name='spreadsheet')),
                        ('ics', models.FileField(blank=True, upload_to=programmes.events.models._bundle_path, verbose_name='iCalendar file')),
                        ('event_count', models.PositiveIntegerField(default=0, verbose_name='events')),
                        ('alert_count', models.PositiveIntegerField(default=0, verbose_name='open alerts')),
                        ('emailed_to', models.JSONField(blank=True, default=list, verbose_name='e-mailed to')),
                        ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'calendar bundle',
                        'verbose_name_plural': 'calendar bundles',
                        'db_table': 'programmes_calendarbundle',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('scheduled', True)), fields=('period_start',), name='bundle_one_scheduled_per_period', violation_error_message='The scheduled bundle for this period already exists.'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='bundle_period_end_after_start', violation_error_message='The period cannot end before it starts.')],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarFeedToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token hash')),
                        ('hint', models.CharField(blank=True, help_text='First characters, to tell URLs apart.', max_length=8, verbose_name='hint')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'calendar feed token',
                        'verbose_name_plural': 'calendar feed tokens',
                        'db_table': 'programmes_calendarfeedtoken',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['user', 'revoked_at'], name='feedtoken_user_revoked')],
                    },
                ),
                migrations.AddIndex(
                    model_name='event',
                    index=models.Index(fields=['start_date', 'end_date'], name='event_dates'),
                ),
                migrations.AddIndex(
                    model_name='event',
                    index=models.Index(fields=['end_date'], name='event_end_date'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='event_end_not_before_start', violation_error_message='The event cannot end before it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('all_day', True), models.Q(('start_at__isnull', False), ('end_at__isnull', False), models.Q(('timezone', ''), _negated=True)), _connector='OR'), name='event_timed_has_times_and_zone', violation_error_message='A timed event needs a start, an end and a time zone.'),
                ),
                migrations.AddConstraint(
                    model_name='event',
                    constraint=models.CheckConstraint(condition=models.Q(('start_at__isnull', True), ('end_at__isnull', True), ('end_at__gt', models.F('start_at')), _connector='OR'), name='event_end_after_start_time', violation_error_message='The event must end after it starts.'),
                ),
                migrations.AddIndex(
                    model_name='coordinationalert',
                    index=models.Index(fields=['status', '-score'], name='alert_status_score'),
                ),
                migrations.AddIndex(
                    model_name='coordinationalert',
                    index=models.Index(fields=['event_b', 'status'], name='alert_event_b_status'),
                ),
                migrations.AddConstraint(
                    model_name='coordinationalert',
                    constraint=models.UniqueConstraint(fields=('event_a', 'event_b'), name='alert_unique_pair', violation_error_message='This pair of events already has an alert.'),
                ),
                migrations.AddConstraint(
                    model_name='coordinationalert',
                    constraint=models.CheckConstraint(condition=models.Q(('event_a__lt', models.F('event_b'))), name='alert_pair_canonical_order', violation_error_message='An alert pairs two different events, the lower id first.'),
                ),
                migrations.AddConstraint(
                    model_name='coordinationalert',
                    constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 1)), name='alert_score_between_0_and_1', violation_error_message='The score must be between 0 and 1.'),
                ),
                migrations.AddConstraint(
                    model_name='coordinationalert',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'open'), ('resolved_at__isnull', False), _connector='OR'), name='alert_resolved_has_time', violation_error_message='A resolved alert records when it was resolved.'),
                ),
            ],
            database_operations=[],
        ),
        _content_types_follow("events", ["event", "coordinationalert", "calendarfeedtoken", "calendarbundle"]),
    ]
