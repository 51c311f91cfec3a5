"""``load_demo_scenario``: a current story dated from the load day, marked sample, idempotent on a later day."""

import io
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from osce_tnt import demo_scenario
from programmes.activity.models import ActivityReport
from programmes.activity.reference_data import load_obligations
from programmes.events import selectors as event_selectors
from programmes.events.models import CoordinationAlert, Event
from programmes.reference_data import load_core
from taskforces.models import ActionItem, TaskForce

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 1)


def _snapshot():
    return (
        sorted(Event.objects.values_list("pk", "title", "start_date", "sequence")),
        sorted(ActivityReport.objects.values_list("pk", "status", "period_start")),
        sorted(CoordinationAlert.objects.values_list("pk", "status")),
        sorted(ActionItem.objects.values_list("pk", "due_date")),
    )


def test_last_closed_quarter_is_the_latest_whose_reports_are_overdue():
    assert demo_scenario.last_closed_quarter(date(2026, 12, 1)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert demo_scenario.last_closed_quarter(date(2026, 10, 15)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert demo_scenario.last_closed_quarter(date(2027, 1, 5)) == (date(2026, 7, 1), date(2026, 9, 30))


def test_scenario_tells_todays_story_and_a_later_load_changes_nothing(db, coordinator):
    load_core()
    load_obligations()
    assert not Event.objects.filter(title__endswith="(sample)").exists()

    created = demo_scenario.load_scenario(today=DAY)

    this_month = Event.objects.filter(start_date__year=2026, start_date__month=12, title__endswith="(sample)")
    assert this_month.exists()
    first, second = created["overlap"]
    assert first.start_date.month == 1 and first.start_date.year == 2027
    assert CoordinationAlert.objects.filter(
        status="open", event_a__in=[first, second], event_b__in=[first, second]
    ).exists()
    assert created["no_outcome"] in event_selectors.events_awaiting_outcome(user=coordinator, today=DAY)
    late = created["late"]
    assert all(r.period_start == date(2026, 7, 1) and r.submitted_at.date() > r.due_on for r in late)
    assert created["returned"].status == ActivityReport.Status.RETURNED
    if TaskForce.objects.filter(slug="transnational-threats").exists():
        assert created["overdue_action"].due_date < DAY
    assert created["published_report"].title.endswith("(sample)")
    assert all(e.description == demo_scenario.NOTE for e in Event.objects.filter(title__endswith="(sample)"))

    before = _snapshot()
    demo_scenario.load_scenario(today=DAY + timedelta(days=40))
    assert _snapshot() == before


@override_settings(PORTAL_DEMO=True)
def test_demo_sign_in_page_lists_the_demo_accounts(client):
    page = client.get(reverse("login")).content.decode()
    assert "Demo accounts" in page and "coordinator" in page and "delegation" in page


@override_settings(PORTAL_DEMO=False)
def test_sign_in_page_lists_no_account_outside_demo_mode(client):
    page = client.get(reverse("login")).content.decode()
    assert "Demo accounts" not in page


@override_settings(PORTAL_DEMO=True)
def test_home_page_explains_the_data_and_lists_four_things_for_the_coordinator(client_as, coordinator):
    page = client_as(coordinator).get(reverse("home")).content.decode()
    assert "What you are looking at" in page and "2010 report" in page
    assert page.count('class="card"') == 4


def test_full_demo_tells_todays_story_to_each_role(client, django_capture_on_commit_callbacks, caplog):
    """What ``make demo`` loads (reference data, demo accounts, scenario for today), read back as the pages show it."""
    import logging

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from focal_points import selectors as focal_selectors
    from osce_tnt.reporting import figures
    from programmes.activity.models import ReportingObligation

    today = timezone.localdate()
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("create_demo_accounts", "--password-file", str(tmp_password_file()), stdout=io.StringIO())
    created = demo_scenario.load_scenario(today=today)
    with caplog.at_level(logging.INFO):
        report = demo_scenario.finish_published_report(created["published_report"], today=today)
    # WeasyPrint's rendering steps stay out of the demo console.
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno < logging.WARNING]
    users = {u.username: u for u in get_user_model().objects.all()}

    # The calendar's current month and the public feed show this month's sample event.
    client.force_login(users["coordinator"])
    calendar = client.get(reverse("events:calendar")).content.decode()
    assert created["this_month"].title in calendar
    client.logout()
    feed = client.get(reverse("events:feed")).content.decode()
    assert created["this_month"].title in feed.replace("\r\n ", "")
    # An open overlap alert between next month's events.
    first, second = created["overlap"]
    assert first.start_date > today and second.start_date > today
    assert CoordinationAlert.objects.filter(
        status="open", kind="overlap", event_a=min(first, second, key=lambda e: e.pk)
    ).exists()
    # Last quarter: late reports, one returned, the other obligated structures missing.
    q_start, q_end = demo_scenario.last_closed_quarter(today)
    assert len(created["late"]) == 2
    assert all(r.submitted_at.date() > r.due_on for r in created["late"])
    assert created["returned"].status == ActivityReport.Status.RETURNED
    missing = figures.structures_not_reported(figures.Filters(start=q_start, end=q_end), today=today)["rows"]
    obligated = ReportingObligation.objects.filter(active=True).count()
    assert 0 < len(missing) < obligated
    # A vacant focal point, an overdue task-force action, a past event still without an outcome.
    assert any(states for _network, states in focal_selectors.network_vacancies(today=today))
    assert created["overdue_action"].due_date < today and created["overdue_action"].status == "open"
    assert created["no_outcome"] in event_selectors.events_awaiting_outcome(user=users["coordinator"], today=today)
    # The published quarterly report opens for the delegation account.
    assert report.published and report.status == report.Status.DONE
    client.force_login(users["delegation"])
    assert client.get(report.get_absolute_url()).status_code == 200


def tmp_password_file():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp()) / "demo-password"
