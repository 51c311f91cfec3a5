"""``load_demo_scenario``: a current story dated from the load day, marked sample, idempotent on a later day."""

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
