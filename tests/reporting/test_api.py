import json
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from osce_tnt.reporting.models import GeneratedReport
from programmes.permissions import Role
from tests.factories import ProjectFactory, make_user
from tests.reporting.factories import GeneratedReportFactory, build_dataset

pytestmark = pytest.mark.django_db

REPORTS = "/api/reports/"
DASHBOARD = "/api/dashboard/"


@pytest.fixture
def data():
    return build_dataset()


def test_request_poll_and_download_a_report(api_as, coordinator, data, django_capture_on_commit_callbacks):
    client = api_as(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REPORTS,
            {
                "scope_kind": "area",
                "thematic_area": data.terrorism.pk,
                "period_start": "2010-01-01",
                "period_end": "2010-03-31",
            },
            format="json",
        )
    assert response.status_code == 202
    report_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    poll = client.get(f"{REPORTS}{report_id}/")
    assert poll.status_code == 200
    body = poll.json()
    assert body["status"] == "done" and body["progress"] == 100
    assert set(body["downloads"]) == {"pdf", "xlsx", "csv"}
    pdf = client.get(body["downloads"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert GeneratedReport.objects.get(pk=report_id).thematic_area == data.terrorism


def test_bad_requests_get_field_messages(api_as, coordinator):
    client = api_as(coordinator)
    response = client.post(
        REPORTS, {"scope_kind": "region", "period_start": "2010-03-31", "period_end": "2010-01-01"}, format="json"
    )
    assert response.status_code == 400 and "period_end" in response.json()
    response = client.post(
        REPORTS, {"scope_kind": "region", "period_start": "2010-01-01", "period_end": "2010-03-31"}, format="json"
    )
    assert response.status_code == 400 and "region" in response.json()
    response = client.post(REPORTS, {"period_start": "0001-01-01", "period_end": "9999-12-31"}, format="json")
    assert response.status_code == 400 and {"period_start", "period_end"} <= set(response.json())
    assert GeneratedReport.objects.count() == 0


def test_retry_and_publish_actions(api_as, coordinator, secretariat_user, data, django_capture_on_commit_callbacks):
    failed = GeneratedReportFactory(status=GeneratedReport.Status.FAILED, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(secretariat_user).post(f"{REPORTS}{failed.pk}/retry/")
    assert response.status_code == 202
    failed.refresh_from_db()
    assert failed.status == GeneratedReport.Status.DONE
    assert api_as(secretariat_user).post(f"{REPORTS}{failed.pk}/publish/").status_code == 403
    response = api_as(coordinator).post(f"{REPORTS}{failed.pk}/publish/")
    assert response.status_code == 200 and response.json()["published"] is True
    again = api_as(coordinator).post(f"{REPORTS}{failed.pk}/retry/")
    assert again.status_code == 400
    failed.refresh_from_db()
    assert failed.published


def test_delegation_reads_only_published_reports(api_as, data):
    delegate = make_user(Role.DELEGATION, state=data.s1)
    published = GeneratedReportFactory(status=GeneratedReport.Status.DONE, published=True, title="Shown")
    hidden = GeneratedReportFactory(status=GeneratedReport.Status.DONE, title="Hidden")
    client = api_as(delegate)
    listing = client.get(REPORTS)
    assert [row["id"] for row in listing.json()["results"]] == [published.pk]
    assert client.get(f"{REPORTS}{hidden.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{hidden.pk}/download/pdf/").status_code == 404
    assert client.post(REPORTS, {"period_start": "2010-01-01", "period_end": "2010-03-31"}).status_code == 403
    assert client.post(f"{REPORTS}{published.pk}/publish/").status_code == 403
    assert GeneratedReport.objects.count() == 2


def test_dashboard_api_uses_the_same_filters_and_audience(api_as, secretariat_user, data):
    delegate = make_user(Role.DELEGATION, state=data.s1)
    query = {"start": "2010-01-01", "end": "2010-03-31"}
    public = api_as(delegate).get(DASHBOARD, query)
    assert public.status_code == 200
    body = public.json()
    assert body["audience"] == "public"
    figures = {item["key"]: item["value"] for item in body["key_figures"]}
    assert figures["projects"] == 3 and figures["participants"] == 40
    linkage = {row[0]: row[1:] for row in body["charts"]["linkage"]["rows"]}
    assert linkage == {"CT": [3, 2, 1], "OC": [2, 4, 0], "CY": [1, 0, 2]}
    staff = api_as(secretariat_user).get(DASHBOARD, {**query, "region": "central_asia"}).json()
    assert staff["audience"] == "staff" and staff["filters"]["region"] == "central_asia"
    state = api_as(delegate).get(DASHBOARD, {**query, "state": data.donor.pk}).json()
    assert state["charts"]["donor_pledges"]["total"][1] == 65000.0


def test_dashboard_api_rejects_bad_filters(api_as, delegation_user):
    response = api_as(delegation_user).get(DASHBOARD, {"start": "2010-05-01", "end": "2010-01-01"})
    assert response.status_code == 400
    assert "end" in response.json()
    assert api_as(delegation_user).get(DASHBOARD, {"area": "999999"}).status_code == 400
    beyond = api_as(delegation_user).get(DASHBOARD, {"end": "9999-12-31"})
    assert beyond.status_code == 400 and "end" in beyond.json()


def test_dashboard_api_needs_authentication(api_client):
    response = api_client.get(DASHBOARD)
    assert response.status_code in (401, 403)


def test_report_list_api_query_count_is_constant(api_as, coordinator, django_assert_max_num_queries):
    client = api_as(coordinator)
    GeneratedReportFactory(status=GeneratedReport.Status.DONE)
    with django_assert_max_num_queries(20) as first:
        client.get(REPORTS)
    baseline = len(first.captured_queries)
    for _n in range(7):
        GeneratedReportFactory(status=GeneratedReport.Status.DONE, published=True)
    with django_assert_max_num_queries(baseline):
        response = client.get(REPORTS)
    assert response.status_code == 200 and response.json()["count"] == 8


def _report_with_pdf():
    report = GeneratedReportFactory(status=GeneratedReport.Status.DONE)
    report.pdf_file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return report


def test_manager_deletes_a_report_and_its_file_through_the_service(api_as, coordinator):
    report = _report_with_pdf()
    name = report.pdf_file.name
    assert default_storage.exists(name)

    response = api_as(coordinator).delete(f"{REPORTS}{report.pk}/")

    assert response.status_code == 204
    assert not GeneratedReport.objects.filter(pk=report.pk).exists()
    assert not default_storage.exists(name)  # only the service removes the files; Model.delete would leave them


def test_secretariat_may_not_delete_a_report(api_as, secretariat_user):
    report = _report_with_pdf()

    response = api_as(secretariat_user).delete(f"{REPORTS}{report.pk}/")

    assert response.status_code == 403
    assert GeneratedReport.objects.filter(pk=report.pk).exists()
    assert default_storage.exists(report.pdf_file.name)


def test_dashboard_api_gives_the_knowledge_gaps_to_staff_only(api_as, coordinator, legal, decisions):
    period = {"start": "2010-01-01", "end": "2010-12-31"}

    staff = api_as(coordinator).get(DASHBOARD, period).json()
    delegation = api_as(make_user(Role.DELEGATION, state=legal["a"])).get(DASHBOARD, period).json()

    staff_tables = {t["name"]: t for t in staff["gap_tables"]}
    assert staff_tables["gap_legal"]["rows"] == [["T", 1, "B"]]
    assert staff_tables["gap_legal"]["resource"] == "legal_gaps"
    assert "gap_states" in {t["name"] for t in delegation["gap_tables"]}
    assert not {"gap_legal", "gap_1540", "gap_decisions"} & {t["name"] for t in delegation["gap_tables"]}


def test_dashboard_api_warm_body_is_the_cached_encoding_of_the_same_figures(api_as, coordinator, data):
    client = api_as(coordinator)
    query = {"start": "2010-01-01", "end": "2010-12-31"}
    cold = client.get(DASHBOARD, query)

    with CaptureQueriesContext(connection) as warm_queries:
        warm = client.get(DASHBOARD, query)
    # Asking for indented JSON bypasses the encoded cache: DRF renders the figures afresh.
    indented = client.get(DASHBOARD, query, HTTP_ACCEPT="application/json; indent=2")

    assert cold.status_code == warm.status_code == indented.status_code == 200
    assert warm["Content-Type"] == indented["Content-Type"] == "application/json"
    assert warm.content == cold.content
    assert not hasattr(warm, "data") and hasattr(indented, "data")  # bytes from the cache vs DRF's Response
    assert b"\n" in indented.content and b"\n" not in warm.content
    assert json.loads(warm.content) == json.loads(indented.content)
    compact = json.dumps(json.loads(indented.content), separators=(",", ":"), ensure_ascii=False).encode()
    assert warm.content == compact
    assert len(warm_queries) == 0  # the role is known from the first request; figures and body come from the cache


def test_dashboard_api_cached_body_is_kept_apart_per_role(api_as, coordinator, legal, decisions):
    period = {"start": "2010-01-01", "end": "2010-12-31"}
    delegate = make_user(Role.DELEGATION, state=legal["a"])
    field_user = make_user(Role.FIELD)

    for _ in range(2):  # the second round is served from the encoded cache
        staff = api_as(coordinator).get(DASHBOARD, period).json()
        public = api_as(delegate).get(DASHBOARD, period).json()
        field = api_as(field_user).get(DASHBOARD, period).json()

        assert "gap_legal" in {t["name"] for t in staff["gap_tables"]}
        assert "gap_legal" not in {t["name"] for t in public["gap_tables"]}
        assert public["audience"] == field["audience"] == "public"


def test_dashboard_api_shows_a_new_project_after_a_warm_read(api_as, coordinator, data):
    client = api_as(coordinator)
    query = {"start": "2010-01-01", "end": "2010-12-31"}
    before = {i["key"]: i["value"] for i in client.get(DASHBOARD, query).json()["key_figures"]}
    client.get(DASHBOARD, query)  # warm

    ProjectFactory(start=date(2010, 6, 1), end=date(2010, 9, 30))

    after = {i["key"]: i["value"] for i in client.get(DASHBOARD, query).json()["key_figures"]}
    assert after["projects"] == before["projects"] + 1


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2010, 1, 1), date(2024, 2, 29)])
def test_an_empty_dashboard_query_means_the_same_filters_as_an_unbound_form(today):
    from osce_tnt.reporting.forms import DashboardFilterForm

    defaults = DashboardFilterForm.default_filters(today=today)

    assert defaults == DashboardFilterForm(None, with_state=True).to_filters(today=today)
    assert (defaults.start, defaults.end) == (date(today.year, 1, 1), date(today.year, 12, 31))
