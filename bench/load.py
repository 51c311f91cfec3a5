"""`make load`: a bounded mixed load against a production-like stack on loopback.

Starts its own PostgreSQL, Redis, gunicorn (gunicorn.conf.py), Celery worker and beat (tests/reliability/stack.py),
then runs USERS simulated people for SECONDS, each waiting 1-3 s between actions like a person (locust's
``between(1, 3)``):
  40 % field users: open a draft report (API), attach a file, submit it;
  24 % Secretariat staff: create an event (API), browse the calendar month (HTML);
  20 % delegations: the dashboard (HTML) and its API;
  16 % feed pollers: the public iCalendar feed.
It prints the 5xx count, acknowledged (2xx) versus stored writes (counted in the database afterwards) and client
latency p50/p95/p99 per action and overall, and exits non-zero when a 5xx occurred or an acknowledged write is
missing. Stops by itself; talks to loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from tests.reliability.helpers import event_payload, report_payload
from tests.reliability.stack import Session, Stack

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.codes: dict[int, int] = defaultdict(int)
        self.errors: list[str] = []
        self.acknowledged: dict[str, set] = defaultdict(set)

    def call(self, name: str, method, *args, **kwargs):
        started = time.monotonic()
        try:
            response = method(*args, timeout=60, **kwargs)
        except requests.RequestException as exc:
            with self.lock:
                self.errors.append(f"{name}: {type(exc).__name__}")
            return None
        elapsed = time.monotonic() - started
        with self.lock:
            self.latencies[name].append(elapsed)
            self.codes[response.status_code] += 1
        return response

    def ack(self, kind: str, value) -> None:
        with self.lock:
            self.acknowledged[kind].add(value)


class LoggedIn:
    """The stack, with everyone who uses HTML pages logged in before the clock starts.

    A login runs the password hasher (on purpose about a second of CPU); 22 of them inside the measured minute made
    every other request of its first seconds wait behind them on two cores, which is not what a deadline day looks
    like: people are already signed in. Everything else is the stack's own (``stack.url``, ``stack.api`` …)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.browsers: dict[tuple[str, int], requests.Session] = {}

    def login(self, role: str, index: int) -> None:
        self.browsers[(role, index)] = self.stack.browser(role, index)

    def browser(self, role: str, index: int = 0) -> requests.Session:
        return self.browsers[(role, index)]

    def __getattr__(self, name: str):
        return getattr(self.stack, name)


def think(stop: threading.Event) -> None:
    stop.wait(random.uniform(1, 3))


def field_user(stack: LoggedIn, index: int, rec: Recorder, stop: threading.Event) -> None:
    api = stack.api("field", index)
    while not stop.is_set():
        created = rec.call(
            "report create", api.post, stack.url("/api/activity-reports/"), json=report_payload(stack, index)
        )
        if created is not None and created.status_code == 201:
            report = created.json()["id"]
            rec.ack("report", report)
            think(stop)
            upload = rec.call(
                "attachment",
                api.post,
                stack.url(f"/api/activity-reports/{report}/attachments/"),
                files={"file": (f"photo-{report}.png", PNG, "image/png")},
            )
            if upload is not None and upload.status_code == 201:
                rec.ack("attachment", upload.json()["id"])
            think(stop)
            submitted = rec.call("report submit", api.post, stack.url(f"/api/activity-reports/{report}/submit/"))
            if submitted is not None and submitted.status_code == 200:
                rec.ack("submitted", report)
        think(stop)


def staff_user(stack: LoggedIn, index: int, rec: Recorder, stop: threading.Event) -> None:
    api, page = stack.api("secretariat", index), stack.browser("secretariat", index)
    n = 0
    while not stop.is_set():
        n += 1
        title = f"Load {index}-{n}"
        created = rec.call("event create", api.post, stack.url("/api/events/"), json=event_payload(stack, title))
        if created is not None and created.status_code == 201:
            rec.ack("event", title)
        think(stop)
        rec.call("calendar page", page.get, stack.url(f"/calendar/?month=2010-{random.randint(1, 12):02d}"))
        think(stop)


def delegation_user(stack: LoggedIn, index: int, rec: Recorder, stop: threading.Event) -> None:
    page, api = stack.browser("delegation", index), stack.api("delegation", index)
    while not stop.is_set():
        rec.call("dashboard page", page.get, stack.url("/reports/dashboard/"))
        think(stop)
        rec.call("dashboard api", api.get, stack.url("/api/dashboard/"))
        think(stop)


