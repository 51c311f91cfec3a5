from django.contrib import admin

from knowledge.models import Document, Instrument, StateCommitment
from programmes.events.models import TrainingCentre


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "family", "parent", "position"]
    list_filter = ["kind", "family"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["thematic_areas", "parent"]


@admin.register(StateCommitment)
class StateCommitmentAdmin(admin.ModelAdmin):
    list_display = ["state", "instrument", "status", "date", "as_of", "reservations", "illustrative", "source"]
    list_filter = ["status", "instrument", "illustrative", "reservations", "state__region"]
    search_fields = ["state__name", "instrument__short_name", "source", "note"]
    list_select_related = ["state", "instrument"]
    autocomplete_fields = ["state", "instrument"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
    date_hierarchy = "as_of"


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Edits here skip the services: text extraction is not queued; use the library pages for uploads."""

    list_display = ["title", "kind", "language", "published_on", "visibility", "text_status", "illustrative"]
    list_filter = ["kind", "language", "visibility", "text_status", "illustrative"]
    search_fields = ["title", "summary"]
    autocomplete_fields = [
        "thematic_areas",
        "states",
        "structures",
        "partner_organisations",
        "events",
        "projects",
        "mandates",
    ]
    raw_id_fields = ["meetings"]
    readonly_fields = ["text_status", "text_error", "text_extracted_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "published_on"


# The model is the calendar's (events name their centre); its directory and maintenance live in this app.
@admin.register(TrainingCentre)
class TrainingCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "state", "osce_structure", "active"]
    list_filter = ["kind", "active", "state__region"]
    search_fields = ["name", "acronym", "city", "host"]
    list_select_related = ["state", "osce_structure"]
    autocomplete_fields = ["state", "osce_structure", "thematic_areas"]
