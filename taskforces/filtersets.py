"""FilterSets shared by the HTML lists and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from programmes.filtersets import ReferenceChoiceFilter, SearchFilterSet
from programmes.models import ExecutiveStructure
from taskforces.models import ActionItem, Meeting, TaskForce
from taskforces.selectors import overdue_condition


class TaskForceFilterSet(SearchFilterSet):
    search_fields = ("name", "acronym", "description")
    chair_structure = ReferenceChoiceFilter(queryset=ExecutiveStructure.objects.all(), label=_("Chair"))
    member_structure = ReferenceChoiceFilter(
        field_name="members__structure",
        queryset=ExecutiveStructure.objects.all(),
        label=_("Member structure"),
        distinct=True,
    )

    class Meta:
        model = TaskForce
        fields = ["q", "active", "chair_structure", "member_structure", "meeting_frequency"]


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "agenda_items__title")
    task_force = ReferenceChoiceFilter(queryset=TaskForce.objects.all(), label=_("Task force"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label=_("Status"))
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("On or after"))
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("On or before"))

    class Meta:
        model = Meeting
        fields = ["q", "task_force", "status", "published", "starts_after", "starts_before"]

    def filter_q(self, queryset, name, value):
        return super().filter_q(queryset, name, value).distinct()


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("what",)
    task_force = ReferenceChoiceFilter(queryset=TaskForce.objects.all(), label=_("Task force"))
    owner = ReferenceChoiceFilter(queryset=get_user_model().objects.all(), label=_("Owner (person)"))
    owner_structure = ReferenceChoiceFilter(queryset=ExecutiveStructure.objects.all(), label=_("Owner structure"))
    status = django_filters.MultipleChoiceFilter(choices=ActionItem.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due on or after"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before"))
    meeting = ReferenceChoiceFilter(queryset=Meeting.objects.all(), label=_("Raised at"))

    class Meta:
        model = ActionItem
        fields = [
            "q",
            "task_force",
            "owner",
            "owner_structure",
            "status",
            "overdue",
            "due_after",
            "due_before",
            "meeting",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)
