"""Benchmark of the project list endpoints against a bare Django view, on PostgreSQL, through gunicorn on loopback.

Run with `make bench` (PostgreSQL and Redis from .ci/services.sh) or, with DATABASE_URL pointing at a PostgreSQL
server, `.venv/bin/python bench/run.py --projects 20000`. It works in its own database (the DATABASE_URL name
plus "_bench"), which it drops and recreates; it never touches the database named in DATABASE_URL itself.
Stops by itself: a fixed number of requests per URL, a per-request timeout and an overall deadline.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 20000)),
                        help="projects to seed (default 20000, the ROADMAP scale)")
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 40)),
                        help="timed requests per URL (default 40)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per URL first (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--deadline", type=int, default=600, help="give up after this many seconds (default 600)")
    return parser.parse_args()


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/run.py needs DATABASE_URL pointing at PostgreSQL (make bench starts one).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "osce_tnt"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def recreate_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    assert name.endswith("_bench")
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    conn.autocommit = True
    with closing(conn), conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str, static_root: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BENCH_STATIC_ROOT"] = static_root
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    # Tasks are not part of the measurement; without a broker they would run in-process.
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def seed(n_projects: int) -> dict:
    """Reference data, then ``n_projects`` projects with their relations, all with bulk_create."""
    from io import StringIO

    from django.core.management import call_command

    from programmes.models import (
        ExecutiveStructure,
        Mandate,
        ParticipatingState,
        PartnerOrganisation,
        Project,
        ThematicArea,
    )

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    call_command("collectstatic", "--noinput", verbosity=0)

    rng = random.Random(2010)
    structures = list(ExecutiveStructure.objects.values_list("pk", flat=True))
    areas = list(ThematicArea.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    states = list(ParticipatingState.objects.values_list("pk", flat=True))
    orgs = list(PartnerOrganisation.objects.values_list("pk", flat=True))
    mandates = list(Mandate.objects.values_list("pk", flat=True))
    statuses = list(Project.Status.values)
    started = time.perf_counter()
    batch = []
    for i in range(n_projects):
        start = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 3000))
        batch.append(Project(
            code=f"BENCH-{i:06d}", title=f"Benchmark project {i}", summary="Seeded for the benchmark.",
            lead_structure_id=rng.choice(structures), funding_source=rng.choice(["ub", "exb"]),
            budget=Decimal(rng.randrange(0, 3_000_000)), status=rng.choice(statuses),
            start=start, end=start + timedelta(days=rng.randrange(30, 1200)),
        ))
    projects = Project.objects.bulk_create(batch, batch_size=2000)

    def link(through, field: str, pool: list[int], per: tuple[int, int]):
        rows = []
        for p in projects:
            for target in rng.sample(pool, rng.randint(*per)):
                rows.append(through(project_id=p.pk, **{field: target}))
        through.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    links = {
        "thematic_areas": link(Project.thematic_areas.through, "thematicarea_id", areas, (1, 3)),
        "partner_structures": link(Project.partner_structures.through, "executivestructure_id", structures, (0, 2)),
        "beneficiary_states": link(Project.beneficiary_states.through, "participatingstate_id", states, (0, 3)),
        "partner_organisations": link(Project.partner_organisations.through, "partnerorganisation_id", orgs, (0, 2)),
        "mandates": link(Project.mandates.through, "mandate_id", mandates, (0, 2)),
    }
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"projects": Project.objects.count(), "seconds": time.perf_counter() - started, **links}


def make_user():
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from programmes.models import ExecutiveStructure
    from programmes.permissions import Role
    from programmes.services import user_assign_role

    user = get_user_model().objects.create_user(username="bench", password=secrets.token_urlsafe(12))
    user_assign_role(user=user, role=Role.COORDINATOR, structure=ExecutiveStructure.objects.get(acronym="TNT-D"))
    token = Token.objects.create(user=user)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return user, token.key, client.cookies["sessionid"].value


def count_queries(user, path: str) -> tuple[int, int]:
    """SQL queries and status of one request through Django's test client (same code path as gunicorn)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)  # a first request settles the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return len(ctx.captured_queries), response.status_code


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "osce_tnt.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    sys.exit("gunicorn did not start within 30 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def time_url(port: int, path: str, headers: dict, warmup: int, n: int, deadline: float) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings, statuses, size = [], set(), 0
    try:
        for i in range(warmup + n):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            statuses.add(response.status)
            size = len(body)
            if i >= warmup:
                timings.append(elapsed * 1000)
    finally:
        conn.close()
    timings.sort()
    return {
        "n": len(timings),
        "median": statistics.median(timings) if timings else float("nan"),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)] if timings else float("nan"),
        "statuses": sorted(statuses),
        "bytes": size,
    }


