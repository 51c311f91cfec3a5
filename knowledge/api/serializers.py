"""Shapes of the knowledge API. Serializers check shapes; the services validate rows and decide."""

from rest_framework import serializers

from knowledge.models import CommitmentStatus, Document, Instrument, StateCommitment
from programmes.events.models import Event, TrainingCentre
from programmes.models import Mandate, Project


class InstrumentSerializer(serializers.ModelSerializer):
    statuses = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "family",
            "parent",
            "adopted_year",
            "thematic_areas",
            "description",
            "position",
            "statuses",
        ]
        extra_kwargs = {"thematic_areas": {"required": False}}


class CommitmentSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField(source="state.name", read_only=True)
    instrument_code = serializers.CharField(source="instrument.code", read_only=True)

    class Meta:
        model = StateCommitment
        fields = [
            "id",
            "state",
            "state_name",
            "instrument",
            "instrument_code",
            "status",
            "date",
            "as_of",
            "reservations",
            "reservations_note",
            "source",
            "source_url",
            "illustrative",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is the service's to check (through full_clean), so both paths give the same message.
        validators: list = []


class MatrixQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    region = serializers.CharField(required=False, allow_blank=True)
    family = serializers.ChoiceField(choices=Instrument.Family.choices, required=False)
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.all(), many=True, required=False)

    def validate_region(self, value):
        from programmes.models import Region

        if value and value not in Region.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(Region.values)}.")
        return value


class GapQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    start = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("on") and attrs.get("start") and attrs["start"] > attrs["on"]:
            raise serializers.ValidationError({"start": "The start cannot be after the date."})
        return attrs


class PeriodQuerySerializer(serializers.Serializer):
    """A period; without one, this year up to today."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        from django.utils import timezone

        today = timezone.localdate()
        attrs.setdefault("end", today)
        attrs.setdefault("start", attrs["end"].replace(month=1, day=1))
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "The end cannot be before the start."})
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    rank = serializers.FloatField(read_only=True, required=False)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "language",
            "published_on",
            "summary",
            "visibility",
            "file",
            "link",
            "thematic_areas",
            "states",
            "structures",
            "partner_organisations",
            "events",
            "projects",
            "meetings",
            "mandates",
            "illustrative",
            "text_status",
            "text_error",
            "text_extracted_at",
            "url",
            "file_url",
            "rank",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["text_status", "text_error", "text_extracted_at", "created_at", "updated_at"]
        extra_kwargs = {
            "file": {"write_only": True, "required": False},
            **{
                name: {"required": False}
                for name in (
                    "thematic_areas",
                    "states",
                    "structures",
                    "partner_organisations",
                    "events",
                    "projects",
                    "meetings",
                    "mandates",
                )
            },
        }

    def get_url(self, document: Document) -> str:
        return document.get_absolute_url()

    def get_file_url(self, document: Document) -> str | None:
        from django.urls import reverse

        return reverse("knowledge:document_file", args=[document.pk]) if document.file else None

    def validate(self, attrs):
        instance = self.instance
        has_file = bool(attrs.get("file")) or bool(instance and instance.file and "file" not in attrs)
        link = attrs.get("link", instance.link if instance else "")
        if not has_file and not link:
            raise serializers.ValidationError({"link": "Attach a file or give a link."})
        return attrs


class TrainingCentreSerializer(serializers.ModelSerializer):
    event_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = TrainingCentre
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "city",
            "state",
            "host",
            "osce_structure",
            "thematic_areas",
            "description",
            "website",
            "active",
            "event_count",
        ]
        extra_kwargs = {"thematic_areas": {"required": False}}


class KnowledgeDecisionSerializer(serializers.ModelSerializer):
    is_proposal = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        fields = [
            "id",
            "code",
            "title",
            "year",
            "body",
            "status",
            "adopted_as",
            "proposed_in",
            "thematic_areas",
            "is_proposal",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, mandate: Mandate) -> str:
        from django.urls import reverse

        return reverse("knowledge:decision_detail", args=[mandate.pk])


class DecisionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Mandate.Status.choices)
    adopted_as = serializers.PrimaryKeyRelatedField(
        queryset=Mandate.objects.exclude(code__startswith="PROPOSAL/"), required=False, allow_null=True
    )


class _ProjectRef(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "title", "status", "start", "end"]


class _EventRef(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "start_date", "end_date", "status"]


class YearCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    projects = serializers.IntegerField()
    events = serializers.IntegerField()
    activities = serializers.IntegerField()
    results = serializers.IntegerField(allow_null=True)


class TraceSerializer(serializers.Serializer):
    decision = KnowledgeDecisionSerializer(source="mandate")
    projects = _ProjectRef(many=True)
    events = _EventRef(many=True)
    activity_ids = serializers.SerializerMethodField()
    years = YearCountsSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())
    undated_projects = serializers.IntegerField()
    results_available = serializers.BooleanField()

    def get_activity_ids(self, trace) -> list[int]:
        return [a.pk for a in trace.activities]


STATUS_CHOICES = [*CommitmentStatus.values, "none"]
