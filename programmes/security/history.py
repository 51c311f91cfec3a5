"""The one selector behind every object's "Changes" panel: who changed what and when, as field: old → new.

History rows come from django-simple-history. The panel shows an object's own history and, if asked, the history of
rows hanging off it (a project's pledges, a report's items), deleted ones included, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
EMPTY = "—"
# Bookkeeping fields that change on every save and say nothing to a reader.
# ``version`` counts saves for the lost-update check (programmes.versioning); as a change it would only be noise.
SKIPPED_FIELDS = {"updated_at", "created_at", "search_vector", "version"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime
    who: str
    user_id: int | None
    action: str
    subject: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


# The rows the foreign keys of a list of history rows point to, by (field name, id).
RelatedRows = dict[tuple[str, object], models.Model]


def _related_rows(model, records: list) -> RelatedRows:
    """The rows the records' foreign keys point to, one query per foreign key for all the records, not one per
    record and key (a report's 48 items each named the report, its structure and a State in their changes and
    their titles: 144 queries on the report's page)."""
    rows: RelatedRows = {}
    for model_field in model._meta.concrete_fields:
        if not isinstance(model_field, models.ForeignKey) or model_field.name in SKIPPED_FIELDS:
            continue
        ids = {getattr(record, model_field.attname, None) for record in records} - {None}
        if ids:
            for pk, row in model_field.related_model._base_manager.in_bulk(ids).items():
                rows[(model_field.name, pk)] = row
    return rows


def _with_related(instance: models.Model, rows: RelatedRows) -> models.Model:
    """``instance`` (a history row's object) with the related rows already loaded, so its ``str()`` asks nothing."""
    for model_field in type(instance)._meta.concrete_fields:
        if isinstance(model_field, models.ForeignKey):
            row = rows.get((model_field.name, getattr(instance, model_field.attname)))
            if row is not None:
                model_field.set_cached_value(instance, row)
    return instance


def _display(record, model_field: models.Field, value, rows: RelatedRows) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        related = rows.get((model_field.name, value))
        if related is None:  # the row is gone, or the record was fetched on its own (a capped list's oldest)
            related = getattr(record, model_field.name, None)
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or EMPTY
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _field_changes(new, old, rows: RelatedRows) -> list[FieldChange]:
    model = new.instance_type
    out = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or model_field.primary_key:
            continue
        attname = model_field.attname
        before = getattr(old, attname, None) if old is not None else None
        after = getattr(new, attname, None)
        if before == after or (old is None and after in (None, "", [], False)):
            continue
        if isinstance(model_field, (models.TextField, models.JSONField)):
            # Long texts (minutes, summaries, proposed details) are not repeated in the list: it says they changed.
            out.append(
                FieldChange(
                    str(model_field.verbose_name),
                    _("(text)") if before else EMPTY,
                    _("(text, %(n)d characters)") % {"n": len(str(after or ""))},
                )
            )
            continue
        out.append(
            FieldChange(
                str(model_field.verbose_name),
                _display(old, model_field, before, rows) if old else EMPTY,
                _display(new, model_field, after, rows),
            )
        )
    return out


def _records(model, filters: dict, limit: int) -> list:
    history = model.history.model
    return list(
        history.objects.filter(**filters)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )


def object_changes(obj, *, related: tuple[str, ...] = (), limit: int = 100) -> list[Change]:
    """Changes to ``obj`` and to the rows of each reverse relation named in ``related``, newest first."""
    sources = [(type(obj), {"id": obj.pk})]
    for name in related:
        relation = getattr(obj, name)
        sources.append((relation.model, {f"{relation.field.attname}": obj.pk}))
    changes: list[Change] = []
    for model, filters in sources:
        if not hasattr(model, "history"):
            continue
        records = _records(model, filters, limit)
        loaded = _related_rows(model, records)
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        for rows in by_object.values():
            for index, record in enumerate(rows):
                older = rows[index + 1] if index + 1 < len(rows) else None
                if older is None and record.history_type == "~":
                    older = record.prev_record  # the fetch was capped; one query for the oldest shown change
                user = record.history_user
                changes.append(
                    Change(
                        when=record.history_date,
                        who=user.get_full_name() or user.get_username() if user else _("the system"),
                        user_id=user.pk if user else None,
                        action=ACTIONS.get(record.history_type, record.history_type),
                        subject=f"{model._meta.verbose_name}: {_with_related(record.history_object, loaded)}",
                        reason=record.history_change_reason or "",
                        changes=[] if record.history_type == "-" else _field_changes(record, older, loaded),
                    )
                )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
