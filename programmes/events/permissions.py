"""The calendar's part of the permission table, and its row-level rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    is_manager,
    user_structure_id,
)
from programmes.types import PortalUser

if TYPE_CHECKING:
    from programmes.events.models import Event

declare_resources(
    {
        # Field operations propose their own events; delegations read public ones.
        "event": {VIEW: ALL, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: MANAGERS, EXPORT: ALL},
        "coordination_alert": {VIEW: STAFF, CHANGE: MANAGERS},
        "calendar_bundle": {VIEW: STAFF, ADD: MANAGERS},
        "event_duplicates": {VIEW: STAFF_AND_FIELD},
        # The lead structure records what happened; the co-ordinator follows up on what is missing.
        "event_outcome": {VIEW: STAFF_AND_FIELD, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD},
    }
)


def can_edit_event(*, user: PortalUser, event: Event) -> bool:
    """Staff change any event; field staff only those their own operation leads."""
    if not can(user, "event", CHANGE):
        return False
    if is_field(user):
        return event.lead_structure_id is not None and event.lead_structure_id == user_structure_id(user)
    return True


def can_record_event_outcome(*, user: PortalUser, obj: Event) -> bool:
    """The lead structure's staff, or a co-ordinator, once the event's last day has passed (task-force meetings
    have their own minutes and attendance instead)."""
    from django.utils import timezone

    from programmes.events.models import Event

    if not can(user, "event_outcome", CHANGE) or obj.format == Event.Format.TASKFORCE_MEETING:
        return False
    if obj.end_date >= timezone.localdate():
        return False
    if is_manager(user):
        return True
    structure_id = user_structure_id(user)
    return structure_id is not None and structure_id == obj.lead_structure_id
