"""One FilterSet per model, shared by the HTML list pages and the API."""

import copy

import django_filters
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from programmes import prepared
from programmes.models import (
    PROJECT_SEARCH_FIELDS,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)
from programmes.search import search_condition
from programmes.selectors import thematic_area_with_descendants_ids


def _whole_table(queryset: QuerySet, *, related_on_access: bool) -> bool:
    """True when ``queryset`` is every row of its table as plain instances (or, with ``related_on_access``, with
    related rows it would have joined in), so that a lookup by primary key within it is a lookup in the table (its
    ordering aside)."""
    query = queryset.query
    return not (
        query.where
        or (query.select_related and not related_on_access)
        or query.annotations
        or query.extra
        or query.distinct
        or query.combinator
        or query.low_mark
        or query.high_mark is not None
        or query.deferred_loading != (frozenset(), True)
    )


class ReferenceChoiceField(django_filters.fields.ModelChoiceField):
    """django-filter's model choice field, whose chosen row is looked up by one prepared statement when the choices
    are a whole table (a structure, a State): every filtered API list validates its filters, and the ORM took
    longer to build ``queryset.get(pk=…)`` than PostgreSQL to answer it (issue 14, round 6: 0.69 ms of SQL and
    about 0.4 ms of Python on the activity-report list at N=1). Anything else (a narrowed queryset, ``to_field_name``,
    a model instance) is the ORM's, as are the error and its message. ``related_on_access``: the filter reads only
    the chosen row's own columns, so a queryset's ``select_related`` (there for the option labels) is not joined
    into the lookup; a related row would load when read."""

    def __init__(self, *args, related_on_access: bool = False, **kwargs):
        self.related_on_access = related_on_access
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        model = self.queryset.model
        whole_table = _whole_table(self.queryset, related_on_access=self.related_on_access)
        if self.to_field_name or isinstance(value, model) or not whole_table:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        pk_field = model._meta.pk
        try:
            pk = pk_field.to_python(value)
        except ValidationError:
            pk = None
        using = self.queryset.db
        if isinstance(pk, int):
            # Beyond the column's range the ORM finds nothing; PostgreSQL would refuse the parameter.
            low, high = connections[using].ops.integer_field_range(pk_field.get_internal_type())
            if (low is not None and pk < low) or (high is not None and pk > high):
                pk = None
        instance = None if pk is None else prepared.instance_by_pk(model, pk, using=using)
        if instance is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return instance


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ReferenceChoiceField


class _UncopiedFields(dict):
    """A form's ``base_fields`` that ``Form.__init__``'s ``copy.deepcopy`` gives as a new mapping of the same field
    objects (``PortalFilterSet.validation_form_class``)."""

    def __deepcopy__(self, memo):
        return dict(self)


class PortalFilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without rebuilding itself on every request (issue 14).

    django-filter deep-copies every filter of the set and then builds a new form class, with new form fields, for
    each instance: ~420 ``deepcopy`` calls and about 1 ms of every API list request at N=1. The filters of the
    portal's sets are the same for every request (none is added or removed per instance, none has a queryset that
    depends on the request), so an instance gets shallow copies that carry its own ``parent`` and ``model`` (a
    filter's ``method`` is bound to the copy), and the form class is built once per FilterSet class. Django's
    ``Form`` still copies its fields for each form, so a request's form is its own."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, shared in self.base_filters.items():
            filter_ = copy.copy(shared)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # re-binds its FilterMethod to this copy, not to the class's filter
            self.filters[name] = filter_

    # Set by the API's filter backend: this set's form is validated (and at most rendered by the browsable API),
    # never changed, so it may use the class's field objects themselves (``validation_form_class``).
    form_fields_shared = False

    @classmethod
    def shared_form_class(cls):
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            for filter_ in cls.base_filters.values():
                filter_.model = cls._meta.model  # what each instance gives its filters (their default labels)
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._shared_form_class = form_class
        return form_class

    @classmethod
    def validation_form_class(cls):
        """``shared_form_class`` whose forms hold the class's own field objects instead of deep copies.

        Django's ``Form`` deep-copies its fields for every form so that a form may change its own (the HTML list
        pages do: ``choice_cache.use_cached_choices`` replaces a select's options, in the page's language). The
        API only validates: cleaning a field reads it and never writes to it, so one set of fields serves every
        request, as one serializer's fields do. The copies (a queryset clone per model choice) were about 0.4 ms
        of CPU of every API list request at N=1 (issue 14, round 5)."""
        form_class = cls.__dict__.get("_validation_form_class")
        if form_class is None:
            shared = cls.shared_form_class()
            form_class = type(f"{cls.__name__}ValidationForm", (shared,), {})
            # After the class exists: Django's form metaclass sets base_fields itself, to a plain dict.
            form_class.base_fields = _UncopiedFields(shared.base_fields)  # type: ignore[attr-defined]
            cls._validation_form_class = form_class
        return form_class

    def get_form_class(self):
        return type(self).validation_form_class() if self.form_fields_shared else type(self).shared_form_class()


class SearchFilterSet(PortalFilterSet):
    """Adds ``q``: a case-insensitive search over ``search_fields``, read from the model's stored ``search_column``
    of those fields where it has one (programmes.search). The text is one phrase, or with ``search_each_word``
    words that must each match in one of the fields."""

    search_fields: tuple[str, ...] = ()
    search_column: str | None = None
    search_each_word = False
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def search_target(self) -> tuple[str | None, tuple[str, ...]]:
        """The stored column and the fields it holds that this request searches."""
        return self.search_column, self.search_fields

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        column, fields = self.search_target()
        condition = Q()
        for word in value.split() if self.search_each_word else [value]:
            condition &= search_condition(column=column, fields=fields, word=word)
        return queryset.filter(condition)


class ExecutiveStructureFilterSet(SearchFilterSet):
    search_fields = ("name", "acronym")

    class Meta:
        model = ExecutiveStructure
        fields = ["kind", "region", "active", "parent"]


class ParticipatingStateFilterSet(SearchFilterSet):
    search_fields = ("name", "iso_code")

    class Meta:
        model = ParticipatingState
        fields = ["is_partner", "region", "iso_code"]


class PartnerOrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "acronym")

    class Meta:
        model = PartnerOrganisation
        fields = ["kind", "parent"]


class ThematicAreaFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name", "code")
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Top-level only"))

    class Meta:
        model = ThematicArea
        fields = ["parent"]


class MandateFilterSet(SearchFilterSet):
    search_fields = ("code", "title")

    class Meta:
        model = Mandate
        fields = ["body", "year", "status"]


class ThematicAreaTreeFilter(ReferenceChoiceFilter):
    """Matches the chosen area and, for a top area, all its sub-areas."""

    def __init__(self, *args, **kwargs):
        # ``filter`` reads the chosen area's id and parent id only; its labels' parents are the options' concern.
        kwargs.setdefault("related_on_access", True)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # A semi-join (pk IN subquery) rather than a join plus DISTINCT: no duplicate rows, and the page query and
        # its COUNT stay cheap at scale (DISTINCT over every column of 20,000 projects is not).
        # The ids as literals (one small query): as a subquery PostgreSQL estimated 1,261 link rows for an area with
        # 9,181 and chose a probe per project; with the ids it merges along the link index (16 ms -> 5 ms at N=1).
        if value.parent_id is not None:
            # A sub-area has no sub-areas of its own (two levels, ThematicArea.clean): no query for them.
            areas = [value.pk]
        else:
            areas = [row["pk"] for row in thematic_area_with_descendants_ids([value.pk])]
        field = qs.model._meta.get_field(self.field_name.split("__")[0])
        if "__" not in self.field_name and field.many_to_many:
            # A many-to-many of the model itself: the ids straight from the link table. Through the model
            # (``model.filter(areas__in=…)``) the subquery joined the model's table once more: at N=1 the
            # project list's COUNT for the busiest area (9,181 projects) was 111 ms, two index probes per project.
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            matching = through.objects.filter(**{f"{target}_id__in": areas}).values(f"{source}_id")
        else:
            matching = qs.model._base_manager.filter(**{f"{self.field_name}__in": areas}).values("pk")
        return qs.filter(pk__in=matching)


class ProjectFilterSet(SearchFilterSet):
    search_fields = PROJECT_SEARCH_FIELDS
    search_column = "search_text"
    thematic_area = ThematicAreaTreeFilter(
        field_name="thematic_areas",
        queryset=ThematicArea.objects.in_tree_order(),  # labels name the parent area
        label=_("Thematic area"),
    )
    structure = ReferenceChoiceFilter(
        queryset=ExecutiveStructure.objects.all(), method="filter_structure", label=_("Structure (lead or partner)")
    )
    lead_structure = ReferenceChoiceFilter(queryset=ExecutiveStructure.objects.all())
    state = ReferenceChoiceFilter(
        field_name="beneficiary_states", queryset=ParticipatingState.objects.all(), label=_("Beneficiary State")
    )
    region = django_filters.ChoiceFilter(
        field_name="lead_structure__region", choices=Region.choices, label=_("Region of the lead structure")
    )
    mandate = ReferenceChoiceFilter(field_name="mandates", queryset=Mandate.objects.all())
    # A plain column cannot duplicate rows, so no DISTINCT (the filter's default) over 20,000 projects.
    status = django_filters.MultipleChoiceFilter(choices=Project.Status.choices, distinct=False)
    funding_source = django_filters.ChoiceFilter(choices=Project.FundingSource.choices)
    start_after = django_filters.DateFilter(field_name="start", lookup_expr="gte", label=_("Starts on or after"))
    start_before = django_filters.DateFilter(field_name="start", lookup_expr="lte", label=_("Starts on or before"))

    class Meta:
        model = Project
        fields = [
            "q",
            "thematic_area",
            "structure",
            "lead_structure",
            "state",
            "region",
            "mandate",
            "status",
            "funding_source",
            "start_after",
            "start_before",
        ]

    # The method hides the model field from drf-spectacular; the parameter is a structure id.
    @extend_schema_field(OpenApiTypes.INT)
    def filter_structure(self, queryset, name, value):
        partnered = Project.partner_structures.through.objects.filter(executivestructure=value).values("project_id")
        return queryset.filter(Q(lead_structure=value) | Q(pk__in=partnered))
