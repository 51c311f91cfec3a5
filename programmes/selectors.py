"""Reads of the core model, already joined for the pages and endpoints that use them."""

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)
from programmes.permissions import is_delegation

# Delegations read what has been approved; proposals and cancelled ideas stay internal.
PUBLISHED_PROJECT_STATUSES = (Project.Status.APPROVED, Project.Status.ONGOING, Project.Status.COMPLETED)


def thematic_area_with_descendants_ids(area_ids) -> QuerySet:
    """Ids of the given areas and their sub-areas (the hierarchy has two levels)."""
    return ThematicArea.objects.filter(Q(pk__in=area_ids) | Q(parent_id__in=area_ids)).values("pk")


def structure_list() -> QuerySet[ExecutiveStructure]:
    return ExecutiveStructure.objects.select_related("parent", "host_state")


def state_list() -> QuerySet[ParticipatingState]:
    return ParticipatingState.objects.all()


def partner_organisation_list() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.select_related("parent")


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.select_related("parent")


def thematic_area_tree() -> list[ThematicArea]:
    return list(ThematicArea.objects.filter(parent__isnull=True).prefetch_related("children"))


def mandate_list() -> QuerySet[Mandate]:
    return Mandate.objects.all()


def project_list(*, user) -> QuerySet[Project]:
    qs = Project.objects.select_related("lead_structure").prefetch_related(
        # An area's label names its parent, so the parent comes with it.
        Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")),
        "partner_structures",
        "beneficiary_states",
        "partner_organisations",
        "mandates",
    )
    if is_delegation(user):
        qs = qs.filter(status__in=PUBLISHED_PROJECT_STATUSES)
    return qs


def project_detail(*, user, pk: int) -> Project:
    qs = project_list(user=user).prefetch_related(
        Prefetch("pledges", queryset=DonorPledge.objects.select_related("donor_state"))
    )
    return qs.get(pk=pk)


def project_pledged_total(*, project: Project):
    return project.pledges.aggregate(total=Sum("amount"))["total"] or 0


def structure_detail(*, pk: int) -> ExecutiveStructure:
    return (
        structure_list()
        .prefetch_related("children")
        .annotate(led_count=Count("led_projects", distinct=True))
        .get(pk=pk)
    )


def structure_projects(*, user, structure: ExecutiveStructure) -> QuerySet[Project]:
    return project_list(user=user).filter(Q(lead_structure=structure) | Q(partner_structures=structure)).distinct()


def state_projects(*, user, state: ParticipatingState) -> QuerySet[Project]:
    return project_list(user=user).filter(beneficiary_states=state)


def state_structures(*, state: ParticipatingState) -> QuerySet[ExecutiveStructure]:
    return structure_list().filter(host_state=state)
