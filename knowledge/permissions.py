"""The knowledge app's part of the permission table, and its row-level rules.

Delegations read the legal matrix and the library's public and participating-States documents; OSCE staff (the
Secretariat, the Institutions and the field operations) read every document; the Secretariat maintains the data."""

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
    can,
    declare_resources,
    is_field,
    role_of,
    user_structure_id,
)

ADMIN_ONLY = frozenset({Role.ADMIN})

declare_resources(
    {
        "legal_instrument": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: ADMIN_ONLY},
        "legal_commitment": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: MANAGERS},
        "legal_matrix": {VIEW: ALL},
        # Where the OSCE could help and does not: a planning tool for staff.
        "legal_gaps": {VIEW: STAFF_AND_FIELD},
        # Row rules below narrow these to the documents a user may read or change.
        "library_document": {VIEW: ALL, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: MANAGERS},
        "training_centre": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: ADMIN_ONLY},
        # A decision's trace to the work it mandated; changing the status of a suggested decision.
        "decision": {VIEW: ALL, CHANGE: MANAGERS},
        "decision_gaps": {VIEW: STAFF_AND_FIELD},
    }
)


def readable_visibilities(*, user) -> tuple[str, ...]:
    """The document visibility levels ``user`` may read; none for a user without a role."""
    role = role_of(user)
    if role is None:
        return ()
    if role == Role.DELEGATION:
        return ("public", "participating_states")
    return ("public", "participating_states", "staff")


def can_view_document(*, user, obj) -> bool:
    return can(user, "library_document", VIEW) and obj.visibility in readable_visibilities(user=user)


def can_change_document(*, user, obj) -> bool:
    """Secretariat staff change any document; field staff only those that name their own operation."""
    if not can(user, "library_document", CHANGE) or not can_view_document(user=user, obj=obj):
        return False
    if is_field(user):
        own = user_structure_id(user)
        return own is not None and obj.structures.filter(pk=own).exists()
    return True


def can_delete_document(*, user, obj) -> bool:
    return can(user, "library_document", DELETE)


def can_add_document_for(*, user, structures) -> bool:
    """Field staff file documents for their own operation (it must be among the document's structures)."""
    if not can(user, "library_document", ADD):
        return False
    if is_field(user):
        own = user_structure_id(user)
        return own is not None and own in {getattr(s, "pk", s) for s in structures}
    return True


def can_change_commitment(*, user, obj) -> bool:
    return can(user, "legal_commitment", CHANGE)


def can_change_decision_status(*, user, obj) -> bool:
    """Only a suggested decision has a status to change; adopted decisions with official codes keep theirs."""
    return can(user, "decision", CHANGE) and obj.is_proposal


__all__ = [
    "ADD",
    "CHANGE",
    "DELETE",
    "VIEW",
    "can",
    "can_add_document_for",
    "can_change_commitment",
    "can_change_decision_status",
    "can_change_document",
    "can_delete_document",
    "can_view_document",
    "readable_visibilities",
]
