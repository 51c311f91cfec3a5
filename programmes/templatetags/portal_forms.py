"""Form helpers shared by every page: the one-time token of a create form (see
osce_tnt.middleware.OneTimeFormMiddleware) and the error summary at the top of a form (GOV.UK pattern)."""

from __future__ import annotations

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.html import format_html
from django.utils.translation import gettext as _

from osce_tnt.middleware import FORM_TOKEN_FIELD, new_form_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    request = context.get("request")
    # A form shown again after invalid input keeps its token, so the corrected form is still one submission.
    token = request.POST.get(FORM_TOKEN_FIELD, "") if request is not None and request.method == "POST" else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, token or new_form_token())


def _form_errors(form: forms.BaseForm, row: str = "") -> list[dict]:
    found: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
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
