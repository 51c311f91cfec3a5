from django.contrib import admin

from programmes.events.models import CalendarBundle, CalendarFeedToken, CoordinationAlert, Event, EventOutcome
from programmes.events.text_search import refresh_title_terms


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "format",
        "lead_structure",
        "state",
        "start_date",
        "end_date",
        "status",
        "visibility",
        "sequence",
    ]
    list_filter = ["status", "visibility", "format", "all_day", "lead_structure__kind"]
    search_fields = ["title", "description", "city", "uid"]
    list_select_related = ["lead_structure", "state"]
    autocomplete_fields = [
        "lead_structure",
        "co_organisers",
        "thematic_areas",
        "state",
        "partner_organisations",
        "project",
    ]
    readonly_fields = ["uid", "sequence", "created_by", "created_at", "updated_at"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The duplicate check compares the stored title terms, which an edit here would otherwise leave behind.
        refresh_title_terms(event_ids=[obj.pk])


@admin.register(EventOutcome)
class EventOutcomeAdmin(admin.ModelAdmin):
    list_display = ["event", "outcome", "participants_women", "participants_men", "participants_afghan", "updated_at"]
    list_filter = ["outcome"]
    search_fields = ["event__title", "results", "follow_up"]
    raw_id_fields = ["event", "recorded_by"]


@admin.register(CoordinationAlert)
class CoordinationAlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event_a", "event_b", "score", "status", "resolved_by", "resolved_at"]
    list_filter = ["status"]
    search_fields = ["event_a__title", "event_b__title"]
    list_select_related = ["event_a", "event_b", "resolved_by"]
    raw_id_fields = ["event_a", "event_b", "resolved_by"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "hint", "created_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "hint"]
    list_select_related = ["user"]
    readonly_fields = ["user", "token_hash", "hint", "created_at", "last_used_at"]


@admin.register(CalendarBundle)
class CalendarBundleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "progress",
        "scheduled",
        "event_count",
        "alert_count",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "scheduled"]
    search_fields = ["error", "requested_by__username"]
    list_select_related = ["requested_by"]
    readonly_fields = [
        "pdf",
        "xlsx",
        "ics",
        "emailed_to",
        "emailed_at",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
    ]
