import csv
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from osce_tnt.reporting import services
from osce_tnt.reporting.models import GeneratedReport
from programmes.permissions import Role
from tests.factories import make_user
from tests.reporting.factories import (
    Q1_END,
    Q1_START,
    GeneratedReportFactory,
    add_overdue_actions_delegations_may_not_see,
    build_dataset,
)

pytestmark = pytest.mark.django_db

Q1_QUERY = {"start": "2010-01-01", "end": "2010-03-31"}


@pytest.fixture
def data():
    return build_dataset()


@pytest.fixture
def delegate(data):
    return make_user(Role.DELEGATION, state=data.s1)


def _done(**kwargs):
    return GeneratedReportFactory(status=GeneratedReport.Status.DONE, progress=100, figures={}, **kwargs)


def test_dashboard_for_a_delegation_shows_published_aggregates_only(client_as, delegate, data):
    response = client_as(delegate).get(reverse("reporting:dashboard"), Q1_QUERY)
    assert response.status_code == 200
    figures = {item["key"]: item["value"] for item in response.context["data"]["key_figures"]}
    # Public audience: no proposal P4, no internal event E3, no draft activity A3.
    assert figures["projects"] == 3 and figures["events_held"] == 1 and figures["activities"] == 2
    assert figures["participants"] == 40
    # Without the CSRF tokens: a random token may contain "E3".
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    assert "<svg" in body and 'role="img"' in body and '<title id="chart-linkage-title">' in body
    assert "Threat-linkage matrix" in body
    assert "A3 draft" not in body and "E3" not in body
    # Filters stay in the URL of every CSV link.
    assert "start=2010-01-01" in response.context["csv_links"]["linkage"]


