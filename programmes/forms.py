"""Forms for the project pages. They validate and label; the services in ``programmes.services`` write."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm, BaseInlineFormSet, inlineformset_factory
from django.utils.choices import flatten_choices
from django.utils.formats import localize
from django.utils.translation import gettext
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
from programmes.versioning import VersionConflict, Versioned


def add_service_errors(form: BaseForm, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's refusal next to the field it names (``field_map`` renames model fields to form fields), or
    above the form when the form has no such field. Every app's HTML views use this, so the rule is one place."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        field = (field_map or {}).get(key, key)
        form.add_error(field if field in form.fields else None, messages)


def _conflict_key(value: Any) -> Any:
    """What two values are compared by: rows by id, several rows as a set of ids, "" and None alike."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return frozenset(_conflict_key(item) for item in value)
    return "" if value is None else value


def _conflict_text(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(_conflict_text(field, item) for item in value)) or "–"
    if isinstance(field, forms.ModelChoiceField) and isinstance(value, models.Model):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        choices: Iterable[tuple[Any, Any]] = flatten_choices(cast(Any, field).choices)
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(localize(value))


class VersionedFormMixin:
    """The HTML side of "no lost update" for an edit form on a :class:`~programmes.versioning.Versioned` row.

    Adds a hidden ``version`` field holding the version the page was built from and keeps it out of
    ``cleaned_data`` (it is :attr:`expected_version`, passed to the update service). When the service refuses a
    stale save, :meth:`show_version_conflict` keeps everything typed, lists each field where the saved row now
    differs (theirs / yours) in :attr:`version_conflict`, and moves the hidden version on, so saving again is a
    deliberate overwrite of what the other person's change is now shown to be.
    Templates render both with ``{% include "includes/version_conflict.html" %}`` inside the ``<form>``."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, versioned: Versioned | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row = versioned if versioned is not None else getattr(self, "instance", None)
        self.expected_version: int | None = None
        self.version_conflict: list[dict[str, str]] = []
        if row is not None and row.pk is not None:  # a new row has no other editor yet
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0, initial=row.version
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        self.expected_version = cleaned.pop("version", None)
        return cleaned

    def show_version_conflict(self, exc: VersionConflict, *, extra: Iterable[tuple[str, str, str]] = ()) -> None:
        """Explain a refused stale save on the re-shown form. ``extra`` adds (label, theirs, yours) rows for what
        the form's own fields do not hold (an editor's item rows)."""
        current = exc.current
        model_fields = {f.name for f in current._meta.get_fields()}
        rows = []
        for name, field in self.fields.items():
            if name == "version" or name not in model_fields or name not in self.cleaned_data:
                continue
            theirs = getattr(current, name)
            if isinstance(theirs, models.Manager):
                theirs = list(theirs.all())
            yours = self.cleaned_data[name]
            if _conflict_key(theirs) != _conflict_key(yours):
                rows.append(
                    {
                        "label": str(field.label or name),
                        "theirs": _conflict_text(field, theirs),
                        "yours": _conflict_text(field, yours),
                    }
                )
        rows.extend({"label": label, "theirs": theirs, "yours": yours} for label, theirs, yours in extra)
        self.version_conflict = rows
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)  # type: ignore[attr-defined]
        self.data = data
        self.add_error(  # type: ignore[attr-defined]
            None,
            gettext(
                "Someone else saved this record while you were editing it. Nothing was overwritten: their values "
                "are shown next to yours below and what you typed is kept. Save again to replace their values "
                "with yours."
            ),
        )


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple select whose options read as "ACRONYM – full name" (or code – title)."""

    def __init__(self, *args, label_attrs: tuple[str, str], **kwargs):
        self.label_attrs = label_attrs
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        short, long = (getattr(obj, attr) for attr in self.label_attrs)
        return f"{short} – {long}"


class ProjectForm(VersionedFormMixin, forms.ModelForm):
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
