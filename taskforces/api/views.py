"""API viewsets: thin; they scope with the selectors and write through services, which apply the row rules of
``taskforces.permissions`` (a refusal is a 403)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from programmes.api.mixins import ServiceDeleteMixin, UnfilteredRetrieveMixin, VersionedViewSetMixin
from programmes.permissions import is_delegation, is_staff_role
from taskforces import selectors, services
from taskforces.api import serializers
from taskforces.filtersets import ActionItemFilterSet, MeetingFilterSet, TaskForceFilterSet
from taskforces.models import ActionItem, TaskForceMember


class TaskForceViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "taskforce"
    delete_service = services.taskforce_delete
    delete_service_argument = "task_force"
    filterset_class = TaskForceFilterSet
    ordering_fields = ["name", "acronym"]

    def get_queryset(self):
        members = TaskForceMember.objects.select_related("structure", "representative", "focal_point")
        return selectors.taskforce_list(user=self.request.user).prefetch_related(
            Prefetch("members", queryset=members), "thematic_areas"
        )

    def get_serializer_class(self):
        if is_staff_role(self.request.user):
            return serializers.TaskForceSerializer
        return serializers.PublicTaskForceSerializer

    def perform_create(self, serializer):
        serializer.instance = services.taskforce_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.taskforce_update(
            task_force=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )


class MeetingViewSet(VersionedViewSetMixin, ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "meeting"
    delete_service = services.meeting_delete
    delete_service_argument = "meeting"
    filterset_class = MeetingFilterSet
    ordering_fields = ["starts_at", "status"]
    action_permissions = {"reorder_agenda": "change"}

    def get_queryset(self):
        qs = selectors.meeting_list(user=self.request.user).order_by("-starts_at")
        if self.action != "list":
            qs = qs.prefetch_related("agenda_items", "decisions__thematic_areas", "attendance__member__structure")
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action != "list"}

    def get_serializer_class(self):
        # Writers (staff, or members whose task force perform_* checks) use the full serializer; other readers
        # get the published view.
        if is_staff_role(self.request.user) or self.action in ("create", "update", "partial_update"):
            return serializers.MeetingSerializer
        return serializers.PublicMeetingSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task_force = data.pop("task_force")
        serializer.instance = services.meeting_create(task_force=task_force, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("task_force", None)
        serializer.instance = services.meeting_update(
            meeting=serializer.instance, data=data, actor=self.request.user, expected_version=self.expected_version
        )

    @extend_schema(request=serializers.AgendaReorderSerializer, responses=serializers.AgendaItemSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="reorder-agenda")
    def reorder_agenda(self, request, pk=None):
        meeting = self.get_object()
        body = serializers.AgendaReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        items = services.agenda_reorder(meeting=meeting, item_ids=body.validated_data["item_ids"], actor=request.user)
        return Response(serializers.AgendaItemSerializer(items, many=True).data)


class ActionItemViewSet(UnfilteredRetrieveMixin, VersionedViewSetMixin, ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "action_item"
    delete_service = services.action_item_delete
    delete_service_argument = "action"
    filterset_class = ActionItemFilterSet
    ordering_fields = ["due_date", "status", "created_at"]
    action_permissions = {"progress": "change"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ActionItem.objects.none()
        if self.action == "list":
            # The page's rows get their listed columns after the count (page_rows).
            return selectors.action_item_list(user=self.request.user).select_related(None).order_by("due_date", "pk")
        if self.action == "retrieve":
            return selectors.action_item_api_list(user=self.request.user).order_by("due_date", "pk")
        return selectors.action_item_list(user=self.request.user).order_by("due_date", "pk")

    def page_rows(self, queryset):
        return selectors.action_item_api_rows(queryset)

    def get_serializer_class(self):
        # Delegations never see owners' names; field staff see them only for task forces they sit on (the
        # queryset is already scoped to those).
        if is_delegation(self.request.user):
            return serializers.PublicActionItemSerializer
        return serializers.ActionItemSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task_force = data.pop("task_force")
        serializer.instance = services.action_item_create(task_force=task_force, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("task_force", None)
        serializer.instance = services.action_item_update(
            action=serializer.instance, data=data, actor=self.request.user, expected_version=self.expected_version
        )

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        # Re-read so the computed ``overdue`` reflects the saved row.
        instance = self.get_queryset().get(pk=response.data["id"])
        return Response(self.get_serializer(instance).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        assert serializer.instance is not None  # perform_create saved it
        instance = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ProgressNoteSerializer, responses=serializers.ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        item = self.get_object()
        body = serializers.ProgressNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_progress_add(action=item, actor=request.user, **body.validated_data)
        return Response(
            serializers.ActionItemSerializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED
        )
