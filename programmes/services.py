"""Writes to the core model. Every write validates the whole row (``full_clean``) before saving."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
    UserProfile,
)
from programmes.permissions import GROUP_NAMES, Role
from programmes.service_tools import DeleteRefused, protected_delete, validated_save
from programmes.signals import project_references
from programmes.types import PortalUser

PROJECT_RELATIONS = ("partner_structures", "thematic_areas", "beneficiary_states", "partner_organisations", "mandates")


def _apply(instance: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


REFERENCE_MODELS = (ExecutiveStructure, ParticipatingState, PartnerOrganisation, ThematicArea, Mandate)


def _require_reference(instance: models.Model) -> None:
    if not isinstance(instance, REFERENCE_MODELS):
        raise TypeError(f"{type(instance).__name__} is not reference data")


@transaction.atomic
def reference_save(*, instance: models.Model, data: dict[str, Any]) -> models.Model:
    """Create or update one row of reference data (structure, State, organisation, area, mandate)."""
    _require_reference(instance)
    _apply(instance, data)
    return validated_save(instance)


@transaction.atomic
def reference_delete(*, instance: models.Model, actor: PortalUser | None = None) -> None:
    """Delete one row of reference data; refused (:class:`DeleteRefused`) while projects, structures or people
    still point at it."""
    _require_reference(instance)
    protected_delete(instance)


def _set_relations(project: Project, relations: dict[str, Iterable[models.Model]]) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(project, name).set(values)


@transaction.atomic
def project_create(
    *,
    code: str,
    title: str,
    lead_structure: ExecutiveStructure,
    funding_source: str,
    thematic_areas: Iterable[ThematicArea],
    summary: str = "",
    budget: Decimal | None = None,
    status: str = Project.Status.PROPOSAL,
    start: date | None = None,
    end: date | None = None,
    target_participants: int | None = None,
    partner_structures: Iterable[ExecutiveStructure] = (),
    beneficiary_states: Iterable[ParticipatingState] = (),
    partner_organisations: Iterable[PartnerOrganisation] = (),
    mandates: Iterable[Mandate] = (),
) -> Project:
    thematic_areas = list(thematic_areas)
    if not thematic_areas:
        raise ValidationError({"thematic_areas": _("Choose at least one thematic area.")})
    project = Project(
        code=code,
        title=title,
        summary=summary,
        lead_structure=lead_structure,
        funding_source=funding_source,
        budget=budget,
        status=status,
        start=start,
        end=end,
        target_participants=target_participants,
    )
    validated_save(project)
    _set_relations(
        project,
        {
            "thematic_areas": thematic_areas,
            "partner_structures": partner_structures,
            "beneficiary_states": beneficiary_states,
            "partner_organisations": partner_organisations,
            "mandates": mandates,
        },
    )
    return project


@transaction.atomic
def project_update(*, project: Project, data: dict[str, Any]) -> Project:
    """Update fields and relations. A status change must be a valid transition."""
    data = dict(data)
    relations = {name: data.pop(name) for name in PROJECT_RELATIONS if name in data}
    if "thematic_areas" in relations and not list(relations["thematic_areas"]):
        raise ValidationError({"thematic_areas": _("Choose at least one thematic area.")})
    new_status = data.pop("status", None)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if new_status is not None and new_status != locked.status:
        _check_transition(locked, new_status)
        locked.status = new_status
    _apply(locked, data)
    validated_save(locked)
    _set_relations(locked, relations)
    return locked


def _check_transition(project: Project, new_status: str) -> None:
    if not project.can_transition_to(new_status):
        raise ValidationError(
            {
                "status": _("A project cannot move from %(old)s to %(new)s.")
                % {"old": project.get_status_display(), "new": dict(Project.Status.choices).get(new_status, new_status)}
            }
        )


@transaction.atomic
def project_change_status(*, project: Project, status: str) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    _check_transition(locked, status)
    locked.status = status
    validated_save(locked)
    return locked


@transaction.atomic
def project_delete(*, project: Project, actor: PortalUser | None = None) -> None:
    """Delete a project and its pledges. Refused while activity reports or calendar events name it: their link would
    otherwise be silently cleared. The apps that own those rows answer ``project_references`` (the core cannot
    import them), so the check is explicit rather than left to the database."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    # The stubs type a receiver's answer as a string; ours answer a list of (what, count) pairs or nothing.
    answers = cast(
        list[tuple[Any, list[tuple[str, int]] | None]], project_references.send(sender=Project, project=locked)
    )
    references = [(what, count) for _receiver, answer in answers for what, count in (answer or []) if count]
    if references:
        raise DeleteRefused(
            ngettext(
                "Project %(code)s cannot be deleted while %(others)s refers to it.",
                "Project %(code)s cannot be deleted while %(others)s refer to it.",
                sum(count for _what, count in references),
            )
            % {"code": locked.code, "others": ", ".join(what for what, _count in references)}
        )
    protected_delete(locked)


@transaction.atomic
def pledge_add(*, project: Project, donor_state: ParticipatingState, amount: Decimal, pledged_on: date) -> DonorPledge:
    pledge = DonorPledge(project=project, donor_state=donor_state, amount=amount, pledged_on=pledged_on)
    return validated_save(pledge)


@transaction.atomic
def pledge_update(*, pledge: DonorPledge, data: dict[str, Any]) -> DonorPledge:
    data = {k: v for k, v in data.items() if k in ("donor_state", "amount", "pledged_on")}
    _apply(pledge, data)
    return validated_save(pledge)


@transaction.atomic
def pledge_delete(*, pledge: DonorPledge) -> None:
    pledge.delete()


@transaction.atomic
def roles_ensure_groups() -> dict[Role, Group]:
    return {role: Group.objects.get_or_create(name=name)[0] for role, name in GROUP_NAMES.items()}


@transaction.atomic
def user_assign_role(
    *,
    user: User,
    role: Role,
    structure: ExecutiveStructure | None = None,
    state: ParticipatingState | None = None,
) -> UserProfile:
    """Put the user in exactly one role group and link them to the structure or State they act for."""
    if role == Role.FIELD and (structure is None or not structure.is_field_operation):
        raise ValidationError({"structure": _("Field-operation staff must belong to a field operation.")})
    if role == Role.DELEGATION and state is None:
        raise ValidationError({"state": _("A delegation reader must be linked to a participating State.")})
    groups = roles_ensure_groups()
    user.groups.remove(*[g for r, g in groups.items() if r != role])
    user.groups.add(groups[role])
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    profile, _created = UserProfile.objects.get_or_create(user=user)
    profile.structure = structure
    profile.state = state
    validated_save(profile)
    # Refresh the per-request role cache that permissions.role_of keeps on the user object (not a model field).
    user._portal_role = role  # type: ignore[attr-defined]
    return profile
