from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.activity.models import ReportedActivity
from programmes.models import DonorPledge, GenderMarker, ParticipatingState, PartnerOrganisation, Programme, Project
from results.models import (
    AgeGroup,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    Result,
    ResultLevel,
    Sex,
)


class ActualForm(forms.ModelForm):
    class Meta:
        model = IndicatorActual
        fields = ["value", "value_women", "value_men", "value_unrecorded", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = indicator or (self.instance.period.indicator if self.instance.period_id else None)
        if indicator is not None:
            if not indicator.counts_people:
                for name in ("value_women", "value_men", "value_unrecorded"):
                    del self.fields[name]
            if not indicator.is_quantitative:
                del self.fields["value"]
            elif indicator.unit:
                self.fields["value"].label = _("Actual (%(unit)s)") % {"unit": indicator.unit}

    def _post_clean(self):
        # The service validates the whole row; the form only checks field types.
        pass


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Comment"))


class ClassificationForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), required=False, label=_("Programme"))
    follow_up_of = forms.ModelMultipleChoiceField(
        queryset=Project.objects.order_by("code"), required=False, label=_("Follow-up of")
    )
    gender_marker = forms.TypedChoiceField(
        choices=[("", _("Not assessed")), *GenderMarker.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Gender marker"),
    )


class DonorForm(forms.Form):
    state = forms.ModelChoiceField(queryset=ParticipatingState.objects.all(), required=False, label=_("Donor State"))
    organisation = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.all(), required=False, label=_("Donor organisation")
    )


class _ServiceValidatedForm(forms.ModelForm):
    """The form checks field types and shapes; the service validates the whole row (``full_clean`` and the rules
    across fields) and its errors are put next to the fields with ``add_service_errors``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean_position(self):
        # An empty position keeps the model's default: listed in the order of entry.
        return self.cleaned_data.get("position") or 0

    def _post_clean(self):
        pass


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResultForm(_ServiceValidatedForm):
    class Meta:
        model = Result
        fields = ["level", "parent", "title", "description", "position", "illustrative"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # A result contributes to a result of the same project only (the model says which level).
        parents = Result.objects.filter(project=project).exclude(level=ResultLevel.OUTPUT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parents.order_by("position", "pk")


class IndicatorForm(_ServiceValidatedForm):
    class Meta:
        model = Indicator
        fields = [
            "title",
            "description",
            "code",
            "measure",
            "unit",
            "counts_people",
            "ascending",
            "baseline_year",
            "baseline_value",
            "baseline_comment",
            "position",
            "illustrative",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_comment": forms.Textarea(attrs={"rows": 2}),
        }


class PeriodForm(_ServiceValidatedForm):
    class Meta:
        model = IndicatorPeriod
        fields = ["period_start", "period_end", "target_value", "target_women", "target_men", "target_comment"]
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "target_comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        if not indicator.counts_people:
            del self.fields["target_women"], self.fields["target_men"]
        if not indicator.is_quantitative:
            del self.fields["target_value"]
        elif indicator.unit:
            self.fields["target_value"].label = _("Target (%(unit)s)") % {"unit": indicator.unit}


class TransactionForm(_ServiceValidatedForm):
    # Left empty for EUR: the service takes the amount itself.
    value_eur = forms.DecimalField(
        label=_("Value (EUR)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Needed only for money in another currency; for EUR it is the amount."),
    )

    class Meta:
        model = FinancialTransaction
        fields = [
            "kind",
            "funding_source",
            "donor_state",
            "donor_organisation",
            "pledge",
            "date",
            "currency",
            "amount",
            "value_eur",
            "description",
        ]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # The pledges of this project that no other commitment confirms yet.
        pledges = DonorPledge.objects.filter(project=project).select_related("donor_state")
        pledges = pledges.filter(Q(commitment__isnull=True) | Q(commitment=self.instance.pk or 0))
        cast(forms.ModelChoiceField, self.fields["pledge"]).queryset = pledges.order_by("pledged_on", "pk")
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "size": 4, "autocapitalize": "characters"})

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()


class ContributionForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Output indicator"))
    value = forms.DecimalField(
        label=_("Contributes"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
        help_text=_("Leave empty for an indicator that counts people: the activity's participants count."),
    )

    def __init__(self, *args, activity: ReportedActivity, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = Indicator.objects.filter(result__level=ResultLevel.OUTPUT).exclude(
            measure=Indicator.Measure.QUALITATIVE
        )
        if activity.project_id:
            indicators = indicators.filter(result__project_id=activity.project_id)
        cast(forms.ModelChoiceField, self.fields["indicator"]).queryset = indicators.select_related(
            "result__project"
        ).order_by("result__project__code", "result__position", "position", "pk")


class BreakdownForm(forms.Form):
    """One number per sex and age group, e.g. ``female__18_24``; empty cells are left out."""

    def __init__(self, *args, activity: ReportedActivity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.grid: list[tuple[str, list[str]]] = []
        for group in AgeGroup:
            row = []
            for sex in Sex:
                name = f"{sex.value}__{group.value}"
                self.fields[name] = forms.IntegerField(label=f"{sex.label}, {group.label}", min_value=0, required=False)
                row.append(name)
            self.grid.append((str(group.label), row))

    @property
    def rows(self):
        return [(label, [self[name] for name in names]) for label, names in self.grid]

    @property
    def sexes(self):
        return list(Sex)

    def breakdown_rows(self) -> list[dict]:
        out = []
        for name, count in self.cleaned_data.items():
            if count is not None:
                sex, age_group = name.split("__")
                out.append({"sex": sex, "age_group": age_group, "count": count})
        return out
