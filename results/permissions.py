"""Results and money: their part of the permission table, and the row-level rules services and views both call.

Delegations read published results and money only (projects a delegation may see, approved actuals); field
operations enter and submit their own structure's actuals; Secretariat staff and the co-ordinator review them and
keep frameworks, programmes and money up to date."""

from __future__ import annotations

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
    can,
    declare_resources,
    role_of,
    user_structure_id,
)
from programmes.selectors import PUBLISHED_PROJECT_STATUSES

declare_resources(
    {
        "programme": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: MANAGERS},
        "results_framework": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: STAFF, EXPORT: ALL},
        "indicator_actual": {
            VIEW: ALL,
            ADD: STAFF_AND_FIELD,
            CHANGE: STAFF_AND_FIELD,
            DELETE: STAFF_AND_FIELD,
            REVIEW: STAFF,
        },
        "activity_contribution": {VIEW: ALL, ADD: STAFF_AND_FIELD, CHANGE: STAFF_AND_FIELD, DELETE: STAFF_AND_FIELD},
        "financial_transaction": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: MANAGERS, EXPORT: ALL},
        "open_data": {VIEW: ALL, EXPORT: ALL},
        "results_dashboard": {VIEW: ALL},
    }
)


def _is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def can_view_project_results(*, user, obj) -> bool:
    """``obj`` is a project: delegations only see the results and money of published projects."""
    if role_of(user) is None:
        return False
    if role_of(user) == Role.DELEGATION:
        return obj.status in PUBLISHED_PROJECT_STATUSES
    return True


def can_report_actual(*, user, obj) -> bool:
    """``obj`` is a project: its lead and partner structures report actuals on it, each for itself."""
    if _is_admin(user):
        return True
    structure_id = user_structure_id(user)
    if structure_id is None or not can(user, "indicator_actual", ADD):
        return False
    if obj.lead_structure_id == structure_id:
        return True
    return obj.partner_structures.filter(pk=structure_id).exists()


def can_edit_actual(*, user, obj) -> bool:
    """``obj`` is an actual: only its own structure changes it, and only while it is a draft or returned."""
    if not obj.is_editable:
        return False
    if _is_admin(user):
        return True
    return can(user, "indicator_actual", CHANGE) and user_structure_id(user) == obj.structure_id


def can_submit_actual(*, user, obj) -> bool:
    return can_edit_actual(user=user, obj=obj)


def can_review_actual(*, user, obj) -> bool:
    """Reviewers are Secretariat staff and the co-ordinator; nobody approves what they submitted themselves."""
    if not can(user, "indicator_actual", REVIEW) or obj.status != obj.Status.SUBMITTED:
        return False
    return obj.submitted_by_id is None or obj.submitted_by_id != user.pk or _is_admin(user)


def can_view_actual(*, user, obj) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role == Role.ADMIN:
        return True
    if role == Role.DELEGATION:
        return obj.status == obj.Status.APPROVED and (
            obj.period.indicator.result.project.status in PUBLISHED_PROJECT_STATUSES
        )
    own = user_structure_id(user) == obj.structure_id
    if role == Role.FIELD:
        return own or obj.status == obj.Status.APPROVED
    return own or obj.status != obj.Status.DRAFT


def can_link_activity(*, user, obj) -> bool:
    """``obj`` is a reported activity: its structure's staff, or reviewers, say which indicator it serves."""
    if _is_admin(user):
        return True
    if not can(user, "activity_contribution", ADD):
        return False
    if can(user, "indicator_actual", REVIEW):
        return True
    return user_structure_id(user) == obj.report.structure_id


def can_change_framework(*, user, obj=None) -> bool:
    return can(user, "results_framework", CHANGE)


def can_change_money(*, user, obj=None) -> bool:
    return can(user, "financial_transaction", CHANGE)


def can_export_open_data(*, user, obj=None) -> bool:
    return can(user, "open_data", EXPORT)


def can_change_programme(*, user, obj=None) -> bool:
    return can(user, "programme", CHANGE)


__all__ = [
    "ADD",
    "CHANGE",
    "DELETE",
    "EXPORT",
    "REVIEW",
    "VIEW",
    "can_change_framework",
    "can_change_money",
    "can_change_programme",
    "can_edit_actual",
    "can_export_open_data",
    "can_link_activity",
    "can_report_actual",
    "can_review_actual",
    "can_submit_actual",
    "can_view_actual",
    "can_view_project_results",
]
