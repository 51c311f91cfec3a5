from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osce_tnt.reporting.figures import Filters
from osce_tnt.reporting.models import GeneratedReport, period_errors
from programmes.models import ExecutiveStructure, ParticipatingState, Region, ThematicArea
from programmes.periods import default_period


class DateInput(forms.DateInput):
    input_type = "date"


class DashboardFilterForm(forms.Form):
    """The dashboard filters, read from the URL by the page, the CSV downloads and /api/dashboard/ alike."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    area = forms.ModelChoiceField(
        label=_("Thematic area"),
        required=False,
        queryset=ThematicArea.objects.in_tree_order(),
        empty_label=_("All areas"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices])
    state = forms.ModelChoiceField(
        label=_("State"),
        required=False,
        queryset=ParticipatingState.objects.all(),
        empty_label=_("All States"),
    )
    all_time = forms.BooleanField(
        label=_("All years"),
        required=False,
        help_text=_("Without dates the dashboard shows the current year; tick for every year on record."),
    )

    def __init__(self, *args, with_state: bool = False, my_state: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_state:
            del self.fields["state"]
        if my_state:
            # One State is already chosen: a region filter on top of it can only empty the page (issue 15, 5).
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        start, end = data.get("start"), data.get("end")
        for field, message in period_errors(start, end, start_field="start", end_field="end").items():
            self.add_error(field, message)
        if start and end and end < start and "end" not in self.errors:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data

    @staticmethod
    def default_filters(*, today: date | None = None) -> Filters:
        """What an empty query means: the portal's default period, nothing else. Equal to an unbound form's
        ``to_filters()``, without building a form (copying its option querysets costs ~0.5 ms a request)."""
        start, end = default_period(today or timezone.localdate())
        return Filters(start=start, end=end)

    def to_filters(self, *, state_id: int | None = None, today: date | None = None) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        area = data.get("area")
        state = data.get("state")
        start, end = data.get("start"), data.get("end")
        if start is None and end is None and not data.get("all_time"):
            # Neither end given: the portal's one default period (the current year), not "all time"; fifteen years
            # by default also made every cold dashboard take seconds (issue 14).
            start, end = default_period(today or timezone.localdate())
        return Filters(
            start=start,
            end=end,
            area_id=area.pk if area else None,
            area_top_id=(area.parent_id or area.pk) if area else None,
            region=data.get("region") or "",
            state_id=state_id or (state.pk if state else None),
        )


class ReportRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for a title made from the period and scope."),
    )
    scope_kind = forms.ChoiceField(
        label=_("Scope"), choices=GeneratedReport.ScopeKind.choices, initial=GeneratedReport.ScopeKind.ALL
    )
    thematic_area = forms.ModelChoiceField(
        label=_("Thematic area"),
        required=False,
        queryset=ThematicArea.objects.in_tree_order(),
        help_text=_("When the scope is one thematic area."),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", "---------"), *Region.choices],
        help_text=_("When the scope is one region."),
    )
    structure = forms.ModelChoiceField(
        label=_("Structure"),
        required=False,
        queryset=ExecutiveStructure.objects.filter(active=True),
        help_text=_("When the scope is one structure."),
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = default_period(today or timezone.localdate())
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data
