"""What goes into a meeting pack. The calendar and activity reporting are read through their own selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.activity.selectors import ComplianceState, compliance_summary, last_closed_period
from programmes.events.selectors import add_months, open_alerts, upcoming_events
from taskforces import selectors
from taskforces.models import Meeting

Progress = Callable[[int, str], None]


def _noop(percent: int, message: str) -> None:
    return None


def _upcoming_events(*, user, today: date) -> list:
    return list(upcoming_events(user=user, today=today, months=3).select_related("lead_structure", "state"))


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
    open_actions = list(selectors.open_action_items(task_force=meeting.task_force, now=now))
    overdue = [a for a in open_actions if a.overdue]
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
        "open_actions": [a for a in open_actions if not a.overdue],
        "overdue_actions": overdue,
        "alerts": alerts,
        "events": events,
        "events_until": add_months(today, 3) - timedelta(days=1),
        "compliance": compliance,
    }
