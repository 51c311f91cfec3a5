"""A worker killed in the middle of a report: exactly one finished report within two minutes."""

import os
import signal
import time

import pytest

from tests.reliability.helpers import request_report
from tests.reliability.stack import wait_for

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("what", ["pool process", "whole worker"])
def test_worker_sigkilled_mid_report(make_stack, what):
    stack = make_stack().start()
    started = time.monotonic()
    report_id = request_report(stack).json()["id"]

    def status():
        return stack.scalar("SELECT status FROM reporting_generatedreport WHERE id = %s", (report_id,))

    wait_for(lambda: status() == "running", timeout=30, interval=0.02, what="the report to start")
    if what == "pool process":
        # The pool process running the task dies (out of memory, SIGKILL); the worker's main process survives.
        for pid in stack.worker_children():
            os.kill(pid, signal.SIGKILL)
    else:
        # The whole worker goes, as when its host or container is killed; a new one starts.
        stack.stop_process("worker", signal.SIGKILL)
        stack.start_worker()
    assert status() == "running"

    wait_for(lambda: status() == "done", timeout=120 - (time.monotonic() - started), what="the report to finish")
    rows = stack.query("SELECT status, attempts, pdf_file <> '', xlsx_file <> '' FROM reporting_generatedreport")
    assert rows == [("done", 2, True, True)]  # one report, finished by the run that took over
    assert time.monotonic() - started < 120
