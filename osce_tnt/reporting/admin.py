from django.contrib import admin

from osce_tnt.reporting import services
from osce_tnt.reporting.models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["title", "scope_kind", "period_start", "period_end", "status", "progress", "published"]
    list_filter = ["status", "scope_kind", "published", "scheduled"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "progress",
        "progress_message",
        "error",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
        "published_at",
        "published_by",
        "figures",
        "pdf_file",
        "xlsx_file",
        "csv_file",
    ]
    raw_id_fields = ["requested_by"]

    # Deletes go through the service so the report's files go with the row.
    def delete_model(self, request, obj):
        services.report_delete(report=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.report_delete(report=report, actor=request.user)
