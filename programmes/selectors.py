"""Reads of the core model, already joined for the pages and endpoints that use them."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

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
from programmes.types import PortalUser

# Delegations read what has been approved; proposals and cancelled ideas stay internal.
PUBLISHED_PROJECT_STATUSES = (Project.Status.APPROVED, Project.Status.ONGOING, Project.Status.COMPLETED)


def thematic_area_with_descendants_ids(area_ids: Iterable[int]) -> QuerySet[ThematicArea, Any]:
    """Ids of the given areas and their sub-areas (the hierarchy has two levels)."""
    return ThematicArea.objects.filter(Q(pk__in=area_ids) | Q(parent_id__in=area_ids)).values("pk")


def structure_list() -> QuerySet[ExecutiveStructure]:
    return ExecutiveStructure.objects.select_related("parent", "host_state")


def state_list() -> QuerySet[ParticipatingState]:
    return ParticipatingState.objects.all()


def participating_states_on(day: date | None) -> QuerySet[ParticipatingState]:
    """Participating States (not Partners) that had joined by ``day`` (all of them when ``day`` is None): figures for
    a period count only the States that were participating then, so 2010 counts 56 and not Mongolia."""
    qs = ParticipatingState.objects.filter(is_partner=False)
    if day is not None:
        qs = qs.filter(Q(joined__isnull=True) | Q(joined__lte=day))
    return qs


def partner_organisation_list() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.select_related("parent")


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.select_related("parent")


def mandate_list() -> QuerySet[Mandate]:
    return Mandate.objects.all()


def project_list(*, user: PortalUser) -> QuerySet[Project]:
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


def project_table_rows(*, user: PortalUser) -> QuerySet[Project]:
    """``project_list`` for tables that show the lead structure and the thematic areas only: the other relations
    are not prefetched, which at 25-50 rows a page is most of the cost of the page."""
    return (
        project_list(user=user)
        .prefetch_related(None)
        .prefetch_related(Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")))
    )


def project_budget_summary(*, projects: QuerySet[Project]) -> dict[str, Any]:
    """Totals under a project list: the sum of the budgets that are known, and how many projects give no figure
    (an unknown budget is never counted as EUR 0). One query."""
    totals = projects.order_by().aggregate(
        projects=Count("pk", distinct=True),
        known=Sum("budget"),
        without=Count("pk", filter=Q(budget__isnull=True), distinct=True),
    )
    return {
        "projects": totals["projects"],
        "known": totals["known"] if totals["known"] is not None else Decimal(0),
        "without": totals["without"],
    }


# relation -> column of the related row in the relation's table
PROJECT_RELATION_COLUMNS = {
    "thematic_areas": "thematicarea",
    "partner_structures": "executivestructure",
    "beneficiary_states": "participatingstate",
    "partner_organisations": "partnerorganisation",
    "mandates": "mandate",
}


def many_to_many_ids(*, model: type[Any], relation: str, **rows: Any) -> dict[int, list[int]]:
    """Row pk -> ids of its ``relation`` (a many-to-many field of ``model``), in the related model's default
    ordering as a prefetch gives them, for the rows matching the lookups ``rows`` (``pk__in=[…]``,
    ``report_id__in=[…]``), in one query on the link table.

    For API lists that serialise only the ids: the prefetch would build a model instance per linked row (and the
    related managers to hold them), which costs far more than the SQL when a page has hundreds of links."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in field.related_model._meta.ordering
    ]
    links = (
        through.objects.filter(**{f"{source}__{lookup}": value for lookup, value in rows.items()})
        .order_by(f"{source}_id", *ordering, f"{target}_id")
        .values_list(f"{source}_id", f"{target}_id")
    )
    ids: dict[int, list[int]] = defaultdict(list)
    for pk, related_id in links:
        ids[pk].append(related_id)
    return ids


def project_attach_relation_ids(*, projects: Sequence[Project]) -> Sequence[Project]:
    """Give each project ``relation_ids``: relation name -> ids of the related rows, in the related model's order.

    One small query per relation for the whole page, instead of Django's per-row prefetch machinery, which costs
    far more than the SQL when a page has many rows (the API's lists serialise only these ids)."""
    by_pk = {project.pk: project for project in projects}
    for project in projects:
        project.relation_ids = {name: [] for name in PROJECT_RELATION_COLUMNS}
    if not by_pk:
        return projects
    for name, column in PROJECT_RELATION_COLUMNS.items():
        through = getattr(Project, name).through
        related = getattr(Project, name).field.related_model
        ordering = [
            f"-{column}__{field[1:]}" if field.startswith("-") else f"{column}__{field}"
            for field in related._meta.ordering
        ]
        rows = (
            through.objects.filter(project_id__in=by_pk)
            .order_by("project_id", *ordering, f"{column}_id")
            .values_list("project_id", f"{column}_id")
        )
        for project_id, related_id in rows:
            by_pk[project_id].relation_ids[name].append(related_id)
    return projects


def project_detail(*, user: PortalUser, pk: int) -> Project:
    qs = project_list(user=user).prefetch_related(
        Prefetch("pledges", queryset=DonorPledge.objects.select_related("donor_state"))
    )
    return qs.get(pk=pk)


def project_pledged_total(*, project: Project) -> Decimal | int:
    total: Decimal | None = project.pledges.aggregate(total=Sum("amount"))["total"]
    return total or 0


def structure_detail(*, pk: int) -> ExecutiveStructure:
    return (
        structure_list()
        .prefetch_related("children")
        .annotate(led_count=Count("led_projects", distinct=True))
        .get(pk=pk)
    )


def structure_projects(*, user: PortalUser, structure: ExecutiveStructure) -> QuerySet[Project]:
    partnered = Project.partner_structures.through.objects.filter(executivestructure=structure).values("project_id")
    return project_table_rows(user=user).filter(Q(lead_structure=structure) | Q(pk__in=partnered))


def state_projects(*, user: PortalUser, state: ParticipatingState) -> QuerySet[Project]:
    return project_table_rows(user=user).filter(beneficiary_states=state)


def state_structures(*, state: ParticipatingState) -> QuerySet[ExecutiveStructure]:
    return structure_list().filter(host_state=state)
