"""One background job, timed in its own process so its peak memory is its own: ``python bench/jobs.py NAME``.

Prints one JSON line: seconds, SQL queries, peak RSS in MiB and what was done. Called by bench/run.py with the
benchmark database in DATABASE_URL. Jobs run their services directly (the same code the Celery tasks call).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def busiest_month() -> date:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from programmes.events.models import Event

    row = Event.objects.annotate(m=TruncMonth("start_date")).values("m").annotate(n=Count("pk")).order_by("-n").first()
    return row["m"] if row else date.today().replace(day=1)


def job_meeting_pack() -> dict:
    from django.db.models import Count

    from taskforces import services
    from taskforces.models import Meeting, MeetingPack

    meeting = Meeting.objects.annotate(n=Count("actions_raised")).order_by("-n", "pk").first()
    pack = MeetingPack.objects.create(meeting=meeting)
    ok = services.meeting_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    return {
        "meeting": meeting.pk,
        "actions": meeting.n,
        "built": ok,
        "status": pack.status,
        "pdf_bytes": pack.pdf.size if pack.pdf else 0,
    }


def job_monthly_bundle() -> dict:
    from programmes.events import services
    from programmes.events.models import CalendarBundle

    start, end = services.bundle_period(busiest_month())
    bundle = CalendarBundle.objects.create(period_start=start, period_end=end)
    services.calendar_bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    return {
        "period": f"{start}..{end}",
        "status": bundle.status,
        "events": bundle.event_count,
        "alerts": bundle.alert_count,
    }


def job_nightly_rescan() -> dict:
    """The nightly task as Celery runs it (eager here): one set-based batch per month of first days."""
    from programmes.events import tasks
    from programmes.events.models import CoordinationAlert, Event

    batches = tasks.rescan_duplicates()
    return {
        "events_total": Event.objects.count(),
        "batches": batches,
        "open_alerts": CoordinationAlert.objects.filter(status="open").count(),
    }


def job_rescan_per_event_sample() -> dict:
    """The old way, one event at a time, over the first RESCAN_SAMPLE events only (all of them would take hours);
    seconds / events_scanned x events_total is the extrapolation."""
    from programmes.events import services
    from programmes.events.models import Event

    sample = int(os.environ.get("BENCH_RESCAN_SAMPLE", "500"))
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    scanned = services.duplicates_rescan_range(first_pk=ids[0], last_pk=ids[-1])
    return {"events_scanned": scanned, "events_total": Event.objects.count()}


def job_yearly_report(all_time: bool = False) -> dict:
    from osce_tnt.reporting import services
    from osce_tnt.reporting.models import GeneratedReport
    from programmes.events.models import Event

    if all_time:
        first = Event.objects.order_by("start_date").values_list("start_date", flat=True).first()
        start, end = date(first.year, 1, 1), date(date.today().year, 12, 31)
    else:
        year = date.today().year - 1
        start, end = date(year, 1, 1), date(year, 12, 31)
    report = GeneratedReport.objects.create(period_start=start, period_end=end, title=f"Bench {start}..{end}")
    ok = services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return {"period": f"{start}..{end}", "built": ok, "status": report.status}


JOBS = {
    "meeting_pack": job_meeting_pack,
    "monthly_bundle": job_monthly_bundle,
    "nightly_rescan": job_nightly_rescan,
    "rescan_per_event_sample": job_rescan_per_event_sample,
    "yearly_report": job_yearly_report,
    "all_time_report": lambda: job_yearly_report(all_time=True),
}


def main() -> None:
    name = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        detail = JOBS[name]()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"job": name, "seconds": round(seconds, 3), "sql": count, "peak_mib": round(peak, 1), **detail}, default=str
        )
    )


if __name__ == "__main__":
    main()
