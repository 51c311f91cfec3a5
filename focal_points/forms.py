from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from focal_points.models import FocalPoint, Membership, Network, WorkingLanguage
from programmes.models import ThematicArea


class FocalPointForm(forms.ModelForm):
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=WorkingLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        queryset=ThematicArea.objects.in_tree_order(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FocalPoint
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "structure",
            "state",
            "authority",
            "partner_organisation",
            "email",
            "phone",
            "working_languages",
            "thematic_areas",
            "is_sample",
        ]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["network", "role", "start", "end", "last_confirmed"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "last_confirmed": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["network"]).queryset = Network.objects.order_by("name")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One person per row; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)


class ConfirmDetailsForm(forms.Form):
    """What a focal point sees behind the yearly link: their details, to confirm or correct."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    authority = forms.CharField(label=_("State authority"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=WorkingLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, focal_point: FocalPoint, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": focal_point.first_name,
                "last_name": focal_point.last_name,
                "job_title": focal_point.job_title,
                "authority": focal_point.authority,
                "email": focal_point.email,
                "phone": focal_point.phone,
                "working_languages": focal_point.working_languages,
            },
        )
        super().__init__(*args, **kwargs)
        if not focal_point.state_id:
            del self.fields["authority"]


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
