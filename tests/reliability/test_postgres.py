"""PostgreSQL restarted under traffic: 503 (JSON for the API) while it is away, never a 500, and the portal recovers
without a restart; no write acknowledged with 2xx is missing afterwards."""

import threading
import time

import pytest
import requests

from tests.reliability.helpers import event_payload
from tests.reliability.stack import wait_for

pytestmark = pytest.mark.reliability


def test_postgres_restarted_under_traffic(make_stack):
    stack = make_stack().start(beat=False)
    stop = threading.Event()
    results: list[tuple[str, int, str, str]] = []
    lock = threading.Lock()

    def user(index: int) -> None:
        api = stack.api("secretariat", index)
        page = stack.browser("secretariat", index)
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Traffic {index}-{n}"
            try:
                write = api.post(stack.url("/api/events/"), json=event_payload(stack, title), timeout=20)
                read = page.get(stack.url("/calendar/?month=2010-05"), timeout=20)
            except requests.RequestException as exc:
                with lock:
                    results.append(("error", 0, type(exc).__name__, title))
                continue
            with lock:
                results.append(("write", write.status_code, write.headers.get("Content-Type", ""), title))
                results.append(("read", read.status_code, read.headers.get("Content-Type", ""), ""))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(results) >= 30, timeout=60, what="traffic")
    stack.cluster.stop("fast")
    wait_for(lambda: any(code == 503 for _, code, _, _ in results), timeout=30, what="503 answers")
    time.sleep(2)  # keep the database away for a while under load: the outage itself is what is measured
    stack.cluster.start()
    restarted = len(results)
    wait_for(
        lambda: sum(1 for kind, code, _, _ in results[restarted:] if kind == "write" and code == 201) >= 12,
        timeout=60,
        what="writes to succeed again",
    )
    stop.set()
    for thread in threads:
        thread.join(30)

    codes = [code for _, code, _, _ in results]
    api_503 = [ctype for kind, code, ctype, _ in results if kind == "write" and code == 503]
    page_503 = [ctype for kind, code, ctype, _ in results if kind == "read" and code == 503]
    assert 500 not in codes and not [c for c in codes if c > 503]
    assert all(ctype == "application/json" for ctype in api_503)
    assert all(ctype.startswith("text/html") for ctype in page_503)
    assert api_503 or page_503
    acknowledged = {title for kind, code, _, title in results if kind == "write" and code == 201}
    stored = {row[0] for row in stack.query("SELECT title FROM programmes_event WHERE title LIKE 'Traffic %%'")}
    assert acknowledged <= stored  # nothing answered 201 was lost
    assert stack.health().status_code == 200
