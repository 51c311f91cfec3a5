"""One FilterSet for reports, shared by the HTML list, the review queue and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from programmes.activity.models import ActivityReport, ActivityType
from programmes.filtersets import ReferenceChoiceFilter, SearchFilterSet, ThematicAreaTreeFilter
from programmes.models import ExecutiveStructure, Region, ThematicArea


class ActivityReportFilterSet(SearchFilterSet):
    search_fields = ("structure__acronym", "structure__name", "summary")
    structure = ReferenceChoiceFilter(queryset=ExecutiveStructure.objects.order_by("acronym"), label=_("Structure"))
    region = django_filters.ChoiceFilter(field_name="structure__region", choices=Region.choices, label=_("Region"))
    status = django_filters.MultipleChoiceFilter(choices=ActivityReport.Status.choices, label=_("Status"))
    year = django_filters.NumberFilter(field_name="period_start", lookup_expr="year", label=_("Year"))
    period_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label=_("Periods ending on or after")
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label=_("Periods starting on or before")
    )
    activity_type = django_filters.ChoiceFilter(
        field_name="items__activity_type",
        choices=ActivityType.choices,
        method="filter_distinct",
        label=_("Has an activity of type"),
    )
    thematic_area = ThematicAreaTreeFilter(
        field_name="items__thematic_areas",
        queryset=ThematicArea.objects.in_tree_order(),
        label=_("Thematic area"),
    )

    class Meta:
        model = ActivityReport
        fields = [
            "q",
            "structure",
            "region",
            "status",
            "year",
            "period_from",
            "period_to",
            "activity_type",
            "thematic_area",
        ]

    def filter_distinct(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{name: value}).distinct()
