"""Results API: programmes, frameworks, actuals with their review, activity links, money, open data.

Thin views: the serializer checks shape, one service writes, one selector reads. Every view names its permission
resource; row-level rules are in ``results.permissions``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.activity.models import ReportedActivity
from programmes.activity.selectors import report_scope
from programmes.api.mixins import ServiceDeleteMixin
from programmes.filtersets import ProjectFilterSet
from programmes.permissions import CHANGE, EXPORT, REVIEW, is_delegation
from results import iati, selectors, services
from results.api import serializers as s
from results.filtersets import (
    ActualFilterSet,
    IndicatorFilterSet,
    PeriodFilterSet,
    ResultFilterSet,
    TransactionFilterSet,
)
from results.models import ActivityContribution, Indicator, IndicatorPeriod, Result
from results.permissions import can_view_project_results


class ServiceWriteMixin(ServiceDeleteMixin):
    """Create and update through the viewset's services, which receive the validated data and ``actor``."""

    create_service = None
    update_service = None
    update_service_argument = "instance"

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            **{self.update_service_argument: serializer.instance}, actor=self.request.user, **serializer.validated_data
        )


def _visible_project_ids(user):
    return selectors.visible_projects(user=user).values("pk")


class ProgrammeViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    permission_resource = "programme"
    serializer_class = s.ProgrammeSerializer
    create_service = services.programme_create
    update_service = services.programme_update
    update_service_argument = "programme"
    delete_service = services.programme_delete
    delete_service_argument = "programme"
    ordering_fields = ["code", "start"]
    filterset_fields = ["lead_structure"]

    def get_queryset(self):
        return selectors.programme_list().prefetch_related("mandates", "projects")

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Budgets, funding, gap, activities, participants and results of the programme's projects."""
        summary = selectors.programme_summary(user=request.user, programme=self.get_object())
        return Response(_summary_data(summary))


def _money(value):
    return None if value is None else str(value)


def _funding_data(f) -> dict:
    return {
        "project": f.project.pk,
        "code": f.project.code,
        "budget": _money(f.budget),
        "costed": f.costed,
        "committed": _money(f.committed),
        "pledged_open": _money(f.pledged_open),
        "secured": _money(f.secured),
        "disbursed": _money(f.disbursed),
        "spent": _money(f.spent),
        "gap": _money(f.gap),
        "unfunded": _money(f.unfunded),
        "by_donor": [
            {
                "donor": d.label,
                "committed": _money(d.committed),
                "pledged_open": _money(d.pledged_open),
                "disbursed": _money(d.disbursed),
            }
            for d in f.by_donor
        ],
        "by_source": {k: _money(v) for k, v in f.by_source.items()},
        "by_year": [
            {"year": y, "committed": _money(c), "disbursed": _money(d), "spent": _money(e)} for y, c, d, e in f.by_year
        ],
    }


def _figures_data(figures) -> dict:
    indicator = figures.indicator
    return {
        "indicator": indicator.pk,
        "title": indicator.title,
        "measure": indicator.measure,
        "unit": indicator.unit,
        "counts_people": indicator.counts_people,
        "baseline": _money(indicator.baseline_value),
        "periods": [
            {
                "period": p.period.pk,
                "start": p.period.period_start,
                "end": p.period.period_end,
                "target": _money(p.target),
                "actual": _money(p.actual),
                "entered": _money(p.entered),
                "from_activities": _money(p.from_activities),
                "women": p.women,
                "men": p.men,
                "percent": _money(p.percent),
            }
            for p in figures.periods
        ],
    }


def _participants_data(table) -> dict:
    return {
        "women": table.women,
        "men": table.men,
        "unrecorded": table.unrecorded,
        "total": table.total,
        "activities": table.activities,
        "by_age": [
            {"age_group": label, "female": cells[0], "male": cells[1], "unrecorded": cells[2], "total": total}
            for label, cells, total in table.rows
        ],
    }


def _summary_data(summary) -> dict:
    totals = summary.totals
    return {
        "programme": summary.programme.pk,
        "code": summary.programme.code,
        "projects": [_funding_data(f) for f in summary.fundings],
        "totals": {
            "budget": _money(totals.budget),
            "secured": _money(totals.secured),
            "disbursed": _money(totals.disbursed),
            "spent": _money(totals.spent),
            "unfunded": _money(totals.unfunded),
            "uncosted_projects": totals.uncosted,
        },
        "proposals": [
            {
                "number": p.number,
                "title": p.title,
                "project": p.project_id,
                "estimated_budget_eur": _money(p.estimated_budget_eur),
                "duration_months": p.duration_months,
                "max_participants": p.max_participants,
                "afghan_participants": p.afghan_participants,
            }
            for p in summary.proposals
        ],
        "activities": summary.activities,
        "events": summary.events,
        "participants": _participants_data(summary.participants),
        "results": [dict(_figures_data(r.figures), project=r.project.pk) for r in summary.results],
        "rollup": [
            {
                "code": r.code,
                "unit": r.unit,
                "target": _money(r.target),
                "actual": _money(r.actual),
                "projects": r.projects,
            }
            for r in summary.rollup
        ],
    }


class ProjectClassificationViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """A project's programme, the projects it follows up, and its gender marker."""

    permission_resource = "programme"
    serializer_class = s.ProjectClassificationSerializer
    filterset_fields = ["programme", "gender_marker"]

    def get_queryset(self):
        return (
            selectors.visible_projects(user=self.request.user)
            .prefetch_related(None)
            .prefetch_related("follow_up_of", "follow_ups")
            .order_by("code")
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.project_classify(
            project=serializer.instance,
            actor=self.request.user,
            programme=data.get("programme", ...),
            gender_marker=data.get("gender_marker", ...),
            follow_up_of=data.get("follow_up_of"),
        )


class ResultViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    permission_resource = "results_framework"
    serializer_class = s.ResultSerializer
    filterset_class = ResultFilterSet
    create_service = services.result_create
    update_service = services.result_update
    update_service_argument = "result"
    delete_service = services.result_delete
    delete_service_argument = "result"

    def get_queryset(self):
        return Result.objects.filter(project__in=_visible_project_ids(self.request.user)).order_by(
            "project", "position", "pk"
        )


class IndicatorViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    permission_resource = "results_framework"
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    create_service = services.indicator_create
    update_service = services.indicator_update
    update_service_argument = "indicator"
    delete_service = services.indicator_delete
    delete_service_argument = "indicator"

    def get_queryset(self):
        return (
            Indicator.objects.filter(result__project__in=_visible_project_ids(self.request.user))
            .select_related("result")
            .order_by("result", "position", "pk")
        )


class IndicatorPeriodViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    permission_resource = "results_framework"
    serializer_class = s.IndicatorPeriodSerializer
    filterset_class = PeriodFilterSet
    create_service = services.period_create
    update_service = services.period_update
    update_service_argument = "period"
    delete_service = services.period_delete
    delete_service_argument = "period"

    def get_queryset(self):
        return IndicatorPeriod.objects.filter(
            indicator__result__project__in=_visible_project_ids(self.request.user)
        ).order_by("indicator", "period_start")


class IndicatorActualViewSet(ServiceDeleteMixin, viewsets.ModelViewSet):
    """Actuals: a field operation creates and submits its own; reviewers return or approve them."""

    permission_resource = "indicator_actual"
    action_permissions = {"submit": CHANGE, "return_actual": REVIEW, "approve": REVIEW}
    filterset_class = ActualFilterSet
    ordering_fields = ["submitted_at", "created_at"]
    delete_service = services.actual_delete
    delete_service_argument = "actual"

    def get_queryset(self):
        return (
            selectors.visible_actuals(user=self.request.user)
            .prefetch_related("transitions__by")
            .order_by("period__period_start", "pk")
        )

    def get_serializer_class(self):
        if is_delegation(self.request.user):
            return s.PublishedActualSerializer
        if self.action in ("update", "partial_update"):
            return s.IndicatorActualUpdateSerializer
        if self.action in ("submit", "return_actual", "approve"):
            return s.ReviewSerializer
        return s.IndicatorActualSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        period = data.pop("period")
        if not can_view_project_results(user=self.request.user, obj=period.indicator.result.project):
            raise PermissionDenied
        serializer.instance = services.actual_create(period=period, actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.actual_update(
            actual=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, actual):
        fresh = selectors.visible_actuals(user=self.request.user).prefetch_related("transitions__by").get(pk=actual.pk)
        return Response(s.IndicatorActualSerializer(fresh).data)

    @extend_schema(request=None, responses=s.IndicatorActualSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.actual_submit(actual=self.get_object(), actor=request.user))

    @extend_schema(request=s.ReviewSerializer, responses=s.IndicatorActualSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_actual(self, request, pk=None):
        form = s.ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.actual_return(actual=self.get_object(), actor=request.user, comment=form.validated_data["comment"])
        )

    @extend_schema(request=s.ReviewSerializer, responses=s.IndicatorActualSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        form = s.ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(
            services.actual_approve(
                actual=self.get_object(), actor=request.user, comment=form.validated_data["comment"]
            )
        )


class ActivityContributionViewSet(
    ServiceDeleteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_resource = "activity_contribution"
    serializer_class = s.ActivityContributionSerializer
    filterset_fields = ["indicator", "activity"]
    delete_service = services.contribution_delete
    delete_service_argument = "contribution"

    def get_queryset(self):
        reports = report_scope(user=self.request.user).values("pk")
        return (
            ActivityContribution.objects.filter(
                activity__report__in=reports,
                indicator__result__project__in=_visible_project_ids(self.request.user),
            )
            .select_related("activity__report", "indicator")
            .order_by("pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not report_scope(user=self.request.user).filter(pk=data["activity"].report_id).exists():
            raise PermissionDenied
        serializer.instance = services.contribution_create(actor=self.request.user, **data)


class ParticipantBreakdownView(APIView):
    """``PUT /api/activity-items/{id}/participants-by-age/``: replace an activity item's participants by sex and age
    group; ``GET`` reads them."""

    permission_resource = "activity_contribution"

    def _activity(self, request, pk: int) -> ReportedActivity:
        reports = report_scope(user=request.user).values("pk")
        return get_object_or_404(ReportedActivity.objects.select_related("report"), pk=pk, report__in=reports)

    @extend_schema(responses=s.BreakdownSerializer)
    def get(self, request, pk: int):
        activity = self._activity(request, pk)
        rows = activity.participant_breakdown.values("sex", "age_group", "count")
        return Response({"rows": list(rows)})

    @extend_schema(request=s.BreakdownSerializer, responses=s.BreakdownSerializer)
    def put(self, request, pk: int):
        activity = self._activity(request, pk)
        form = s.BreakdownSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.breakdown_set(activity=activity, rows=form.validated_data["rows"], actor=request.user)
        return Response({"rows": list(activity.participant_breakdown.values("sex", "age_group", "count"))})


class FinancialTransactionViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    permission_resource = "financial_transaction"
    serializer_class = s.FinancialTransactionSerializer
    filterset_class = TransactionFilterSet
    ordering_fields = ["date", "value_eur"]
    create_service = services.transaction_create
    update_service = services.transaction_update
    update_service_argument = "transaction_row"
    delete_service = services.transaction_delete
    delete_service_argument = "transaction_row"

    def get_queryset(self):
        return selectors.transactions_visible(user=self.request.user).order_by("project", "date", "pk")


class ProjectResultsView(APIView):
    """``GET /api/projects/{id}/results/``: a project's framework with target against actual, and its funding."""

    permission_resource = "results_framework"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        try:
            project = selectors.project_for_results(user=request.user, pk=pk)
        except selectors.Project.DoesNotExist:
            raise Http404 from None
        funding = selectors.project_funding(projects=[project])[project.pk]

        def node(n):
            return {
                "id": n.result.pk,
                "level": n.result.level,
                "title": n.result.title,
                "illustrative": n.result.illustrative,
                "indicators": [_figures_data(f) for f in n.indicators],
                "children": [node(c) for c in n.children],
            }

        return Response(
            {
                "project": project.pk,
                "code": project.code,
                "gender_marker": project.gender_marker,
                "programme": project.programme_id,
                "follow_up_of": [p.pk for p in project.follow_up_of.all()],
                "framework": [node(n) for n in selectors.project_framework(project=project)],
                "funding": _funding_data(funding),
                "participants": _participants_data(
                    selectors.participants_by_sex_and_age(
                        activities=selectors.accepted_project_activities(projects=[project.pk])
                    )
                ),
            }
        )


IATI_CONTENT_TYPE = "application/xml; charset=utf-8"


class IatiExportView(APIView):
    """``GET /api/projects/iati.xml``: IATI 2.03 activities for published projects, filtered like the project list
    (same query parameters)."""

    permission_resource = "project"
    action_permissions = {None: EXPORT}

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR}, operation_id="projects_iati_list")
    def get(self, request):
        filterset = ProjectFilterSet(request.GET, queryset=selectors.visible_projects(user=request.user))
        if not filterset.is_valid():
            return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
        projects = list(iati.exportable(filterset.qs))
        if not projects:
            # An IATI file holds at least one activity; an empty one would not be valid.
            return Response({"detail": "No published project matches these filters."}, status=status.HTTP_404_NOT_FOUND)
        response = HttpResponse(iati.export_projects(projects), content_type=IATI_CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="osce-tnt-iati-activities.xml"'
        return response


class IatiProjectView(APIView):
    """``GET /api/projects/{id}/iati.xml``: one published project as an IATI 2.03 file."""

    permission_resource = "project"
    action_permissions = {None: EXPORT}

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR}, operation_id="projects_iati_retrieve")
    def get(self, request, pk: int):
        qs = iati.exportable(selectors.visible_projects(user=request.user).filter(pk=pk))
        project = qs.first()
        if project is None:
            exists = selectors.visible_projects(user=request.user).filter(pk=pk).exists()
            detail = (
                "Only approved, ongoing and completed projects are published as IATI data."
                if exists
                else "No such project."
            )
            return Response({"detail": detail}, status=status.HTTP_404_NOT_FOUND)
        response = HttpResponse(iati.export_projects([project]), content_type=IATI_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{iati.activity_identifier(project)}.xml"'
        return response
