from django.contrib import admin

from programmes.models import Programme
from results.models import (
    ActivityContribution,
    ActualTransition,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    ParticipantBreakdown,
    ProgrammeProposal,
    Result,
    SectorMapping,
)


class ProposalInline(admin.TabularInline):
    model = ProgrammeProposal
    extra = 0
    autocomplete_fields = ["project"]


# The programme model lives in the core; its pages, and so its admin, are the results app's.
@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "lead_structure", "planned_project_count", "start", "end"]
    list_filter = ["lead_structure"]
    search_fields = ["code", "title"]
    inlines = [ProposalInline]


@admin.register(ProgrammeProposal)
class ProgrammeProposalAdmin(admin.ModelAdmin):
    list_display = [
        "programme",
        "number",
        "title",
        "project",
        "estimated_budget_eur",
        "duration_months",
        "max_participants",
    ]
    list_filter = ["programme", "afghan_participants"]
    search_fields = ["title", "project__code"]
    autocomplete_fields = ["project"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "project", "parent", "illustrative"]
    list_filter = ["level", "illustrative"]
    search_fields = ["title", "project__code"]
    list_select_related = ["project", "parent"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["title", "result", "measure", "unit", "counts_people", "code"]
    list_filter = ["measure", "counts_people"]
    search_fields = ["title", "code", "result__project__code"]
    list_select_related = ["result"]


@admin.register(IndicatorPeriod)
class IndicatorPeriodAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "target_value"]
    list_filter = ["period_start"]
    search_fields = ["indicator__title"]
    list_select_related = ["indicator"]


@admin.register(IndicatorActual)
class IndicatorActualAdmin(admin.ModelAdmin):
    list_display = ["period", "structure", "value", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "structure"]
    search_fields = ["period__indicator__title", "structure__acronym"]
    list_select_related = ["period__indicator", "structure"]
    # The review workflow runs through the services; here the status is shown, not edited.
    readonly_fields = ["status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]


@admin.register(ActualTransition)
class ActualTransitionAdmin(admin.ModelAdmin):
    list_display = ["actual", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["comment"]


@admin.register(ActivityContribution)
class ActivityContributionAdmin(admin.ModelAdmin):
    list_display = ["activity", "indicator", "value"]
    list_filter = ["indicator__measure"]
    search_fields = ["activity__title", "indicator__title"]
    raw_id_fields = ["activity"]


@admin.register(ParticipantBreakdown)
class ParticipantBreakdownAdmin(admin.ModelAdmin):
    list_display = ["activity", "sex", "age_group", "count"]
    list_filter = ["sex", "age_group"]
    search_fields = ["activity__title"]
    raw_id_fields = ["activity"]


@admin.register(FinancialTransaction)
class FinancialTransactionAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "kind",
        "funding_source",
        "donor_state",
        "donor_organisation",
        "date",
        "currency",
        "amount",
        "value_eur",
    ]
    list_filter = ["kind", "funding_source", "currency"]
    search_fields = ["project__code", "description"]
    list_select_related = ["project", "donor_state", "donor_organisation"]


@admin.register(SectorMapping)
class SectorMappingAdmin(admin.ModelAdmin):
    list_display = ["thematic_area", "dac_code", "dac_name"]
    list_filter = ["dac_code"]
    search_fields = ["thematic_area__name", "dac_code", "dac_name"]
