"""Dump every dashboard figure as JSON, to diff the figures before and after a change to the queries (issue 14).

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python bench/dashboard_dump.py OUT.json

Computes (uncached) the dashboard and the my-State figures for both audiences, for the current year and for all
time, with and without an area, a region and a structure filter, and the public report figures of the last full
year, at a fixed ``today``. Prints each computation's SQL count and time on stderr."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from osce_tnt.reporting import figures, selectors  # noqa: E402
from osce_tnt.reporting.figures import Filters  # noqa: E402
from programmes.models import ExecutiveStructure, ParticipatingState, ThematicArea  # noqa: E402

TODAY = date.fromisoformat(os.environ.get("DUMP_TODAY", date.today().isoformat()))


def _filter_sets() -> dict[str, Filters]:
    year = Filters(start=date(TODAY.year, 1, 1), end=date(TODAY.year, 12, 31))
    sets = {"year": year, "all_time": Filters()}
    area = ThematicArea.objects.filter(parent__isnull=False).annotate(n=Count("projects")).order_by("-n", "pk").first()
    if area is not None:
        sets["all_time_area"] = Filters(area_id=area.pk, area_top_id=area.parent_id)
        sets["year_top_area"] = Filters(
            start=year.start, end=year.end, area_id=area.parent_id, area_top_id=area.parent_id
        )
    structure = ExecutiveStructure.objects.exclude(region="").order_by("pk").first()
    if structure is not None:
        sets["all_time_region"] = Filters(region=structure.region)
        sets["year_structure"] = Filters(start=year.start, end=year.end, structure_id=structure.pk)
    sets["decade"] = Filters(start=date(TODAY.year - 10, 1, 1), end=date(TODAY.year - 8, 6, 30))
    return sets


def _timed(label: str, compute):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = compute()
        elapsed = time.perf_counter() - started
    print(f"{label:40} {len(queries):3} queries {elapsed * 1000:9.1f} ms", file=sys.stderr)
    return value


def main() -> None:
    out: dict = {}
    translation.activate("en")
    state = ParticipatingState.objects.annotate(n=Count("events")).order_by("-n", "pk").first()
    for name, filters in _filter_sets().items():
        for audience in figures.AUDIENCES:
            out[f"dashboard:{name}:{audience}"] = _timed(
                f"dashboard {name} {audience}", lambda f=filters, a=audience: selectors._compute_dashboard(f, a, TODAY)
            )
        if state is not None and name in ("year", "all_time"):
            scoped = Filters(start=filters.start, end=filters.end, state_id=state.pk)
            out[f"my_state:{name}:public"] = _timed(
                f"my_state {name}",
                lambda f=scoped: {
                    **selectors._compute_dashboard(f, figures.PUBLIC, TODAY),
                    "donor_pledges": figures.donor_pledges_of_state(f, figures.PUBLIC),
                },
            )
    last = Filters(start=date(TODAY.year - 1, 1, 1), end=date(TODAY.year - 1, 12, 31))
    out["report:last_year"] = _timed("report last year", lambda: selectors.report_figures(filters=last, today=TODAY))
    Path(sys.argv[1]).write_text(json.dumps(out, indent=1, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
