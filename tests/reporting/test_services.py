import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from osce_tnt.reporting import services
from osce_tnt.reporting.models import GeneratedReport
from osce_tnt.reporting.tasks import generate_quarterly_report
from tests.reporting.factories import Q1_END, Q1_START, TODAY, add_vacancy_and_overdue_action, build_dataset

pytestmark = pytest.mark.django_db

SECTION_TITLES = [
    "Key figures",
    "Projects",
    "Events held and planned",
    "Reported activities by type",
    "Participants by sex",
    "Co-operation with partner organisations",
    "Gaps",
    "States with no activity",
    "Regions with no activity",
    "Structures that did not report",
    "Networks with vacancies",
    "Overdue task-force actions",
]


@pytest.fixture
def generated(coordinator, django_capture_on_commit_callbacks):
    build_dataset()
    add_vacancy_and_overdue_action()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END)
    report.refresh_from_db()
    return report


def test_requesting_a_report_generates_it_on_commit(generated, coordinator):
    assert generated.status == GeneratedReport.Status.DONE
    assert generated.progress == 100
    assert generated.attempts == 1
    assert generated.requested_by == coordinator
    assert generated.title == "TNT report 2010-01-01 – 2010-03-31"
    assert generated.figures["sections"]["projects"]["total"][1] == 3
    assert generated.pdf_file and generated.xlsx_file and generated.csv_file
    assert not generated.published


def test_pdf_text_contains_every_section(generated):
    with generated.pdf_file.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    flat = " ".join(text.split())
    for title in SECTION_TITLES:
        assert title in flat, title
    assert "Mission to Serbia" in flat
    assert "Counter-Terrorism Network" in flat


def test_xlsx_has_one_sheet_per_section_with_real_numbers(generated):
    with generated.xlsx_file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert workbook.sheetnames == [
        "Key figures",
        "Projects",
        "Events held and planned",
        "Reported activities by type",
        "Participants by sex",
        "Co-operation with partner organ",
        "Gaps",
    ]
    projects = workbook["Projects"]
    rows = {row[0]: row[1:] for row in projects.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["CT"][:3] == (2, 0, 125000)
    assert isinstance(rows["CT"][0], int)
    assert isinstance(rows["OC"][1], int | float) and rows["OC"][1] == 40000
    people = {row[0]: row[1:] for row in workbook["Participants by sex"].iter_rows(min_row=3, values_only=True)}
    assert people["OC"] == (20, 3, 0)


def test_csv_holds_one_row_per_figure(generated):
    with generated.csv_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "section,row,measure,value"
    assert "Projects,CT,ExB budget (EUR),125000.0" in lines
    assert "Participants by sex,OC,Women,20" in lines


def test_failed_generation_records_the_reason_and_can_be_retried(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    build_dataset()

    def broken(*args, **kwargs):
        raise OSError("no fonts available")

    monkeypatch.setattr("osce_tnt.reporting.exports.render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.FAILED
    assert report.error == "OSError: no fonts available"
    assert not report.pdf_file

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    assert report.error == ""
    assert report.attempts == 2
    assert report.pdf_file


def test_only_failed_reports_can_be_retried_and_only_finished_ones_published(coordinator):
    report = GeneratedReport.objects.create(title="Queued", period_start=Q1_START, period_end=Q1_END)
    with pytest.raises(ValidationError):
        services.report_retry(report=report)
    with pytest.raises(ValidationError):
        services.report_publish(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.QUEUED and not report.published


def test_publishing_records_who_and_when(generated, coordinator):
    services.report_publish(report=generated, actor=coordinator)
    generated.refresh_from_db()
    assert generated.published and generated.published_by == coordinator and generated.published_at


def test_a_claimed_job_is_not_generated_twice(generated):
    assert services.report_generate(report_id=generated.pk) is False
    generated.refresh_from_db()
    assert generated.attempts == 1


def test_scope_must_match_its_object(coordinator):
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END, scope_kind="area")
    assert "thematic_area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=coordinator, period_start=Q1_END, period_end=Q1_START)
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=coordinator, period_start=date(1, 1, 1), period_end=date(9999, 12, 31))
    assert set(error.value.message_dict) == {"period_start", "period_end"}
    assert GeneratedReport.objects.count() == 0


def test_area_scoped_report_has_only_that_area(coordinator, django_capture_on_commit_callbacks):
    data = build_dataset()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=coordinator,
            period_start=Q1_START,
            period_end=Q1_END,
            scope_kind="area",
            thematic_area=data.crime,
            region="central_asia",
        )
    report.refresh_from_db()
    assert report.region == ""  # only the object matching the scope is kept
    assert report.status == GeneratedReport.Status.DONE
    assert [row[0] for row in report.figures["sections"]["projects"]["rows"]] == ["OC"]
    assert "Organised crime" in report.title


def _generate(coordinator, capture, **scope):
    with capture(execute=True):
        report = services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END, **scope)
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    return report.figures


def _section(figures, name):
    table = figures["sections"][name]
    return {row[0]: row[1:] for row in table["rows"]}, table["total"][1:]


