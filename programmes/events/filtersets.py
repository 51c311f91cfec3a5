"""Filters of the calendar, shared by the month grid, the agenda, the iCalendar feeds and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from programmes.events.models import CoordinationAlert, Event
from programmes.filtersets import ReferenceChoiceFilter, SearchFilterSet, ThematicAreaTreeFilter
from programmes.models import ExecutiveStructure, ParticipatingState, Region, ThematicArea


class EventFilterSet(SearchFilterSet):
    search_fields = ("title", "description", "city")
    thematic_area = ThematicAreaTreeFilter(
        field_name="thematic_areas",
        queryset=ThematicArea.objects.in_tree_order(),
        label=_("Thematic area (with its sub-areas)"),
    )
    structure = ReferenceChoiceFilter(
        queryset=ExecutiveStructure.objects.all(),
        method="filter_structure",
        label=_("Structure (lead or co-organiser)"),
    )
    state = ReferenceChoiceFilter(queryset=ParticipatingState.objects.all(), label=_("State"))
    region = django_filters.ChoiceFilter(choices=Region.choices, method="filter_region", label=_("Region"))
    format = django_filters.MultipleChoiceFilter(
        choices=Event.Format.choices, widget=forms.CheckboxSelectMultiple, label=_("Format")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Event.Status.choices, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    visibility = django_filters.ChoiceFilter(choices=Event.Visibility.choices, label=_("Visibility"))
    date_from = django_filters.DateFilter(
        field_name="end_date",
        lookup_expr="gte",
        label=_("Ending on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label=_("Starting on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Event
        fields = [
            "q",
            "thematic_area",
            "structure",
            "state",
            "region",
            "format",
            "status",
            "visibility",
            "date_from",
            "date_to",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_structure(self, queryset, name, value):
        co_organised = Event.co_organisers.through.objects.filter(executivestructure_id=value.pk).values("event_id")
        return queryset.filter(Q(lead_structure=value) | Q(pk__in=co_organised))

    def filter_region(self, queryset, name, value):
        # An event's region is its State's; events without a State (online, at headquarters) take their lead's.
        return queryset.filter(Q(state__region=value) | Q(state__isnull=True, lead_structure__region=value))


# The parameters that narrow the calendar; the month grid keeps them in its navigation links and feed URLs.
EVENT_FILTER_PARAMS = tuple(EventFilterSet.Meta.fields)


class CoordinationAlertFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CoordinationAlert.Status.choices, label=_("Status"))
    structure = ReferenceChoiceFilter(
        queryset=ExecutiveStructure.objects.all(), method="filter_structure", label=_("Structure")
    )
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label=_("Minimum score"))

    class Meta:
        model = CoordinationAlert
        fields = ["status", "structure", "min_score"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_structure(self, queryset, name, value):
        return queryset.filter(Q(event_a__lead_structure=value) | Q(event_b__lead_structure=value))
