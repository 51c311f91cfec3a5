"""The task forces' part of the permission table, and their row-level rules."""

from programmes.permissions import (
    ADD,
    ALL,
    CHANGE,
    DELETE,
    MANAGERS,
    STAFF,
    STAFF_AND_FIELD,
    VIEW,
    Role,
    declare_resources,
)

declare_resources(
    {
        # Members and Secretariat work in them; delegations read what is published. Field staff pass the table for
        # meetings and actions; the row rules below then limit them to the task forces their operation sits on.
        "taskforce": {VIEW: ALL, ADD: MANAGERS, CHANGE: STAFF, DELETE: frozenset({Role.ADMIN})},
        "meeting": {VIEW: ALL, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: MANAGERS},
        "action_item": {VIEW: STAFF_AND_FIELD, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: MANAGERS},
        "meeting_pack": {VIEW: STAFF, ADD: STAFF},
    }
)