def test_structure_scoped_report_counts_only_that_structures_work(coordinator, django_capture_on_commit_callbacks):
    data = build_dataset()
    result = _generate(coordinator, django_capture_on_commit_callbacks, scope_kind="structure", structure=data.unit)
    # ATU leads P2 (UB 40k, OC, completed in February) and P3 (ExB 25k, CT + CY, new in March); P4 is a proposal,
    # P5 cancelled, P6 after the period. Of its events only E5 (confirmed, public, CY) counts: E3 is internal and
    # E4 cancelled. It files no activity report.
    assert _section(result, "projects") == (
        {"CT": [1, 0, 25000.0, 0, 1, 0], "OC": [1, 40000.0, 0, 0, 0, 1], "CY": [1, 0, 25000.0, 0, 1, 0]},
        [2, 40000.0, 25000.0, 0, 1, 1],
    )
    # E5 (30 March 2010) is past with no outcome: it waits for one (third column), it is not "planned".
    assert _section(result, "events") == ({"CT": [0, 0, 0], "OC": [0, 0, 0], "CY": [0, 0, 1]}, [0, 0, 1])
    assert _section(result, "participants") == ({"CT": [0, 0, 0], "OC": [0, 0, 0], "CY": [0, 0, 0]}, [0, 0, 0])
    partners = {(row[0], row[1]): row[2:] for row in result["sections"]["partners"]["rows"]}
    assert partners == {
        ("CT", "INTERPOL"): [1, 0, 0],
        ("CT", "UNODC"): [1, 0, 0],
        ("CY", "INTERPOL"): [1, 0, 0],
        ("CY", "UNODC"): [1, 0, 0],
    }
    assert result["gaps"]["structures_not_reported"]["rows"] == []
    assert result["gaps"]["states_without_activity"] == ["Kazakhstan", "Moldova", "Norway", "Serbia"]


def test_region_scoped_report_counts_only_that_regions_work(coordinator, django_capture_on_commit_callbacks):
    build_dataset()
    result = _generate(coordinator, django_capture_on_commit_callbacks, scope_kind="region", region="central_asia")
    # Central Asia: P1 (led by the Centre in Astana, for Kazakhstan; ExB 100k, CT + OC, started in 2009), E1 (held
    # in Kazakhstan; the internal E3 never counts), A1 (CT) and A2 (OC) of the accepted Astana report.
    assert _section(result, "projects") == (
        {"CT": [1, 0, 100000.0, 0, 0, 0], "OC": [1, 0, 100000.0, 0, 0, 0], "CY": [0, 0, 0, 0, 0, 0]},
        [1, 0, 100000.0, 0, 0, 0],
    )
    assert _section(result, "events") == ({"CT": [1, 0, 0], "OC": [1, 0, 0], "CY": [0, 0, 0]}, [1, 0, 0])
    assert _section(result, "participants") == (
        {"CT": [5, 10, 2], "OC": [20, 3, 0], "CY": [0, 0, 0]},
        [25, 13, 2],
    )
    # Kazakhstan saw activity and the Centre in Astana reported on time: no gap in the region.
    assert result["gaps"]["states_without_activity"] == []
    assert result["gaps"]["regions_without_activity"] == []
    assert result["gaps"]["structures_not_reported"]["rows"] == []


def test_previous_quarter():
    assert services.previous_quarter(date(2010, 4, 1)) == (date(2010, 1, 1), date(2010, 3, 31))
    assert services.previous_quarter(date(2011, 1, 1)) == (date(2010, 10, 1), date(2010, 12, 31))


def test_quarterly_task_creates_one_report_per_quarter(monkeypatch, django_capture_on_commit_callbacks):
    build_dataset()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = generate_quarterly_report.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = generate_quarterly_report.delay().get()
    assert first is not None and second is None
    report = GeneratedReport.objects.get()
    assert (report.period_start, report.period_end) == (Q1_START, Q1_END)
    assert report.scheduled and report.status == GeneratedReport.Status.DONE
    assert report.title == "Quarterly TNT report, Q1 2010"


def test_a_job_whose_worker_died_can_be_started_again(coordinator, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    build_dataset()
    report = GeneratedReport.objects.create(
        title="Stuck",
        period_start=Q1_START,
        period_end=Q1_END,
        status=GeneratedReport.Status.RUNNING,
        progress=40,
        attempts=1,
        started_at=timezone.now() - timedelta(hours=2),
    )
    fresh = GeneratedReport.objects.create(
        title="Busy",
        period_start=Q1_START,
        period_end=Q1_END,
        status=GeneratedReport.Status.RUNNING,
        started_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        services.report_retry(report=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report)
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE and report.attempts == 2
    assert fresh.status == GeneratedReport.Status.RUNNING


def test_a_broker_outage_leaves_the_request_saved_and_queued_for_retry(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("osce_tnt.reporting.tasks.generate_report.apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=coordinator, period_start=Q1_START, period_end=Q1_END)

    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.QUEUED and report.requested_by == coordinator
