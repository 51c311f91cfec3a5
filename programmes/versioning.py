"""No lost update: a version number on rows that people edit at the same time, checked by the update services.

A row's ``version`` goes up by one on every save. An edit page and an API client remember the version they read;
the update service compares it, under the row lock it already takes (``select_for_update``), with the version the
row has now, and refuses a stale write with :class:`VersionConflict` instead of overwriting the other person's
change. Nothing else is needed from a caller: ``expected_version=None`` (an old API client, a job) writes as before.

The pieces that speak HTTP sit beside their kind: the form helper in ``programmes.forms`` (hidden field, conflict
notice) and the ETag / If-Match mixins in ``programmes.api.mixins``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionConflict(Exception):
    """A write based on ``expected`` while the row is at ``current.version``; ``current`` is the row as locked."""

    def __init__(self, *, current: Versioned, expected: int) -> None:
        super().__init__(f"{current._meta.label} {current.pk}: expected version {expected}, is {current.version}")
        self.current = current
        self.expected = expected


class Versioned(models.Model):
    """Abstract base: a ``version`` that every save of an existing row increments.

    Incremented in memory rather than with an ``F()`` expression so the saved instance still knows its new number
    without another query; the update services hold the row lock while they save, so the number cannot race."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one on every save; an edit based on an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


def check_version(instance: Versioned, expected_version: int | None) -> None:
    """Refuse a write based on another version than the row's. Call it on the row as locked by the service."""
    if expected_version is not None and instance.version != expected_version:
        raise VersionConflict(current=instance, expected=expected_version)


def etag_for(version: int) -> str:
    """The ``ETag`` of a row at ``version`` (strong: one version has one stored state)."""
    return f'"v{version}"'


def version_from_etag(tag: str) -> int:
    """The version an ``If-Match`` entity tag names; 0 (never a row's version) when it names none of ours, so the
    precondition fails as HTTP says it must. A weak tag (``W/"v3"``) is accepted: clients add the prefix freely."""
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1] == "v" and tag[2:-1].isdigit():
        return int(tag[2:-1])
    return 0
