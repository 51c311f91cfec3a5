"""Forms: they shape and validate input; the services apply the business rules and save."""

from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.events.models import EARLIEST_YEAR, LATEST_YEAR, Event, year_out_of_range
from programmes.forms import VersionedFormMixin
from programmes.models import ExecutiveStructure, Project, ThematicArea
from programmes.pickers import PickerSearchMixin, SearchSelect, person_label
from taskforces.models import (
    DUE_TIMEZONE_CHOICES,
    ActionItem,
    Attendance,
    Decision,
    Meeting,
    TaskForce,
    TaskForceMember,
    validate_timezone_name,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from focal_points.models import FocalPoint

User = get_user_model()


class TaskForceForm(forms.ModelForm):
    class Meta:
        model = TaskForce
        fields = [
            "name",
            "acronym",
            "slug",
            "description",
            "mandate",
            "chair_structure",
            "secretary",
            "meeting_frequency",
            "thematic_areas",
            "active",
            "publishes_to_delegations",
            "receives_calendar_bundle",
        ]


class MemberForm(forms.ModelForm):
    class Meta:
        model = TaskForceMember
        fields = ["structure", "role", "representative", "focal_point", "joined_on"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, task_force: TaskForce, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.task_force = task_force
        if self.instance.pk:
            self.fields["structure"].disabled = True
        else:
            taken = task_force.members.values("structure_id")
            cast(forms.ModelChoiceField, self.fields["structure"]).queryset = ExecutiveStructure.objects.exclude(
                pk__in=taken
            )
        focal_point = cast(forms.ModelChoiceField, self.fields["focal_point"])
        # The model field's own choices (a ModelForm field always has a queryset).
        choices = cast("QuerySet[FocalPoint]", focal_point.queryset)
        focal_point.queryset = choices.select_related("structure").filter(structure__isnull=False)


class MeetingForm(VersionedFormMixin, forms.Form):
    """The start is entered as a local date and time in the meeting's zone and stored in UTC."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    local_start = forms.DateTimeField(
        label=_("Starts (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Europe/Vienna",
        validators=[validate_timezone_name],
        help_text=_("IANA name, e.g. Europe/Vienna"),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=1440, initial=120)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Meeting.Status.choices, initial=Meeting.Status.PLANNED)
    minutes_markdown = forms.CharField(
        label=_("Minutes (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    published = forms.BooleanField(label=_("Published (minutes and decisions approved)"), required=False)

    @classmethod
    def initial_from(cls, meeting: Meeting) -> dict:
        return {
            "title": meeting.title,
            "local_start": meeting.local_start.replace(tzinfo=None),
            "timezone": meeting.timezone,
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "online": meeting.online,
            "status": meeting.status,
            "minutes_markdown": meeting.minutes_markdown,
            "published": meeting.published,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # VersionedFormMixin.clean: Form.clean's cleaned_data, never None
        local, zone = data.get("local_start"), data.get("timezone")
        if year_out_of_range(local):
            self.add_error(
                "local_start",
                _("Give a date between the years %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
            local = None
        if local is not None and zone:
            naive = timezone.make_naive(local) if timezone.is_aware(local) else local
            data["starts_at"] = naive.replace(tzinfo=ZoneInfo(zone))
        if not data.get("online") and not (data.get("place") or "").strip():
            self.add_error("place", _("Give a place or mark the meeting as online."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("local_start", None)
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    presenter = forms.ModelChoiceField(
        label=_("Introduced by"), queryset=ExecutiveStructure.objects.all(), required=False
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=1, required=False, help_text=_("Leave empty to add at the end.")
    )


class AttendanceForm(forms.Form):
    """One presence choice per member of the task force."""

    NOT_RECORDED = ""

    def __init__(self, *args, meeting: Meeting, members, **kwargs):
        super().__init__(*args, **kwargs)
        current = {a.member_id: a.presence for a in meeting.attendance.all()}
        choices = [(self.NOT_RECORDED, _("Not recorded")), *Attendance.Presence.choices]
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=str(member.structure),
                choices=choices,
                required=False,
                initial=current.get(member.pk, self.NOT_RECORDED),
            )

    def entries(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"member_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"member_{member.pk}")
        }


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"), required=False, queryset=ThematicArea.objects.in_tree_order()
    )


class ActionItemForm(VersionedFormMixin, PickerSearchMixin, forms.Form):
    what = forms.CharField(label=_("What"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_structure = forms.ModelChoiceField(label=_("Owner structure"), queryset=ExecutiveStructure.objects.all())
    owner = forms.ModelChoiceField(
        label=_("Owner (person)"), queryset=User.objects.filter(is_active=True), required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    due_timezone = forms.ChoiceField(
        label=_("Deadline time zone"),
        required=False,
        choices=[("", _("From the owner structure")), *DUE_TIMEZONE_CHOICES],
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices, initial=ActionItem.Status.OPEN)
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False)
    # 20,000 projects and 200,000 events cannot be listed whole: a search box narrows each list to the matches.
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.all(),
        required=False,
        help_text=_("Type part of the code or title, then choose the project."),
        widget=SearchSelect("project"),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("Type part of the title or the city, then choose the event."),
        widget=SearchSelect("event"),
    )

    def __init__(self, *args, task_force: TaskForce, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["decision"]).queryset = Decision.objects.filter(
            meeting__task_force=task_force
        ).select_related("meeting__task_force")
        cast(forms.ModelChoiceField, self.fields["event"]).queryset = Event.objects.all()
        # People by name, not by username.
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        owner.label_from_instance = person_label  # type: ignore[method-assign,assignment]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("due_timezone"):
            data.pop("due_timezone", None)
        return data


class ProgressNoteForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status after this note"), choices=ActionItem.Status.choices, required=False)
