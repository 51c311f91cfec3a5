from rest_framework import viewsets

from programmes import selectors, services
from programmes.api import serializers
from programmes.api.mixins import ServiceDeleteMixin, UnfilteredRetrieveMixin, VersionedViewSetMixin
from programmes.filtersets import (
    ExecutiveStructureFilterSet,
    MandateFilterSet,
    ParticipatingStateFilterSet,
    PartnerOrganisationFilterSet,
    ProjectFilterSet,
    ThematicAreaFilterSet,
)


class ReferenceViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    """Reference data: the serializer validates shape, ``reference_save`` validates the row and saves it;
    ``reference_delete`` deletes it or refuses (409) while other rows point at it."""

    delete_service = staticmethod(services.reference_delete)

    def perform_create(self, serializer):
        serializer.instance = services.reference_save(instance=serializer.Meta.model(), data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.reference_save(instance=serializer.instance, data=serializer.validated_data)


class ExecutiveStructureViewSet(ReferenceViewSet):
    permission_resource = "structure"
    serializer_class = serializers.ExecutiveStructureSerializer
    filterset_class = ExecutiveStructureFilterSet
    ordering_fields = ["name", "acronym", "kind", "region"]

    def get_queryset(self):
        return selectors.structure_list()


class ParticipatingStateViewSet(ReferenceViewSet):
    permission_resource = "state"
    serializer_class = serializers.ParticipatingStateSerializer
    filterset_class = ParticipatingStateFilterSet
    ordering_fields = ["name", "iso_code", "joined"]

    def get_queryset(self):
        return selectors.state_list()


class PartnerOrganisationViewSet(ReferenceViewSet):
    permission_resource = "partner_organisation"
    serializer_class = serializers.PartnerOrganisationSerializer
    filterset_class = PartnerOrganisationFilterSet
    ordering_fields = ["name", "acronym"]

    def get_queryset(self):
        return selectors.partner_organisation_list()


class ThematicAreaViewSet(ReferenceViewSet):
    permission_resource = "thematic_area"
    serializer_class = serializers.ThematicAreaSerializer
    filterset_class = ThematicAreaFilterSet
    ordering_fields = ["name", "position"]

    def get_queryset(self):
        return selectors.thematic_area_list()


class MandateViewSet(ReferenceViewSet):
    permission_resource = "mandate"
    serializer_class = serializers.MandateSerializer
    filterset_class = MandateFilterSet
    ordering_fields = ["code", "year"]

    def get_queryset(self):
        return selectors.mandate_list()


class ProjectViewSet(UnfilteredRetrieveMixin, VersionedViewSetMixin, ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "project"
    delete_service = staticmethod(services.project_delete)
    delete_service_argument = "project"
    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "title", "start", "end", "budget", "status"]

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            # The relations' ids and the pledges (as rows) are attached to the page (paginate_queryset) or the row
            # (get_object) in one query each, far cheaper than prefetching six relations of model instances (7 ms of
            # a detail's CPU at N=1). The lead structure is written as its id (the column): no join, no
            # ExecutiveStructure per row.
            return selectors.project_list(user=self.request.user).select_related(None).prefetch_related(None)
        return selectors.project_list(user=self.request.user).prefetch_related("pledges")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            selectors.project_attach_relation_ids(projects=page)
        return page

    def get_object(self):
        project = super().get_object()
        if self.action == "retrieve":
            # Only for a read: an update changes the relations, and its answer must show the new ones.
            selectors.project_attach_relation_ids(projects=[project])
        return project

    def perform_create(self, serializer):
        serializer.instance = services.project_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.project_update(
            project=serializer.instance, data=serializer.validated_data, expected_version=self.expected_version
        )
