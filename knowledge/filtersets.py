"""FilterSets shared by the knowledge pages and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from knowledge.models import CommitmentStatus, Document, Instrument, StateCommitment
from knowledge.selectors import document_search
from programmes.events.models import TrainingCentre
from programmes.filtersets import ReferenceChoiceFilter
from programmes.models import ExecutiveStructure, Mandate, ParticipatingState, Region, ThematicArea
from programmes.selectors import thematic_area_with_descendants_ids


class MatrixFilterSet(django_filters.FilterSet):
    """The legal matrix's controls; only validated here, the matrix itself is built by ``selectors.legal_matrix``."""

    on = django_filters.DateFilter(label=_("As on"), method="noop", widget=forms.DateInput(attrs={"type": "date"}))
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, method="noop")
    family = django_filters.ChoiceFilter(label=_("Family"), choices=Instrument.Family.choices, method="noop")
    instrument = django_filters.ModelMultipleChoiceFilter(
        label=_("Instruments"), queryset=Instrument.objects.all(), method="noop"
    )

    class Meta:
        model = Instrument
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def matrix_arguments(self) -> dict:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "on": data.get("on"),
            "region": data.get("region") or None,
            "family": data.get("family") or None,
            "instrument_ids": [i.pk for i in data.get("instrument") or []] or None,
        }


class InstrumentFilterSet(django_filters.FilterSet):
    class Meta:
        model = Instrument
        fields = ["kind", "family", "parent"]


class CommitmentFilterSet(django_filters.FilterSet):
    state = ReferenceChoiceFilter(queryset=ParticipatingState.objects.all())
    instrument = ReferenceChoiceFilter(queryset=Instrument.objects.all())
    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices)
    region = django_filters.ChoiceFilter(field_name="state__region", choices=Region.choices)
    as_of_from = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_to = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")

    class Meta:
        model = StateCommitment
        fields = ["state", "instrument", "status", "illustrative", "reservations"]


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", help_text=_("Words from the title, summary or text, in any language.")
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Document.Kind.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Document.Language.choices)
    thematic_area = extend_schema_field(OpenApiTypes.INT)(
        ReferenceChoiceFilter(
            label=_("Thematic area"), queryset=ThematicArea.objects.in_tree_order(), method="filter_area"
        )
    )
    state = ReferenceChoiceFilter(label=_("State"), field_name="states", queryset=ParticipatingState.objects.all())
    structure = ReferenceChoiceFilter(
        label=_("Structure"), field_name="structures", queryset=ExecutiveStructure.objects.all()
    )
    published_from = django_filters.DateFilter(
        label=_("From"), field_name="published_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = django_filters.DateFilter(
        label=_("To"), field_name="published_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Document
        fields = ["kind", "language", "visibility"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(thematic_areas__in=thematic_area_with_descendants_ids([value.pk])).distinct()

    def filter_q(self, queryset, name, value):
        # Applied last (see ``qs``) so the ranking survives the other filters.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if self.is_bound and self.is_valid():
            queryset = document_search(queryset=queryset, query=self.form.cleaned_data.get("q") or "")
        return queryset


class CentreFilterSet(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(label=_("Region"), field_name="state__region", choices=Region.choices)
    thematic_area = extend_schema_field(OpenApiTypes.INT)(
        ReferenceChoiceFilter(
            label=_("Thematic area"), queryset=ThematicArea.objects.in_tree_order(), method="filter_area"
        )
    )

    class Meta:
        model = TrainingCentre
        fields = ["kind", "state", "active"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(thematic_areas__in=thematic_area_with_descendants_ids([value.pk])).distinct()


class DecisionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Mandate
        fields = ["status", "body", "year"]
