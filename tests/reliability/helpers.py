"""Requests the scenarios share: what a field office, a reviewer and the Secretariat do."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from tests.reliability.stack import Stack, csrf_from

_periods = itertools.count()


def unique_period() -> tuple[str, str]:
    """A reporting period no other request of this run uses (one report per structure and period)."""
    # Whole calendar quarters (the seeded field offices report quarterly), long before the reference data's years.
    n = next(_periods)
    start = date(1900 + n // 4, 3 * (n % 4) + 1, 1)
    end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def report_payload(stack: Stack, field_index: int = 0, *, submit: bool = False) -> dict:
    start, end = unique_period()
    ids = stack.accounts["ids"]
    return {
        "structure": stack.accounts["field"][field_index]["structure"],
        "period_start": start,
        "period_end": end,
        "summary": "Reliability scenario",
        "submit": submit,
        "items": [
            {
                "title": "Border post training",
                "activity_type": "training",
                "thematic_areas": [ids["area"]],
                "project": None,
                "event": None,
                "state": ids["state"],
                "city": "Dushanbe",
                "online": False,
                "start": start,
                "end": start,
                "participants_women": 3,
                "participants_men": 4,
                "partner_organisations": [],
                "results": "Officers trained.",
            }
        ],
    }


def event_payload(stack: Stack, title: str) -> dict:
    ids = stack.accounts["ids"]
    return {
        "title": title,
        "description": "",
        "format": "workshop",
        "lead_structure": ids["atu"],
        "co_organisers": [],
        "thematic_areas": [ids["area"]],
        "state": ids["state"],
        "city": "Dushanbe",
        "online": False,
        "all_day": True,
        "start": "2010-05-10",
        "end": "2010-05-12",
        "timezone": "Asia/Dushanbe",
        "status": "planned",
        "visibility": "public",
        "partner_organisations": [],
        "project": None,
        "expected_participants": 30,
    }


def submitted_report(stack: Stack, *, submit: bool = True) -> int:
    response = stack.api("field").post(
        stack.url("/api/activity-reports/"), json=report_payload(stack, submit=submit), timeout=30
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def request_report(stack: Stack, *, timeout: float = 30):
    return stack.api("coordinator").post(
        stack.url("/api/reports/"),
        json={"period_start": "2010-01-01", "period_end": "2010-06-30", "scope_kind": "all"},
        timeout=timeout,
    )


def post_form(session, stack: Stack, page_path: str, data: dict, *, action: str | None = None, timeout: float = 30):
    page = session.get(stack.url(page_path), timeout=timeout)
    assert page.status_code == 200, page.status_code
    return session.post(
        stack.url(action or page_path),
        data={"csrfmiddlewaretoken": csrf_from(page.text), **data},
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=timeout,
    )


def a_meeting_id(stack: Stack) -> int:
    return stack.scalar("SELECT id FROM taskforces_meeting ORDER BY id LIMIT 1")
