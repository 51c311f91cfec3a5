from typing import Any

from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from programmes.api.mixins import VersionedSerializerMixin
from programmes.api.representation import ListedListSerializer, ReadPlanMixin
from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)


class ExecutiveStructureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExecutiveStructure
        fields = ["id", "name", "acronym", "kind", "region", "parent", "host_state", "active", "proposed"]


class ParticipatingStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipatingState
        fields = ["id", "name", "iso_code", "joined", "is_partner", "region"]


class PartnerOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerOrganisation
        fields = ["id", "name", "acronym", "kind", "parent"]


class ThematicAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["id", "name", "short_name", "code", "parent", "position"]


class MandateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mandate
        fields = ["id", "code", "title", "year", "body", "status", "adopted_as", "proposed_in"]
        # What became of a suggested decision is recorded through the library's decision service (it checks that
        # only a PROPOSAL/… decision moves and that "adopted" names the decision); here it is only read.
        read_only_fields = ["status", "adopted_as", "proposed_in"]


class _PledgesListSerializer(ListedListSerializer):
    # The API list and detail read the pledges as rows (selectors.project_attach_relation_ids): as related managers
    # they were 4 ms of the project list's CPU at N=1.
    listed_attribute = "listed_pledges"


class DonorPledgeSerializer(ReadPlanMixin, serializers.ModelSerializer):
    class Meta:
        model = DonorPledge
        fields = ["id", "donor_state", "amount", "pledged_on"]
        list_serializer_class = _PledgesListSerializer


class _RelationIdsField(serializers.ManyRelatedField):
    """Reads ids attached by ``selectors.project_attach_relation_ids`` when present (API lists), otherwise the
    relation itself (detail, create, update)."""

    def get_attribute(self, instance):
        attached = getattr(instance, "relation_ids", None)
        if attached is not None and self.source in attached:
            return attached[self.source]
        return super().get_attribute(instance)

    def to_representation(self, iterable):
        return [item if isinstance(item, int) else self.child_relation.to_representation(item) for item in iterable]


class RelationIdField(serializers.PrimaryKeyRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs: dict[str, Any] = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return _RelationIdsField(**list_kwargs)


class ProjectSerializer(ReadPlanMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    shared_read_plan = True  # columns, ids and the pledges' columns: nothing from the request
    serializer_related_field = RelationIdField
    pledges = DonorPledgeSerializer(many=True, read_only=True)
    thematic_areas = RelationIdField(many=True, queryset=ThematicArea.objects.all())

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "lead_structure",
            "partner_structures",
            "thematic_areas",
            "beneficiary_states",
            "partner_organisations",
            "mandates",
            "funding_source",
            "budget",
            "target_participants",
            "status",
            "start",
            "end",
            "pledges",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_thematic_areas(self, value):
        if not value:
            raise serializers.ValidationError("Choose at least one thematic area.")
        return value
