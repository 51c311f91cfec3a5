"""The one default period every figure page starts from (dashboard, my State, compliance, "did not report",
report requests): the current calendar year. Pages show it in their heading and let the filter change it."""

from __future__ import annotations

from datetime import date


def default_period(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)
