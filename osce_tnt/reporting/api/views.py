from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from osce_tnt.reporting import selectors, services
from osce_tnt.reporting.api.serializers import DashboardQuerySerializer, GeneratedReportSerializer
from osce_tnt.reporting.filtersets import GeneratedReportFilterSet
from osce_tnt.reporting.forms import DashboardFilterForm
from osce_tnt.reporting.views import DOWNLOAD_TYPES
from programmes.api.mixins import ServiceDeleteMixin
from programmes.permissions import ADD, DELETE, PUBLISH, VIEW


class GeneratedReportViewSet(
    ServiceDeleteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Request a TNT report (202 + id), poll its status and progress, download its files, retry, publish."""

    permission_resource = "generated_report"
    action_permissions = {"retry": ADD, "publish": PUBLISH, "unpublish": PUBLISH, "download": VIEW, "destroy": DELETE}
    serializer_class = GeneratedReportSerializer
    filterset_class = GeneratedReportFilterSet
    ordering_fields = ["period_end", "created_at", "title"]
    delete_service = services.report_delete
    delete_service_argument = "report"

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_request(
            actor=request.user,
            period_start=data["period_start"],
            period_end=data["period_end"],
            scope_kind=data.get("scope_kind", "all"),
            thematic_area=data.get("thematic_area"),
            region=data.get("region", ""),
            structure=data.get("structure"),
            title=data.get("title", ""),
        )
        report.refresh_from_db()
        # 202: the files are made by a worker; the body says where to poll.
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        report = services.report_retry(report=self.get_object())
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        report = services.report_publish(report=self.get_object(), actor=request.user)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        report = services.report_unpublish(report=self.get_object())
        return Response(self.get_serializer(report).data)

    @extend_schema(responses={200: OpenApiResponse(description="The file")})
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>pdf|xlsx|csv)", url_name="download")
    def download(self, request, pk=None, fmt=None):
        report = self.get_object()
        file = report.file_for(fmt)
        if not file:
            raise Http404
        return FileResponse(
            file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1], content_type=DOWNLOAD_TYPES[fmt]
        )


class DashboardAPIView(APIView):
    """The figures behind the dashboard charts, with the same filters as the page (start, end, area, region,
    state). Delegations and field staff get the published-data audience."""

    permission_resource = "dashboard"

    @extend_schema(parameters=[DashboardQuerySerializer], responses={200: OpenApiResponse(description="Figures")})
    def get(self, request):
        if request.query_params:
            form = DashboardFilterForm(request.query_params, with_state=True)
            if not form.is_valid():
                raise ValidationError(
                    {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}
                )
            filters = form.to_filters()
        else:
            filters = DashboardFilterForm.default_filters()
        audience = selectors.audience_for(request.user)
        renderer = request.accepted_renderer
        if isinstance(renderer, JSONRenderer) and request.accepted_media_type == renderer.media_type:
            # Plain JSON (no indent asked for, not the browsable API): the body as cached, already encoded.
            body = selectors.figures_json(filters=filters, audience=audience, user=request.user)
            return HttpResponse(body, content_type=renderer.media_type)
        if filters.state_id:
            data = selectors.my_state_figures(filters=filters, audience=audience)
        else:
            data = selectors.dashboard_figures(filters=filters, audience=audience)
        return Response(selectors.for_viewer(data, user=request.user))
