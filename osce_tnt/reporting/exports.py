"""Files of a generated report, all made from the same figures snapshot: PDF (WeasyPrint), XLSX (one sheet per
section, numbers as numbers) and CSV (one tidy row per figure)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from programmes.documents import render_pdf
from programmes.spreadsheets import csv_writer, workbook_bytes


def sections_in_order(figures: dict) -> list[dict]:
    from osce_tnt.reporting.selectors import SECTION_ORDER

    return [figures["sections"][name] for name in SECTION_ORDER if name in figures.get("sections", {})]


def _table_rows(table: dict) -> list[list]:
    rows = list(table["rows"])
    if table.get("total"):
        rows.append(table["total"])
    return rows


def build_pdf(report, figures: dict) -> bytes:
    return render_pdf(
        "reporting/report_pdf.html",
        {
            "report": report,
            "figures": figures,
            "sections": sections_in_order(figures),
            "gap_tables": figures.get("gap_tables", []),
        },
    )


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _write_table(sheet, table: dict, start_row: int) -> int:
    bold = Font(bold=True)
    sheet.cell(row=start_row, column=1, value=str(table["title"])).font = bold
    for col, heading in enumerate(table["columns"], start=1):
        sheet.cell(row=start_row + 1, column=col, value=str(heading)).font = bold
    row_number = start_row + 2
    for row in _table_rows(table):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=col, value=value)
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
        row_number += 1
    return row_number + 1


def build_xlsx(report, figures: dict) -> bytes:
    workbook = Workbook()
    used: set[str] = set()
    summary = workbook.active
    summary.title = _sheet_title(_("Key figures"), used)
    summary.append([str(report.title)])
    summary.append([_("Period"), figures["period"]["start"], figures["period"]["end"]])
    summary.append([_("Scope"), report.scope_label])
    summary.append([])
    summary.append([_("Figure"), _("Value")])
    for item in figures.get("key_figures", []):
        summary.append([str(item["label"]), item["value"]])
    for table in sections_in_order(figures):
        sheet = workbook.create_sheet(_sheet_title(str(table["title"]), used))
        _write_table(sheet, table, 1)
    gaps = workbook.create_sheet(_sheet_title(_("Gaps"), used))
    row = 1
    for table in figures.get("gap_tables", []):
        row = _write_table(gaps, table, row)
    return workbook_bytes(workbook)


def build_csv(report, figures: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["section", "row", "measure", "value"])
    for item in figures.get("key_figures", []):
        writer.writerow([_("Key figures"), "", item["label"], "" if item["value"] is None else item["value"]])
    for table in sections_in_order(figures) + list(figures.get("gap_tables", [])):
        columns = table["columns"]
        for row in _table_rows(table):
            if len(row) == 1:
                writer.writerow([table["title"], row[0], columns[0], ""])
                continue
            for heading, value in zip(columns[1:], row[1:], strict=False):
                writer.writerow([table["title"], row[0], heading, value])
    return buffer.getvalue().encode("utf-8-sig")


def table_csv(table: dict) -> str:
    """One chart's table as CSV, for the download link under each chart."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([str(c) for c in table["columns"]])
    for row in _table_rows(table):
        writer.writerow(row)
    return buffer.getvalue()
