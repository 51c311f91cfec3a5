"""The focal-point networks' part of the permission table, and their row-level rules."""

from programmes.permissions import (
    ADD,
    ALL,
    CHANGE,
    DELETE,
    EXPORT,
    MANAGERS,
    REVIEW,
    STAFF,
    STAFF_AND_FIELD,
    VIEW,
    Role,
    declare_resources,
)

declare_resources(
    {
        # A directory for staff; delegations see a reduced view (selectors strip contacts).
        "network": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        "focal_point": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: MANAGERS, EXPORT: STAFF_AND_FIELD},
        "network_coverage": {VIEW: STAFF, EXPORT: STAFF},
        "focal_point_import": {ADD: MANAGERS},
        # Changes focal points propose through their yearly link; network co-ordinators (row-scoped) decide.
        "focal_point_change": {VIEW: STAFF, REVIEW: STAFF},
    }
)
