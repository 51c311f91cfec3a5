from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge import permissions as rules
from knowledge import services
from knowledge.models import Document, Instrument, StateCommitment
from programmes.events.models import TrainingCentre


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "family", "parent", "position"]
    list_filter = ["kind", "family"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["thematic_areas", "parent"]


@admin.register(StateCommitment)
class StateCommitmentAdmin(admin.ModelAdmin):
    list_display = ["state", "instrument", "status", "date", "as_of", "reservations", "illustrative", "source"]
    list_filter = ["status", "instrument", "illustrative", "reservations", "state__region"]
    search_fields = ["state__name", "instrument__short_name", "source", "note"]
    list_select_related = ["state", "instrument"]
    autocomplete_fields = ["state", "instrument"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
    date_hierarchy = "as_of"


class DocumentAdminForm(forms.ModelForm):
    """Checks in the form what the services would refuse later (the upload, the field user's own operation), so a
    refusal shows next to the field instead of failing after the form was accepted."""

    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Document
        fields = [*services.DOCUMENT_FIELDS, *services.DOCUMENT_RELATIONS]

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            try:
                services.check_upload(upload)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("file", exc.messages)) from exc
        return upload

    def clean(self):
        data = super().clean()
        if (
            self.user is not None
            and "structures" in data
            and not rules.can_add_document_for(user=self.user, structures=data["structures"])
        ):
            self.add_error("structures", _("Keep your own operation among the structures."))
        return data


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Saves and deletes go through the library services, as on the library pages: the permission rules apply, a
    new PDF is queued for text extraction and the search vector follows every change."""

    form = DocumentAdminForm
    list_display = ["title", "kind", "language", "published_on", "visibility", "text_status", "illustrative"]
    list_filter = ["kind", "language", "visibility", "text_status", "illustrative"]
    search_fields = ["title", "summary"]
    autocomplete_fields = [
        "thematic_areas",
        "states",
        "structures",
        "partner_organisations",
        "events",
        "projects",
        "mandates",
    ]
    raw_id_fields = ["meetings"]
    readonly_fields = ["text_status", "text_error", "text_extracted_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "published_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form_class):
            def __init__(self, *args, **inner):
                inner.setdefault("user", request.user)
                super().__init__(*args, **inner)

        return WithUser

    @staticmethod
    def _service_data(form, *, change: bool) -> dict:
        names = [n for n in (*services.DOCUMENT_FIELDS, *services.DOCUMENT_RELATIONS) if n in form.cleaned_data]
        data = {name: form.cleaned_data[name] for name in names}
        if "file" in data:
            if change and "file" not in form.changed_data:
                del data["file"]  # the stored file stays; a new upload or a cleared box changes it
            elif data["file"] is False or data["file"] is None:
                data["file"] = ""  # the admin's "clear" box
        return data

    def save_model(self, request, obj, form, change):
        data = self._service_data(form, change=change)
        if change:
            # The form has already copied its input onto ``obj``; the rules judge the document as stored.
            stored = Document.objects.get(pk=obj.pk)
            saved = services.document_update(document=stored, actor=request.user, data=data)
        else:
            if not data.get("file"):
                data.pop("file", None)
            saved = services.document_create(actor=request.user, **data)
        # The admin goes on with ``obj`` (its change message, the redirect): give it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The service has set the document's links; saving the form's many-to-many again would be a second write.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.document_delete(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document, actor=request.user)


# The model is the calendar's (events name their centre); its directory and maintenance live in this app.
@admin.register(TrainingCentre)
class TrainingCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "state", "osce_structure", "active"]
    list_filter = ["kind", "active", "state__region"]
    search_fields = ["name", "acronym", "city", "host"]
    list_select_related = ["state", "osce_structure"]
    autocomplete_fields = ["state", "osce_structure", "thematic_areas"]
