"""What goes into a meeting pack. The calendar and activity reporting are read through their own selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.activity.selectors import ComplianceState, compliance_summary, last_closed_period
from programmes.events.selectors import add_months, open_alerts, upcoming_events
from taskforces import selectors
from taskforces.models import ActionItem, Meeting

Progress = Callable[[int, str], None]

# How many of the task force's other open actions, and of the coming events, the PDF lists (issue 14: at N=1 the
# benchmark's meeting has 4,066 other overdue actions in its task force and 1,897 events in the three months: 325 s
# and 664 MB of WeasyPrint for a document no one reads to the end). The meeting's own actions are always listed in
# full; the rest is counted, the most urgent rows are listed, and the PDF links to the portal's lists, which hold
# every row and can be filtered.
PACK_ACTION_ROWS = 25
PACK_EVENT_ROWS = 50


def _noop(percent: int, message: str) -> None:
    return None


def _absolute(path: str, **query: object) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path + ("?" + urlencode(query, doseq=True) if query else "")


def _upcoming_events(*, user, today: date) -> dict:
    """The soonest PACK_EVENT_ROWS events of the next three months, the number of all of them and that number per
    month (each event counted in the month it starts in; one that began before ``today`` in today's month)."""
    events = upcoming_events(user=user, today=today, months=3)
    by_month = {
        row["month"]: row["n"]
        for row in events.order_by().annotate(month=TruncMonth("start_date")).values("month").annotate(n=Count("pk"))
    }
    first = today.replace(day=1)
    months: dict[date, int] = {}
    for month, n in by_month.items():
        key = max(month, first)
        months[key] = months.get(key, 0) + n
    listed = list(
        events.select_related("lead_structure", "state").order_by("start_date", "start_at", "pk")[:PACK_EVENT_ROWS]
    )
    return {"listed": listed, "total": sum(months.values()), "by_month": sorted(months.items())}


def _open_alerts() -> list:
    return list(open_alerts()[:200])


def _structure_label(structure: Any) -> str:
    return f"{structure.name} ({structure.acronym})" if hasattr(structure, "acronym") else str(structure)


def _compliance(*, today: date) -> dict:
    """The reporting-compliance summary of the last closed period: counts per state, the structures that did not
    report and those that reported late (activity reporting's ``compliance_summary``)."""
    start, end = last_closed_period(today=today)
    summary = compliance_summary(period_start=start, period_end=end, today=today)
    counts = [(str(ComplianceState.LABELS.get(state, state)), count) for state, count in summary["counts"].items()]
    return {
        "period_start": start,
        "period_end": end,
        "total": summary["total"],
        "counts": counts,
        "not_reported": [_structure_label(s) for s in summary["not_reported"]],
        "late": [_structure_label(s) for s in summary["late"]],
    }


def meeting_pack_context(*, meeting: Meeting, user=None, today: date | None = None, progress: Progress = _noop) -> dict:
    now = timezone.now()
    # The calendar and the compliance period are seen from the meeting's own date, so a pack printed again later
    # shows what the meeting discussed; actions are shown as they stand when the pack is built.
    today = today or meeting.local_start.date()
    progress(10, _("Agenda"))
    agenda = list(meeting.agenda_items.select_related("presenter").order_by("position"))
    progress(25, _("Actions"))
    meeting_actions = list(
        selectors.with_overdue_flag(
            meeting.actions_raised.select_related("owner_structure", "owner"), now=now
        ).order_by("due_date", "pk")
    )
    # The task force's other open actions: counted, and the most overdue / the next due listed (oldest due first).
    others = (
        selectors.open_action_items(task_force=meeting.task_force, now=now)
        .exclude(meeting=meeting)
        .select_related(None)
        .select_related("owner_structure", "owner")
    )
    counts = others.order_by().aggregate(
        overdue=Count("pk", filter=selectors.overdue_condition(now=now)), total=Count("pk")
    )
    overdue = list(others.filter(overdue=True)[:PACK_ACTION_ROWS])
    still_open = list(others.filter(overdue=False)[:PACK_ACTION_ROWS])
    progress(40, _("Co-ordination alerts"))
    alerts = _open_alerts()
    progress(55, _("Calendar"))
    events = _upcoming_events(user=user, today=today)
    progress(70, _("Reporting compliance"))
    compliance = _compliance(today=today)
    return {
        "meeting": meeting,
        "task_force": meeting.task_force,
        "today": today,
        "generated_at": timezone.localtime(now, meeting.zone),
        "agenda": agenda,
        "meeting_actions": meeting_actions,
        "overdue_actions": overdue,
        "overdue_count": counts["overdue"],
        "open_actions": still_open,
        "open_count": counts["total"] - counts["overdue"],
        "actions_url": _absolute(
            reverse("taskforces:action_list"), task_force=meeting.task_force_id, status=ActionItem.Status.OPEN
        ),
        "alerts": alerts,
        "events": events["listed"],
        "events_total": events["total"],
        "events_by_month": events["by_month"],
        "events_url": _absolute(
            reverse("events:agenda"),
            date_from=today.isoformat(),
            date_to=(add_months(today, 3) - timedelta(days=1)).isoformat(),
        ),
        "events_until": add_months(today, 3) - timedelta(days=1),
        "compliance": compliance,
    }
