"""Benchmark of every hot path (issue 14) against the bare view, on PostgreSQL, through gunicorn on loopback.

    make bench                      (N=1; BENCH_SCALE=0.1 make bench for a tenth)
    make bench-smoke                (N=0.01, a few requests: what CI runs so the benchmark cannot rot)
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py --scale 0.1

Works in its own database (BENCH_DATABASE_URL, else the DATABASE_URL name plus "_bench"), loaded once per scale by
``manage.py generate_scale_data`` (a marker table says which scale is loaded; a second run reuses it). Each path is
requested at concurrency 1 and 4, every request paired with a request to ``/bench/bare/`` made at the same moment, so
each ratio is taken side by side on a shared, noisy machine. SQL queries per request come from the bench-only
``X-Bench-SQL`` header (bench/middleware.py). Background jobs run in their own process (bench/jobs.py) for their
time and peak memory. Prints a Markdown table and writes JSON to bench/results/. Stops by itself: a bounded number
of requests per path, a per-path time budget, a per-request timeout and an overall deadline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument(
        "--requests",
        type=int,
        default=int(os.environ.get("BENCH_REQUESTS", 20)),
        help="timed requests per path and concurrency (default 20)",
    )
    parser.add_argument("--concurrency", default=os.environ.get("BENCH_CONCURRENCY", "1,4"))
    parser.add_argument(
        "--budget",
        type=float,
        default=float(os.environ.get("BENCH_PATH_BUDGET", 45)),
        help="seconds per path and concurrency before it stops early (default 45)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--deadline", type=int, default=int(os.environ.get("BENCH_DEADLINE", 3600)))
    parser.add_argument(
        "--jobs",
        default=os.environ.get(
            "BENCH_JOBS",
            "meeting_pack,monthly_bundle,rescan_per_event_sample,nightly_rescan,yearly_report,all_time_report",
        ),
    )
    parser.add_argument("--only", default="", help="comma-separated substrings of path labels to run")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail when the deadline leaves a path or job unmeasured (CI: every path must run once)",
    )
    return parser.parse_args()


def bench_database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/run.py needs DATABASE_URL pointing at PostgreSQL (make bench starts one).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "osce_tnt"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def _admin_connection(url: str):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    conn.autocommit = True
    return conn


def recreate_database(url: str) -> None:
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    assert name.endswith("_bench") or "bench" in name
    with closing(_admin_connection(url)) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_database(url: str) -> None:
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    with closing(_admin_connection(url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str, static_root: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BENCH_STATIC_ROOT"] = static_root
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    # Tasks run in-process (eager) without a broker: POST /api/events/ then includes its duplicate check.
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def make_users() -> dict:
    """A co-ordinator (sees everything) and a delegation user of the busiest State (the my-State page)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from programmes.models import ExecutiveStructure, ParticipatingState
    from programmes.permissions import Role
    from programmes.services import user_assign_role

    User = get_user_model()
    out = {}
    state = ParticipatingState.objects.annotate(n=Count("events")).order_by("-n", "pk").first()
    for name, role, kwargs in (
        ("bench", Role.COORDINATOR, {"structure": ExecutiveStructure.objects.get(acronym="TNT-D")}),
        ("bench-delegation", Role.DELEGATION, {"state": state}),
    ):
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(username=name, password=secrets.token_urlsafe(12))
            user_assign_role(user=user, role=role, **kwargs)
        token, _ = Token.objects.get_or_create(user=user)
        client = Client()
        client.force_login(user)
        out[name] = {"user": user, "token": token.key, "session": client.cookies["sessionid"].value}
    return out


