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
    can,
    declare_resources,
    is_field,
    user_structure_id,
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


def can_edit_event(*, user, event) -> bool:
    """Staff change any event; field staff only those their own operation leads."""
    if not can(user, "event", CHANGE):
        return False
    if is_field(user):
        return event.lead_structure_id is not None and event.lead_structure_id == user_structure_id(user)
    return True
