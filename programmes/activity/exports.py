"""CSV rows and an XLSX workbook of the compliance matrix (the same numbers as the page)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from programmes.activity.selectors import ComplianceMatrix, ComplianceState, period_label
from programmes.spreadsheets import workbook_bytes

HEADER = ["structure", "name", "kind", "region", "frequency"]
FILLS = {
    ComplianceState.ON_TIME: "DFF1E5",
    ComplianceState.LATE: "FFF1D6",
    ComplianceState.MISSING: "FDE2E2",
    ComplianceState.DRAFT: "E7F0FA",
    ComplianceState.NOT_DUE: "F3F5F7",
    ComplianceState.NOT_REQUIRED: "FFFFFF",
}


def compliance_rows(matrix: ComplianceMatrix) -> list[list[str]]:
    """Header plus one row per structure; cells hold the state codes (on_time, late, missing, draft, not_due,
    not_required) so the file can be processed without translation."""
    rows = [HEADER + [period_label(p) for p in matrix.periods]]
    for row in matrix.rows:
        structure = row.structure
        rows.append(
            [structure.acronym, structure.name, structure.kind, structure.region, row.frequency]
            + [cell.state for cell in row.cells]
        )
    return rows


def compliance_workbook(matrix: ComplianceMatrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Compliance %(year)s") % {"year": matrix.year}
    header = [_("Structure"), _("Name"), _("Kind"), _("Region"), _("Frequency")] + [
        period_label(p) for p in matrix.periods
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in matrix.rows:
        structure = row.structure
        sheet.append(
            [
                structure.acronym,
                structure.name,
                structure.get_kind_display(),
                structure.get_region_display() if structure.region else "",
                str(row.frequency_label),
            ]
            + [str(ComplianceState.LABELS[c.state]) for c in row.cells]
        )
        excel_row = sheet.max_row
        for index, compliance_cell in enumerate(row.cells):
            target = sheet.cell(row=excel_row, column=len(HEADER) + 1 + index)
            target.fill = PatternFill("solid", fgColor=FILLS[compliance_cell.state])
    for column, width in zip(
        range(1, len(header) + 1), [12, 44, 24, 22, 11] + [16] * len(matrix.periods), strict=False
    ):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B2"
    totals = workbook.create_sheet(_("Totals"))
    totals.append([_("State"), _("Structure-periods")])
    for state, count in matrix.counts().items():
        totals.append([str(ComplianceState.LABELS[state]), count])
    return workbook_bytes(workbook)