def pick_targets() -> dict:
    """Ids and parameters of the rows the paths ask for: the busiest month, State, area, structure."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from focal_points.models import FocalPoint
    from programmes.activity.models import ActivityReport
    from programmes.events.models import Event
    from programmes.models import Project, ThematicArea

    busiest = (
        Event.objects.annotate(m=TruncMonth("start_date")).values("m").annotate(n=Count("pk")).order_by("-n").first()
    )["m"]
    state = Event.objects.values("state").annotate(n=Count("pk")).order_by("-n").first()["state"]
    area = ThematicArea.objects.filter(parent__isnull=False).annotate(n=Count("projects")).order_by("-n").first().pk
    report = ActivityReport.objects.annotate(n=Count("items")).filter(status="accepted").order_by("-n").first()
    fp = FocalPoint.objects.order_by("pk")[FocalPoint.objects.count() // 2]
    return {
        "month": busiest.strftime("%Y-%m"),
        "year": busiest.year,
        "state": state,
        "area": area,
        "project": Project.objects.order_by("pk")[Project.objects.count() // 2].pk,
        "event": Event.objects.filter(visibility="public").order_by("pk")[Event.objects.count() // 3].pk,
        "report": report.pk,
        "structure": report.structure_id,
        "fp_q": fp.last_name[:5].lower(),
        "lead": report.structure_id,
    }


def cases(t: dict, users: dict) -> list[dict]:
    api = {"Authorization": f"Token {users['bench']['token']}", "Accept": "application/json"}
    html = {"Cookie": f"sessionid={users['bench']['session']}"}
    delegation = {"Cookie": f"sessionid={users['bench-delegation']['session']}"}
    y = t["year"]
    month_start = f"{t['month']}-01"
    c = [
        ("public ICS feed, one year", f"/calendar/feed.ics?date_from={y}-01-01&date_to={y}-12-31", {}, "feed"),
        ("public ICS feed, one year, cold", f"/calendar/feed.ics?date_from={y}-01-01&date_to={y}-12-31", {}, "cold"),
        # Every year: the feed's cap (5,000 events) at any scale, so the cold render of a full feed is measured
        # even where one year has fewer events (N < 0.4).
        ("public ICS feed, at the cap, cold", "/calendar/feed.ics?date_from=2000-01-01&date_to=2030-12-31", {}, "cold"),
        (
            "public ICS feed, conditional (304)",
            f"/calendar/feed.ics?date_from={y}-01-01&date_to={y}-12-31",
            {},
            "conditional",
        ),
        ("dashboard API, cold", "/api/dashboard/", api, "cold"),
        ("dashboard page, cold", "/reports/dashboard/", html, "cold"),
        ("dashboard API, all time, cold", "/api/dashboard/?all_time=1", api, "cold"),
        ("dashboard API, warm", "/api/dashboard/", api, "html"),
        ("dashboard page, warm", "/reports/dashboard/", html, "html"),
        ("my-State page", "/reports/dashboard/my-state/", delegation, "html"),
        ("calendar month, busiest", f"/calendar/?month={t['month']}", html, "html"),
        ("compliance matrix", "/activity-reports/compliance/", html, "html"),
        ("API activity reports ?structure=", f"/api/activity-reports/?structure={t['structure']}", api, "list"),
        ("agenda", f"/calendar/agenda/?date_from={month_start}", html, "html"),
        ("API focal points ?q=", f"/api/focal-points/?q={t['fp_q']}", api, "search"),
        ("focal-point directory", "/focal-points/", html, "html"),
        ("API action items", "/api/action-items/", api, "list"),
        (
            "API events ?date range&state",
            f"/api/events/?date_from={month_start}&date_to={y}-12-31&state={t['state']}",
            api,
            "list",
        ),
        ("POST /api/events/ (duplicate check)", "/api/events/", api, "post"),
        ("API projects ?page_size=50&area", f"/api/projects/?page_size=50&thematic_area={t['area']}", api, "list"),
        # A theme's projects (every generated title says "on theme <id>", so the bare word would match all 20,000 and
        # measure a full count, not the trigram search): the busiest area's, 5,293 of 20,012 projects (26 %) at N=1.
        ("API projects ?q=", f"/api/projects/?q=theme%20{t['area']}", api, "search"),
        ("API project detail", f"/api/projects/{t['project']}/", api, "detail"),
        ("HTML project list", "/projects/", html, "html"),
        ("HTML event detail", f"/calendar/events/{t['event']}/", html, "html"),
        ("HTML activity report detail", f"/activity-reports/{t['report']}/", html, "html"),
    ]
    return [{"label": a, "path": b, "headers": h, "kind": k} for a, b, h, k in c]


def event_payload(t: dict, i: int) -> bytes:
    return json.dumps(
        {
            "title": f"SCALE-Bench workshop on theme {t['area']} number {i}",
            "format": "workshop",
            "lead_structure": t["lead"],
            "state": t["state"],
            "thematic_areas": [t["area"]],
            "start": f"{t['month']}-10",
            "end": f"{t['month']}-11",
            "all_day": True,
            "visibility": "public",
        }
    ).encode()


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, *, root: Path = ROOT) -> subprocess.Popen:
    """gunicorn serving the portal of the tree ``root`` (this one unless ``bench/compare.py`` names another)."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            gunicorn,
            "osce_tnt.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
            # gunicorn.conf.py logs every request to stdout; thousands of lines would bury the table in CI logs.
            "--access-logfile",
            "/dev/null",
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)} if root != ROOT else dict(os.environ),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    sys.exit("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Requester:
    """One keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, headers: dict, body: bytes | None = None):
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            raise
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response, data


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def run_case(case: dict, *, port: int, concurrency: int, n: int, budget: float, targets: dict, clear_cache) -> dict:
    """``n`` requests split over ``concurrency`` threads; each request followed at once by a bare-view request
    on the same connection, so the pair shares the machine's load of that moment."""
    timings, bare, sql, statuses, sizes, errors = [], [], set(), set(), [], []
    lock = threading.Lock()
    counter = iter(range(10**9))
    etag_holder = {}
    if case["kind"] == "conditional":
        r = Requester(port)
        _ms, resp, _ = r.request("GET", case["path"], {})
        etag_holder["etag"] = resp.getheader("ETag", "")
    if case["kind"] not in ("cold", "post"):
        # One untimed request first: a fresh gunicorn worker imports and compiles on its first hits.
        with suppress(OSError, http.client.HTTPException):
            Requester(port).request("GET", case["path"], case["headers"])
    notes = []
    stop_at = time.monotonic() + budget  # after the warm-up, which may be a cold render of seconds
    per_thread = max(1, n // concurrency)
    barrier = threading.Barrier(concurrency)

    def worker():
        r = Requester(port)
        for _ in range(per_thread):
            if time.monotonic() > stop_at:
                break
            headers = dict(case["headers"])
            method, body = "GET", None
            if case["kind"] == "post":
                method, body = "POST", event_payload(targets, next(counter))
                headers["Content-Type"] = "application/json"
            if case["kind"] == "conditional":
                headers["If-None-Match"] = etag_holder["etag"]
            if case["kind"] == "cold":
                # All threads start together after one clear: concurrent cold requests (the stampede case).
                try:
                    idx = barrier.wait(timeout=budget)
                    if idx == 0:
                        clear_cache()
                    barrier.wait(timeout=budget)
                except threading.BrokenBarrierError:
                    break
            try:
                ms, resp, data = r.request(method, case["path"], headers, body)
                bare_ms, _resp, _ = r.request("GET", "/bench/bare/", {})
            except Exception as exc:  # noqa: BLE001 - reported in the table, never fatal
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                timings.append(ms)
                bare.append(bare_ms)
                statuses.add(resp.status)
                sizes.append(len(data))
                if resp.status >= 400 and not notes:
                    notes.append(data[:300].decode(errors="replace"))
                if resp.getheader("X-Bench-SQL"):
                    sql.add(int(resp.getheader("X-Bench-SQL")))
        if case["kind"] == "cold":
            barrier.abort()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    median = statistics.median(timings) if timings else float("nan")
    bare_median = statistics.median(bare) if bare else float("nan")
    return {
        "label": case["label"],
        "path": case["path"],
        "kind": case["kind"],
        "concurrency": concurrency,
        "n": len(timings),
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "bare_median_ms": round(bare_median, 2),
        "ratio": round(median / bare_median, 1) if bare else None,
        "sql": sorted(sql),
        "statuses": sorted(statuses),
        "kib": round(max(sizes, default=0) / 1024, 1),
        "errors": errors[:3],
        "notes": notes,
    }


def run_job(name: str, env: dict) -> dict:
    try:
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "jobs.py"), name],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    except subprocess.TimeoutExpired:
        return {"job": name, "error": "timeout (1800 s)"}
    if out.returncode != 0:
        return {"job": name, "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def markdown(meta: dict, rows: list[dict], jobs: list[dict]) -> str:
    lines = [
        f"Scale N={meta['scale']:g} ({meta['counts']}), PostgreSQL, gunicorn {meta['workers']} workers on "
        f"127.0.0.1, {meta['requests']} requests per path and concurrency, each paired with /bench/bare/. "
        f"{meta['started']}. Shared 2-core machine: absolute times are noisy, the ratios are taken side by side.",
        "",
        "| path | conc. | n | median ms | p95 ms | bare ms | × bare | SQL | status | KiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        sql = (
            "–".join(str(x) for x in (r["sql"][0], r["sql"][-1]))
            if len(r["sql"]) > 1
            else (str(r["sql"][0]) if r["sql"] else "")
        )
        lines.append(
            f"| {r['label']} | {r['concurrency']} | {r['n']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['bare_median_ms']:.2f} | {r['ratio']} | {sql} | "
            f"{','.join(map(str, r['statuses']))} | {r['kib']} |"
        )
    if jobs:
        lines += ["", "| job | seconds | SQL | peak MiB | detail |", "|---|---|---|---|---|"]
        for j in jobs:
            detail = {k: v for k, v in j.items() if k not in ("job", "seconds", "sql", "peak_mib")}
            lines.append(
                f"| {j['job']} | {j.get('seconds', '')} | {j.get('sql', '')} | {j.get('peak_mib', '')} | "
                f"{json.dumps(detail, default=str)} |"
            )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    deadline = time.monotonic() + args.deadline
    url = bench_database_url()
    ensure_database(url)
    with tempfile.TemporaryDirectory(prefix="osce-tnt-bench-") as static_root:
        setup_django(url, static_root)
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection, connections

        print(f"Loading scale {args.scale:g} into {urlsplit(url).path.lstrip('/')} ...", flush=True)
        call_command("generate_scale_data", "--scale", str(args.scale), "--force")
        call_command("collectstatic", "--noinput", verbosity=0)
        users = make_users()
        targets = pick_targets()
        with connection.cursor() as cur:
            cur.execute("SELECT counts FROM bench_scale_marker")
            counts = cur.fetchone()[0]
            counts = json.loads(counts) if isinstance(counts, str) else counts
        connections.close_all()  # gunicorn opens its own
        all_cases = cases(targets, users)
        if args.only:
            wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
            all_cases = [c for c in all_cases if any(w in c["label"].lower() for w in wanted)]
        levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        port = free_port()
        proc = start_gunicorn(port, args.workers)
        rows = []
        unmeasured: list[str] = []
        try:
            for case in all_cases:
                for level in levels:
                    if time.monotonic() > deadline:
                        unmeasured.append(f"{case['label']} c={level}")
                        continue
                    n = max(level, args.requests // 4) if case["kind"] == "cold" else args.requests
                    row = run_case(
                        case,
                        port=port,
                        concurrency=level,
                        n=n,
                        budget=args.budget,
                        targets=targets,
                        clear_cache=cache.clear,
                    )
                    rows.append(row)
                    print(
                        f"  {row['label']} c={level}: median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} "
                        f"ms, x{row['ratio']}, SQL {row['sql']}, status {row['statuses']} {row['notes']}",
                        flush=True,
                    )
        finally:
            stop(proc)
        jobs = []
        for name in [j for j in args.jobs.split(",") if j.strip()]:
            if time.monotonic() > deadline:
                unmeasured.append(f"job {name.strip()}")
                continue
            job = run_job(name.strip(), dict(os.environ))
            jobs.append(job)
            print(f"  job {json.dumps(job, default=str)}", flush=True)

    meta = {
        "scale": args.scale,
        "counts": counts,
        "workers": args.workers,
        "requests": args.requests,
        "concurrency": levels,
        "started": started,
    }
    table = markdown(meta, rows, jobs)
    print()
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-N{args.scale:g}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"meta": meta, "paths": rows, "jobs": jobs, "markdown": table}, indent=1, default=str))
    print(f"\nJSON: {out.relative_to(ROOT)}")
    failed = [r["label"] for r in rows if any(s >= 400 for s in r["statuses"]) or r["errors"] or r["n"] == 0]
    failed += [j["job"] for j in jobs if "error" in j]
    if unmeasured:
        print("deadline reached; not measured: " + "; ".join(unmeasured), flush=True)
        if args.strict:
            failed += [f"not measured before the deadline: {label}" for label in unmeasured]
    if failed:
        sys.exit("Failed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
