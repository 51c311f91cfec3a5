"""FilterSets shared by the directory page, the exports and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focal_points.models import (
    FOCAL_POINT_CONTACT_SEARCH_FIELDS,
    FOCAL_POINT_SEARCH_FIELDS,
    FocalPoint,
    Membership,
    Network,
    WorkingLanguage,
)
from focal_points.permissions import can_see_contacts
from programmes.filtersets import ReferenceChoiceFilter, SearchFilterSet, ThematicAreaTreeFilter
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, ThematicArea


class OrganisationKind:
    STRUCTURE, STATE, PARTNER = "structure", "state", "partner"
    CHOICES = [
        (STRUCTURE, _("Executive structure")),
        (STATE, _("Participating State")),
        (PARTNER, _("Partner organisation")),
    ]


class FocalPointFilterSet(SearchFilterSet):
    search_fields = FOCAL_POINT_SEARCH_FIELDS
    search_column = "search_text"
    # Every word must match somewhere, so "Jane Doe" finds first and last name together.
    search_each_word = True
    organisation = django_filters.CharFilter(method="filter_organisation", label=_("Organisation"))
    organisation_kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.CHOICES, method="filter_organisation_kind", label=_("Kind of organisation")
    )
    state = ReferenceChoiceFilter(queryset=ParticipatingState.objects.all(), label=_("State"), method="filter_state")
    structure = ReferenceChoiceFilter(queryset=ExecutiveStructure.objects.all(), label=_("Structure"))
    partner_organisation = ReferenceChoiceFilter(
        queryset=PartnerOrganisation.objects.all(), label=_("Partner organisation")
    )
    thematic_area = ThematicAreaTreeFilter(
        field_name="thematic_areas",
        queryset=ThematicArea.objects.in_tree_order(),
        label=_("Thematic area"),
    )
    network = ReferenceChoiceFilter(
        queryset=Network.objects.all(),
        field_name="memberships__network",
        method="filter_network",
        label=_("Network (current members)"),
    )
    role = django_filters.ChoiceFilter(
        choices=Membership.Role.choices, method="filter_role", label=_("Role in a network")
    )
    language = django_filters.ChoiceFilter(
        choices=WorkingLanguage.choices, method="filter_language", label=_("Working language")
    )
    is_sample = django_filters.BooleanFilter(label=_("Sample data"))

    class Meta:
        model = FocalPoint
        fields = [
            "q",
            "organisation",
            "organisation_kind",
            "state",
            "structure",
            "partner_organisation",
            "thematic_area",
            "network",
            "role",
            "language",
            "is_sample",
        ]

    def search_target(self) -> tuple[str | None, tuple[str, ...]]:
        # E-mail addresses are searchable only by those who may see them.
        if self.request is not None and can_see_contacts(user=self.request.user):
            return "search_text_with_email", FOCAL_POINT_CONTACT_SEARCH_FIELDS
        return super().search_target()

    def filter_organisation(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(structure__acronym__icontains=value)
            | Q(structure__name__icontains=value)
            | Q(state__name__icontains=value)
            | Q(authority__icontains=value)
            | Q(partner_organisation__acronym__icontains=value)
            | Q(partner_organisation__name__icontains=value)
        )

    def filter_organisation_kind(self, queryset, name, value):
        field = {
            OrganisationKind.STRUCTURE: "structure",
            OrganisationKind.STATE: "state",
            OrganisationKind.PARTNER: "partner_organisation",
        }.get(value)
        return queryset.filter(**{f"{field}__isnull": False}) if field else queryset

    def filter_state(self, queryset, name, value):
        # A State's focal points are its authorities' people and those of the field operation it hosts.
        if not value:
            return queryset
        return queryset.filter(Q(state=value) | Q(structure__host_state=value))

    def _membership_exists(self, queryset, **conditions):
        today = timezone.localdate()
        current = Membership.objects.filter(focal_point=OuterRef("pk"), start__lte=today).filter(
            Q(end__isnull=True) | Q(end__gte=today)
        )
        return queryset.filter(Exists(current.filter(**conditions)))

    def filter_network(self, queryset, name, value):
        if not value:
            return queryset
        conditions = {"network": value}
        role = self.form.cleaned_data.get("role") if hasattr(self.form, "cleaned_data") else None
        if role:
            conditions["role"] = role
        return self._membership_exists(queryset, **conditions)

    def filter_role(self, queryset, name, value):
        if not value:
            return queryset
        network = self.form.cleaned_data.get("network") if hasattr(self.form, "cleaned_data") else None
        if network:
            return queryset  # applied together with the network
        return self._membership_exists(queryset, role=value)

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        # Stored as a JSON list; matching the quoted code works on PostgreSQL and SQLite alike.
        return queryset.filter(working_languages__icontains=f'"{value}"')


class NetworkFilterSet(SearchFilterSet):
    search_fields = ("name", "purpose")
    thematic_area = ThematicAreaTreeFilter(
        field_name="thematic_areas",
        queryset=ThematicArea.objects.in_tree_order(),
        label=_("Thematic area"),
    )
    coordinating_structure = ReferenceChoiceFilter(
        queryset=ExecutiveStructure.objects.all(), label=_("Co-ordinating structure")
    )

    class Meta:
        model = Network
        fields = ["q", "thematic_area", "coordinating_structure", "expects_one_per_state", "proposed"]
