"""Forms for the project pages. They validate and label; the services in ``programmes.services`` write."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)
from programmes.pickers import CheckboxGroup


def add_service_errors(form: BaseForm, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's refusal next to the field it names (``field_map`` renames model fields to form fields), or
    above the form when the form has no such field. Every app's HTML views use this, so the rule is one place."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        field = (field_map or {}).get(key, key)
        form.add_error(field if field in form.fields else None, messages)


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple select whose options read as "ACRONYM – full name" (or code – title)."""

    def __init__(self, *args, label_attrs: tuple[str, str], **kwargs):
        self.label_attrs = label_attrs
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        short, long = (getattr(obj, attr) for attr in self.label_attrs)
        return f"{short} – {long}"


class ProjectForm(forms.ModelForm):
    """All fields of a project. On edit the status offers only the current status and its allowed next moves."""

    lead_structure = forms.ModelChoiceField(
        label=_("Lead structure"), queryset=ExecutiveStructure.objects.order_by("name")
    )
    partner_structures = LabelledModelMultipleChoiceField(
        label=_("Partner structures"),
        queryset=ExecutiveStructure.objects.order_by("acronym"),
        required=False,
        label_attrs=("acronym", "name"),
        widget=CheckboxGroup,
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        queryset=ThematicArea.objects.in_tree_order(),
        help_text=_("Choose every area the project serves; a project usually touches several."),
        widget=CheckboxGroup,
    )
    beneficiary_states = forms.ModelMultipleChoiceField(
        label=_("Beneficiary States"),
        queryset=ParticipatingState.objects.order_by("name"),
        required=False,
        widget=CheckboxGroup,
    )
    partner_organisations = LabelledModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=PartnerOrganisation.objects.order_by("acronym"),
        required=False,
        label_attrs=("acronym", "name"),
        widget=CheckboxGroup,
    )
    mandates = LabelledModelMultipleChoiceField(
        label=_("Mandates"),
        queryset=Mandate.objects.all(),
        required=False,
        label_attrs=("code", "title"),
        widget=CheckboxGroup,
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "summary",
            "lead_structure",
            "partner_structures",
            "thematic_areas",
            "beneficiary_states",
            "partner_organisations",
            "mandates",
            "funding_source",
            "budget",
            "target_participants",
            "status",
            "start",
            "end",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            allowed = {self.instance.status, *self.instance.allowed_transitions()}
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                (v, label) for v, label in Project.Status.choices if v in allowed
            ]
            self.fields["status"].help_text = _("Only the moves allowed from the current status are offered.")
        else:
            # Recording an older project is a first entry, not a change, so any status may be given here.
            self.fields["status"].help_text = _(
                "A new project usually starts as a proposal; record an older one with the status it has today."
            )


class ProjectStatusForm(forms.Form):
    """The "change status" action on the project page: only the allowed next statuses."""

    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = project.allowed_transitions()
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (v, label) for v, label in Project.Status.choices if v in allowed
        ]


class DonorPledgeForm(forms.ModelForm):
    donor_state = forms.ModelChoiceField(label=_("Donor State"), queryset=ParticipatingState.objects.order_by("name"))

    class Meta:
        model = DonorPledge
        fields = ["donor_state", "amount", "pledged_on"]
        widgets = {"pledged_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class BaseDonorPledgeFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for the States of all pledge rows instead of one per row.
        states = [(s.pk, s.name) for s in ParticipatingState.objects.order_by("name")]
        for form in self.forms:
            field = form.fields["donor_state"]
            field.choices = [("", field.empty_label), *states]

    def get_queryset(self):
        return super().get_queryset().select_related("donor_state")


DonorPledgeFormSet = inlineformset_factory(
    Project,
    DonorPledge,
    form=DonorPledgeForm,
    formset=BaseDonorPledgeFormSet,
    extra=2,
    can_delete=True,
)
