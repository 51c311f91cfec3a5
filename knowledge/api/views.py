"""The knowledge API: same permission table and row rules as the pages."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from knowledge import permissions as rules
from knowledge import selectors, services
from knowledge.api import serializers
from knowledge.filtersets import (
    CentreFilterSet,
    CommitmentFilterSet,
    DecisionFilterSet,
    DocumentFilterSet,
    InstrumentFilterSet,
)
from programmes.api.mixins import ServiceDeleteMixin
from programmes.permissions import CHANGE, VIEW


class InstrumentViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "legal_instrument"
    serializer_class = serializers.InstrumentSerializer
    filterset_class = InstrumentFilterSet
    ordering_fields = ["position", "short_name", "code"]
    ordering = ["position", "short_name"]
    lookup_field = "code"
    delete_service = services.instrument_delete
    delete_service_argument = "instrument"

    def get_queryset(self):
        return selectors.instrument_list()

    def perform_create(self, serializer):
        serializer.instance = services.instrument_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.instrument_update(
            instrument=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )


class CommitmentViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    """Each row is one step a State took on an instrument, with its source and the date it is given for."""

    permission_resource = "legal_commitment"
    serializer_class = serializers.CommitmentSerializer
    filterset_class = CommitmentFilterSet
    ordering_fields = ["as_of", "date", "state__name"]
    ordering = ["state__name", "instrument__position", "as_of", "pk"]
    delete_service = services.commitment_delete
    delete_service_argument = "commitment"

    def get_queryset(self):
        return selectors.commitment_list()

    def perform_create(self, serializer):
        serializer.instance = services.commitment_record(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.commitment_update(
            commitment=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )


def _cell_json(cell) -> dict:
    record = cell.record
    return {
        "status": cell.status,
        "reservations": cell.reservations,
        "illustrative": cell.illustrative,
        "as_of": record.as_of if record else None,
        "date": record.date if record else None,
        "source": record.source if record else None,
    }


class LegalMatrixView(APIView):
    """States × instruments on a date (``on``, default today), with the number of States at each status."""

    permission_resource = "legal_matrix"

    @extend_schema(parameters=[serializers.MatrixQuerySerializer], responses={200: dict})
    def get(self, request):
        query = serializers.MatrixQuerySerializer(data=request.query_params)
        if "instrument" in request.query_params:
            query = serializers.MatrixQuerySerializer(
                data={**request.query_params.dict(), "instrument": request.query_params.getlist("instrument")}
            )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        matrix = selectors.legal_matrix(
            on=data.get("on"),
            region=data.get("region") or None,
            family=data.get("family"),
            instrument_ids=[i.pk for i in data.get("instrument", [])] or None,
        )
        return Response(
            {
                "on": matrix.on,
                "latest_as_of": matrix.latest_as_of,
                "any_illustrative": matrix.any_illustrative,
                "instruments": [
                    {"id": i.pk, "code": i.code, "short_name": i.short_name, "counts": matrix.counts[i.pk]}
                    for i in matrix.instruments
                ],
                "rows": [
                    {
                        "state": {
                            "id": row.state.pk,
                            "name": row.state.name,
                            "iso_code": row.state.iso_code,
                            "region": row.state.region,
                        },
                        "cells": {i.code: _cell_json(c) for i, c in zip(matrix.instruments, row.cells, strict=True)},
                    }
                    for row in matrix.rows
                ],
            }
        )


class LegalGapsView(APIView):
    """Treaties not binding a State where the OSCE gave it no legal assistance, and States with no 1540 plan."""

    permission_resource = "legal_gaps"

    @extend_schema(parameters=[serializers.GapQuerySerializer], responses={200: dict})
    def get(self, request):
        query = serializers.GapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or timezone.localdate()
        gaps = selectors.legal_gaps(on=on, start=query.validated_data.get("start"))
        plans = selectors.states_without_action_plan(on=on)

        def row(gap):
            return {
                "state": gap.state.pk,
                "state_name": gap.state.name,
                "instrument": gap.instrument.code,
                "status": gap.cell.status,
            }

        return Response(
            {"on": on, "treaty_gaps": [row(g) for g in gaps], "without_1540_action_plan": [row(g) for g in plans]}
        )


class DocumentViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    """The library. ``q`` searches title, summary and the text of PDFs (full-text, English and Russian stemming on
    PostgreSQL), best match first. Delegations see public and participating-States documents only."""

    permission_resource = "library_document"
    serializer_class = serializers.DocumentSerializer
    filterset_class = DocumentFilterSet
    ordering_fields = ["published_on", "title"]
    delete_service = services.document_delete
    delete_service_argument = "document"

    def get_queryset(self):
        return selectors.document_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.document_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        if not rules.can_change_document(user=self.request.user, obj=serializer.instance):
            raise PermissionDenied("You may not change this document.")
        serializer.instance = services.document_update(
            document=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        if not rules.can_delete_document(user=self.request.user, obj=instance):
            raise PermissionDenied("You may not delete this document.")
        super().perform_destroy(instance)


class TrainingCentreViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    permission_resource = "training_centre"
    serializer_class = serializers.TrainingCentreSerializer
    filterset_class = CentreFilterSet
    ordering_fields = ["name", "city"]
    delete_service = services.centre_delete
    delete_service_argument = "centre"

    def get_queryset(self):
        return selectors.centre_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.centre_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.centre_update(
            centre=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Decisions (and suggested ones) with the work they mandate: ``trace`` gives projects, events, activities and
    counts per year; ``status`` records what became of a suggestion; ``gaps`` lists idle decisions in a period."""

    serializer_class = serializers.KnowledgeDecisionSerializer
    action_permissions = {"list": VIEW, "retrieve": VIEW, "trace": VIEW, "status": CHANGE, "gaps": VIEW}
    filterset_class = DecisionFilterSet
    ordering_fields = ["year", "code"]

    @property
    def permission_resource(self) -> str:
        return "decision_gaps" if getattr(self, "action", None) == "gaps" else "decision"

    def get_queryset(self):
        return selectors.decision_list()

    @extend_schema(responses=serializers.TraceSerializer)
    @action(detail=True, methods=["get"], filterset_class=None)
    def trace(self, request, pk=None):
        trace = selectors.mandate_trace(user=request.user, mandate=self.get_object())
        return Response(serializers.TraceSerializer(trace).data)

    @extend_schema(request=serializers.DecisionStatusSerializer, responses=serializers.KnowledgeDecisionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def status(self, request, pk=None):
        mandate = self.get_object()
        payload = serializers.DecisionStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        mandate = services.decision_set_status(mandate=mandate, actor=request.user, **payload.validated_data)
        return Response(serializers.KnowledgeDecisionSerializer(mandate).data)

    @extend_schema(
        parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
        responses=serializers.KnowledgeDecisionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def gaps(self, request):
        query = serializers.PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        gaps = selectors.mandates_without_work(user=request.user, **query.validated_data)
        return Response(
            [{**serializers.KnowledgeDecisionSerializer(g.mandate).data, "last_work": g.last_work} for g in gaps]
        )
