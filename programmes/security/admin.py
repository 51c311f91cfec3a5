from django.contrib import admin

from programmes.security.models import ErasureRecord, SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "user", "ip_address"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "user__username", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = ["kind", "user", "username", "ip_address", "user_agent", "at"]

    # The audit is written by signals only: nobody edits or adds to it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "subject", "erased_by"]
    list_filter = ["at"]
    search_fields = ["subject", "summary"]
    readonly_fields = ["subject", "summary", "erased_by", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
