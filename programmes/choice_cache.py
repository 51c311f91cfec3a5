"""Cached option lists for the filter forms' reference-data selects (issue 14).

The HTML list pages (calendar, agenda, projects, focal points) each render a filter form whose selects list every
executive structure (310 at N=1, twice on the project list), State, thematic area, mandate, partner organisation and
network. Loading those rows and labelling them was 24–35 ms of CPU per page at N=1, the largest part of the pages
once their rows were written in Python. The lists derive from those reference tables only (labels from each row's
own columns, areas also from their parent area, which is the same table), so they are cached with a change signal:

- the key is the select's SQL (so any difference in the queryset — filters, order, a user's scope — is a different
  entry), the empty label and the page's language, plus a generation number per model;
- any save, delete, many-to-many change or service bulk update (``programmes.signals.rows_updated``) of one of those
  models, in any process, bumps its generation in the shared cache, so the next page lists the new rows;
- entries also expire after ``TTL`` seconds, for writes that send no signal (raw SQL, fixtures loaded raw).

Only the widget's option list is replaced: the field's queryset still validates the submitted value. A select whose
widget adds per-option attributes (an overridden ``create_option``) is left alone. With the cache unavailable every
call is a miss and the options are built as before.

Round 2 (issue 14): the lists are stored as plain strings (values, escaped values, escaped labels) — unpickling a
``SafeString`` per label was 3.7 ms of the calendar's 40 ms of CPU —, an entry carries the generation it was built
from, so the generations and the lists come in one cache round trip, and a select with a cached list writes its
options from those strings (``form_renderer.render_cached_select``, the markup of Django's ``select.html``; tested
against it) instead of building an option dict per row: 0.3 ms instead of 1.8 ms for the 310 structures.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms import ModelChoiceField
from django.forms.renderers import get_default_renderer
from django.forms.widgets import ChoiceWidget, Select, SelectMultiple, Widget
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from osce_tnt.form_renderer import OPTION_TEMPLATE, SELECT_TEMPLATE, FastSelectRenderer, render_cached_select
from programmes.signals import rows_updated

# Models whose option labels read their own row only (ThematicArea: also its parent, the same table).
CACHED_MODELS = frozenset(
    {
        "programmes.thematicarea",
        "programmes.executivestructure",
        "programmes.participatingstate",
        "programmes.mandate",
        "programmes.partnerorganisation",
        "focal_points.network",
    }
)
TTL = 600
_PREFIX = "choices:v3"


def _label(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def _generation_key(label: str) -> str:
    return f"{_PREFIX}:gen:{label}"


def _bump_labels(labels: set[str]) -> None:
    for label in labels:
        key = _generation_key(label)
        try:
            # incr keeps concurrent bumps apart; a missing key starts a new, different generation.
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, None)


def _cached_labels(model) -> set[str]:
    """The cached models ``model`` is (or inherits from)."""
    return {_label(model), *(_label(parent) for parent in model._meta.get_parent_list())} & CACHED_MODELS


def bump(model) -> None:
    """A row of ``model`` changed: its cached option lists are stale. Bumped now and again after commit, so a list
    another request builds from the not-yet-committed state is not kept (as the reporting cache does)."""
    labels = _cached_labels(model)
    if labels:
        _bump_labels(labels)
        transaction.on_commit(lambda: _bump_labels(labels))


def _cacheable(field, widget) -> bool:
    return (
        isinstance(field, ModelChoiceField)
        and type(widget) in (Select, SelectMultiple)
        and type(widget).create_option is ChoiceWidget.create_option
        and field.queryset is not None
        and _label(field.queryset.model) in CACHED_MODELS
    )


class CachedChoices(BaseChoiceIterator):
    """A cached option list: ``values`` as the markup prints them, ``escaped`` the same escaped for the markup,
    ``labels`` escaped. Iterates as the field's choices did: (value, safe label)."""

    def __init__(self, values: tuple[str, ...], escaped: tuple[str, ...], labels: tuple[str, ...]) -> None:
        self.values, self.escaped, self.labels = values, escaped, labels

    def __iter__(self):
        return zip(self.values, map(SafeString, self.labels), strict=True)

    def __len__(self) -> int:
        return len(self.values)


