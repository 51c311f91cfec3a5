from django.db.models import ProtectedError
from rest_framework import status, viewsets
from rest_framework.response import Response

from programmes import selectors, services
from programmes.api import serializers
from programmes.filtersets import (
    ExecutiveStructureFilterSet,
    MandateFilterSet,
    ParticipatingStateFilterSet,
    PartnerOrganisationFilterSet,
    ProjectFilterSet,
    ThematicAreaFilterSet,
)


class ProtectedDeleteMixin:
    """Deleting a row that others still point to is a 409 with a reason, not a 500."""

    def destroy(self, request, *args, **kwargs):
        try:
            return super().destroy(request, *args, **kwargs)
        except ProtectedError:
            return Response(
                {"detail": "This record is still referenced by other records and cannot be deleted."},
                status=status.HTTP_409_CONFLICT,
            )


class ReferenceViewSet(ProtectedDeleteMixin, viewsets.ModelViewSet):
    """Reference data: the serializer validates shape, ``reference_save`` validates the row and saves it."""

    def perform_create(self, serializer):
        serializer.instance = services.reference_save(
            instance=serializer.Meta.model(), data=serializer.validated_data
        )

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


class ProjectViewSet(ProtectedDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "project"
    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["code", "title", "start", "end", "budget", "status"]

    def get_queryset(self):
        if self.action == "list":
            # The relations' ids are attached per page in paginate_queryset, far cheaper than prefetching them.
            return selectors.project_list(user=self.request.user).prefetch_related(None).prefetch_related("pledges")
        return selectors.project_list(user=self.request.user).prefetch_related("pledges")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            selectors.project_attach_relation_ids(projects=page)
        return page

    def perform_create(self, serializer):
        serializer.instance = services.project_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.project_update(project=serializer.instance, data=serializer.validated_data)
