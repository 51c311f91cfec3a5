"""The calendar's part of the permission table, and its row-level rules."""

from programmes.permissions import (
    ADD,
    ALL,
    CHANGE,
    DELETE,
    EXPORT,
    MANAGERS,
    STAFF,
    STAFF_AND_FIELD,
    VIEW,
    declare_resources,
)

declare_resources(
    {
        # Field operations propose their own events; delegations read public ones.
        "event": {VIEW: ALL, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: MANAGERS, EXPORT: ALL},
        "coordination_alert": {VIEW: STAFF, CHANGE: MANAGERS},
        "calendar_bundle": {VIEW: STAFF, ADD: MANAGERS},
        "event_duplicates": {VIEW: STAFF_AND_FIELD},
    }
)
