"""Two trees of the portal side by side through gunicorn: the code before a change against the code after it.

    git worktree add /tmp/before <commit>
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/compare.py /tmp/before --only "focal points ?q" --pairs 300

Each tree is served by its own gunicorn (one worker each, the same settings and the same database, loaded by
``bench/run.py`` beforehand). The paths' requests go to the two servers in turn, the first one alternating, each
followed by its own server's bare view, so both trees meet the same moments of a noisy machine. Prints each tree's
median, its bare view's median and the ratio, and whether the two bodies were the same (links that carry the
server's port aside); a path that either tree answers with an error stops it. Both trees are served from this
tree's virtualenv and collected static files, so compare commits with the same requirements and assets. It
measures only: paths that write (``POST``) and cold ones (it does not clear the cache) are left out.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, Requester, bench_database_url, cases, free_port, make_users, pick_targets, setup_django, stop
from run import start_gunicorn as start


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the other tree (a git worktree of the commit to compare with)")
    parser.add_argument("--only", required=True, help="comma-separated substrings of path labels")
    parser.add_argument("--pairs", type=int, default=200, help="requests per tree and path")
    return parser.parse_args()


def _without_port(body: bytes) -> bytes:
    return re.sub(rb"127\.0\.0\.1:\d+", b"127.0.0.1", body)


def main() -> None:
    args = parse_args()
    before = args.before.resolve()
    if not (before / "osce_tnt" / "wsgi.py").exists():
        sys.exit(f"{before} is not a tree of the portal")
    with tempfile.TemporaryDirectory(prefix="osce-tnt-compare-") as static_root:
        setup_django(bench_database_url(), static_root)
        compare(before, args)


def compare(before: Path, args: argparse.Namespace) -> None:
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    users = make_users()
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    chosen = [
        case
        for case in cases(pick_targets(), users)
        if any(part in case["label"] for part in wanted) and case["kind"] not in ("cold", "post")
    ]
    servers = {}
    try:
        for name, root in (("before", before), ("after", ROOT)):
            port = free_port()
            servers[name] = (start(port, 1, root=root), port)
        for case in chosen:
            requesters = {name: Requester(port) for name, (_, port) in servers.items()}
            bodies = {}
            for name, requester in requesters.items():
                for _ in range(5):  # warm-up, untimed
                    _, response, data = requester.request("GET", case["path"], case["headers"])
                if response.status >= 400:
                    # An error page is fast and the same on both sides: timing it would compare nothing.
                    sys.exit(f"{case['label']}: the {name} tree answered {response.status}")
                bodies[name] = _without_port(data)
            times: dict[str, list[float]] = {name: [] for name in servers}
            bare: dict[str, list[float]] = {name: [] for name in servers}
            for index in range(args.pairs):
                for name in ("before", "after") if index % 2 == 0 else ("after", "before"):
                    ms, _, _ = requesters[name].request("GET", case["path"], case["headers"])
                    times[name].append(ms)
                    ms, _, _ = requesters[name].request("GET", "/bench/bare/", {})
                    bare[name].append(ms)
            parts = []
            for name in ("before", "after"):
                median, bare_median = statistics.median(times[name]), statistics.median(bare[name])
                parts.append(f"{name} {median:.2f} ms (bare {bare_median:.2f} ms, ×{median / bare_median:.1f})")
            same = "same body" if bodies["before"] == bodies["after"] else "BODIES DIFFER"
            print(f"{case['label']}: {'; '.join(parts)}; {same}", flush=True)
            time.sleep(0.5)
    finally:
        for proc, _ in servers.values():
            stop(proc)


if __name__ == "__main__":
    main()
