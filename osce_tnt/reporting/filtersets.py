import django_filters
from django.utils.translation import gettext_lazy as _

from osce_tnt.reporting.models import GeneratedReport
from programmes.filtersets import SearchFilterSet


class GeneratedReportFilterSet(SearchFilterSet):
    search_fields = ("title",)
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label=_("Ends on or after"))
    period_to = django_filters.DateFilter(field_name="period_start", lookup_expr="lte", label=_("Starts on or before"))

    class Meta:
        model = GeneratedReport
        fields = ["q", "status", "scope_kind", "published", "scheduled", "period_from", "period_to"]
