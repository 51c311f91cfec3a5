"""The form renderer: Django's own, with ``<select>`` written in Python.

Profile of the HTML list pages (issue 14: agenda, calendar month, project list): the filter form took 40–55 ms of
90–120 ms of CPU per page at N=0.1, most of it Django rendering ``select_option.html`` and ``attrs.html`` once per
option of the structure, State and area selects (hundreds of options). ``render_select`` writes the same markup as
``django/forms/widgets/select.html`` with its option template (tests/test_form_renderer.py compares them); any
other template, or a select whose options use another template, goes through Django's templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes it bare.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value: Any) -> str:
    # What {{ value }} prints: localised when not a string, then escaped unless already safe.
    return conditional_escape(value if isinstance(value, str) else localize(value))


def render_select(widget: dict[str, Any]) -> str | None:
    """The markup of select.html for this widget context, or None when an option uses another template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # the option template's own final newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
