"""Forms of the knowledge pages. They only check shapes; the services decide, and their refusals are put next to
the fields with ``programmes.forms.add_service_errors``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.models import CommitmentStatus, Document, Instrument
from programmes.events.models import Event, TrainingCentre
from programmes.forms import LabelledModelMultipleChoiceField
from programmes.models import (
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)
from programmes.permissions import is_field, user_structure_id
from programmes.pickers import CheckboxGroup
from taskforces.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"})


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=Document.Kind.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=Document.Language.choices, initial=Document.Language.ENGLISH
    )
    published_on = forms.DateField(label=_("Date"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Document.Visibility.choices,
        initial=Document.Visibility.STAFF,
        help_text=_("Delegations read public and participating-States documents."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("The text of a PDF is read for the search once it is uploaded.")
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        required=False,
        queryset=ThematicArea.objects.in_tree_order(),
        widget=CheckboxGroup,
    )
    states = forms.ModelMultipleChoiceField(
        label=_("States"), required=False, queryset=ParticipatingState.objects.all(), widget=CheckboxGroup
    )
    structures = LabelledModelMultipleChoiceField(
        label=_("Structures"),
        required=False,
        queryset=ExecutiveStructure.objects.all(),
        label_attrs=("acronym", "name"),
        widget=CheckboxGroup,
    )
    partner_organisations = LabelledModelMultipleChoiceField(
        label=_("Partner organisations"),
        required=False,
        queryset=PartnerOrganisation.objects.all(),
        label_attrs=("acronym", "name"),
        widget=CheckboxGroup,
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Events"), required=False, queryset=Event.objects.order_by("-start_date")
    )
    projects = forms.ModelMultipleChoiceField(label=_("Projects"), required=False, queryset=Project.objects.all())
    meetings = forms.ModelMultipleChoiceField(
        label=_("Task-force meetings"), required=False, queryset=Meeting.objects.select_related("task_force")
    )
    mandates = LabelledModelMultipleChoiceField(
        label=_("Decisions"), required=False, queryset=Mandate.objects.all(), label_attrs=("code", "title")
    )

    def __init__(self, *args, user=None, document: Document | None = None, **kwargs):
        if document is not None and "initial" not in kwargs:
            initial = {
                name: getattr(document, name)
                for name in ("title", "kind", "language", "published_on", "summary", "visibility", "link")
            }
            for name in (
                "thematic_areas",
                "states",
                "structures",
                "partner_organisations",
                "events",
                "projects",
                "meetings",
                "mandates",
            ):
                initial[name] = list(getattr(document, name).all())
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.document = document
        if user is not None and is_field(user) and document is None:
            self.fields["structures"].initial = [user_structure_id(user)]
            self.fields["structures"].help_text = _("Your own operation must be among them.")

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file")) or bool(self.document and self.document.file)
        if not has_file and not data.get("link"):
            self.add_error("link", _("Attach a file or give a link."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("file"):
            data.pop("file", None)  # no new upload: keep the stored file
        return data


def _initial_from(obj, names) -> dict:
    """Initial values for an edit form: plain fields as they are, many-to-many fields as lists."""
    initial = {}
    for name in names:
        value = getattr(obj, name)
        initial[name] = list(value.all()) if hasattr(value, "all") else value
    return initial


class InstrumentForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Short, lower-case, used in the page address (e.g. untoc).")
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=40, help_text=_("Used as the matrix column head."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Instrument.Kind.choices)
    family = forms.ChoiceField(label=_("Family"), choices=Instrument.Family.choices)
    parent = forms.ModelChoiceField(
        label=_("Supplements"),
        required=False,
        queryset=Instrument.objects.filter(parent__isnull=True),
        help_text=_("For a protocol: the convention it supplements."),
    )
    adopted_year = forms.IntegerField(label=_("Adopted in"), required=False, min_value=1900, max_value=2100)
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        required=False,
        queryset=ThematicArea.objects.in_tree_order(),
        help_text=_("OSCE work in these areas counts as assistance on it."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def __init__(self, *args, instrument: Instrument | None = None, **kwargs):
        if instrument is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_from(instrument, self.base_fields)
        super().__init__(*args, **kwargs)
        if instrument is not None:
            parent_field = self.fields["parent"]
            parent_field.queryset = parent_field.queryset.exclude(pk=instrument.pk)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code == "new":
            # "new" is the address of the page that adds an instrument.
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return code


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingCentre.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=120)
    state = forms.ModelChoiceField(label=_("State"), queryset=ParticipatingState.objects.all())
    host = forms.CharField(
        label=_("Host"), max_length=200, required=False, help_text=_("The institution that runs it.")
    )
    osce_structure = forms.ModelChoiceField(
        label=_("OSCE structure involved"), required=False, queryset=ExecutiveStructure.objects.all()
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        required=False,
        queryset=ThematicArea.objects.in_tree_order(),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, centre: TrainingCentre | None = None, **kwargs):
        if centre is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_from(centre, self.base_fields)
        super().__init__(*args, **kwargs)


class CommitmentForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State"), queryset=ParticipatingState.objects.all())
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.all())
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=DATE, help_text=_("When it happened, if the source says.")
    )
    as_of = forms.DateField(label=_("As of"), widget=DATE, help_text=_("The date the source gives this for."))
    reservations = forms.BooleanField(label=_("Reservations or declarations"), required=False)
    reservations_note = forms.CharField(
        label=_("Reservations (details)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    source_url = forms.URLField(label=_("Source link"), required=False, assume_scheme="https")
    illustrative = forms.BooleanField(label=_("Illustrative"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, commitment=None, **kwargs):
        if commitment is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_from(commitment, self.base_fields)
        super().__init__(*args, **kwargs)


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Mandate.Status.choices)
    adopted_as = forms.ModelChoiceField(
        label=_("Adopted as"),
        required=False,
        queryset=Mandate.objects.exclude(code__startswith="PROPOSAL/"),
        help_text=_("The decision the suggestion became, when adopted."),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class GapForm(forms.Form):
    on = forms.DateField(label=_("As on"), required=False, widget=DATE)
    start = forms.DateField(
        label=_("OSCE assistance since"), required=False, widget=DATE, help_text=_("Default: a year before.")
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("on") and data["start"] > data["on"]:
            self.add_error("start", _("The start cannot be after the date."))
        return data
