"""Open co-ordination alerts per event on a realistically clustered calendar (issue 11).

    DATABASE_URL=postgres://... .venv/bin/python bench/alert_density.py --clusters 300

Works in its own database (``<name>_bench``, dropped and recreated). Loads the core reference data, then seeds
clusters of events: in each cluster a few structures work on one theme in one State within two weeks, the way the
2010 report describes the calendar. Each cluster mixes independent events, co-organised pairs (one structure is the
other's co-organiser), double entries (the same event entered twice by one structure, or by the lead and its
co-organiser) and Russian/English titles of the same event. It then checks every event (as the rescan does) and
prints open alerts per event, by kind, and how many double entries were caught. Deterministic (fixed seed).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import bench_database_url, recreate_database, setup_django

TOPICS = [
    ("thb", "Workshop on identifying victims of trafficking", "Семинар по выявлению жертв торговли людьми"),
    (
        "border-management",
        "Border management training for border guards",
        "Тренинг по управлению границами для пограничников",
    ),
    ("drugs", "Seminar on combating illicit drug trafficking", "Семинар по борьбе с незаконным оборотом наркотиков"),
    ("money-laundering", "Workshop on countering money laundering", "Семинар по противодействию отмыванию денег"),
    ("cybercrime", "Training on cybercrime investigations", "Тренинг по расследованию киберпреступлений"),
    (
        "violent-extremism",
        "Conference on violent extremism and radicalisation",
        "Конференция по насильственному экстремизму и радикализации",
    ),
    ("export-controls", "Workshop on export controls", "Семинар по экспортному контролю"),
    ("police-reform", "Community policing training", "Тренинг по работе полиции с населением"),
]
OTHER = [
    "Regional round table",
    "National expert meeting",
    "Study visit",
    "Awareness campaign launch",
    "Training of trainers",
    "Legislative review meeting",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--deadline", type=int, default=1200)
    return parser.parse_args()


def seed(n_clusters: int) -> dict:
    from programmes.events.models import Event
    from programmes.models import ExecutiveStructure, ThematicArea
    from programmes.reference_data import load_core

    load_core()
    rng = random.Random(11)
    field_ops = list(ExecutiveStructure.objects.filter(kind="field_operation").exclude(host_state=None))
    units = list(ExecutiveStructure.objects.filter(kind="thematic_unit", proposed=False))
    areas = {a.code: a for a in ThematicArea.objects.all()}
    through = Event.thematic_areas.through
    co_through = Event.co_organisers.through
    planted = {"double_entry": 0, "co_organised": 0, "bilingual": 0}
    events, area_links, co_links = [], [], []

    def add(title, lead, state, start, days, area, co=None):
        event = Event(
            title=title,
            format=Event.Format.WORKSHOP,
            lead_structure=lead,
            state=state,
            start_date=start,
            end_date=start + timedelta(days=days),
            visibility=Event.Visibility.PUBLIC,
            description="bench",
        )
        events.append((event, area, co))
        return event

    for c in range(n_clusters):
        code, title_en, title_ru = TOPICS[c % len(TOPICS)]
        area = areas[code]
        op = rng.choice(field_ops)
        state = op.host_state
        base = date(2010, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        unit = rng.choice(units)
        # Independent events of the cluster: the field operation and a unit on the same theme, days apart.
        add(f"{title_en} in {state.name}", op, state, base, 1, area)
        add(f"{title_en}: regional follow-up", unit, state, base + timedelta(days=rng.randrange(2, 10)), 1, area)
        for k in range(rng.randrange(2, 5)):
            other = rng.choice(field_ops + units)
            add(f"{rng.choice(OTHER)} {c}-{k}", other, state, base + timedelta(days=rng.randrange(-12, 12)), 0, area)
        kind = c % 4
        if kind == 0:  # double entry by one structure
            add(f"{title_en} in {state.name}", op, state, base, 1, area)
            planted["double_entry"] += 1
        elif kind == 1:  # co-organised pair: the unit leads, the operation co-organises; plus the op's own event
            add(f"{title_en} (joint session)", unit, state, base + timedelta(days=1), 1, area, co=op)
            planted["co_organised"] += 1
        elif kind == 2:  # the same event entered by the lead and by its co-organiser, one in Russian
            add(title_ru, unit, state, base, 1, area, co=op)
            planted["bilingual"] += 1
            planted["double_entry"] += 1
    created = Event.objects.bulk_create([e for e, _a, _c in events])
    for event, (_e, area, co) in zip(created, events, strict=True):
        area_links.append(through(event_id=event.pk, thematicarea_id=area.pk))
        if co is not None:
            co_links.append(co_through(event_id=event.pk, executivestructure_id=co.pk))
    through.objects.bulk_create(area_links)
    co_through.objects.bulk_create(co_links)
    return planted


def main() -> None:
    args = parse_args()
    deadline = time.monotonic() + args.deadline
    url = bench_database_url()
    recreate_database(url)
    setup_django(url, tempfile.mkdtemp(prefix="bench-static-"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from programmes.events import services
    from programmes.events.models import CoordinationAlert, Event

    planted = seed(args.clusters)
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for pk in ids:
        if time.monotonic() > deadline:
            sys.exit("deadline reached")
        services.duplicates_check_event(event_id=pk)
    elapsed = time.perf_counter() - started
    open_alerts = CoordinationAlert.objects.filter(status=CoordinationAlert.Status.OPEN)
    n_events, n_open = len(ids), open_alerts.count()
    print(f"events: {n_events}; planted: {planted}")
    print(f"open alerts: {n_open} = {n_open / n_events:.2f} per event; rescan {elapsed:.0f} s")
    kinds = getattr(CoordinationAlert, "Kind", None)
    if kinds is not None:
        for kind in kinds:
            print(f"  {kind.label}: {open_alerts.filter(kind=kind).count()}")
    # Pairs with identical lead or lead/co-organiser link and overlapping dates: were they flagged at all?
    same_lead = sum(
        1
        for a in open_alerts.select_related("event_a", "event_b")
        if a.event_a.lead_structure_id == a.event_b.lead_structure_id
    )
    print(f"  alerts between events of the same lead structure: {same_lead}")


if __name__ == "__main__":
    main()