def test_dashboard_of_a_delegation_never_names_a_task_force_hidden_from_it(client_as, delegate, secretariat_user, data):
    hidden, shown = add_overdue_actions_delegations_may_not_see()
    response = client_as(delegate).get(reverse("reporting:dashboard"), Q1_QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert hidden.name not in body and shown.name not in body
    csv_response = client_as(delegate).get(reverse("reporting:dashboard_csv", args=["gap_actions"]), Q1_QUERY)
    assert csv_response.status_code == 200 and hidden.name not in csv_response.content.decode()
    staff = client_as(secretariat_user).get(reverse("reporting:dashboard"), Q1_QUERY).content.decode()
    assert hidden.name in staff and shown.name in staff


def test_dashboard_for_staff_includes_internal_data(client_as, secretariat_user, data):
    response = client_as(secretariat_user).get(reverse("reporting:dashboard"), Q1_QUERY)
    figures = {item["key"]: item["value"] for item in response.context["data"]["key_figures"]}
    assert response.status_code == 200
    assert figures["projects"] == 4 and figures["events_held"] == 2 and figures["activities"] == 2


def test_dashboard_without_filters_and_with_bad_filters(client_as, delegate, data):
    from django.utils import timezone

    response = client_as(delegate).get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    # No filter: the one default period, the current year, named in the heading; its quarters have no data (gaps).
    year = timezone.localdate().year
    assert (response.context["filters"].start.isoformat(), response.context["filters"].end.isoformat()) == (
        f"{year}-01-01",
        f"{year}-12-31",
    )
    assert f"1 Jan {year} – 31 Dec {year}" in response.content.decode()
    rows = response.context["data"]["charts"]["activities_over_time"]["rows"]
    assert [row[0] for row in rows] == [f"{year} Q{q}" for q in range(1, 5)]
    assert all(value is None for row in rows for value in row[1:])
    all_time = client_as(delegate).get(reverse("reporting:dashboard"), {"start": "2009-01-01", "end": "2011-12-31"})
    assert [row[0] for row in all_time.context["data"]["charts"]["activities_over_time"]["rows"]] == [
        "2009 Q1",
        "2009 Q2",
        "2009 Q3",
        "2009 Q4",
        "2010 Q1",
        "2010 Q2",
        "2010 Q3",
        "2010 Q4",
        "2011 Q1",
        "2011 Q2",
        "2011 Q3",
        "2011 Q4",
    ]
    bad = client_as(delegate).get(reverse("reporting:dashboard"), {"start": "2010-05-01", "end": "2010-01-01"})
    assert bad.status_code == 200
    assert "The end of the period cannot be before its start." in bad.content.decode()


def test_dashboard_with_a_period_beyond_the_calendar_shows_an_error_not_a_500(client_as, delegate, data):
    response = client_as(delegate).get(reverse("reporting:dashboard"), {"start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "start" in errors and "end" in errors
    assert "The period must lie between" in response.content.decode()
    # The page falls back to the default period (the current year) rather than failing.
    from django.utils import timezone

    assert response.context["filters"].end == timezone.localdate().replace(month=12, day=31)
    assert response.context["data"] is not None
    csv_response = client_as(delegate).get(
        reverse("reporting:dashboard_csv", args=["compliance"]), {"end": "9999-12-31"}
    )
    assert csv_response.status_code == 200


def test_area_and_region_filters_apply(client_as, delegate, data):
    response = client_as(delegate).get(
        reverse("reporting:dashboard"), {**Q1_QUERY, "area": data.cyber.pk, "region": ""}
    )
    figures = {item["key"]: item["value"] for item in response.context["data"]["key_figures"]}
    # E5 (cyber, 30 March 2010) has passed without an outcome: awaiting, not planned.
    assert figures["projects"] == 1 and figures["events_planned"] == 0 and figures["events_awaiting_outcome"] == 1
    assert response.context["filters"].area_top_id == data.cyber.pk


def test_chart_csv_download_has_the_table_numbers(client_as, delegate, data):
    response = client_as(delegate).get(reverse("reporting:dashboard_csv", args=["linkage"]), Q1_QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Thematic area", "CT", "OC", "CY"],
        ["CT", "3", "2", "1"],
        ["OC", "2", "4", "0"],
        ["CY", "1", "0", "2"],
    ]
    missing = client_as(delegate).get(reverse("reporting:dashboard_csv", args=["nothing"]))
    assert missing.status_code == 404


def test_every_chart_has_an_accessible_table_and_a_csv_with_the_same_numbers(client_as, delegate, data):
    client = client_as(delegate)
    response = client.get(reverse("reporting:dashboard"), Q1_QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    data_ = response.context["data"]
    tables = {**data_["charts"], **{t["name"]: t for t in data_["gap_tables"]}}
    assert set(response.context["csv_links"]) == set(tables)
    for name, table in tables.items():
        assert f"<caption>{table['title']}" in body, name
        rows = list(csv.reader(io.StringIO(client.get(response.context["csv_links"][name]).content.decode())))
        expected = [[str(c) for c in table["columns"]]] + [
            ["" if cell is None else str(cell) for cell in row]
            for row in table["rows"] + ([table["total"]] if table.get("total") else [])
        ]
        assert rows == expected, name


def test_my_state_view_of_a_delegation_uses_its_own_state(client_as, delegate, data):
    response = client_as(delegate).get(reverse("reporting:my_state"), {**Q1_QUERY, "state": data.s2.pk})
    assert response.status_code == 200
    assert response.context["state"] == data.s1
    figures = {item["key"]: item["value"] for item in response.context["data"]["key_figures"]}
    # Kazakhstan: P1 (beneficiary), E1 (public, held there), A1 and A2.
    assert figures["projects"] == 1 and figures["events_held"] == 1 and figures["activities"] == 2
    assert "Kazakhstan" in response.content.decode()
    csv_response = client_as(delegate).get(response.context["csv_links"]["donor_pledges"])
    assert csv_response.status_code == 200 and "Pledged (EUR)" in csv_response.content.decode()


def test_my_state_for_staff_asks_for_a_state(client_as, secretariat_user, data):
    response = client_as(secretariat_user).get(reverse("reporting:my_state"))
    assert response.status_code == 200 and response.context["data"] is None
    chosen = client_as(secretariat_user).get(reverse("reporting:my_state"), {**Q1_QUERY, "state": data.donor.pk})
    assert chosen.context["state"] == data.donor
    pledges = chosen.context["data"]["charts"]["donor_pledges"]
    assert pledges["total"][1] == 365000.0


def test_dashboard_needs_a_login(client):
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_delegation_sees_only_published_reports(client_as, delegate):
    published = _done(title="Published one", published=True)
    draft = _done(title="Unpublished one")
    failed = GeneratedReportFactory(title="Failed one", status=GeneratedReport.Status.FAILED, error="boom")
    client = client_as(delegate)
    listing = client.get(reverse("reporting:report_list"))
    body = listing.content.decode()
    assert listing.status_code == 200
    assert "Published one" in body and "Unpublished one" not in body and "Failed one" not in body
    assert client.get(reverse("reporting:report_detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("reporting:report_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reporting:report_detail", args=[failed.pk])).status_code == 404
    assert client.get(reverse("reporting:report_download", args=[draft.pk, "pdf"])).status_code == 404
    assert GeneratedReport.objects.filter(published=True).count() == 1


def test_staff_request_a_report_from_the_form(client_as, coordinator, data, django_capture_on_commit_callbacks):
    client = client_as(coordinator)
    assert client.get(reverse("reporting:report_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_create"),
            {
                "scope_kind": "region",
                "region": "central_asia",
                "period_start": "2010-01-01",
                "period_end": "2010-03-31",
                "title": "",
            },
        )
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.region == "central_asia"
    detail = client.get(report.get_absolute_url())
    body = detail.content.decode()
    assert reverse("reporting:report_download", args=[report.pk, "pdf"]) in body
    assert "Publish to delegations" in body
    download = client.get(reverse("reporting:report_download", args=[report.pk, "xlsx"]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_report_form_errors_are_shown_next_to_fields(client_as, coordinator):
    response = client_as(coordinator).post(
        reverse("reporting:report_create"),
        {
            "scope_kind": "area",
            "period_start": "2010-03-31",
            "period_end": "2010-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["The period cannot end before it starts."]
    assert GeneratedReport.objects.count() == 0


def test_report_period_beyond_the_calendar_is_refused_at_the_field(client_as, coordinator):
    response = client_as(coordinator).post(
        reverse("reporting:report_create"),
        {
            "scope_kind": "all",
            "period_start": "2010-01-01",
            "period_end": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    assert GeneratedReport.objects.count() == 0


def test_scope_object_required_error_from_the_service(client_as, coordinator):
    response = client_as(coordinator).post(
        reverse("reporting:report_create"),
        {
            "scope_kind": "structure",
            "period_start": "2010-01-01",
            "period_end": "2010-03-31",
        },
    )
    assert response.status_code == 200
    assert "structure" in response.context["form"].errors
    assert GeneratedReport.objects.count() == 0


def test_delegation_and_field_staff_cannot_request_reports(client_as, delegate, field_user):
    for user in (delegate, field_user):
        response = client_as(user).post(
            reverse("reporting:report_create"),
            {"scope_kind": "all", "period_start": "2010-01-01", "period_end": "2010-03-31"},
        )
        assert response.status_code == 403
    assert GeneratedReport.objects.count() == 0


def test_running_report_page_refreshes_and_shows_progress(client_as, coordinator):
    report = GeneratedReportFactory(status=GeneratedReport.Status.RUNNING, progress=40)
    body = client_as(coordinator).get(report.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in body and 'value="40"' in body
    assert "js/reporting.js" in body
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.RUNNING


def test_failed_report_shows_reason_and_retry_works(client_as, coordinator, data, django_capture_on_commit_callbacks):
    report = GeneratedReportFactory(status=GeneratedReport.Status.FAILED, error="OSError: disk full", attempts=1)
    client = client_as(coordinator)
    body = client.get(report.get_absolute_url()).content.decode()
    assert "OSError: disk full" in body and "Try again" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.attempts == 2


def test_only_managers_publish(client_as, coordinator, secretariat_user, delegate):
    report = _done(title="To publish")
    denied = client_as(secretariat_user).post(reverse("reporting:report_publish", args=[report.pk]))
    assert denied.status_code == 403
    report.refresh_from_db()
    assert not report.published
    response = client_as(coordinator).post(reverse("reporting:report_publish", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.published and report.published_by == coordinator
    assert client_as(delegate).get(report.get_absolute_url()).status_code == 200
    client_as(coordinator).post(reverse("reporting:report_publish", args=[report.pk]), {"unpublish": "1"})
    report.refresh_from_db()
    assert not report.published


def test_manager_deletes_a_report_from_its_page(client_as, coordinator, secretariat_user):
    report = _done(title="To delete")
    report.csv_file.save("report.csv", ContentFile(b"a,b\n"), save=True)
    name = report.csv_file.name

    denied = client_as(secretariat_user).post(reverse("reporting:report_delete", args=[report.pk]))
    assert denied.status_code == 403
    assert GeneratedReport.objects.filter(pk=report.pk).exists() and default_storage.exists(name)

    response = client_as(coordinator).post(reverse("reporting:report_delete", args=[report.pk]))

    assert response.status_code == 302 and response.url == reverse("reporting:report_list")
    assert not GeneratedReport.objects.filter(pk=report.pk).exists()
    assert not default_storage.exists(name)


def test_published_report_page_for_a_delegation_shows_sections(
    client_as, coordinator, delegate, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END)
    report.refresh_from_db()
    services.report_publish(report=report, actor=coordinator)
    response = client_as(delegate).get(report.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Co-operation with partner organisations" in body and "Publish to delegations" not in body
    assert client_as(delegate).get(reverse("reporting:report_download", args=[report.pk, "csv"])).status_code == 200


def test_admin_delete_removes_the_report_files_too(client, admin_user):
    report = _done(title="From the admin")
    report.pdf_file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)
    name = report.pdf_file.name
    client.force_login(admin_user)

    response = client.post(reverse("admin:reporting_generatedreport_delete", args=[report.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not GeneratedReport.objects.filter(pk=report.pk).exists()
    assert not default_storage.exists(name)


def test_dashboard_gaps_show_the_knowledge_gaps_of_the_period_to_staff(client_as, coordinator, legal, decisions):
    from django.utils import timezone

    client = client_as(coordinator)
    default = client.get(reverse("reporting:dashboard"))
    in_2010 = client.get(reverse("reporting:dashboard"), {"start": "2010-01-01", "end": "2010-12-31"})

    tables = {t["name"]: t for t in default.context["data"]["gap_tables"]}
    # The default period is this year: the legal position today, and C's assistance of 2010 is too old to count.
    assert tables["gap_legal"]["rows"] == [["T", 2, "B, C"]]
    assert timezone.localdate().isoformat() in tables["gap_legal"]["description"]
    # This year no decision saw work; staff count the proposal under MC.DEC/2/09 as work in 2010.
    assert [row[0] for row in tables["gap_decisions"]["rows"]] == ["MC.DEC/1/10", "MC.DEC/2/09", "MC.DEC/3/05"]
    tables_2010 = {t["name"]: t for t in in_2010.context["data"]["gap_tables"]}
    assert tables_2010["gap_legal"]["rows"] == [["T", 1, "B"]]
    assert [row[0] for row in tables_2010["gap_decisions"]["rows"]] == ["MC.DEC/3/05"]
    page = in_2010.content.decode()
    assert "Instruments not ratified where the OSCE gave no legal assistance" in page
    assert "States without a UNSCR 1540 action plan" in page
    assert "Decisions with no implementing work" in page
    csv_response = client.get(reverse("reporting:dashboard_csv", args=["gap_legal"]), {"start": "2010-01-01"})
    assert csv_response.status_code == 200
    assert "B" in csv_response.content.decode()


def test_delegations_do_not_get_the_knowledge_gap_tables_on_the_dashboard(client_as, legal, decisions):
    delegation = make_user(Role.DELEGATION, state=legal["a"])
    client = client_as(delegation)

    response = client.get(reverse("reporting:dashboard"), {"start": "2010-01-01", "end": "2010-12-31"})

    names = [t["name"] for t in response.context["data"]["gap_tables"]]
    assert "gap_states" in names
    assert not {"gap_legal", "gap_1540", "gap_decisions"} & set(names)
    assert "Instruments not ratified" not in response.content.decode()
    assert client.get(reverse("reporting:dashboard_csv", args=["gap_legal"])).status_code == 404


# --- results and money on the dashboard ------------------------------------------------------------------------


def _results_world():
    """One ongoing project, budget 100,000: 30,000 committed and a 5,000 pledge open -> secured 35,000, unfunded
    65,000; its indicator has a Q1 2010 target of 20 with 12 approved (60 %) and a Q2 target of 30 with nothing yet.
    A proposal (unpublished) with budget 50,000 and nothing secured adds 50,000 unfunded for staff only."""
    from datetime import date
    from decimal import Decimal

    from programmes.models import Project
    from results.models import IndicatorActual, ResultLevel
    from tests.factories import DonorPledgeFactory, ProjectFactory
    from tests.results.factories import (
        IndicatorActualFactory,
        IndicatorFactory,
        IndicatorPeriodFactory,
        ResultFactory,
        TransactionFactory,
    )

    project = ProjectFactory(
        code="RES-1", status=Project.Status.ONGOING, budget=Decimal("100000"), start=date(2010, 1, 1), end=None
    )
    ProjectFactory(code="RES-2", status=Project.Status.PROPOSAL, budget=Decimal("50000"), start=date(2010, 1, 1))
    TransactionFactory(project=project, amount=Decimal("30000"))
    DonorPledgeFactory(project=project, amount=Decimal("5000"))
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, parent=None)
    indicator = IndicatorFactory(result=output, title="Patrol leaders trained", unit="leaders")
    q1 = IndicatorPeriodFactory(
        indicator=indicator, period_start=date(2010, 1, 1), period_end=date(2010, 3, 31), target_value=Decimal("20")
    )
    IndicatorPeriodFactory(
        indicator=indicator, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), target_value=Decimal("30")
    )
    IndicatorActualFactory(period=q1, value=Decimal("12"), status=IndicatorActual.Status.APPROVED)


def test_dashboard_shows_target_against_actual_and_funding_for_the_period(client_as, secretariat_user):
    _results_world()
    delegate = make_user(Role.DELEGATION)  # not the fixture: its data set has projects with money of its own

    staff = " ".join(client_as(secretariat_user).get("/reports/dashboard/", Q1_QUERY).content.decode().split())
    public = " ".join(client_as(delegate).get("/reports/dashboard/", Q1_QUERY).content.decode().split())

    assert 'id="results"' in staff
    # Q1 only: the Q2 period lies outside the filter
    assert "Patrol leaders trained" in staff and "2010-01-01 – 2010-03-31" in staff
    assert "2010-04-01 – 2010-06-30" not in staff
    assert '<td class="num">20</td> <td class="num">12</td>' in staff and '<td class="num">60</td>' in staff
    # staff: 150,000 budget, 35,000 secured, 65,000 + 50,000 unfunded; delegations do not see the proposal
    assert "<dd>150,000.00</dd>" in staff and "<dd>35,000.00</dd>" in staff and "<dd>115,000.00</dd>" in staff
    assert "<dd>100,000.00</dd>" in public and "<dd>65,000.00</dd>" in public and "115,000.00" not in public


def test_dashboard_period_outside_the_indicator_periods_lists_no_targets(client_as, secretariat_user):
    _results_world()

    html = client_as(secretariat_user).get("/reports/dashboard/", {"start": "2012-01-01", "end": "2012-12-31"})

    assert html.status_code == 200
    assert "Patrol leaders trained" not in html.content.decode()


def test_dashboard_results_follow_the_default_period_and_all_years(client_as, secretariat_user):
    _results_world()  # indicator periods in 2010; the default period is the current year
    client = client_as(secretariat_user)

    default = client.get("/reports/dashboard/").content.decode()
    all_years = client.get("/reports/dashboard/", {"all_time": "on"}).content.decode()

    assert "Patrol leaders trained" not in default
    assert "Patrol leaders trained" in all_years
    assert "2010-04-01 – 2010-06-30" in all_years


def _content_renders(monkeypatch) -> list[str]:
    from osce_tnt.reporting import views

    rendered: list[str] = []
    original = views.render_to_string
    monkeypatch.setattr(
        views, "render_to_string", lambda name, *a, **k: rendered.append(name) or original(name, *a, **k)
    )
    return rendered


def test_warm_dashboard_page_is_served_from_the_cached_content_per_role(
    client_as, delegate, secretariat_user, data, monkeypatch
):
    from django.core.cache import cache

    cache.clear()
    rendered = _content_renders(monkeypatch)
    url = reverse("reporting:dashboard")

    staff_first = client_as(secretariat_user).get(url, Q1_QUERY)
    staff_second = client_as(secretariat_user).get(url, Q1_QUERY)
    public = client_as(delegate).get(url, Q1_QUERY)

    assert rendered.count("reporting/dashboard/content.html") == 2  # once per role, not per request
    assert staff_first.status_code == staff_second.status_code == public.status_code == 200
    assert "Staff view" in staff_second.content.decode()
    assert "Staff view" not in public.content.decode() and "Published data only" in public.content.decode()


def test_dashboard_with_an_unknown_or_invalid_parameter_is_rendered_afresh_each_time(
    client_as, delegate, data, monkeypatch
):
    rendered = _content_renders(monkeypatch)
    client = client_as(delegate)
    url = reverse("reporting:dashboard")

    for _ in range(2):
        unknown = client.get(url, {**Q1_QUERY, "utm": "x"})
        invalid = client.get(url, {"start": "2010-05-01", "end": "2010-01-01"})
        assert unknown.status_code == invalid.status_code == 200
        assert "The end of the period cannot be before its start." in invalid.content.decode()

    assert rendered.count("reporting/dashboard/content.html") == 4  # nothing cached for such queries
