from django.contrib import admin

from focal_points.models import ConfirmationRequest, FocalPoint, Membership, Network, ProposedChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "coordinating_structure", "founding_mandate", "expects_one_per_state", "proposed"]
    list_filter = ["expects_one_per_state", "proposed"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["thematic_areas"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "job_title", "structure", "state", "partner_organisation", "is_sample"]
    list_filter = ["is_sample", "state"]
    search_fields = ["first_name", "last_name", "email", "job_title"]
    list_select_related = ["structure", "state", "partner_organisation"]
    filter_horizontal = ["thematic_areas"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Memberships carry the person's State (for coverage); keep them in step when the State changes here.
        obj.memberships.exclude(state_id=obj.state_id).update(state_id=obj.state_id)


@admin.register(ConfirmationRequest)
class ConfirmationRequestAdmin(admin.ModelAdmin):
    list_display = ["focal_point", "year", "sent_at", "confirmed_at"]
    list_filter = ["year"]
    search_fields = ["focal_point__last_name", "focal_point__first_name", "focal_point__email"]
    raw_id_fields = ["focal_point"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    list_display = ["focal_point", "status", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["focal_point__last_name", "focal_point__first_name", "focal_point__email"]
    raw_id_fields = ["focal_point", "confirmation_request"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["focal_point", "network", "state", "role", "start", "end", "last_confirmed"]
    list_filter = ["network", "role", "state"]
    search_fields = ["focal_point__last_name", "focal_point__first_name", "network__name", "state__name"]
    list_select_related = ["focal_point", "network", "state"]
    autocomplete_fields = ["network", "focal_point"]
