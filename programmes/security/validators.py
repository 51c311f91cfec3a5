"""One date bound for every date field of every model: a date outside it is a typing mistake, and dates near the
ends of the calendar overflow the arithmetic done on them (due dates, periods, feeds)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


@deconstructible
class PortalDateRange:
    message = _("Enter a date between %(earliest)s and %(latest)s.")
    code = "date_out_of_range"

    def __call__(self, value) -> None:
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise ValidationError(
                self.message, code=self.code, params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PortalDateRange)

    def __hash__(self) -> int:
        return hash(PortalDateRange)


validate_portal_date = PortalDateRange()
