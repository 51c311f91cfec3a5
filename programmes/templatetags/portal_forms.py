"""Form helpers shared by every page: the error summary at the top of a form (GOV.UK pattern)."""

from __future__ import annotations

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _form_errors(form: forms.BaseForm, row: str = "") -> list[dict]:
    found = []
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            anchor, label = "", ""
        else:
            field = form[name]
            anchor = field.auto_id or ""
            widget = field.field.widget
            # Checkbox groups and radio lists have no element with the field's own id: link their first box.
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                anchor = f"{anchor}_0"
            label = f"{row}{field.label or name}"
        found.extend({"anchor": anchor, "label": label, "message": str(message)} for message in errors)
    return found


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets):
    """Every error of the given forms and formsets, each linking to its field, in page order."""
    errors: list[dict] = []
    for item in forms_or_formsets:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            errors.extend({"anchor": "", "label": "", "message": str(m)} for m in item.non_form_errors())
            for number, form in enumerate(item.forms, start=1):
                errors.extend(_form_errors(form, row=_("Row %(number)s · ") % {"number": number}))
        else:
            errors.extend(_form_errors(item))
    return {"errors": errors}
