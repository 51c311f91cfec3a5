from django.contrib import admin

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    FormSubmission,
    IdempotencyRecord,
    Mandate,
    OutboxJob,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ServiceHeartbeat,
    ThematicArea,
    UserProfile,
)


@admin.register(ParticipatingState)
class ParticipatingStateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso_code", "region", "joined", "is_partner"]
    list_filter = ["is_partner", "region"]
    search_fields = ["name", "iso_code"]


@admin.register(ExecutiveStructure)
class ExecutiveStructureAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "region", "host_state", "parent", "active", "proposed"]
    list_filter = ["kind", "region", "active", "proposed"]
    search_fields = ["name", "acronym"]
    list_select_related = ["host_state", "parent"]
    autocomplete_fields = ["host_state", "parent"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    list_select_related = ["parent"]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "year", "body", "status"]
    list_filter = ["body", "status", "year"]
    search_fields = ["code", "title"]


class DonorPledgeInline(admin.TabularInline):
    model = DonorPledge
    extra = 0
    autocomplete_fields = ["donor_state"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "lead_structure", "funding_source", "budget", "status", "start", "end"]
    list_filter = ["status", "funding_source", "thematic_areas", "lead_structure__kind"]
    search_fields = ["code", "title", "summary"]
    list_select_related = ["lead_structure"]
    autocomplete_fields = [
        "lead_structure",
        "partner_structures",
        "beneficiary_states",
        "partner_organisations",
        "mandates",
        "thematic_areas",
    ]
    inlines = [DonorPledgeInline]
    date_hierarchy = "start"


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "structure", "state"]
    list_filter = ["user__groups", "structure__kind"]
    search_fields = ["user__username", "user__email", "structure__acronym", "state__name"]
    list_select_related = ["user", "structure", "state"]
    autocomplete_fields = ["structure", "state"]


@admin.register(DonorPledge)
class DonorPledgeAdmin(admin.ModelAdmin):
    list_display = ["project", "donor_state", "amount", "pledged_on"]
    list_filter = ["donor_state", "project__funding_source"]
    search_fields = ["project__code", "project__title", "donor_state__name"]
    list_select_related = ["project", "donor_state"]
    autocomplete_fields = ["project", "donor_state"]
    date_hierarchy = "pledged_on"


# Reliability bookkeeping: read-mostly pages an administrator opens when a job or a retried request is in question.
@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ["task", "key", "created_at", "sent_at", "done_at", "attempts"]
    list_filter = ["task", "done_at"]
    search_fields = ["task", "key"]
    date_hierarchy = "created_at"


@admin.register(ServiceHeartbeat)
class ServiceHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "seen_at", "detail"]
    list_filter = ["name"]
    search_fields = ["name", "detail"]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "status_code", "created_at"]
    list_filter = ["status_code"]
    search_fields = ["key", "user__username"]
    list_select_related = ["user"]
    exclude = ["body"]


@admin.register(FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    list_display = ["user", "path", "redirect_to", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["path", "user__username"]
    list_select_related = ["user"]
