"""Activity reporting's part of the permission table, and its row-level rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from programmes.permissions import (
    ADD,
    ALL,
    CHANGE,
    DELETE,
    EXPORT,
    REVIEW,
    STAFF,
    STAFF_AND_FIELD,
    VIEW,
    Role,
    can,
    declare_resources,
    role_of,
    user_structure_id,
)
from programmes.types import PortalUser

if TYPE_CHECKING:
    from programmes.activity.models import ActivityReport

declare_resources(
    {
        # Field staff write their own drafts; Secretariat and co-ordinator review.
        "activity_report": {
            VIEW: ALL,
            ADD: STAFF_AND_FIELD,
            CHANGE: STAFF_AND_FIELD,
            DELETE: frozenset({Role.ADMIN}),
            REVIEW: STAFF,
            EXPORT: STAFF,
        },
        "reporting_compliance": {VIEW: STAFF, EXPORT: STAFF},
    }
)


def can_write_report(*, user: PortalUser, report: ActivityReport) -> bool:
    """A report's content belongs to the reporting structure: its own staff write it (an administrator may repair
    it)."""
    if role_of(user) == Role.ADMIN:
        return True
    return can(user, "activity_report", CHANGE) and user_structure_id(user) == report.structure_id
