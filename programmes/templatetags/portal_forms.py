"""``{% form_token %}``: the hidden one-time token of a create form (see osce_tnt.middleware.OneTimeFormMiddleware)."""

from django import template
from django.utils.html import format_html

from osce_tnt.middleware import FORM_TOKEN_FIELD, new_form_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    request = context.get("request")
    # A form shown again after invalid input keeps its token, so the corrected form is still one submission.
    token = request.POST.get(FORM_TOKEN_FIELD, "") if request is not None and request.method == "POST" else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, token or new_form_token())
