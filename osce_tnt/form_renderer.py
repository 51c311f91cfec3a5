"""The form renderer: Django's own, with ``<select>`` written in Python.

Profile of the HTML list pages (issue 14: agenda, calendar month, project list): the filter form took 40–55 ms of
90–120 ms of CPU per page at N=0.1, most of it Django rendering ``select_option.html`` and ``attrs.html`` once per
option of the structure, State and area selects (hundreds of options). ``render_select`` writes the same markup as
``django/forms/widgets/select.html`` with its option template (tests/test_form_renderer.py compares them); any
other template, or a select whose options use another template, goes through Django's templates as before.

Checkbox and radio lists (``multiple_input.html`` with its option templates) and the plain ``<input>`` widgets
are written the same way (issue 14, round 2: the calendar's and agenda's format and status checkboxes were 2.2 ms of
the filter form through ``input_option.html``/``input.html``/``attrs.html`` per option).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Templates that are only ``{% include "django/forms/widgets/input.html" %}`` and a newline.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
)
# Lists of inputs: the list template (``multiple_input.html`` included, then a newline) -> its option template
# (``input_option.html`` included, then a newline).
MULTIPLE_INPUT_TEMPLATES = {
    "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
}


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


def render_cached_select(
    widget: dict[str, Any],
    values: Sequence[str],
    escaped: Sequence[str],
    labels: Sequence[str],
    multiple: bool,
) -> str:
    """select.html for a flat option list given as strings (``programmes.choice_cache``): ``values`` as compared with
    the widget's value, ``escaped`` and ``labels`` already escaped. Selected as ChoiceWidget.optgroups selects: every
    matching option of a multiple select, the first matching one otherwise."""
    chosen = set(widget["value"])
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    append = parts.append
    has_selected = False
    for value, value_html, label in zip(values, escaped, labels, strict=True):
        if (multiple or not has_selected) and value in chosen:
            has_selected = True
            append(f'\n  <option value="{value_html}" selected>{label}</option>\n')
        else:
            append(f'\n  <option value="{value_html}">{label}</option>\n')
    append("\n</select>")
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    # django/forms/widgets/input.html: the value through stringformat:"s" (str), then escaped.
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: dict[str, Any]) -> str:
    # django/forms/widgets/input_option.html, then the option template's own final newline.
    if not option.get("wrap_label"):
        return _input(option) + "\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n\n"


def render_multiple_input(widget: dict[str, Any], option_template: str) -> str | None:
    """The markup of checkbox_select.html / radio.html, or None when an option uses another template."""
    widget_id = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{conditional_escape(widget_id)}"' if widget_id else "",
        f' class="{conditional_escape(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option["template_name"] != option_template:
                return None
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")  # the templates' final newlines: stripped, as BaseRenderer.render strips
    return "".join(parts)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        html = None
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
        elif template_name in INPUT_TEMPLATES:
            html = _input(context["widget"]).strip()  # BaseRenderer.render strips the template's output
        elif template_name in MULTIPLE_INPUT_TEMPLATES:
            html = render_multiple_input(context["widget"], MULTIPLE_INPUT_TEMPLATES[template_name])
        if html is not None:
            return html
        return super().render(template_name, context, request=request)
