"""Shapes of the results API. Serializers check types and choices; the services check the rules."""

from rest_framework import serializers

from programmes.models import Mandate, Programme, Project
from results.models import (
    ActivityContribution,
    ActualTransition,
    AgeGroup,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    Result,
    Sex,
)


class ProgrammeSerializer(serializers.ModelSerializer):
    mandates = serializers.PrimaryKeyRelatedField(many=True, queryset=Mandate.objects.all(), required=False)
    projects = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "lead_structure",
            "mandates",
            "planned_project_count",
            "start",
            "end",
            "projects",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service's full_clean, so both paths say the same.
        extra_kwargs = {"code": {"validators": []}}

    def get_projects(self, programme) -> list[int]:
        # A delegation sees only the programme's published projects.
        from programmes.permissions import is_delegation
        from programmes.selectors import PUBLISHED_PROJECT_STATUSES

        request = self.context.get("request")
        delegation = request is not None and is_delegation(request.user)
        return [p.pk for p in programme.projects.all() if not delegation or p.status in PUBLISHED_PROJECT_STATUSES]


class ProjectClassificationSerializer(serializers.ModelSerializer):
    follow_up_of = serializers.PrimaryKeyRelatedField(many=True, queryset=Project.objects.all(), required=False)
    follow_ups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "programme", "follow_up_of", "follow_ups", "gender_marker"]
        read_only_fields = ["code"]


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = ["id", "project", "level", "parent", "title", "description", "position", "illustrative"]


class IndicatorSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="result.project_id", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "result",
            "project",
            "title",
            "description",
            "code",
            "measure",
            "unit",
            "counts_people",
            "ascending",
            "baseline_year",
            "baseline_value",
            "baseline_comment",
            "position",
            "illustrative",
        ]


class IndicatorPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorPeriod
        fields = [
            "id",
            "indicator",
            "period_start",
            "period_end",
            "target_value",
            "target_women",
            "target_men",
            "target_comment",
        ]
        validators = []  # the service reports overlaps and duplicates on the field


class ActualTransitionSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = ActualTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]


class IndicatorActualSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    indicator = serializers.IntegerField(source="period.indicator_id", read_only=True)
    project = serializers.IntegerField(source="period.indicator.result.project_id", read_only=True)
    transitions = ActualTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorActual
        fields = [
            "id",
            "period",
            "indicator",
            "project",
            "structure",
            "activity_report",
            "value",
            "value_women",
            "value_men",
            "value_unrecorded",
            "narrative",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "activity_report",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        validators = []


class IndicatorActualUpdateSerializer(IndicatorActualSerializer):
    class Meta(IndicatorActualSerializer.Meta):
        read_only_fields = [*IndicatorActualSerializer.Meta.read_only_fields, "period"]


class PublishedActualSerializer(serializers.ModelSerializer):
    """What a delegation reads: the approved figure, no review trail."""

    structure = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    indicator = serializers.IntegerField(source="period.indicator_id", read_only=True)

    class Meta:
        model = IndicatorActual
        fields = [
            "id",
            "period",
            "indicator",
            "structure",
            "value",
            "value_women",
            "value_men",
            "value_unrecorded",
            "narrative",
            "status",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityContributionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityContribution
        fields = ["id", "activity", "indicator", "value"]
        validators = []


class BreakdownRowSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    count = serializers.IntegerField(min_value=0)


class BreakdownSerializer(serializers.Serializer):
    rows = BreakdownRowSerializer(many=True)


class FinancialTransactionSerializer(serializers.ModelSerializer):
    value_eur = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)

    class Meta:
        model = FinancialTransaction
        fields = [
            "id",
            "project",
            "kind",
            "funding_source",
            "donor_state",
            "donor_organisation",
            "pledge",
            "date",
            "currency",
            "amount",
            "value_eur",
            "description",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators = []
