from django.contrib import admin

from programmes.activity.models import (
    ActivityReport,
    ReportAttachment,
    ReportedActivity,
    ReportingObligation,
    ReportNotice,
    ReportTransition,
)


@admin.register(ReportingObligation)
class ReportingObligationAdmin(admin.ModelAdmin):
    list_display = ["structure", "frequency", "deadline_days", "starts_on", "active"]
    list_filter = ["frequency", "active", "structure__kind", "structure__region"]
    search_fields = ["structure__acronym", "structure__name"]
    list_select_related = ["structure"]
    autocomplete_fields = ["structure"]


class ReportedActivityInline(admin.StackedInline):
    model = ReportedActivity
    extra = 0
    autocomplete_fields = ["thematic_areas", "project", "state", "partner_organisations"]
    raw_id_fields = ["event"]


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "published", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        # Uploads go through the service, which checks type and size.
        return False


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActivityReport)
class ActivityReportAdmin(admin.ModelAdmin):
    list_display = ["structure", "period_start", "period_end", "status", "due_on", "first_submitted_at",
                    "reviewed_at"]
    list_filter = ["status", "structure__region", "structure__kind"]
    search_fields = ["structure__acronym", "structure__name", "summary"]
    list_select_related = ["structure"]
    date_hierarchy = "period_start"
    readonly_fields = ["status", "submitted_by", "submitted_at", "first_submitted_at", "reviewed_by", "reviewed_at",
                       "created_by", "created_at", "updated_at"]
    autocomplete_fields = ["structure"]
    inlines = [ReportedActivityInline, ReportAttachmentInline, ReportTransitionInline]


@admin.register(ReportNotice)
class ReportNoticeAdmin(admin.ModelAdmin):
    list_display = ["report", "stage", "sent_at", "recipients"]
    list_filter = ["stage"]
    list_select_related = ["report__structure"]
    raw_id_fields = ["report"]
