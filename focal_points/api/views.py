from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from focal_points import selectors, services
from focal_points.api import serializers
from focal_points.filtersets import FocalPointFilterSet, NetworkFilterSet
from focal_points.models import FocalPoint, Network
from focal_points.permissions import can_see_contacts, can_see_contacts_of
from osce_tnt.api.pagination import SearchPagination
from programmes.api.mixins import ServiceDeleteMixin, UnfilteredRetrieveMixin, VersionedViewSetMixin
from programmes.permissions import CHANGE


class NetworkViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "network"
    delete_service = services.network_delete
    delete_service_argument = "network"
    serializer_class = serializers.NetworkSerializer
    filterset_class = NetworkFilterSet
    ordering_fields = ["name"]

    action_resources = {"coverage": "network_coverage"}

    def get_queryset(self):
        return selectors.network_list()

    def perform_create(self, serializer):
        serializer.instance = services.network_save(network=Network(), data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.network_save(network=serializer.instance, data=serializer.validated_data)

    @extend_schema(responses=serializers.CoverageCellSerializer(many=True))
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Covered / stale / vacant per participating State (staff only: see ``action_resources``)."""
        network = self.get_object()
        cells = selectors.network_coverage(network=network)
        return Response(serializers.CoverageCellSerializer(cells, many=True).data)


class FocalPointViewSet(UnfilteredRetrieveMixin, VersionedViewSetMixin, ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "focal_point"
    delete_service = services.focal_point_delete
    delete_service_argument = "focal_point"
    filterset_class = FocalPointFilterSet
    ordering_fields = ["last_name", "first_name", "updated_at"]
    action_permissions = {"memberships": CHANGE}
    # ?q= with few matches: the page sorted from the trigram matches, not by walking the name index.
    pagination_class = SearchPagination

    def get_queryset(self):
        if self.action == "list":
            return selectors.focal_point_api_list(user=self.request.user)
        return selectors.focal_point_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            selectors.focal_point_attach_listing(focal_points=page)
        return page

    def get_serializer_class(self):
        if self.request is not None and not can_see_contacts(user=self.request.user):
            return serializers.RestrictedFocalPointSerializer
        return serializers.FocalPointSerializer

    def perform_create(self, serializer):
        serializer.instance = services.focal_point_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.focal_point_update(
            focal_point=serializer.instance, data=serializer.validated_data, expected_version=self.expected_version
        )

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer_class = self.get_serializer_class()
        if can_see_contacts_of(user=request.user, focal_point=instance):
            serializer_class = serializers.FocalPointSerializer
        return Response(serializer_class(instance, context=self.get_serializer_context()).data)

    def _refetched(self, pk):
        return selectors.focal_point_list(user=self.request.user).get(pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        assert serializer.instance is not None  # perform_create saved it
        data = self.get_serializer(self._refetched(serializer.instance.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.MembershipWriteSerializer, responses=serializers.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def memberships(self, request, pk=None):
        """Add the focal point to a network."""
        focal_point: FocalPoint = self.get_object()
        serializer = serializers.MembershipWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_create(focal_point=focal_point, **serializer.validated_data)
        return Response(serializers.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
