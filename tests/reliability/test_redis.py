"""Redis stopped or hung: saved changes never become errors, requests stay fast, and every job requested meanwhile
runs exactly once when Redis is back."""

import time

import pytest

from tests.reliability.helpers import a_meeting_id, event_payload, post_form, request_report, submitted_report
from tests.reliability.stack import wait_for

pytestmark = pytest.mark.reliability


def _outbox(stack, task: str) -> list[tuple]:
    return stack.query(
        "SELECT sent_at IS NOT NULL, done_at IS NOT NULL FROM programmes_outboxjob WHERE task = %s", (task,)
    )


def test_redis_stopped(make_stack):
    stack = make_stack().start()
    report_to_return = submitted_report(stack)
    reviewer = stack.api("coordinator")
    staff = stack.browser("coordinator")
    meeting = a_meeting_id(stack)

    stack.stop_redis()
    health = stack.health()
    generated = request_report(stack)
    returned = reviewer.post(
        stack.url(f"/api/activity-reports/{report_to_return}/return/"),
        json={"comment": "Add the participants' list."},
        timeout=30,
    )
    pack = post_form(
        staff, stack, f"/task-forces/meetings/{meeting}/", {}, action=f"/task-forces/meetings/{meeting}/pack/"
    )
    bundle = post_form(staff, stack, "/calendar/bundles/", {"first_month": "2010-04-01"})
    event = stack.api("secretariat").post(
        stack.url("/api/events/"), json=event_payload(stack, "During the outage"), timeout=30
    )

    # Every change was saved and answered as such; nothing was handed to the broker.
    assert health.status_code == 503 and health.json()["broker"].startswith("error")
    assert generated.status_code == 202, generated.text
    assert returned.status_code == 200, returned.text
    assert pack.status_code == 302 and bundle.status_code == 302
    assert event.status_code == 201
    report_id = generated.json()["id"]
    assert stack.scalar("SELECT status FROM reporting_generatedreport WHERE id = %s", (report_id,)) == "queued"
    assert stack.scalar("SELECT status FROM programmes_activityreport WHERE id = %s", (report_to_return,)) == "returned"
    assert stack.scalar("SELECT count(*) FROM programmes_outboxjob WHERE sent_at IS NULL") >= 5

    stack.start_redis()

    documents = (
        "SELECT (SELECT status FROM reporting_generatedreport WHERE id = %s), "
        "(SELECT string_agg(status, ',') FROM taskforces_meetingpack), "
        "(SELECT string_agg(status, ',') FROM programmes_calendarbundle)"
    )
    wait_for(
        lambda: (
            stack.query(documents, (report_id,))[0] == ("done", "done", "done")
            and stack.scalar("SELECT count(*) FROM programmes_outboxjob WHERE done_at IS NULL") == 0
        ),
        timeout=60,
        what="every document and every outbox job to finish",
    )
    assert stack.scalar("SELECT status FROM reporting_generatedreport WHERE id = %s", (report_id,)) == "done"
    assert stack.scalar("SELECT status FROM taskforces_meetingpack ORDER BY id DESC LIMIT 1") == "done"
    assert stack.scalar("SELECT status FROM programmes_calendarbundle ORDER BY id DESC LIMIT 1") == "done"
    # Exactly once: one outbox job per request, each done once, each report built in one run.
    assert _outbox(stack, "programmes.activity.tasks.notify_report_returned") == [(True, True)]
    assert _outbox(stack, "osce_tnt.reporting.tasks.generate_report") == [(True, True)]
    assert stack.scalar("SELECT attempts FROM reporting_generatedreport WHERE id = %s", (report_id,)) == 1
    assert stack.health().status_code == 200


def test_redis_hung(make_stack):
    stack = make_stack().start()
    staff = stack.api("secretariat")
    delegation = stack.browser("delegation")
    assert delegation.get(stack.url("/reports/dashboard/"), timeout=30).status_code == 200  # warm the cache

    stack.pause_redis()
    try:
        timings = {}
        started = time.monotonic()
        created = staff.post(stack.url("/api/events/"), json=event_payload(stack, "While Redis hangs"), timeout=30)
        timings["event create"] = time.monotonic() - started
        started = time.monotonic()
        dashboard = delegation.get(stack.url("/reports/dashboard/"), timeout=30)
        timings["dashboard"] = time.monotonic() - started
        started = time.monotonic()
        generated = request_report(stack)
        timings["report request"] = time.monotonic() - started
        started = time.monotonic()
        health = stack.health()
        timings["healthz"] = time.monotonic() - started
    finally:
        stack.resume_redis()

    assert created.status_code == 201 and dashboard.status_code == 200 and generated.status_code == 202
    assert health.status_code == 503
    # About one socket timeout (1 s) per request at most, not one per cache call.
    assert max(timings.values()) < 4, timings
    wait_for(
        lambda: (
            stack.scalar("SELECT status FROM reporting_generatedreport WHERE id = %s", (generated.json()["id"],))
            == "done"
        ),
        timeout=60,
        what="the report",
    )
    assert stack.scalar("SELECT count(*) FROM programmes_event WHERE title = 'While Redis hangs'") == 1
