from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programmes.events.models import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    CoordinationAlert,
    Event,
    EventOutcome,
    TrainingCentre,
    iana_timezones,
    year_out_of_range,
)
from programmes.events.services import schedule_fields
from programmes.forms import VersionedFormMixin
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, Project, ThematicArea
from programmes.permissions import is_field, user_structure_id
from programmes.pickers import CheckboxGroup, PickerSearchMixin, SearchSelect
from programmes.types import PortalUser


def timezone_choices() -> list[tuple[str, object]]:
    return [("", _("— no time zone (all-day event) —"))] + [(name, name) for name in sorted(iana_timezones())]


class EventForm(VersionedFormMixin, PickerSearchMixin, forms.Form):
    """One set of day fields for every event; the time fields and the time zone matter only for timed events."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    lead_structure = forms.ModelChoiceField(label=_("Lead structure"), queryset=ExecutiveStructure.objects.all())
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"), queryset=ExecutiveStructure.objects.all(), required=False, widget=CheckboxGroup
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        queryset=ThematicArea.objects.in_tree_order(),
        help_text=_("Choose every area the event serves; a top area covers its sub-areas."),
        widget=CheckboxGroup,
    )
    state = forms.ModelChoiceField(label=_("State"), queryset=ParticipatingState.objects.all(), required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    online = forms.BooleanField(label=_("Online event"), required=False)
    all_day = forms.BooleanField(
        label=_("All-day event"),
        required=False,
        initial=True,
        help_text=_("Untick for an event with start and end times."),
    )
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a one-day event, the same as the first day."),
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Where the event happens, e.g. Asia/Dushanbe. Needed for timed events."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices, initial=Event.Status.PLANNED)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Event.Visibility.choices,
        initial=Event.Visibility.INTERNAL,
        help_text=_("Public events are shown to delegations and in the public feed."),
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=PartnerOrganisation.objects.all(),
        required=False,
        widget=CheckboxGroup,
    )
    expected_participants = forms.IntegerField(label=_("Expected participants"), required=False, min_value=0)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), required=False, widget=SearchSelect("project")
    )
    training_centre = forms.ModelChoiceField(
        label=_("Training centre"),
        queryset=TrainingCentre.objects.all(),
        required=False,
        help_text=_("Where a course is held, if at a centre."),
    )

    def __init__(self, *args: Any, user: PortalUser | None = None, event: Event | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(event)
        elif event is None and user is not None and user_structure_id(user) is not None:
            # A new event is usually led by the author's own structure.
            kwargs.setdefault("initial", {}).setdefault("lead_structure", user_structure_id(user))
        super().__init__(*args, versioned=event, **kwargs)
        cast(forms.ChoiceField, self.fields["timezone"]).choices = timezone_choices()
        # An instance attribute shadowing the method on purpose: the plain label, not the field's default.
        areas = cast(forms.ModelMultipleChoiceField, self.fields["thematic_areas"])
        areas.label_from_instance = lambda a: str(a)  # type: ignore[method-assign,assignment]
        if user is not None and is_field(user):
            # Field staff propose events for their own operation only.
            lead = cast(forms.ModelChoiceField, self.fields["lead_structure"])
            structure_id = user_structure_id(user)
            lead.queryset = (
                ExecutiveStructure.objects.filter(pk=structure_id)
                if structure_id is not None
                else ExecutiveStructure.objects.none()
            )
            lead.empty_label = None

    @staticmethod
    def initial_from(event: Event) -> dict[str, Any]:
        initial = {
            name: getattr(event, name)
            for name in (
                "title",
                "description",
                "format",
                "lead_structure",
                "state",
                "city",
                "online",
                "all_day",
                "start_date",
                "end_date",
                "timezone",
                "status",
                "visibility",
                "expected_participants",
                "project",
                "training_centre",
            )
        }
        initial["co_organisers"] = list(event.co_organisers.all())
        initial["thematic_areas"] = list(event.thematic_areas.all())
        initial["partner_organisations"] = list(event.partner_organisations.all())
        if not event.all_day:
            initial["start_date"], initial["start_time"] = event.local_start.date(), event.local_start.time()
            initial["end_date"], initial["end_time"] = event.local_end.date(), event.local_end.time()
        return initial

    _ERROR_FIELDS = {"start": "start_date", "end": "end_date", "timezone": "timezone"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # VersionedFormMixin.clean: Form.clean's cleaned_data, never None
        all_day = data.get("all_day", False)
        start_day, end_day = data.get("start_date"), data.get("end_date")
        if not isinstance(start_day, date) or not isinstance(end_day, date):
            return data
        if all_day:
            start, end = start_day, end_day
        else:
            missing = False
            for name in ("start_time", "end_time"):
                if data.get(name) is None:
                    self.add_error(name, _("A timed event needs a start and an end time."))
                    missing = True
            if missing:
                return data
            start = datetime.combine(start_day, data["start_time"])
            end = datetime.combine(end_day, data["end_time"])
        try:
            data["schedule"] = schedule_fields(
                all_day=all_day, start=start, end=end, timezone=data.get("timezone") or ""
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                field = self._ERROR_FIELDS.get(key)
                if field == "end_date" and not all_day:
                    field = "end_time"
                for message in messages:
                    self.add_error(field, message)
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned data in the shape ``event_create``/``event_update`` take."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("start_date", "end_date", "start_time", "end_time", "timezone", "all_day", "schedule")
        }
        data.update(self.cleaned_data["schedule"])
        return data


class EventOutcomeForm(forms.ModelForm):
    class Meta:
        model = EventOutcome
        fields = ["outcome", "participants_women", "participants_men", "participants_afghan", "results", "follow_up"]
        widgets = {
            "outcome": forms.RadioSelect,
            "results": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class AlertResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[
            (CoordinationAlert.Status.COORDINATED, _("Co-ordinated")),
            (CoordinationAlert.Status.NOT_DUPLICATE, _("Not a duplicate")),
            ("merge", _("Merge (double entry): keep the first event")),
        ],
    )


class BundleRequestForm(forms.Form):
    first_month = forms.DateField(
        label=_("First month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The bundle covers this month and the two after it."),
    )

    def clean_first_month(self):
        first_month = self.cleaned_data["first_month"]
        if year_out_of_range(first_month) or year_out_of_range(date(first_month.year + 1, 1, 1)):
            raise ValidationError(
                _("Choose a month between the years %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR - 1}
            )
        return first_month
