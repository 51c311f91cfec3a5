"""Serializers validate shape; services apply the rules. Readers who may not see internals get the reduced
serializers (no representatives, no owner persons, no draft minutes)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import serializers

from programmes.api.mixins import VersionedSerializerMixin
from programmes.api.representation import ReadPlanMixin
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, Mandate, Project, ThematicArea
from taskforces.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    TaskForce,
    TaskForceMember,
)
from taskforces.rendering import render_minutes

User = get_user_model()


class MemberSerializer(serializers.ModelSerializer):
    structure_acronym = serializers.CharField(source="structure.acronym", read_only=True)
    representative_name = serializers.CharField(read_only=True)

    class Meta:
        model = TaskForceMember
        fields = [
            "id",
            "structure",
            "structure_acronym",
            "role",
            "representative",
            "focal_point",
            "representative_name",
            "joined_on",
        ]


class PublicMemberSerializer(serializers.ModelSerializer):
    structure_acronym = serializers.CharField(source="structure.acronym", read_only=True)

    class Meta:
        model = TaskForceMember
        fields = ["id", "structure", "structure_acronym", "role"]


class TaskForceSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    mandate = serializers.PrimaryKeyRelatedField(queryset=Mandate.objects.all(), required=False, allow_null=True)
    chair_structure = serializers.PrimaryKeyRelatedField(queryset=ExecutiveStructure.objects.all())
    secretary = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    thematic_areas = serializers.PrimaryKeyRelatedField(queryset=ThematicArea.objects.all(), many=True, required=False)

    class Meta:
        model = TaskForce
        fields = [
            "id",
            "name",
            "acronym",
            "slug",
            "description",
            "mandate",
            "chair_structure",
            "secretary",
            "meeting_frequency",
            "thematic_areas",
            "active",
            "publishes_to_delegations",
            "receives_calendar_bundle",
            "member_count",
            "members",
        ]


class PublicTaskForceSerializer(serializers.ModelSerializer):
    members = PublicMemberSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TaskForce
        fields = [
            "id",
            "name",
            "acronym",
            "slug",
            "description",
            "mandate",
            "chair_structure",
            "meeting_frequency",
            "active",
            "member_count",
            "members",
        ]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "notes", "presenter"]


class AttendanceSerializer(serializers.ModelSerializer):
    structure = serializers.IntegerField(source="member.structure_id", read_only=True)
    structure_acronym = serializers.CharField(source="member.structure.acronym", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "member", "structure", "structure_acronym", "presence"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text", "thematic_areas"]


class BoundedDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField raises OverflowError (a 500) on a year-1 time east of UTC; answer it as bad input."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")


class MeetingSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    task_force = serializers.PrimaryKeyRelatedField(queryset=TaskForce.objects.all())
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    minutes_html = serializers.SerializerMethodField()
    agenda_count = serializers.IntegerField(read_only=True)
    decision_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "task_force",
            "title",
            "starts_at",
            "duration_minutes",
            "timezone",
            "place",
            "online",
            "status",
            "minutes_markdown",
            "minutes_html",
            "published",
            "event",
            "agenda_count",
            "decision_count",
            "agenda_items",
            "attendance",
            "decisions",
        ]
        read_only_fields = ["event"]

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: BoundedDateTimeField,
    }

    def get_minutes_html(self, meeting) -> str:
        return str(render_minutes(meeting.minutes_markdown))

    def get_fields(self):
        fields = super().get_fields()
        # Nested rows and minutes only on the detail view, where they are prefetched; lists stay one query.
        if not self.context.get("detail", True):
            for key in ("agenda_items", "attendance", "decisions", "minutes_html", "minutes_markdown"):
                fields.pop(key, None)
        return fields


class PublicMeetingSerializer(MeetingSerializer):
    class Meta(MeetingSerializer.Meta):
        read_only_fields = MeetingSerializer.Meta.fields


class _ListedCharField(serializers.CharField):
    """A read-only text of a related row (``source="task_force.acronym"``) that reads the column ``listed`` when the
    selector brought it with the row (``selectors.action_item_api_list``), else the related row as usual."""

    def __init__(self, *, listed: str, **kwargs: Any) -> None:
        self.listed = listed
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        try:
            return instance.__dict__[self.listed]
        except KeyError:
            return super().get_attribute(instance)


class ActionItemSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    shared_read_plan = True  # columns, ids, names of the joined rows: nothing from the request
    task_force = serializers.PrimaryKeyRelatedField(queryset=TaskForce.objects.all())
    owner_structure = serializers.PrimaryKeyRelatedField(queryset=ExecutiveStructure.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all(), required=False, allow_null=True)
    owner_structure_acronym = _ListedCharField(source="owner_structure.acronym", listed="listed_structure_acronym")
    owner_name = serializers.SerializerMethodField()
    task_force_acronym = _ListedCharField(source="task_force.acronym", listed="listed_task_force_acronym")
    overdue = serializers.BooleanField(read_only=True)
    due_timezone = serializers.CharField(required=False)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "task_force",
            "task_force_acronym",
            "meeting",
            "decision",
            "project",
            "event",
            "what",
            "owner_structure",
            "owner_structure_acronym",
            "owner",
            "owner_name",
            "due_date",
            "due_timezone",
            "status",
            "completed_on",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_on", "created_at", "updated_at"]

    def get_owner_name(self, action) -> str:
        if not action.owner_id:
            return ""
        names = action.__dict__
        if "listed_owner_username" in names:
            # The owner's columns as the list brought them: what ``get_full_name()`` writes, else the username.
            full_name = f"{names['listed_owner_first_name']} {names['listed_owner_last_name']}".strip()
            return full_name or names["listed_owner_username"]
        return action.owner.get_full_name() or action.owner.username


class PublicActionItemSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    shared_read_plan = True  # columns, ids, the owner structure's acronym: nothing from the request
    owner_structure_acronym = _ListedCharField(source="owner_structure.acronym", listed="listed_structure_acronym")
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "task_force",
            "meeting",
            "decision",
            "what",
            "owner_structure",
            "owner_structure_acronym",
            "due_date",
            "status",
            "overdue",
        ]
        read_only_fields = fields


class AgendaReorderSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ProgressNoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
