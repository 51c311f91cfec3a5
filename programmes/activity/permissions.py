"""Activity reporting's part of the permission table, and its row-level rules."""

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
    declare_resources,
)

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
