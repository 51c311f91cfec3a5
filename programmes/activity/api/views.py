"""The activity-report endpoint: list, create (optionally submitting at once), retrieve, update a draft; actions
``submit``, ``return`` and ``accept``; attachment upload and removal."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from programmes.activity import selectors, services
from programmes.activity.api import serializers as s
from programmes.activity.filtersets import ActivityReportFilterSet
from programmes.api.mixins import UnfilteredRetrieveMixin, VersionedViewSetMixin
from programmes.api.parsers import BoundedJSONParser
from programmes.permissions import CHANGE, REVIEW, is_delegation


def _items_or_400(call):
    try:
        return call()
    except services.ItemsValidationError as exc:
        raise serializers.ValidationError({"items": exc.item_errors})


class ActivityReportViewSet(
    UnfilteredRetrieveMixin,
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_resource = "activity_report"
    action_permissions = {
        "submit": CHANGE,
        "return_report": REVIEW,
        "accept": REVIEW,
        "attachments": CHANGE,
        "attachment_delete": CHANGE,
    }
    filterset_class = ActivityReportFilterSet
    ordering_fields = ["period_start", "period_end", "status", "submitted_at", "due_on"]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.action == "list":
            return selectors.report_api_list(user=self.request.user)
        return selectors.report_api_queryset(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            selectors.report_items_attach(reports=page, user=self.request.user)
        return page

    def get_serializer_class(self):
        if is_delegation(self.request.user):
            return s.PublishedActivityReportSerializer
        if self.action in ("update", "partial_update"):
            return s.ActivityReportUpdateSerializer
        return s.ActivityReportSerializer

    def _detail(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        report = selectors.report_detail(user=self.request.user, pk=pk)
        return Response(self.get_serializer(report).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        structure = data.get("structure") or selectors.writable_structure(user=request.user)
        if structure is None:
            raise serializers.ValidationError(
                {"structure": ["Your account is not linked to a reporting structure; give the structure."]}
            )
        report = _items_or_400(
            lambda: services.report_create(
                structure=structure,
                period_start=data["period_start"],
                period_end=data["period_end"],
                actor=request.user,
                summary=data.get("summary", ""),
                items=data.get("items"),
                submit=data.get("submit", False),
            )
        )
        return self._detail(report.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        report = self.get_object()
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            _items_or_400(
                lambda: services.report_update(
                    report=report,
                    actor=request.user,
                    summary=data.get("summary"),
                    items=data.get("items"),
                    expected_version=self.expected_version,
                )
            )
            if data.get("submit"):
                services.report_submit(report=report, actor=request.user)
        return self._detail(report.pk)

    @extend_schema(request=None, responses=s.ActivityReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        services.report_submit(report=report, actor=request.user)
        return self._detail(report.pk)

    @extend_schema(request=s.ReturnSerializer, responses=s.ActivityReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        body = s.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_return(report=report, actor=request.user, comment=body.validated_data["comment"])
        return self._detail(report.pk)

    @extend_schema(request=s.AcceptSerializer, responses=s.ActivityReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_accept(report=report, actor=request.user, comment=body.validated_data["comment"])
        return self._detail(report.pk)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer}, responses={201: s.ReportAttachmentSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        report = self.get_object()
        body = s.AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            report=report,
            uploaded=body.validated_data["file"],
            actor=request.user,
            published=body.validated_data["published"],
        )
        return Response(s.ReportAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment_id>[0-9]+)", url_name="attachment-delete"
    )
    def attachment_delete(self, request, pk=None, attachment_id=None):
        report = self.get_object()
        attachment = get_object_or_404(report.attachments.all(), pk=attachment_id)
        services.attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
