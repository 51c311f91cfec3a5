"""Shapes of the activity-report API. Serializers validate types and references; the services apply the rules."""

from typing import Any, cast

from django.urls import reverse
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from programmes.activity.models import ActivityReport, ReportAttachment, ReportedActivity, ReportTransition
from programmes.activity.selectors import published_links
from programmes.api.mixins import VersionedSerializerMixin
from programmes.api.representation import ListedListSerializer, ReadPlanMixin
from programmes.models import ExecutiveStructure


class IndexedListSerializer(serializers.ListSerializer):
    """Item errors as a list aligned with the input (``[{}, {"start": [...]}]``), the published API contract,
    whatever DRF's own default for list errors is."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and detail and all(isinstance(k, int) for k in detail):
                # DRF keys a list's errors by index; the stubs only know string keys.
                by_index = cast("dict[int, Any]", detail)
                raise serializers.ValidationError([by_index.get(i, {}) for i in range(len(data))])
            raise


class _ReportItemsListSerializer(ListedListSerializer, IndexedListSerializer):
    """Writes as ``IndexedListSerializer``. Reads the rows the staff list attaches
    (``selectors.report_items_attach``: ``listed_item_rows``, ``ValueRows``) when present, else the items themselves.
    The list tests compare the rows as written with the detail, which goes through the serializer."""

    listed_attribute = "listed_item_rows"


class _ListedManyRelatedField(serializers.ManyRelatedField):
    """Reads ``prefetched_<field>`` when the selector put the relation's ids in a plain list (a delegation's API
    list: ``selectors.report_items_attach``), else the related manager as usual. Writes are unchanged."""

    def get_attribute(self, instance):
        listed = getattr(instance, f"prefetched_{self.source}", None)
        return listed if listed is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        # The list endpoint attaches ids (selectors.report_items_attach), the others related objects.
        return [item if isinstance(item, int) else self.child_relation.to_representation(item) for item in iterable]


class _ListedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):
        # As RelatedField.many_init, with the list-aware many field.
        list_kwargs: dict[str, Any] = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return _ListedManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)


class ReportedActivitySerializer(ReadPlanMixin, serializers.ModelSerializer):
    serializer_related_field = _ListedPrimaryKeyRelatedField
    id = serializers.IntegerField(required=False, help_text="Give the id to update an existing item; omit to add.")
    participants_total = serializers.IntegerField(read_only=True, help_text="Women + men + not recorded.")

    class Meta:
        model = ReportedActivity
        fields = [
            "id",
            "title",
            "activity_type",
            "thematic_areas",
            "project",
            "event",
            "state",
            "city",
            "online",
            "start",
            "end",
            "participants_women",
            "participants_men",
            "participants_unrecorded",
            "participants_total",
            "partner_organisations",
            "results",
        ]
        extra_kwargs = {"partner_organisations": {"required": False}}
        list_serializer_class = _ReportItemsListSerializer


class ReportAttachmentSerializer(ReadPlanMixin, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "published", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("activity:attachment_download", args=[obj.report_id, obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, ODT, PNG or JPEG; checked by content.")
    published = serializers.BooleanField(required=False, default=False)


class _TransitionsListSerializer(ListedListSerializer):
    listed_attribute = "listed_transitions"  # attached to the API list's page by selectors.report_items_attach


class ReportTransitionSerializer(ReadPlanMixin, serializers.ModelSerializer):
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "by", "by_name", "at", "comment"]
        list_serializer_class = _TransitionsListSerializer

    def get_by_name(self, obj) -> str:
        return (obj.by.get_full_name() or obj.by.username) if obj.by_id else ""


class ActivityReportSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    # Columns, ids, items and transitions as rows, attachments' download URLs reversed per attachment: nothing from
    # the request.
    shared_read_plan = True
    structure = serializers.PrimaryKeyRelatedField(
        queryset=ExecutiveStructure.objects.all(),
        required=False,
        help_text="Defaults to the structure of the signed-in user.",
    )
    items = ReportedActivitySerializer(many=True, required=False)
    submit = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Submit the report in the same request, after saving it.",
    )
    attachments = ReportAttachmentSerializer(many=True, read_only=True, source="visible_attachments")
    transitions = ReportTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = ActivityReport
        fields = [
            "id",
            "structure",
            "period_start",
            "period_end",
            "status",
            "due_on",
            "summary",
            "items",
            "submit",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "attachments",
            "transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "due_on",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        # One report per structure and period is checked by the service, with a message on period_start.
        validators: list[Any] = []


class ActivityReportUpdateSerializer(ActivityReportSerializer):
    """Structure and period are fixed once a report exists."""

    class Meta(ActivityReportSerializer.Meta):
        read_only_fields = [*ActivityReportSerializer.Meta.read_only_fields, "structure", "period_start", "period_end"]


class PublishedReportedActivitySerializer(ReportedActivitySerializer):
    """An item as a delegation sees it: links to internal events or unapproved projects are left out."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        event, project = published_links(instance)
        data["event"] = event.pk if event else None
        data["project"] = project.pk if project else None
        return data


class PublishedActivityReportSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    """What a delegation sees of an accepted report: its items and published attachments, no review trail."""

    shared_read_plan = True  # as ActivityReportSerializer; the items' published links are read from the item

    items = PublishedReportedActivitySerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True, source="visible_attachments")

    class Meta:
        model = ActivityReport
        fields = ["id", "structure", "period_start", "period_end", "status", "summary", "items", "attachments"]
        read_only_fields = fields


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="What must change before the report can be accepted.")


class AcceptSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
