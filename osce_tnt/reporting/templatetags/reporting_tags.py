from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from osce_tnt.reporting import charts

register = template.Library()


@register.filter
def figure(value):
    """A number as the tables show it: thousands separated, money with two decimals, nothing as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return intcomma(f"{value:.2f}") if not value.is_integer() else intcomma(int(value))
    if isinstance(value, int):
        return intcomma(value)
    return value


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.simple_tag
def chart_svg(table):
    return charts.render(table) or ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
