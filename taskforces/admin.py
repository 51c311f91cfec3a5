from django.contrib import admin

from taskforces.models import (
    ActionItem,
    ActionProgressNote,
    ActionReminder,
    AgendaItem,
    Attendance,
    CalendarBundleMailing,
    Decision,
    Meeting,
    MeetingPack,
    TaskForce,
    TaskForceMember,
)


class MemberInline(admin.TabularInline):
    model = TaskForceMember
    extra = 0
    autocomplete_fields = ["structure"]
    raw_id_fields = ["representative", "focal_point"]


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "chair_structure", "meeting_frequency", "active", "publishes_to_delegations"]
    list_filter = ["active", "meeting_frequency", "publishes_to_delegations"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [MemberInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "task_force", "starts_at", "status", "published"]
    list_filter = ["task_force", "status", "published"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["event"]
    inlines = [AgendaInline, AttendanceInline, DecisionInline]


class NoteInline(admin.TabularInline):
    model = ActionProgressNote
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "task_force", "owner_structure", "due_date", "status"]
    list_filter = ["task_force", "status"]
    search_fields = ["what"]
    raw_id_fields = ["owner", "meeting", "decision", "project", "event"]
    inlines = [NoteInline]


admin.site.register(ActionReminder)
admin.site.register(MeetingPack)
admin.site.register(CalendarBundleMailing)
