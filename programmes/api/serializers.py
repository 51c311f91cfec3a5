from rest_framework import serializers

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
        fields = ["id", "code", "title", "year", "body"]


class DonorPledgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DonorPledge
        fields = ["id", "donor_state", "amount", "pledged_on"]


class ProjectSerializer(serializers.ModelSerializer):
    pledges = DonorPledgeSerializer(many=True, read_only=True)
    thematic_areas = serializers.PrimaryKeyRelatedField(many=True, queryset=ThematicArea.objects.all())

    class Meta:
        model = Project
        fields = [
            "id", "code", "title", "summary", "lead_structure", "partner_structures", "thematic_areas",
            "beneficiary_states", "partner_organisations", "mandates", "funding_source", "budget",
            "target_participants", "status", "start", "end", "pledges", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_thematic_areas(self, value):
        if not value:
            raise serializers.ValidationError("Choose at least one thematic area.")
        return value
