"""Issue 14: the dashboard computes several figures from one grouped scan (``figures.shared_scans``), counts
activities and linkage per (object, top area) without COUNT(DISTINCT …), and caches its rendered figure sections.
These tests check that none of that changes a figure or a byte of the page."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from osce_tnt.reporting import figures, selectors, views
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
from programmes.activity.models import ActivityReport
from programmes.permissions import Role
from results.models import FinancialTransaction
from tests.factories import EventFactory, ThematicAreaFactory, make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.reporting.factories import Q1, TODAY, add_vacancy_and_overdue_action, build_dataset
from tests.results.factories import TransactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


@pytest.mark.parametrize("audience", [PUBLIC, STAFF])
@pytest.mark.parametrize("filters", [Q1, Filters(), Filters(start=date(2010, 2, 1), end=date(2011, 6, 30))])
def test_figures_from_the_shared_scans_equal_the_figures_computed_one_by_one(data, filters, audience):
    add_vacancy_and_overdue_action()
    dashboard = selectors._compute_dashboard(filters, audience, TODAY)
    areas = figures.top_areas(filters)
    # Outside shared_scans every figure runs its own queries.
    assert dashboard["key_figures"] == figures.key_figures(filters, audience, today=TODAY)
    charts = dashboard["charts"]
    assert charts["by_region"] == figures.by_region(filters, audience, today=TODAY)
    assert charts["by_state"] == figures.by_state(filters, audience, today=TODAY)
    assert charts["participants"] == figures.participant_figures(filters, areas)
    assert charts["activities_over_time"] == figures.activities_over_time(filters, areas)
    assert charts["linkage"] == figures.linkage(filters, audience, areas)
    assert dashboard["gap_tables"] == figures.gap_tables(figures.gaps(filters, audience, today=TODAY))


def _accepted_report(**kwargs):
    submitted = datetime(2010, 4, 5, 9, 0, tzinfo=UTC)
    return ActivityReportFactory(
        status=ActivityReport.Status.ACCEPTED, submitted_at=submitted, first_submitted_at=submitted, **kwargs
    )


def test_an_activity_on_two_sub_areas_of_one_top_area_counts_once_there():
    top, other = ThematicAreaFactory(short_name="T"), ThematicAreaFactory(short_name="U")
    sub1, sub2 = ThematicAreaFactory(parent=top), ThematicAreaFactory(parent=top)
    report = _accepted_report(period_start=date(2010, 1, 1), period_end=date(2010, 3, 31))
    ReportedActivityFactory(
        report=report,
        thematic_areas=[sub1, sub2, other],
        participants_women=3,
        participants_men=2,
        participants_unrecorded=1,
    )
    ReportedActivityFactory(
        report=report, thematic_areas=[sub1], participants_women=1, participants_men=0, participants_unrecorded=0
    )
    filters = Filters(start=date(2010, 1, 1), end=date(2010, 12, 31))
    areas = figures.top_areas(filters)
    with figures.shared_scans():
        participants = figures.participant_figures(filters, areas)
        over_time = figures.activities_over_time(filters, areas)
    rows = {row[0]: row[1:] for row in participants["rows"]}
    assert rows["T"] == [4, 2, 1] and rows["U"] == [3, 2, 1]
    assert participants["total"][1:] == [4, 2, 1]
    by_column = dict(zip(over_time["columns"], over_time["rows"][0], strict=True))
    assert (by_column["T"], by_column["U"]) == (2, 1)


def test_an_event_on_three_top_areas_links_each_pair_once():
    a, b, c = (ThematicAreaFactory(short_name=name) for name in "ABC")
    a_sub = ThematicAreaFactory(parent=a)
    EventFactory(thematic_areas=[a, a_sub, b, c], start_date=date(2010, 5, 3))
    EventFactory(thematic_areas=[a_sub], start_date=date(2010, 5, 4))
    filters = Filters(start=date(2010, 1, 1), end=date(2010, 12, 31))
    table = figures.linkage(filters, STAFF, figures.top_areas())
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert rows == {"A": [2, 1, 1], "B": [1, 1, 1], "C": [1, 1, 1]}


def _without_tokens(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body.decode())


def test_dashboard_page_renders_its_figure_sections_once_per_set_of_figures(client, data, monkeypatch):
    cache.clear()
    rendered = []
    original = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: rendered.append(a[0]) or original(*a, **k))
    client.force_login(make_user(Role.SECRETARIAT))
    url = reverse("reporting:dashboard")
    sections = [
        "reporting/includes/results_section.html",
        "reporting/dashboard/figures.html",
        "reporting/dashboard/more_figures.html",
        # The page's whole content, made of the three above, is cached as well (views._content_html).
        "reporting/dashboard/content.html",
    ]
    first = client.get(url, {"start": "2010-01-01", "end": "2010-03-31"})
    assert rendered == sections
    second = client.get(url, {"start": "2010-01-01", "end": "2010-03-31"})
    assert rendered == sections
    assert _without_tokens(second.content) == _without_tokens(first.content)
    assert "Threat-linkage matrix" in second.content.decode()
    # New figures (a write bumps the generation) get their own fragment at once.
    EventFactory(thematic_areas=[data.terrorism], start_date=date(2010, 2, 1), status="held")
    third = client.get(url, {"start": "2010-01-01", "end": "2010-03-31"})
    assert rendered == sections + sections
    assert _without_tokens(third.content) != _without_tokens(first.content)


def test_cached_results_section_shows_a_new_disbursement_at_once(client, data):
    cache.clear()
    client.force_login(make_user(Role.SECRETARIAT))
    url, query = reverse("reporting:dashboard"), {"start": "2010-01-01", "end": "2010-03-31"}

    def disbursed(response) -> str:
        body = response.content.decode()
        return re.search(r"<dt>Disbursed \(EUR\)</dt><dd>([^<]*)</dd>", body).group(1)

    before = disbursed(client.get(url, query))
    assert disbursed(client.get(url, query)) == before
    TransactionFactory(project=data.p1, kind=FinancialTransaction.Kind.DISBURSEMENT, amount=Decimal("1234"))
    assert disbursed(client.get(url, query)) != before


def test_shared_scans_leave_the_connections_jit_setting_as_it_was():
    from django.db import connection

    def jit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    before = jit()
    with figures.shared_scans():
        assert jit() == "off"
    assert jit() == before
