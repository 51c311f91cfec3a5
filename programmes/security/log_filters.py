"""A logging filter that masks e-mail addresses and telephone numbers in every record before any handler sees it:
request paths, query strings and exception texts often carry a focal point's address."""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# International or local numbers with at least 7 digits, optionally grouped by spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w/.-])(?:\+|00|%2B)?\d(?:[\s().-]?\d){6,}(?![\w/-])")


DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


def _phone(match: re.Match) -> str:
    # ISO dates and times have enough digits to look like a number; they are not personal data.
    return match.group(0) if DATE_OR_TIME.fullmatch(match.group(0).strip()) else "[phone]"


def mask(text: str) -> str:
    return PHONE.sub(_phone, EMAIL.sub("[email]", text))


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  a malformed record is passed on as it is rather than dropped
            return True
        masked = mask(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True
