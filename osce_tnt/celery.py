import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_tnt.settings")

app = Celery("osce_tnt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One place lists every periodic job; each entry calls a task that works in batches and is idempotent,
# so a missed or repeated beat does no harm.
app.conf.beat_schedule = {
    "activity-reports-open-and-remind": {
        "task": "programmes.activity.tasks.run_reporting_cycle",
        "schedule": crontab(hour=6, minute=0),
    },
    "events-rescan-duplicates": {
        "task": "programmes.events.tasks.rescan_duplicates",
        "schedule": crontab(hour=2, minute=30),
    },
    "events-monthly-bundle": {
        "task": "programmes.events.tasks.build_scheduled_calendar_bundle",
        "schedule": crontab(hour=5, minute=0, day_of_month=1),
    },
    "focal-points-request-confirmations": {
        "task": "focal_points.tasks.request_confirmations",
        "schedule": crontab(hour=7, minute=0),
    },
    "taskforces-action-reminders": {
        "task": "taskforces.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "reporting-quarterly-report": {
        "task": "osce_tnt.reporting.tasks.generate_quarterly_report",
        "schedule": crontab(hour=4, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
}
