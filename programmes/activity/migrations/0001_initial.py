"""Activity reporting's models move from the programmes app to their own; tables keep their names, so no row moves."""

from django.conf import settings
from django.db import migrations, models
import datetime
import django.db.models.deletion
import programmes.activity.models



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
        ('events', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportedActivity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('activity_type', models.CharField(choices=[('awareness', 'Raising awareness'), ('legal_assistance', 'Legal and institutional assistance'), ('training', 'Training and capacity building'), ('networking', 'Co-operation and networking'), ('equipment', 'Provision of equipment')], db_index=True, max_length=24, verbose_name='activity type')),
                        ('city', models.CharField(blank=True, max_length=120, verbose_name='city')),
                        ('online', models.BooleanField(default=False, verbose_name='online')),
                        ('start', models.DateField(verbose_name='first day')),
                        ('end', models.DateField(verbose_name='last day')),
                        ('participants_women', models.PositiveIntegerField(default=0, verbose_name='women')),
                        ('participants_men', models.PositiveIntegerField(default=0, verbose_name='men')),
                        ('participants_unrecorded', models.PositiveIntegerField(default=0, help_text='Participants whose sex was not recorded.', verbose_name='sex not recorded')),
                        ('results', models.TextField(help_text='What the activity achieved, in your own words.', verbose_name='results')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'reported activity',
                        'verbose_name_plural': 'reported activities',
                        'db_table': 'programmes_reportedactivity',
                        'ordering': ['report', 'position', 'start', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportingObligation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('frequency', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly')], default='quarterly', max_length=16, verbose_name='frequency')),
                        ('deadline_days', models.PositiveSmallIntegerField(default=30, help_text='The report is due this many days after the period ends.', verbose_name='deadline (days after the period)')),
                        ('starts_on', models.DateField(default=datetime.date(2009, 1, 1), help_text='Periods before this date are not owed.', verbose_name='reporting since')),
                        ('active', models.BooleanField(db_index=True, default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'reporting obligation',
                        'verbose_name_plural': 'reporting obligations',
                        'db_table': 'programmes_reportingobligation',
                        'ordering': ['structure__acronym'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=[('reminder', 'Reminder before the deadline'), ('overdue', 'Overdue notice')], max_length=16, verbose_name='stage')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                        ('recipients', models.PositiveIntegerField(default=0, verbose_name='recipients')),
                    ],
                    options={
                        'verbose_name': 'report notice',
                        'verbose_name_plural': 'report notices',
                        'db_table': 'programmes_reportnotice',
                        'ordering': ['report', 'sent_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_status', models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('accepted', 'Accepted')], max_length=16, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('accepted', 'Accepted')], max_length=16, verbose_name='to')),
                        ('at', models.DateTimeField(verbose_name='at')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                    ],
                    options={
                        'verbose_name': 'report transition',
                        'verbose_name_plural': 'report transitions',
                        'db_table': 'programmes_reporttransition',
                        'ordering': ['report', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ActivityReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period_start', models.DateField(verbose_name='period start')),
                        ('period_end', models.DateField(verbose_name='period end')),
                        ('due_on', models.DateField(help_text='Fixed from the obligation when the report is opened.', verbose_name='due on')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned'), ('accepted', 'Accepted')], default='draft', max_length=16, verbose_name='status')),
                        ('summary', models.TextField(blank=True, help_text='Overall remarks; say here if there was no activity in the period.', verbose_name='summary')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('first_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='first submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('review_comment', models.TextField(blank=True, verbose_name="reviewer's comment")),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('structure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activity_reports', to='programmes.executivestructure', verbose_name='structure')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'activity report',
                        'verbose_name_plural': 'activity reports',
                        'db_table': 'programmes_activityreport',
                        'ordering': ['-period_start', 'structure__acronym'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=255, upload_to=programmes.activity.models.attachment_upload_to, verbose_name='file')),
                        ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('content_type', models.CharField(max_length=120, verbose_name='content type')),
                        ('size', models.PositiveBigIntegerField(verbose_name='size (bytes)')),
                        ('checksum', models.CharField(blank=True, max_length=64, verbose_name='SHA-256')),
                        ('published', models.BooleanField(default=False, help_text='Delegations may read it once the report is accepted.', verbose_name='published')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='activity.activityreport', verbose_name='report')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'attachment',
                        'verbose_name_plural': 'attachments',
                        'db_table': 'programmes_reportattachment',
                        'ordering': ['report', 'uploaded_at', 'pk'],
                    },
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='event',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reported_activities', to='events.event', verbose_name='calendar event'),
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='partner_organisations',
                    field=models.ManyToManyField(blank=True, related_name='reported_activities', to='programmes.partnerorganisation', verbose_name='partner organisations'),
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='project',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reported_activities', to='programmes.project', verbose_name='project'),
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='activity.activityreport', verbose_name='report'),
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='state',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reported_activities', to='programmes.participatingstate', verbose_name='State'),
                ),
                migrations.AddField(
                    model_name='reportedactivity',
                    name='thematic_areas',
                    field=models.ManyToManyField(related_name='reported_activities', to='programmes.thematicarea', verbose_name='thematic areas'),
                ),
                migrations.AddField(
                    model_name='reportingobligation',
                    name='structure',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reporting_obligation', to='programmes.executivestructure', verbose_name='structure'),
                ),
                migrations.AddField(
                    model_name='reportnotice',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='activity.activityreport', verbose_name='report'),
                ),
                migrations.AddField(
                    model_name='reporttransition',
                    name='by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
                ),
                migrations.AddField(
                    model_name='reporttransition',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='activity.activityreport', verbose_name='report'),
                ),
                migrations.AddIndex(
                    model_name='activityreport',
                    index=models.Index(fields=['status', 'submitted_at'], name='activity_report_status'),
                ),
                migrations.AddIndex(
                    model_name='activityreport',
                    index=models.Index(fields=['period_start', 'period_end'], name='activity_report_period'),
                ),
                migrations.AddIndex(
                    model_name='activityreport',
                    index=models.Index(fields=['status', 'due_on'], name='activity_report_due'),
                ),
                migrations.AddConstraint(
                    model_name='activityreport',
                    constraint=models.UniqueConstraint(fields=('structure', 'period_start'), name='activity_report_one_per_structure_period', violation_error_message='This structure already has a report for this period.'),
                ),
                migrations.AddConstraint(
                    model_name='activityreport',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='activity_report_period_order', violation_error_message='The period cannot end before it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='activityreport',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('first_submitted_at__isnull', False), _connector='OR'), name='activity_report_submitted_has_date', violation_error_message='A report that left the draft stage needs a submission date.'),
                ),
                migrations.AddIndex(
                    model_name='reportedactivity',
                    index=models.Index(fields=['start', 'end'], name='reported_activity_dates'),
                ),
                migrations.AddConstraint(
                    model_name='reportedactivity',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='reported_activity_end_not_before_start', violation_error_message='The activity cannot end before it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='reportedactivity',
                    constraint=models.CheckConstraint(condition=models.Q(('participants_women__gte', 0), ('participants_men__gte', 0), ('participants_unrecorded__gte', 0)), name='reported_activity_participants_not_negative', violation_error_message='Participant numbers cannot be negative.'),
                ),
                migrations.AddConstraint(
                    model_name='reportedactivity',
                    constraint=models.CheckConstraint(condition=models.Q(('online', True), ('state__isnull', False), _connector='OR'), name='reported_activity_place_or_online', violation_error_message='Give the State where the activity took place, or mark it as online.'),
                ),
                migrations.AddConstraint(
                    model_name='reportingobligation',
                    constraint=models.CheckConstraint(condition=models.Q(('deadline_days__lte', 365)), name='obligation_deadline_within_a_year', violation_error_message='The deadline must be at most 365 days after the period.'),
                ),
                migrations.AddConstraint(
                    model_name='reportnotice',
                    constraint=models.UniqueConstraint(fields=('report', 'stage'), name='activity_notice_once_per_stage', violation_error_message='This notice was already sent for the report.'),
                ),
                migrations.AddIndex(
                    model_name='reporttransition',
                    index=models.Index(fields=['report', 'at'], name='activity_transition_report_at'),
                ),
            ],
            database_operations=[],
        ),
        _content_types_follow("activity", ["reportingobligation", "activityreport", "reportedactivity", "reportattachment", "reporttransition", "reportnotice"]),
    ]
