"""gunicorn settings for the portal, chosen by measurement (`make load`, see README "Capacity").

Requests spend much of their time waiting on PostgreSQL and Redis, so each worker process serves several requests
at once in threads (gthread); a few processes use both cores despite the GIL. Three sync workers queued a mixed load
of 30 users behind slow PDF and report requests (client p95 13 s). Every value can be overridden from the
environment (GUNICORN_*), so a bigger host needs configuration, not code.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# One process per core plus one, so a process busy in C code (WeasyPrint, psycopg2) does not leave a core idle.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 8)
# workers * threads database connections at most; PostgreSQL's default max_connections is 100.
# A request that takes longer than this is killed; the database, cache and broker timeouts keep every ordinary
# request far below it even when a backing service hangs.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the pause between two requests of one open page or API session (a person's next click, a script's next
# call): gunicorn closing an idle connection at the moment the client reuses it is a reset the client sees. `make
# load` at 5 s: 8 of 1,091 requests failed so, all on sessions idle for 5-9 s, none on the busier ones. gthread keeps
# idle connections in its poller, not in a thread, so holding them costs a file descriptor each.
keepalive = _int("GUNICORN_KEEPALIVE", 15)
# Recycle processes now and then so that a slow leak in a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# gunicorn's worker heartbeat files: in memory where the host offers it, so a slow disk never looks like a hung
# worker (gunicorn's own recommendation for containers).
_SHM = "/dev/shm"  # noqa: S108 - gunicorn writes only its own heartbeat files there
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Garbage collection (measured at N=1 over 50 page requests in one process): a full collection walks every object
# the process holds, ~200,000 once Django and the portal are loaded, and took up to 129 ms, which is what the slowest
# request of a page saw (p95 several times the median). Freezing what exists after start-up moves it out of the
# collector's sight: the longest pause fell to 20 ms. A larger first threshold (7,000 allocations, not 700) then
# means a tenth as many young collections for pages that build thousands of row objects, and no full collection in
# the run; cycles are still collected, only later. Total collector time fell from 6.8 to 1.7 ms per request.
GC_THRESHOLD = (_int("GUNICORN_GC_THRESHOLD", 7000), 10, 10)


def post_worker_init(worker):
    # What the worker's first requests would load (the URLconf, catalogues, templates: 230-640 ms on a first page,
    # osce_tnt/warmup.py), loaded now, before it takes a request and before the freeze below, so that it is frozen
    # too. A failure only leaves the worker as cold as it would be without this.
    try:
        from osce_tnt.warmup import warm_process

        loaded = warm_process()
    except Exception:  # never keep a worker from starting
        worker.log.exception("Warm-up failed; the worker loads on its first requests instead")
    else:
        worker.log.info("Warmed up: %s", loaded)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
