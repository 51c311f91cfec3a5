"""Duplicate check at the ROADMAP scale: seed 200,000 events on PostgreSQL and time the check of one event.

    make bench-duplicates        (or: DATABASE_URL=postgres://... .venv/bin/python bench/duplicates.py --events 50000)

Works in its own database (``<name>_bench``, dropped and recreated), prints the query plan of the date-window
query (it should use the GiST index ``event_daterange_gist``), the SQL queries per check and the median / p95 time
of ``duplicates_check_event`` over ``--samples`` random events. Bounded: fixed counts and an overall deadline.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import bench_database_url, recreate_database, setup_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=int(os.environ.get("BENCH_EVENTS", 200_000)))
    parser.add_argument("--samples", type=int, default=50, help="events checked and timed (default 50)")
    parser.add_argument("--deadline", type=int, default=900, help="give up after this many seconds (default 900)")
    return parser.parse_args()


def seed(n_events: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from programmes.events.models import Event
    from programmes.models import ExecutiveStructure, ParticipatingState, ThematicArea

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    rng = random.Random(1)
    structures = list(ExecutiveStructure.objects.values_list("pk", flat=True))
    areas = list(ThematicArea.objects.values_list("pk", flat=True))
    states = list(ParticipatingState.objects.values_list("pk", flat=True))
    through = Event.thematic_areas.through
    batch: list[Event] = []
    for i in range(n_events):
        start = date(2005, 1, 1) + timedelta(days=rng.randrange(3650))
        batch.append(
            Event(
                title=f"Bench event {i} on topic {rng.randrange(500)}",
                format=Event.Format.WORKSHOP,
                lead_structure_id=rng.choice(structures),
                state_id=rng.choice(states),
                start_date=start,
                end_date=start + timedelta(days=rng.choice([0, 0, 1, 2, 4, 30])),
                visibility=Event.Visibility.PUBLIC,
            )
        )
        if len(batch) == 5000 or i == n_events - 1:
            created = Event.objects.bulk_create(batch)
            through.objects.bulk_create(
                [through(event_id=e.pk, thematicarea_id=a) for e in created for a in rng.sample(areas, 2)]
            )
            batch = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    args = parse_args()
    deadline = time.monotonic() + args.deadline
    url = bench_database_url()
    recreate_database(url)
    setup_django(url, tempfile.mkdtemp(prefix="bench-static-"))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programmes.events import selectors, services
    from programmes.events.models import Event

    started = time.perf_counter()
    seed(args.events)
    print(f"seeded {Event.objects.count():,} events in {time.perf_counter() - started:.0f} s")

    sample = list(Event.objects.order_by("?").values_list("pk", flat=True)[: args.samples])
    probe = Event.objects.get(pk=sample[0])
    window = selectors._window_filter(
        Event.objects.all(), probe.start_date - timedelta(days=14), probe.end_date + timedelta(days=14)
    ).exclude(pk=probe.pk)
    print("date-window query plan:\n" + window.explain(analyze=True))

    with CaptureQueriesContext(connection) as queries:
        services.duplicates_check_event(event_id=probe.pk)
    timings = []
    for pk in sample:
        if time.monotonic() > deadline:
            sys.exit("deadline reached")
        t0 = time.perf_counter()
        services.duplicates_check_event(event_id=pk)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"duplicate check: {len(queries)} SQL queries per event; "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {len(timings)} events"
    )


if __name__ == "__main__":
    main()
