"""Pickers for choices too many to list whole (20,000 projects, 200,000 events) or too many to Ctrl-click.

``SearchSelect`` is a plain ``<select>`` of names with a search box beside it. Without JavaScript the box's "Find"
button sends the form back (``PICKER_SEARCH``); a form with ``PickerSearchMixin`` then comes back with the names
that match, its other input kept, nothing saved and no errors shown. With JavaScript (static/js/pickers.js) the
list follows the typing, from the JSON views ``programmes:project_picker`` and ``programmes:event_picker``.
``CheckboxGroup`` is a checkbox list that the same script gives a filter box when it is long."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PICKER_SEARCH = "_picker"
TERM_SUFFIX = "__q"
# Enough names to choose from after a few letters; the page stays light.
PICKER_LIMIT = 50


def project_label(project: Model) -> str:
    return f"{project.code} – {project.title}"  # type: ignore[attr-defined]


def event_label(event: Model) -> str:
    start = event.start_date  # type: ignore[attr-defined]
    where = event.city or ""  # type: ignore[attr-defined]
    return f"{event.title} ({start:%Y-%m-%d}{', ' + where if where else ''})"  # type: ignore[attr-defined]


def person_label(user: Any) -> str:
    """A person as people know them: the full name, with the username only when there is no name."""
    return user.get_full_name() or user.username


# kind -> (search fields, ordering, label); the JSON view and the widget share it so both show the same names.
PICKER_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable[[Any], str]]] = {
    "project": (("code", "title"), ("code",), project_label),
    "event": (("title", "city"), ("-start_date", "title"), event_label),
}


def search(queryset: QuerySet, kind: str, term: str) -> QuerySet:
    fields, ordering, _label = PICKER_KINDS[kind]
    condition = Q()
    for word in term.split()[:5]:
        word_condition = Q()
        for field in fields:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition).order_by(*ordering)


SEARCH_LABELS = {
    "project": _("Search projects by code or title"),
    "event": _("Search events by title or city"),
}


class SearchSelect(forms.Select):
    """A ModelChoiceField's select showing only the chosen object and the matches of the typed term."""

    template_name = "widgets/search_select.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.kind = kind
        self.term = ""
        self.overflow = False

    def value_from_datadict(self, data, files, name):
        self.term = (data.get(name + TERM_SUFFIX) or "").strip()[:100]
        return super().value_from_datadict(data, files, name)

    def optgroups(self, name, value, attrs=None):
        iterator: Any = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:  # not a model choice: an ordinary select
            return super().optgroups(name, value, attrs)
        label = PICKER_KINDS[self.kind][2]
        chosen_ids = [v for v in value if v not in ("", None)]
        try:
            chosen = list(queryset.filter(pk__in=chosen_ids)) if chosen_ids else []
        except (ValueError, ValidationError):  # a tampered value: shown as not chosen, the field says why
            chosen = []
        matches: list[Model] = []
        if self.term:
            others = search(queryset, self.kind, self.term).exclude(pk__in=[o.pk for o in chosen])
            found = list(others[: PICKER_LIMIT + 1])
            self.overflow = len(found) > PICKER_LIMIT
            matches = found[:PICKER_LIMIT]
        options = []
        empty_label = getattr(iterator.field, "empty_label", None)
        if empty_label is not None:
            options.append(self.create_option(name, "", empty_label, not chosen, 0, attrs=attrs))
        for index, obj in enumerate([*chosen, *matches], start=len(options)):
            selected = obj in chosen
            options.append(self.create_option(name, str(obj.pk), label(obj), selected, index, attrs=attrs))
        return [(None, [option], option["index"]) for option in options]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "term_name": name + TERM_SUFFIX,
                "term": self.term,
                "overflow": self.overflow,
                "limit": PICKER_LIMIT,
                "search_button": PICKER_SEARCH,
                "source": reverse(f"programmes:{self.kind}_picker"),
                "search_label": SEARCH_LABELS[self.kind],
            }
        )
        return context


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes instead of a Ctrl-click multiple select; a long list gets a filter box from static/js/pickers.js.

    Django's own class name on purpose: templates test ``field.widget_type == "checkboxselectmultiple"``."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"class": "checkbox-group", **(attrs or {})})


CheckboxGroup = CheckboxSelectMultiple


class PickerSearchMixin:
    """A form sent by a picker's "Find" button is neither valid nor in error: it is shown again with its input."""

    data: Any
    is_bound: bool

    @property
    def picker_search(self) -> bool:
        return self.is_bound and PICKER_SEARCH in self.data

    def full_clean(self) -> None:
        if self.picker_search:
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            return
        super().full_clean()  # type: ignore[misc]

    def is_valid(self) -> bool:
        return not self.picker_search and super().is_valid()  # type: ignore[misc]
