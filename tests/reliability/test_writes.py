"""Writes under retries and concurrency: Idempotency-Key, two reviewers at once, two editors at once."""

import threading
import uuid

import pytest

from tests.reliability.helpers import event_payload, report_payload, submitted_report

pytestmark = pytest.mark.reliability


def _together(*calls):
    """Run the calls at the same moment in threads; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_the_same_write_twice_with_and_without_idempotency_key(make_stack):
    stack = make_stack().start(worker=False, beat=False)
    api = stack.api("secretariat")
    count = "SELECT count(*) FROM programmes_event WHERE title = %s"

    plain = [api.post(stack.url("/api/events/"), json=event_payload(stack, "Sent twice"), timeout=30) for _ in range(2)]
    key = str(uuid.uuid4())
    keyed = _together(
        *[
            lambda: api.post(
                stack.url("/api/events/"),
                json=event_payload(stack, "Sent twice, keyed"),
                headers={"Idempotency-Key": key},
                timeout=30,
            )
        ]
        * 2
    )
    retried = api.post(
        stack.url("/api/events/"),
        json=event_payload(stack, "Sent twice, keyed"),
        headers={"Idempotency-Key": key},
        timeout=30,
    )
    reused = api.post(
        stack.url("/api/events/"),
        json=event_payload(stack, "Another body"),
        headers={"Idempotency-Key": key},
        timeout=30,
    )

    assert [r.status_code for r in plain] == [201, 201]
    assert stack.scalar(count, ("Sent twice",)) == 2  # without a key the server cannot tell a retry
    # At the same moment: one writes, the other is told to retry (409) or gets the replay.
    assert sorted(r.status_code for r in keyed) in ([201, 201], [201, 409])
    assert retried.status_code == 201 and retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json()["id"] == next(r for r in keyed if r.status_code == 201).json()["id"]
    assert reused.status_code == 422
    assert stack.scalar(count, ("Sent twice, keyed",)) == 1
    assert stack.scalar(count, ("Another body",)) == 0


def test_two_reviewers_at_once(make_stack):
    stack = make_stack().start(beat=False)
    report = submitted_report(stack)
    first, second = stack.api("coordinator"), stack.api("secretariat", 1)
    url = stack.url(f"/api/activity-reports/{report}/")

    accept, back = _together(
        lambda: first.post(url + "accept/", json={"comment": "Fine."}, timeout=30),
        lambda: second.post(url + "return/", json={"comment": "Add the list."}, timeout=30),
    )

    codes = sorted([accept.status_code, back.status_code])
    assert codes == [200, 400], (accept.text, back.text)  # one review wins, the other is refused clearly
    final = stack.scalar("SELECT status FROM programmes_activityreport WHERE id = %s", (report,))
    assert final == ("accepted" if accept.status_code == 200 else "returned")
    transitions = stack.query(
        "SELECT to_status FROM programmes_reporttransition WHERE report_id = %s ORDER BY id", (report,)
    )
    assert [t[0] for t in transitions] == ["draft", "submitted", final]


def test_two_editors_at_once(make_stack):
    """Both read the report (and its ETag), both save at the same moment with If-Match: one save wins, the other is
    a 412 that overwrites nothing; re-read, the loser's save then goes through with the new ETag."""
    stack = make_stack().start(worker=False, beat=False)
    field = stack.api("field")
    created = field.post(stack.url("/api/activity-reports/"), json=report_payload(stack), timeout=30).json()
    url = stack.url(f"/api/activity-reports/{created['id']}/")
    other = stack.api("field")
    read_a, read_b = field.get(url, timeout=30), other.get(url, timeout=30)
    assert read_a.headers["ETag"] == read_b.headers["ETag"] == f'"v{read_a.json()["version"]}"'
    edit_a = {**read_a.json(), "summary": "Edited by A"}
    edit_b = {**read_b.json(), "summary": "Edited by B", "items": read_b.json()["items"] * 2}
    for edit in (edit_a, edit_b):
        edit["items"] = [
            {k: v for k, v in item.items() if k not in ("id", "participants_total")} for item in edit["items"]
        ]

    a, b = _together(
        lambda: field.put(url, json=edit_a, headers={"If-Match": read_a.headers["ETag"]}, timeout=30),
        lambda: other.put(url, json=edit_b, headers={"If-Match": read_b.headers["ETag"]}, timeout=30),
    )

    assert sorted([a.status_code, b.status_code]) == [200, 412], (a.text, b.text)
    winner, loser, loser_edit, loser_client = (a, b, edit_b, other) if a.status_code == 200 else (b, a, edit_a, field)
    assert loser.json()["current_version"] == winner.json()["version"]
    assert loser.headers["ETag"] == winner.headers["ETag"]

    def stored():
        return stack.query(
            "SELECT r.summary, r.version, "
            "(SELECT count(*) FROM programmes_reportedactivity i WHERE i.report_id = r.id) "
            "FROM programmes_activityreport r WHERE r.id = %s",
            (created["id"],),
        )[0]

    # The winner's save whole, never a mix of the two; the loser's typed summary is not in the database.
    assert stored() == (winner.json()["summary"], winner.json()["version"], len(winner.json()["items"]))

    fresh = loser_client.get(url, timeout=30)
    retried = loser_client.put(url, json=loser_edit, headers={"If-Match": fresh.headers["ETag"]}, timeout=30)

    assert retried.status_code == 200, retried.text
    assert retried.headers["ETag"] != fresh.headers["ETag"]
    assert stored() == (loser_edit["summary"], retried.json()["version"], len(loser_edit["items"]))