class _CachedOptionsMixin(ChoiceWidget):
    """Select / SelectMultiple whose options are written from their ``CachedChoices`` strings."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        renderer = renderer or get_default_renderer()
        if not (
            isinstance(choices, CachedChoices)
            and isinstance(renderer, FastSelectRenderer)
            and self.template_name == SELECT_TEMPLATE
            and self.option_template_name == OPTION_TEMPLATE
        ):
            return super().render(name, value, attrs, renderer)
        # As Select.get_context without ChoiceWidget's option dicts.
        widget = Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        return mark_safe(  # the option strings were escaped when cached; the rest is escaped there
            render_cached_select(widget, choices.values, choices.escaped, choices.labels, self.allow_multiple_selected)
        )


class CachedSelect(_CachedOptionsMixin, Select):
    pass


class CachedSelectMultiple(_CachedOptionsMixin, SelectMultiple):
    pass


_FAST_WIDGETS: dict[type, type] = {Select: CachedSelect, SelectMultiple: CachedSelectMultiple}


def _entry(field) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    # The values as the option markup prints them (ModelChoiceIteratorValue prints its value); values and labels
    # escaped once here, not on every page. Plain strings: they unpickle fast.
    values, escaped, labels = [], [], []
    for value, text in field.choices:
        values.append(str(value))
        escaped.append(str(conditional_escape(str(value))))
        labels.append(str(conditional_escape(str(text))))
    return tuple(values), tuple(escaped), tuple(labels)


def use_cached_choices(form) -> None:
    """Give the form's reference-data selects their option lists from the cache (computed and stored on a miss).

    One cache round trip for the whole form: the generations and the lists together; an entry built from another
    generation is a miss."""
    fields = [(name, field) for name, field in form.fields.items() if _cacheable(field, field.widget)]
    if not fields:
        return
    language = translation.get_language() or ""
    keys, labels = {}, {}
    for name, field in fields:
        label = labels[name] = _label(field.queryset.model)
        sql, params = field.queryset.query.sql_with_params()
        extra = (str(field.empty_label or ""), str(getattr(field, "null_label", None) or ""))
        digest = hashlib.sha256(repr((sql, params, extra)).encode()).hexdigest()[:32]
        keys[name] = f"{_PREFIX}:{label}:{language}:{digest}"
    generation_keys = {label: _generation_key(label) for label in set(labels.values())}
    cached = cache.get_many([*generation_keys.values(), *set(keys.values())])
    missing: dict[str, Any] = {}
    for name, field in fields:
        key = keys[name]
        generation = cached.get(generation_keys[labels[name]], 1)
        entry = missing.get(key)
        if entry is None:
            stored = cached.get(key)
            if stored is not None and stored[0] == generation:
                entry = stored
            else:
                entry = missing[key] = (generation, *_entry(field))
        field.widget.choices = CachedChoices(*entry[1:])
        field.widget.__class__ = _FAST_WIDGETS[type(field.widget)]
    if missing:
        cache.set_many(missing, TTL)


def _on_change(sender, **kwargs) -> None:
    # Fixtures loaded raw are covered by the TTL.
    if not kwargs.get("raw") and getattr(sender, "_meta", None) is not None:
        bump(sender)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    # A relation of a cached model's row changed (e.g. a network's areas): a select's queryset may filter on it.
    if action in ("post_add", "post_remove", "post_clear"):
        bump(instance if isinstance(instance, type) else type(instance))


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="choice_cache.save")
    post_delete.connect(_on_change, dispatch_uid="choice_cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="choice_cache.m2m")
    rows_updated.connect(_on_change, dispatch_uid="choice_cache.bulk")
