"""Filters for results and money, shared by the HTML pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from programmes.filtersets import ReferenceChoiceFilter, ThematicAreaTreeFilter
from programmes.models import ParticipatingState, Programme, Project, ThematicArea
from results.models import ActualStatus, FinancialTransaction, Indicator, IndicatorActual, IndicatorPeriod, Result


class ResultFilterSet(django_filters.FilterSet):
    class Meta:
        model = Result
        fields = ["project", "level", "parent", "illustrative"]


class IndicatorFilterSet(django_filters.FilterSet):
    project = ReferenceChoiceFilter(field_name="result__project", queryset=Project.objects.all())

    class Meta:
        model = Indicator
        fields = ["result", "project", "measure", "code", "counts_people"]


class PeriodFilterSet(django_filters.FilterSet):
    project = ReferenceChoiceFilter(field_name="indicator__result__project", queryset=Project.objects.all())

    class Meta:
        model = IndicatorPeriod
        fields = ["indicator", "project"]


class ActualFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ActualStatus.choices)
    project = ReferenceChoiceFilter(field_name="period__indicator__result__project", queryset=Project.objects.all())
    indicator = ReferenceChoiceFilter(field_name="period__indicator", queryset=Indicator.objects.all())

    class Meta:
        model = IndicatorActual
        fields = ["status", "structure", "project", "indicator", "period", "activity_report"]


class TransactionFilterSet(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    programme = ReferenceChoiceFilter(field_name="project__programme", queryset=Programme.objects.all())

    class Meta:
        model = FinancialTransaction
        fields = [
            "project",
            "programme",
            "kind",
            "funding_source",
            "donor_state",
            "donor_organisation",
            "currency",
            "date_from",
            "date_to",
        ]


class DashboardFilterSet(django_filters.FilterSet):
    """The results dashboard's choices; applied by ``selectors.target_vs_actual``."""

    programme = ReferenceChoiceFilter(queryset=Programme.objects.all(), label=_("Programme"), method="keep")
    thematic_area = ThematicAreaTreeFilter(
        field_name="thematic_areas", queryset=ThematicArea.objects.select_related("parent"), label=_("Thematic area")
    )
    state = ReferenceChoiceFilter(queryset=ParticipatingState.objects.all(), label=_("State"), method="keep")
    year = django_filters.NumberFilter(label=_("Year"), method="keep", min_value=1975, max_value=2100)

    class Meta:
        model = Project
        fields = ["programme", "thematic_area", "state", "year"]

    def keep(self, queryset, name, value):
        return queryset
