"""The Python-written <select> gives the markup Django's own widget templates give."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from osce_tnt.form_renderer import FastSelectRenderer


class _Form(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "All"), ("a&b", 'Quote " and <tag>'), (3, 3000), (4, mark_safe("<b>x</b>"))]
    )
    grouped = forms.ChoiceField(choices=[("Region", [("1", "One"), ("2", "Two")]), ("3", "Three")], required=False)
    many = forms.MultipleChoiceField(
        choices=[(1, "Ünïcode"), (2, "Two"), (3, "Three")],
        widget=forms.SelectMultiple(attrs={"class": "wide", "data-x": 'q"uote', "disabled": True}),
    )
    typed = forms.TypedChoiceField(choices=[(2024, "2024"), (2023, "2023")], coerce=int)


@pytest.mark.parametrize(
    "data", [None, {"plain": "a&b", "grouped": "2", "many": ["1", "3"], "typed": "2023"}, {"plain": "nope"}]
)
def test_select_markup_is_the_same_as_djangos_templates(data):
    fast = _Form(data, renderer=FastSelectRenderer())
    django = _Form(data, renderer=DjangoTemplates())
    for name in _Form.base_fields:
        assert str(fast[name]) == str(django[name]), name


def test_a_select_whose_options_use_another_template_is_rendered_by_the_template():
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    field = forms.ChoiceField(choices=[("1", "One")], widget=OwnOption)
    form = type("F", (forms.Form,), {"x": field})(renderer=FastSelectRenderer())
    reference = type("F", (forms.Form,), {"x": field})(renderer=DjangoTemplates())
    assert str(form["x"]) == str(reference["x"])
    assert "<input" in str(form["x"])
