"""The task forces' part of the permission table, and their row-level rules."""

from __future__ import annotations

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
    is_staff_role,
)
from programmes.types import PortalUser
from taskforces.models import ActionItem, TaskForce
from taskforces.selectors import member_task_force_ids

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


# --- row-level rules ------------------------------------------------------------------------------------------


def _is_member(user: PortalUser, task_force_id: int) -> bool:
    return task_force_id in member_task_force_ids(user=user)


def can_edit_task_force(*, user: PortalUser, task_force: TaskForce) -> bool:
    """Secretariat staff edit every task force (its members, meetings, agendas, decisions and actions); other roles
    only the ones they are members of. The table above is asked separately for the resource and action."""
    return is_staff_role(user) or _is_member(user, task_force.pk)


def can_update_action(*, user: PortalUser, action: ActionItem) -> bool:
    """Progress and edits: staff, the action's named owner and the members of its task force."""
    return (
        is_staff_role(user)
        or (action.owner_id is not None and action.owner_id == user.pk)
        or _is_member(user, action.task_force_id)
    )


def can_publish_meeting(*, user: PortalUser, obj: object) -> bool:
    """Publishing minutes (or withdrawing them) sends them to every delegation: a staff decision. A field-operation
    member plans and writes the meeting but cannot publish it."""
    return is_staff_role(user)


def can_see_task_force_internals(*, user: PortalUser, task_force: TaskForce) -> bool:
    """Drafts, unpublished meetings, owners' names and meeting packs: staff and members only."""
    return is_staff_role(user) or _is_member(user, task_force.pk)
