from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from programmes.api.mixins import ServiceDeleteMixin
from programmes.events import selectors, services
from programmes.events.api import serializers
from programmes.events.filtersets import CoordinationAlertFilterSet, EventFilterSet
from programmes.events.permissions import can_edit_event
from programmes.permissions import CHANGE, VIEW


class EventViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    """Events of the joint calendar, scoped to what the user may see (delegations: public events only)."""

    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["start_date", "end_date", "title", "status", "updated_at"]
    ordering = ["start_date", "start_at", "pk"]
    delete_service = staticmethod(services.event_delete)
    delete_service_argument = "event"

    @property
    def permission_resource(self) -> str:
        # Duplicates are a co-ordination tool for staff and field operations, not for delegations.
        return "event_duplicates" if getattr(self, "action", None) == "duplicates" else "event"

    def get_queryset(self):
        return selectors.visible_events(user=self.request.user).prefetch_related("partner_organisations")

    def _check_may_edit(self, event) -> None:
        if not can_edit_event(user=self.request.user, event=event):
            raise PermissionDenied("You may change events of your own operation only.")

    def perform_create(self, serializer):
        serializer.instance = services.event_create(actor=self.request.user, **serializer.service_data())

    def perform_update(self, serializer):
        self._check_may_edit(serializer.instance)
        serializer.instance = services.event_update(
            event=serializer.instance, data=serializer.service_data(), actor=self.request.user
        )

    @extend_schema(responses=serializers.DuplicateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def duplicates(self, request, pk=None):
        event = self.get_object()
        matches = selectors.event_duplicates(event=event, user=request.user)
        return Response(serializers.DuplicateSerializer(matches, many=True).data)


class CoordinationAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Likely duplicates for the co-ordinator; ``resolve`` marks a pair co-ordinated or not a duplicate."""

    permission_resource = "coordination_alert"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "resolve": CHANGE}
    serializer_class = serializers.CoordinationAlertSerializer
    filterset_class = CoordinationAlertFilterSet
    ordering_fields = ["score", "created_at"]
    ordering = ["-score", "pk"]

    def get_queryset(self):
        return selectors.alert_list()

    @extend_schema(request=serializers.AlertResolveSerializer, responses=serializers.CoordinationAlertSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request, pk=None):
        alert = self.get_object()
        payload = serializers.AlertResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        alert = services.alert_resolve(alert=alert, resolution=payload.validated_data["resolution"], actor=request.user)
        alert = selectors.alert_list().get(pk=alert.pk)
        return Response(serializers.CoordinationAlertSerializer(alert).data)
