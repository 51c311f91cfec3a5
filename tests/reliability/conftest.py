"""Reliability scenarios: each starts its own services (see stack.py). Run with `make reliability`; the normal
suite skips them (marker ``reliability``)."""

import os
import shutil

import pytest

from tests.reliability.stack import PG_BIN, Session, Stack


@pytest.fixture(scope="session")
def reliability_session():
    if not (PG_BIN / "initdb").exists() or not shutil.which("redis-server"):
        pytest.skip("needs PostgreSQL 15 server binaries and redis-server (make reliability installs them)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("needs runuser to start PostgreSQL as the postgres user")
    session = Session()
    yield session
    session.close()


@pytest.fixture
def make_stack(reliability_session, request):
    stacks = []

    def _make(**settings):
        stack = Stack(
            reliability_session, request.node.name.replace("[", "_").replace("]", "")[:30].lower(), **settings
        )
        stacks.append(stack)
        return stack

    yield _make
    for stack in stacks:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            for name in ("web", "worker", "beat"):
                print(f"--- {name} log ---\n{stack.log(name)}")
        stack.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
