from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from osce_tnt.api.negotiation import FormatFilterNegotiation
from programmes.api.mixins import ServiceDeleteMixin, UnfilteredRetrieveMixin, VersionedViewSetMixin
from programmes.events import selectors, services
from programmes.events.api import serializers
from programmes.events.filtersets import CoordinationAlertFilterSet, EventFilterSet
from programmes.events.permissions import can_edit_event, can_record_event_outcome
from programmes.permissions import CHANGE, VIEW


class EventViewSet(UnfilteredRetrieveMixin, VersionedViewSetMixin, ServiceDeleteMixin, viewsets.ModelViewSet):
    """Events of the joint calendar, scoped to what the user may see (delegations: public events only)."""

    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    content_negotiation_class = FormatFilterNegotiation  # ?format= filters events by their format
    ordering_fields = ["start_date", "end_date", "title", "status", "updated_at"]
    ordering = ["start_date", "start_at", "pk"]
    delete_service = staticmethod(services.event_delete)
    delete_service_argument = "event"

    @property
    def permission_resource(self) -> str:
        # Duplicates are a co-ordination tool for staff and field operations, not for delegations.
        action_name = getattr(self, "action", None)
        if action_name == "outcome":
            return "event_outcome"
        return "event_duplicates" if action_name == "duplicates" else "event"

    def get_queryset(self):
        if self.action == "list":
            return selectors.event_api_list(user=self.request.user)
        return selectors.visible_events(user=self.request.user).prefetch_related("partner_organisations")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            selectors.event_attach_relation_ids(events=page)
        return page

    def _check_may_edit(self, event) -> None:
        if not can_edit_event(user=self.request.user, event=event):
            raise PermissionDenied("You may change events of your own operation only.")

    def perform_create(self, serializer):
        serializer.instance = services.event_create(actor=self.request.user, **serializer.service_data())

    def perform_update(self, serializer):
        self._check_may_edit(serializer.instance)
        serializer.instance = services.event_update(
            event=serializer.instance,
            data=serializer.service_data(),
            actor=self.request.user,
            expected_version=self.expected_version,
        )

    @extend_schema(responses=serializers.DuplicateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def duplicates(self, request, pk=None):
        event = self.get_object()
        matches = selectors.event_duplicates(event=event, user=request.user)
        return Response(serializers.DuplicateSerializer(matches, many=True).data)

    @extend_schema(request=serializers.EventSerializer, responses=serializers.DuplicateSerializer(many=True))
    @action(
        detail=False, methods=["post"], pagination_class=None, filterset_class=None, url_path="check", url_name="check"
    )
    def precheck(self, request):
        """Likely duplicates and overlaps of an event that is not saved yet (the body of a create); saves nothing."""
        serializer = serializers.EventSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        matches = services.event_precheck(actor=request.user, **serializer.service_data())
        return Response(serializers.DuplicateSerializer(matches, many=True).data)

    @extend_schema(request=serializers.EventOutcomeSerializer, responses=serializers.EventOutcomeSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def outcome(self, request, pk=None):
        event = self.get_object()
        if request.method == "GET":
            record = getattr(event, "outcome", None)
            if record is None:
                return Response({"detail": "No outcome recorded yet."}, status=404)
            return Response(serializers.EventOutcomeSerializer(record).data)
        if not can_record_event_outcome(user=request.user, obj=event):
            raise PermissionDenied("Only the lead structure records the outcome, once the last day has passed.")
        serializer = serializers.EventOutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.event_outcome_record(event=event, actor=request.user, **serializer.validated_data)
        return Response(serializers.EventOutcomeSerializer(record).data, status=201)


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
        result = services.alert_resolve(
            alert=alert,
            resolution=payload.validated_data["resolution"],
            actor=request.user,
            keep=payload.validated_data.get("keep"),
        )
        if payload.validated_data["resolution"] == services.MERGE:
            # The alert went with the merged event: answer with the event that was kept.
            return Response(serializers.EventSerializer(result).data)
        alert = selectors.alert_list().get(pk=result.pk)
        return Response(serializers.CoordinationAlertSerializer(alert).data)
