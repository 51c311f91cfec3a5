"""The Python-written <select> gives the markup Django's own widget templates give."""

from unittest import mock

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


class _InputsForm(forms.Form):
    text = forms.CharField(required=False)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "narrow", "min": 0}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    checks = forms.MultipleChoiceField(
        choices=[("a&b", 'Quote " and <tag>'), ("2", "Two"), (3, mark_safe("<b>3</b>"))],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline"}),
        required=False,
    )
    grouped_checks = forms.MultipleChoiceField(
        choices=[("Region", [("1", "One"), ("2", "Two")]), ("3", "Three")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    radio = forms.ChoiceField(choices=[("", "Any"), ("x", "X"), ("y", "Ünïcode")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": 'a "quoted" <b>', "number": "5", "day": "2024-02-29", "checks": ["a&b", "3"], "radio": "y"},
        {"number": "x", "day": "nope", "grouped_checks": ["2", "3"], "radio": "zzz"},
    ],
)
def test_inputs_checkboxes_and_radios_are_the_same_as_djangos_templates(data):
    fast = _InputsForm(data, renderer=FastSelectRenderer())
    django = _InputsForm(data, renderer=DjangoTemplates())
    for name in _InputsForm.base_fields:
        assert str(fast[name]) == str(django[name]), name
    # Written in Python: no widget template is loaded.
    with mock.patch.object(DjangoTemplates, "get_template", side_effect=AssertionError("template loaded")):
        for name in _InputsForm.base_fields:
            str(_InputsForm(data, renderer=FastSelectRenderer())[name])


def test_an_unbound_form_without_ids_renders_as_djangos_templates():
    fast = _InputsForm(renderer=FastSelectRenderer(), auto_id=False)
    django = _InputsForm(renderer=DjangoTemplates(), auto_id=False)
    assert fast.as_div() == django.as_div()
