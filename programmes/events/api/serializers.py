"""The calendar API shapes. ``start``/``end`` follow the contract in issue 4: dates for all-day events (``end`` is the
last day, inclusive), ISO 8601 date-times in ``timezone`` for timed events."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import get_script_prefix
from rest_framework import serializers

from programmes.api.mixins import VersionedSerializerMixin
from programmes.api.representation import ReadPlanMixin
from programmes.api.serializers import RelationIdField
from programmes.events.models import CoordinationAlert, Event, EventOutcome
from programmes.events.services import schedule_fields
from programmes.models import ExecutiveStructure, ThematicArea


class EventSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    shared_read_plan = True  # columns, ids and the detail URL (per script prefix): nothing else from the request
    start = serializers.CharField(write_only=True, help_text="YYYY-MM-DD (all-day) or ISO 8601 date-time (timed)")
    end = serializers.CharField(write_only=True, help_text="Last day (all-day, inclusive) or end date-time (timed)")
    # Relation fields read the ids the list attaches (selectors.event_attach_relation_ids), else the relation.
    serializer_related_field = RelationIdField
    thematic_areas = RelationIdField(many=True, queryset=ThematicArea.objects.all())
    co_organisers = RelationIdField(many=True, queryset=ExecutiveStructure.objects.all(), required=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "uid",
            "title",
            "description",
            "format",
            "lead_structure",
            "co_organisers",
            "thematic_areas",
            "state",
            "city",
            "online",
            "all_day",
            "start",
            "end",
            "timezone",
            "status",
            "visibility",
            "partner_organisations",
            "project",
            "training_centre",
            "expected_participants",
            "sequence",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uid", "sequence", "created_at", "updated_at"]
        extra_kwargs = {"partner_organisations": {"required": False}, "training_centre": {"required": False}}

    def get_url(self, event: Event) -> str:
        # Event.get_absolute_url reversed once per script prefix (a list page: once, not 50 times — 12% of the event
        # list's CPU in the profile), then the pk put in its place; the same string as reversing per event. Per
        # prefix because the read plan, and this serializer with it, serves every request of the process.
        templates = self.__dict__.setdefault("_url_templates", {})
        prefix = get_script_prefix()
        template = templates.get(prefix)
        if template is None:
            marker = Event(pk=987654321).get_absolute_url()
            template = templates[prefix] = tuple(marker.rsplit("987654321", 1))
        return f"{template[0]}{event.pk}{template[1]}"

    def to_representation(self, event: Event):
        data = super().to_representation(event)
        if event.all_day:
            data["start"], data["end"] = event.start_date.isoformat(), event.end_date.isoformat()
        else:
            data["start"], data["end"] = event.local_start.isoformat(), event.local_end.isoformat()
        return data

    def validate_thematic_areas(self, value):
        if not value:
            raise serializers.ValidationError("Choose at least one thematic area.")
        return value

    def validate(self, attrs):
        instance = self.instance
        schedule_given = {"start", "end", "all_day", "timezone"} & attrs.keys()
        if instance is None or schedule_given:
            all_day = attrs.get("all_day", instance.all_day if instance else True)
            if instance is not None and not all_day:
                default_start, default_end = instance.local_start, instance.local_end
            elif instance is not None:
                default_start, default_end = instance.start_date, instance.end_date
            else:
                default_start = default_end = None
            if instance is not None and all_day != instance.all_day and not {"start", "end"} <= attrs.keys():
                raise serializers.ValidationError(
                    {"start": "Give both start and end when switching between all-day and timed."}
                )
            try:
                attrs["_schedule"] = schedule_fields(
                    all_day=all_day,
                    start=attrs.get("start", default_start),
                    end=attrs.get("end", default_end),
                    timezone=attrs.get("timezone", instance.timezone if instance else ""),
                )
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict)
        return attrs

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        for key in ("start", "end", "all_day", "timezone"):
            data.pop(key, None)
        data.update(data.pop("_schedule", {}))
        return data


class DuplicateSerializer(serializers.Serializer):
    event = EventSerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    kind = serializers.CharField(read_only=True, help_text="overlap or double_entry")
    strong = serializers.BooleanField(read_only=True, help_text="strong enough to ask for confirmation")
    alert = serializers.SerializerMethodField()

    def get_alert(self, match) -> dict | None:
        if match.alert is None:
            return None
        return {"id": match.alert.pk, "status": match.alert.status}


class AlertEventSerializer(serializers.ModelSerializer):
    lead_structure = serializers.CharField(source="lead_structure.acronym", read_only=True)
    state = serializers.CharField(source="state.name", read_only=True, default=None)

    class Meta:
        model = Event
        fields = ["id", "title", "lead_structure", "state", "start_date", "end_date", "status"]


class CoordinationAlertSerializer(serializers.ModelSerializer):
    event_a = AlertEventSerializer(read_only=True)
    event_b = AlertEventSerializer(read_only=True)

    class Meta:
        model = CoordinationAlert
        fields = [
            "id",
            "kind",
            "event_a",
            "event_b",
            "score",
            "reasons",
            "status",
            "resolved_by",
            "resolved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AlertResolveSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(
        choices=[CoordinationAlert.Status.COORDINATED, CoordinationAlert.Status.NOT_DUPLICATE, "merge"]
    )
    keep = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, help_text="merge only: the event to keep (default: the older)"
    )


class EventOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventOutcome
        fields = [
            "outcome",
            "participants_women",
            "participants_men",
            "participants_afghan",
            "results",
            "follow_up",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
