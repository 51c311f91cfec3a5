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
    list_display = ["structure", "period_start", "period_end", "status", "due_on", "first_submitted_at", "reviewed_at"]
    list_filter = ["status", "structure__region", "structure__kind"]
    search_fields = ["structure__acronym", "structure__name", "summary"]
    list_select_related = ["structure"]
    date_hierarchy = "period_start"
    readonly_fields = [
        "status",
        "submitted_by",
        "submitted_at",
        "first_submitted_at",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["structure"]
    inlines = [ReportedActivityInline, ReportAttachmentInline, ReportTransitionInline]


@admin.register(ReportNotice)
class ReportNoticeAdmin(admin.ModelAdmin):
    list_display = ["report", "stage", "sent_at", "recipients"]
    list_filter = ["stage"]
    list_select_related = ["report__structure"]
    raw_id_fields = ["report"]
    search_fields = ["report__structure__acronym", "recipients"]


@admin.register(ReportedActivity)
class ReportedActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "report",
        "activity_type",
        "state",
        "start",
        "end",
        "participants_women",
        "participants_men",
        "participants_unrecorded",
    ]
    list_filter = ["activity_type", "report__status", "online", "thematic_areas"]
    search_fields = ["title", "city", "results", "report__structure__acronym"]
    list_select_related = ["report__structure", "state"]
    autocomplete_fields = ["thematic_areas", "project", "state", "partner_organisations"]
    raw_id_fields = ["report", "event"]
    date_hierarchy = "start"


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "content_type", "size", "published", "uploaded_at"]
    list_filter = ["content_type", "published"]
    search_fields = ["original_name", "report__structure__acronym"]
    list_select_related = ["report__structure"]
    readonly_fields = [
        "report",
        "file",
        "original_name",
        "content_type",
        "size",
        "checksum",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        # Uploads go through the service, which checks type and size.
        return False


@admin.register(ReportTransition)
class ReportTransitionAdmin(admin.ModelAdmin):
    list_display = ["report", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["report__structure__acronym", "comment", "by__username"]
    list_select_related = ["report__structure", "by"]
    readonly_fields = ["report", "from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request):
        # The history is written by the transition services only.
        return False