def main() -> None:
    args = parse_args()
    deadline = time.monotonic() + args.deadline
    url = bench_database_url()
    recreate_database(url)
    with tempfile.TemporaryDirectory(prefix="osce-tnt-bench-") as static_root:
        setup_django(url, static_root)
        print(f"Seeding {args.projects} projects in {urlsplit(url).path.lstrip('/')} ...", flush=True)
        seeded = seed(args.projects)
        print("Seeded: " + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}"
                                     for k, v in seeded.items()), flush=True)
        user, token, session = make_user()

        from programmes.models import ThematicArea

        top = ThematicArea.objects.get(code="afghanistan").pk
        api = {"Authorization": f"Token {token}", "Accept": "application/json"}
        html = {"Cookie": f"sessionid={session}"}
        cases = [
            ("bare Django view (baseline)", "/bench/bare/", {}),
            ("bare JSON view", "/bench/bare.json", {}),
            ("/healthz", "/healthz", {}),
            ("API /api/projects/ (50 rows)", "/api/projects/", api),
            ("API /api/projects/?page_size=200", "/api/projects/?page_size=200", api),
            ("API projects, area+status filter", f"/api/projects/?thematic_area={top}&status=ongoing", api),
            ("API projects, q search", "/api/projects/?q=project%2012", api),
            ("API /api/structures/", "/api/structures/", api),
            ("HTML /projects/ (25 rows)", "/projects/", html),
            ("HTML projects, area+status filter", f"/projects/?thematic_area={top}&status=ongoing", html),
            ("HTML /projects/ last page", f"/projects/?page={max(1, (args.projects + 24) // 25)}", html),
        ]
        queries = {path: count_queries(user, path) for _label, path, _h in cases}
        from django.db import connections

        connections.close_all()  # gunicorn opens its own connections

        port = free_port()
        proc = start_gunicorn(port, args.workers)
        try:
            results = [(label, path, time_url(port, path, headers, args.warmup, args.requests, deadline))
                       for label, path, headers in cases]
        finally:
            stop(proc)

    baseline = results[0][2]["median"]
    print()
    print(f"{args.projects} projects, PostgreSQL, gunicorn {args.workers} workers on 127.0.0.1, "
          f"{args.requests} sequential keep-alive requests per URL after {args.warmup} warm-up")
    header = f"{'URL':<38} {'status':>7} {'median ms':>10} {'p95 ms':>8} {'x base':>7} {'SQL':>4} {'KiB':>7}"
    print(header)
    print("-" * len(header))
    failed = False
    for label, path, r in results:
        n_queries, status = queries[path]
        statuses = ",".join(map(str, r["statuses"]))
        failed |= any(s >= 400 for s in r["statuses"]) or status >= 400
        print(f"{label:<38} {statuses:>7} {r['median']:>10.1f} {r['p95']:>8.1f} {r['median'] / baseline:>7.1f} "
              f"{n_queries:>4} {r['bytes'] / 1024:>7.1f}")
    if failed:
        sys.exit("Some requests failed (status >= 400).")


if __name__ == "__main__":
    main()
