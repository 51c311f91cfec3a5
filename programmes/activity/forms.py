"""Forms for the field-operation and review pages. They validate input; the services apply the rules and save."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.activity.models import ActivityReport, ReportedActivity
from programmes.activity.selectors import ComplianceState, compliance_years
from programmes.events.models import Event
from programmes.forms import VersionedFormMixin
from programmes.models import ParticipatingState, PartnerOrganisation, Project, Region, ThematicArea


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportOpenForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args, periods: list[tuple[date, date]], labels: dict[date, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {start.isoformat(): (start, end) for start, end in periods}
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            (start.isoformat(), labels[start]) for start, _end in periods
        ]

    def clean_period(self) -> tuple[date, date]:
        return self.periods[self.cleaned_data["period"]]


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ActivityReport
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ReportedActivityForm(forms.ModelForm):
    """One activity row. Choice lists are computed once per page and shared by every row (``choices_cache``)."""

    class Meta:
        model = ReportedActivity
        fields = [
            "title",
            "activity_type",
            "thematic_areas",
            "project",
            "event",
            "state",
            "city",
            "online",
            "start",
            "end",
            "participants_women",
            "participants_men",
            "participants_unrecorded",
            "partner_organisations",
            "results",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "results": forms.Textarea(attrs={"rows": 3}),
            "participants_women": forms.NumberInput(attrs={"min": 0}),
            "participants_men": forms.NumberInput(attrs={"min": 0}),
            "participants_unrecorded": forms.NumberInput(attrs={"min": 0}),
            # Checkbox groups, not Ctrl-click multiple selects: usable on touch screens and without JavaScript.
            "thematic_areas": forms.CheckboxSelectMultiple,
            "partner_organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, choices_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (choices_cache or {}).items():
            cast(forms.ChoiceField, self.fields[name]).choices = choices

    def has_changed(self) -> bool:
        """A new row counts as filled in only if something was typed into it. A row added without JavaScript comes
        back with its number boxes empty rather than 0, which Django alone would count as a change: the blank row
        would then be validated and block every save (defect 1 of issue 15)."""
        if self.instance.pk is not None:
            return super().has_changed()
        return any(self[name].data not in (None, "", [], False) for name in self.changed_data)


def item_choices(report: ActivityReport) -> dict[str, list]:
    """Choice lists for the item rows: events in the report's period, the structure's own projects, all areas,
    States and partner organisations. Kept small on purpose: the calendar holds hundreds of thousands of events."""
    events = Event.objects.filter(start_date__lte=report.period_end, end_date__gte=report.period_start).order_by(
        "start_date", "title"
    )
    used = report.items.values("project_id") if report.pk else Project.objects.none().values("pk")
    projects = (
        Project.objects.filter(
            Q(lead_structure=report.structure_id) | Q(partner_structures=report.structure_id) | Q(pk__in=used)
        )
        .distinct()
        .order_by("code")
    )
    empty = [("", "---------")]
    return {
        "thematic_areas": [(a.pk, str(a)) for a in ThematicArea.objects.in_tree_order()],
        "project": empty + [(p.pk, f"{p.code} {p.title}") for p in projects],
        "event": empty + [(e.pk, f"{e.start_date:%Y-%m-%d} {e.title}") for e in events],
        "state": empty + [(s.pk, s.name) for s in ParticipatingState.objects.order_by("is_partner", "name")],
        "partner_organisations": [(o.pk, f"{o.acronym} – {o.name}") for o in PartnerOrganisation.objects.all()],
    }


class BaseItemFormSet(forms.BaseInlineFormSet):
    def item_forms(self) -> list[ReportedActivityForm]:
        """The rows to keep: not marked for deletion and not left empty."""
        kept = []
        for form in self.forms:
            # A private Django method the stubs leave out; it is what BaseFormSet itself uses for deleted_forms.
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            kept.append(form)
        return kept


ItemFormSet = forms.inlineformset_factory(
    ActivityReport,
    ReportedActivity,
    form=ReportedActivityForm,
    formset=BaseItemFormSet,
    extra=1,
    can_delete=True,
)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, ODT, PNG or JPEG. The type is checked by the file's content."),
    )
    published = forms.BooleanField(
        label=_("Delegations may read this file once the report is accepted"), required=False
    )


class ReviewForm(forms.Form):
    DECISIONS = [("return", _("Return to the structure")), ("accept", _("Accept"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning: say what needs to change."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what needs to change before the report can be accepted."))
        return cleaned


class ComplianceFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, today: date, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted(set(compliance_years() if years is None else years) | {today.year}, reverse=True)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        regions = [(r.value, r.label) for r in Region if r.value in Region.field_operation_regions()]
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("All regions")), *regions]


COMPLIANCE_STATE_CHOICES = [(state, ComplianceState.LABELS[state]) for state in ComplianceState.ALL]
