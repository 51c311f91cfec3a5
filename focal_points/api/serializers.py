from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from focal_points.models import FocalPoint, Membership, Network, WorkingLanguage
from programmes.api.mixins import VersionedSerializerMixin
from programmes.api.representation import ListedListSerializer, ReadPlanMixin
from programmes.api.serializers import RelationIdField
from programmes.models import ThematicArea


class _MembershipsListSerializer(ListedListSerializer):
    listed_attribute = "listed_memberships"  # attached to the API list's page by selectors.focal_point_attach_listing


class MembershipSerializer(ReadPlanMixin, serializers.ModelSerializer):
    network_name = serializers.CharField(source="network.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "network", "network_name", "role", "start", "end", "last_confirmed"]
        list_serializer_class = _MembershipsListSerializer


class FocalPointSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    """The full record, for staff and field staff."""

    shared_read_plan = True  # columns, ids, memberships' columns: nothing from the request

    full_name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(source="organisation_label", read_only=True)
    working_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkingLanguage.choices), required=False, allow_empty=True
    )
    # Reads the ids the list attaches (selectors.focal_point_attach_listing), else the relation.
    thematic_areas = RelationIdField(many=True, queryset=ThematicArea.objects.all(), required=False)
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = FocalPoint
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "job_title",
            "organisation",
            "structure",
            "state",
            "authority",
            "partner_organisation",
            "email",
            "phone",
            "working_languages",
            "thematic_areas",
            "is_sample",
            "memberships",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness of e-mails and people is checked by the services (case-insensitive), not here.
        validators: list[Any] = []


class RestrictedFocalPointSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    """What delegations see: names, roles and organisations, never contact details."""

    shared_read_plan = True  # columns, ids, memberships' columns: nothing from the request

    serializer_related_field = RelationIdField  # thematic_areas: the list's attached ids, else the relation
    full_name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(source="organisation_label", read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = FocalPoint
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "job_title",
            "organisation",
            "structure",
            "state",
            "authority",
            "partner_organisation",
            "thematic_areas",
            "is_sample",
            "memberships",
        ]
        read_only_fields = fields


class MembershipWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "network", "role", "start", "end", "last_confirmed"]
        extra_kwargs = {"start": {"required": False}}
        validators: list[Any] = []


class NetworkSerializer(serializers.ModelSerializer):
    current_member_count = serializers.IntegerField(read_only=True)
    thematic_areas = serializers.PrimaryKeyRelatedField(many=True, queryset=ThematicArea.objects.all(), required=False)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "slug",
            "purpose",
            "founding_mandate",
            "thematic_areas",
            "coordinating_structure",
            "coordinator",
            "expects_one_per_state",
            "proposed",
            "current_member_count",
        ]


class CoverageCellSerializer(serializers.Serializer):
    state = serializers.IntegerField(source="state.pk")
    state_name = serializers.CharField(source="state.name")
    iso_code = serializers.CharField(source="state.iso_code")
    status = serializers.ChoiceField(
        choices=[("covered", _("covered")), ("stale", _("stale")), ("vacant", _("vacant"))]
    )
    focal_point = serializers.SerializerMethodField()
    last_confirmed = serializers.SerializerMethodField()

    def get_focal_point(self, cell) -> int | None:
        return cell.membership.focal_point_id if cell.membership else None

    def get_last_confirmed(self, cell) -> str | None:
        if cell.membership and cell.membership.last_confirmed:
            return cell.membership.last_confirmed.isoformat()
        return None
