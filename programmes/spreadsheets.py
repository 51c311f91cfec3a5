"""The one place every CSV and XLSX the portal writes goes through, so that no free text becomes a formula.

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (CSV on opening, XLSX when openpyxl is handed such a string). Titles, names and reasons are typed by
field staff and partners, so such text is prefixed with a single quote, which spreadsheet programs read as "this is
text". Numbers, dates and booleans are left alone: they cannot carry a formula and must stay sortable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would evaluate; that text gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if value is not None and not isinstance(value, str) and hasattr(value, "__html__"):
        # Lazy translation proxies and SafeStrings are text too.
        return safe_cell(str(value))
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` with every field passed through ``safe_cell``; same ``writerow``/``writerows`` return values,
    so it also works on the echo buffers used by streaming responses."""

    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fileobj, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(fileobj, **kwargs)


def neutralise_workbook(workbook) -> None:
    """Turn every text or formula cell of every sheet into safe text. The portal writes no formulas of its own, so
    a cell openpyxl typed as a formula can only have come from data."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type in ("s", "f") and isinstance(cell.value, str):
                    safe = safe_cell(cell.value)
                    if safe is not cell.value or cell.data_type == "f":
                        cell.value = safe
                        cell.data_type = "s"


def workbook_bytes(workbook) -> bytes:
    """The saved workbook, neutralised first: every XLSX export ends here."""
    neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
