from django.urls import reverse
from rest_framework import serializers

from osce_tnt.reporting.models import GeneratedReport
from programmes.models import ExecutiveStructure, Region, ThematicArea


class GeneratedReportSerializer(serializers.ModelSerializer):
    thematic_area = serializers.PrimaryKeyRelatedField(
        queryset=ThematicArea.objects.all(), required=False, allow_null=True
    )
    structure = serializers.PrimaryKeyRelatedField(
        queryset=ExecutiveStructure.objects.all(), required=False, allow_null=True
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    scope_label = serializers.CharField(read_only=True)
    downloads = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "url",
            "title",
            "scope_kind",
            "scope_label",
            "thematic_area",
            "region",
            "structure",
            "period_start",
            "period_end",
            "scheduled",
            "status",
            "progress",
            "progress_message",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "published",
            "published_at",
            "downloads",
        ]
        read_only_fields = [
            "scheduled",
            "status",
            "progress",
            "progress_message",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "published",
            "published_at",
        ]

    def get_downloads(self, report) -> dict[str, str]:
        request = self.context.get("request")
        links = {}
        for fmt in ("pdf", "xlsx", "csv"):
            if report.file_for(fmt):
                path = reverse("api:report-download", args=[report.pk, fmt])
                links[fmt] = request.build_absolute_uri(path) if request else path
        return links

    def get_url(self, report) -> str:
        return report.get_absolute_url()

    def validate(self, attrs):
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": "The period cannot end before it starts."})
        return attrs


class DashboardQuerySerializer(serializers.Serializer):
    """Documents the query parameters of /api/dashboard/ (the filter form validates them)."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    area = serializers.IntegerField(required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    state = serializers.IntegerField(required=False)
    all_time = serializers.BooleanField(required=False, help_text="Without start/end: every year, not the current one.")
