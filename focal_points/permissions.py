"""The focal-point networks' part of the permission table, and their row-level rules."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from focal_points.models import FocalPoint, Membership, ProposedChange
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
    is_delegation,
    is_manager,
    role_of,
)
from programmes.types import PortalUser

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


# --- row-level rules ------------------------------------------------------------------------------------------


def can_see_contacts(*, user: PortalUser) -> bool:
    """Whether the user sees other people's e-mail addresses and phone numbers at all (staff and field staff)."""
    return role_of(user) is not None and not is_delegation(user)


def can_see_contacts_of(*, user: PortalUser, focal_point: FocalPoint) -> bool:
    """Contacts of one record: everyone who sees contacts, and a delegate on the record linked to their account."""
    return can_see_contacts(user=user) or (focal_point.user_id is not None and focal_point.user_id == user.pk)


def can_decide_change(*, user: PortalUser, change: ProposedChange) -> bool:
    """Managers decide every proposed change; a network co-ordinator those of their networks' members."""
    if is_manager(user):
        return True
    if isinstance(user, AnonymousUser):
        return False
    return Membership.objects.filter(focal_point_id=change.focal_point_id, network__coordinator=user).exists()
