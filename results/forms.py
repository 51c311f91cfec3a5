from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import GenderMarker, ParticipatingState, PartnerOrganisation, Programme, Project
from results.models import IndicatorActual


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