def feed_poller(stack: LoggedIn, index: int, rec: Recorder, stop: threading.Event) -> None:
    client = requests.Session()
    while not stop.is_set():
        rec.call("feed", client.get, stack.url("/calendar/feed.ics?date_from=2010-01-01"))
        think(stop)


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack (its processes and their children, from /proc), and by
    this load generator, so the summary says where the two cores went: a p95 is only as good as the headroom."""
    ticks = os.sysconf("SC_CLK_TCK")
    leaders = {process.pid: name for name, process in stack.processes.items()}
    postmaster = int((stack.cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
    totals: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        ppid, session = int(fields[1]), int(fields[3])
        name = leaders.get(session) or ("postgres" if postmaster in (int(entry.name), ppid) else None)
        if name is not None:
            totals[name] += (int(fields[11]) + int(fields[12])) / ticks
    usage = resource.getrusage(resource.RUSAGE_SELF)
    totals["load generator"] = usage.ru_utime + usage.ru_stime
    return dict(totals)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(users: int, seconds: int, settings: dict[str, str]) -> int:
    session = Session()
    stack = Stack(session, "load", **settings)
    try:
        stack.start()
        plan = [
            (field_user, 0.40, len(stack.accounts["field"])),
            (staff_user, 0.24, len(stack.accounts["secretariat"])),
            (delegation_user, 0.20, len(stack.accounts["delegation"])),
            (feed_poller, 0.16, 10**6),
        ]
        threads, stop, rec = [], threading.Event(), Recorder()
        counts = [max(1, round(users * share)) for _, share, _ in plan]
        counts[-1] = max(1, users - sum(counts[:-1]))
        people = LoggedIn(stack)
        for (target, _share, available), count in zip(plan, counts, strict=True):
            for index in range(min(count, available)):
                role = {staff_user: "secretariat", delegation_user: "delegation"}.get(target)
                if role is not None:
                    people.login(role, index)
                threads.append(threading.Thread(target=target, args=(people, index, rec, stop), daemon=True))
        print(
            f"{len(threads)} users for {seconds} s against {stack.base_url} "
            f"({', '.join(f'{t.__name__}={c}' for (t, _, _), c in zip(plan, counts, strict=True))})"
        )
        cpu_before, started = cpu_seconds(stack), time.monotonic()
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # a short ramp, so logins do not all land in the same instant
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join(90)
        elapsed, cpu_after = time.monotonic() - started, cpu_seconds(stack)
        cpu = {part: round(cpu_after[part] - cpu_before.get(part, 0.0), 1) for part in sorted(cpu_after)}

        stored = {
            "report": {
                row[0]
                for row in stack.query(
                    "SELECT id FROM programmes_activityreport WHERE summary = 'Reliability scenario'"
                )
            },
            "attachment": {row[0] for row in stack.query("SELECT id FROM programmes_reportattachment")},
            "submitted": {
                row[0]
                for row in stack.query(
                    "SELECT id FROM programmes_activityreport "
                    "WHERE summary = 'Reliability scenario' "
                    "AND status = 'submitted'"
                )
            },
            "event": {row[0] for row in stack.query("SELECT title FROM programmes_event WHERE title LIKE 'Load %%'")},
        }
        all_latencies = [v for values in rec.latencies.values() for v in values]
        server_errors = sum(count for code, count in rec.codes.items() if code >= 500)
        lost = {kind: len(rec.acknowledged[kind] - stored[kind]) for kind in stored}
        summary = {
            "users": len(threads),
            "seconds": seconds,
            "requests": len(all_latencies),
            "status_codes": dict(sorted(rec.codes.items())),
            "5xx": server_errors,
            "client_errors": rec.errors[:20],
            "client_error_count": len(rec.errors),
            "writes": {
                kind: {"acknowledged": len(rec.acknowledged[kind]), "stored": len(stored[kind]), "lost": lost[kind]}
                for kind in stored
            },
            "latency_s": {
                "overall": {
                    p: round(percentile(all_latencies, n), 3) for p, n in (("p50", 50), ("p95", 95), ("p99", 99))
                }
            },
            "gunicorn": {key: value for key, value in settings.items() if key.startswith("GUNICORN_")},
            # CPU seconds per part over the run, and the share of all cores they add up to (the machine's other
            # tenants are not counted: compare with the load average).
            "cpu_s": cpu,
            "cpu_share_of_cores": round(sum(cpu.values()) / (elapsed * (os.cpu_count() or 1)), 2),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        }
        for name, values in sorted(rec.latencies.items()):
            summary["latency_s"][name] = {
                "n": len(values),
                "p50": round(statistics.median(values), 3),
                "p95": round(percentile(values, 95), 3),
                "p99": round(percentile(values, 99), 3),
            }
        print(json.dumps(summary, indent=1))
        return 0 if server_errors == 0 and not any(lost.values()) and not rec.errors else 1
    finally:
        stack.close()
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", help="GUNICORN_WORKERS for this run (default: gunicorn.conf.py)")
    parser.add_argument("--threads", help="GUNICORN_THREADS for this run (default: gunicorn.conf.py)")
    args = parser.parse_args()
    # Empty means "gunicorn.conf.py decides" (the stack's own default of 2 workers is for the scenarios).
    settings = {
        "GUNICORN_ACCESSLOG": "/dev/null",
        "GUNICORN_WORKERS": args.workers or "",
        "GUNICORN_THREADS": args.threads or "",
    }
    # Production-like background jobs: no second-level sweeps competing with the web for the two cores.
    settings.update(
        {
            "PORTAL_OUTBOX_SWEEP_SECONDS": "60",
            "PORTAL_JOB_HEARTBEAT_SECONDS": "5",
            "PORTAL_SERVICE_HEARTBEAT_SECONDS": "15",
            "PORTAL_SERVICE_HEARTBEAT_MAX_AGE": "90",
        }
    )
    sys.exit(run(args.users, args.seconds, settings))


if __name__ == "__main__":
    main()
