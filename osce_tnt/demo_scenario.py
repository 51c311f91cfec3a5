"""The demo's current scenario: a few sample rows dated relative to the day they are first loaded, so a newcomer
opening the calendar, the feed, the alerts, compliance or the reports today sees something happen.

Everything is marked as sample ("(sample)" in titles, a note in descriptions). Idempotent: each row is looked up by
its title (not its date), so loading again on a later day moves nothing already there and changes nothing twice.
It lives at the top of the project because it writes through the services of every app."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from osce_tnt.reporting import services as reporting_services
from osce_tnt.reporting.models import GeneratedReport
from programmes.activity import services as activity_services
from programmes.activity.models import ActivityReport
from programmes.events import services as event_services
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, ParticipatingState, ThematicArea
from taskforces import services as taskforce_services
from taskforces.models import ActionItem, TaskForce

SAMPLE = " (sample)"
NOTE = "Sample data of the demo's current scenario, dated relative to the day the demo was loaded."


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _previous_quarter(start: date) -> tuple[date, date]:
    prev_end = start - timedelta(days=1)
    return _quarter_start(prev_end), prev_end


def last_closed_quarter(today: date) -> tuple[date, date]:
    """The latest quarter whose reports were due before today (deadline: 30 days after the quarter)."""
    start, end = _previous_quarter(_quarter_start(today))
    if end + timedelta(days=30) >= today:
        start, end = _previous_quarter(start)
    return start, end


def _month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _event(title: str, **fields) -> Event:
    existing = Event.objects.filter(title=title + SAMPLE).first()
    if existing is not None:
        return existing
    return event_services.event_create(
        actor=None, title=title + SAMPLE, description=NOTE, all_day=True, visibility=Event.Visibility.PUBLIC, **fields
    )


def _report(structure: ExecutiveStructure, start: date, end: date, *, returned: bool = False) -> ActivityReport:
    existing = ActivityReport.objects.filter(structure=structure, period_start=start).first()
    if existing is not None:
        return existing
    report = activity_services.report_create(
        structure=structure, period_start=start, period_end=end, summary=NOTE, submit=True
    )
    if returned:
        report = activity_services.report_return(
            report=report, comment="Please give the number of women and men for each course (sample)."
        )
    return report


@transaction.atomic
def load_scenario(*, today: date) -> dict:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    tajikistan = ParticipatingState.objects.get(iso_code="TJ")
    areas = {a.code: a for a in ThematicArea.objects.all()}
    created: dict[str, Any] = {}

    # This month and next: an event now (the current month and the feed are never empty) and two that overlap.
    created["this_month"] = _event(
        "Expert meeting on border management in Tajikistan",
        format=Event.Format.EXPERT_MEETING,
        lead_structure=structures["CPC/BT"],
        state=tajikistan,
        city="Dushanbe",
        start=today,
        end=today,
        thematic_areas=[areas["border-management"]],
        status=Event.Status.CONFIRMED,
    )
    next_month = _month_after(today) + timedelta(days=9)
    first = _event(
        "Workshop on identifying victims of trafficking in Tajikistan",
        format=Event.Format.WORKSHOP,
        lead_structure=structures["OiT"],
        state=tajikistan,
        city="Dushanbe",
        start=next_month,
        end=next_month + timedelta(days=1),
        thematic_areas=[areas["thb"]],
        status=Event.Status.PLANNED,
    )
    second = _event(
        "Regional seminar on identification of trafficked persons",
        format=Event.Format.SEMINAR,
        lead_structure=structures["OSR/CTHB"],
        state=tajikistan,
        city="Dushanbe",
        start=next_month + timedelta(days=1),
        end=next_month + timedelta(days=1),
        thematic_areas=[areas["thb"]],
        status=Event.Status.PLANNED,
    )
    for event in (first, second):
        event_services.duplicates_check_event(event_id=event.pk)
    created["overlap"] = (first, second)

    # A past event whose outcome nobody has recorded yet.
    last_week = today - timedelta(days=7)
    created["no_outcome"] = _event(
        "Training on detecting drug precursors at border crossings",
        format=Event.Format.TRAINING,
        lead_structure=structures["OiT"],
        state=tajikistan,
        city="Khorog",
        start=last_week,
        end=last_week + timedelta(days=1),
        thematic_areas=[areas["drugs"]],
        status=Event.Status.CONFIRMED,
    )

    # Last closed quarter: late reports (submitted now, after the deadline), one returned to its field office,
    # and the other obligated structures missing.
    q_start, q_end = last_closed_quarter(today)
    created["late"] = [_report(structures[a], q_start, q_end) for a in ("CiBishkek", "CiAstana")]
    created["returned"] = _report(structures["OiT"], q_start, q_end, returned=True)

    # An overdue task-force action.
    tnt = TaskForce.objects.filter(slug="transnational-threats").first()
    if tnt is not None:
        what = "Send the Secretariat the list of next quarter's border training dates" + SAMPLE
        action = ActionItem.objects.filter(task_force=tnt, what=what).first()
        if action is None:
            action = taskforce_services.action_item_create(
                task_force=tnt,
                what=what,
                owner_structure=structures["OiT"],
                due_date=today - timedelta(days=14),
                actor=None,
            )
        created["overdue_action"] = action

    # One published quarterly report a delegation can open.
    title = f"Quarterly TNT report, {q_start:%B}–{q_end:%B %Y}{SAMPLE}"
    report = GeneratedReport.objects.filter(title=title).first()
    if report is None:
        report = reporting_services.report_request(actor=None, period_start=q_start, period_end=q_end, title=title)
    created["published_report"] = report
    return created


def finish_published_report(report: GeneratedReport, *, today: date) -> GeneratedReport:
    """Generate (outside the scenario's transaction, as the worker would) and publish the sample report."""
    if report.status != GeneratedReport.Status.DONE:
        reporting_services.report_generate(report_id=report.pk, today=today)
        report.refresh_from_db()
    if report.status == GeneratedReport.Status.DONE and not report.published:
        report = reporting_services.report_publish(report=report, actor=None)
    return report
