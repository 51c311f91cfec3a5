from django.contrib import admin

from taskforces import services
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

    # Deletes go through the service so the meetings' calendar entries go too. The admin site's own model
    # permissions have decided who may delete, hence no row rule (actor=None).
    def delete_model(self, request, obj):
        services.taskforce_delete(task_force=obj, actor=None)

    def delete_queryset(self, request, queryset):
        for task_force in queryset:
            services.taskforce_delete(task_force=task_force, actor=None)


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
    search_fields = ["place", "minutes_markdown", "task_force__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["event"]
    inlines = [AgendaInline, AttendanceInline, DecisionInline]

    # As for task forces: the service removes the calendar entry with the meeting.
    def delete_model(self, request, obj):
        services.meeting_delete(meeting=obj, actor=None)

    def delete_queryset(self, request, queryset):
        for meeting in queryset.select_related("event"):
            services.meeting_delete(meeting=meeting, actor=None)


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


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(admin.ModelAdmin):
    list_display = ["structure", "task_force", "representative", "focal_point", "role", "joined_on"]
    list_filter = ["task_force", "role"]
    search_fields = ["structure__acronym", "structure__name", "representative__username", "focal_point__last_name"]
    list_select_related = ["structure", "task_force", "representative", "focal_point"]
    raw_id_fields = ["representative", "focal_point"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "presenter"]
    list_filter = ["meeting__task_force"]
    search_fields = ["title", "notes"]
    list_select_related = ["meeting__task_force", "presenter"]
    raw_id_fields = ["meeting", "presenter"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["member", "meeting", "presence", "attendee_name"]
    list_filter = ["presence", "meeting__task_force"]
    search_fields = ["member__structure__acronym", "attendee_name"]
    list_select_related = ["member__structure", "meeting__task_force"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "meeting", "text", "created_at"]
    list_filter = ["meeting__task_force", "thematic_areas"]
    search_fields = ["text"]
    list_select_related = ["meeting__task_force"]
    raw_id_fields = ["meeting"]


@admin.register(ActionProgressNote)
class ActionProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["action", "author", "created_at"]
    list_filter = ["action__task_force"]
    search_fields = ["text", "action__what", "author__username"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ["action", "stage", "recipient", "sent_at"]
    list_filter = ["stage"]
    search_fields = ["action__what", "recipient"]
    list_select_related = ["action"]
    raw_id_fields = ["action"]


@admin.register(MeetingPack)
class MeetingPackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["meeting__task_force__name", "error"]
    list_select_related = ["meeting__task_force", "requested_by"]
    raw_id_fields = ["meeting", "requested_by"]


@admin.register(CalendarBundleMailing)
class CalendarBundleMailingAdmin(admin.ModelAdmin):
    list_display = ["bundle", "task_force", "status", "created_at", "sent_at"]
    list_filter = ["status", "task_force"]
    search_fields = ["recipients", "error"]
    list_select_related = ["task_force", "bundle"]
    raw_id_fields = ["bundle"]
