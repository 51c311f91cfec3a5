import os
from datetime import timedelta

from celery import Celery, signals
from celery.schedules import crontab, schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_tnt.settings")

app = Celery("osce_tnt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One place lists every periodic job; each entry calls a task that works in batches and is idempotent,
# so a missed or repeated beat does no harm.
app.conf.beat_schedule = {
    # Re-sends jobs the broker never got or lost, and document jobs whose worker died (programmes/jobs.py).
    "programmes-sweep-outbox": {
        "task": "programmes.tasks.sweep_outbox",
        "schedule": schedule(run_every=timedelta(seconds=int(os.environ.get("PORTAL_OUTBOX_SWEEP_SECONDS") or 60))),
    },
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


# Worker and beat write a heartbeat row from their main process; /healthz reads it.
_heartbeats = []


def _start_heartbeat(name: str, detail: str) -> None:
    from programmes.jobs import ProcessHeartbeat

    beat = ProcessHeartbeat(name, detail)
    _heartbeats.append(beat)
    beat.start()


@signals.worker_ready.connect
def _worker_heartbeat(sender=None, **_kwargs):
    _start_heartbeat("worker", getattr(sender, "hostname", "") or "")


@signals.beat_init.connect
def _beat_heartbeat(sender=None, **_kwargs):
    _start_heartbeat("beat", "")


@signals.worker_shutdown.connect
def _stop_heartbeats(**_kwargs):
    for beat in _heartbeats:
        beat.stopped.set()
