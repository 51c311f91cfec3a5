"""A cheaper ``to_representation`` for the read side of the hot list serializers (issue 14).

Profile of the API lists at scale: most of the serializer time was DRF's per-field machinery, not the values —
for every field of every row ``Field.get_attribute`` walks ``source_attrs`` with an ``isinstance(…, Mapping)``
ABC check and ``is_simple_callable`` on the value, a related field builds a ``PKOnlyObject`` through
``serializable_value``, and ``_readable_fields`` is a generator re-run per row. ``ReadPlanMixin`` decides those
things once per serializer (the child of a ``many=True`` list is one serializer for all rows):

- a field reading a concrete model column of the same name reads the attribute directly;
- a ``PrimaryKeyRelatedField`` on a foreign key of the same name reads the ``<name>_id`` column (what DRF's
  pk-only optimisation returns);

and converts the value with the field's own ``to_representation`` (so dates, times, decimals and choices are
formatted by DRF as before), or, for the column kinds every list has, with a cheaper function that returns what
that ``to_representation`` returns for the values such a column holds (``column_conversion``). Every other
field — nested serializers, many-related fields, dotted or ``*`` sources, properties, annotations, method
fields — goes through DRF's own steps, the body of ``Serializer.to_representation`` unchanged. The output is
the same dict, key for key and in the same order; the fields, and with them validation and the OpenAPI schema,
are untouched.

A serializer class that sets ``shared_read_plan = True`` states that what it writes depends on the instance
alone, never on its context (request, view): its plan and the field objects it uses are then built once per
process, from one instance of the class made for the purpose, instead of on every request. DRF builds a
``ModelSerializer``'s fields from the model for every new serializer (``get_fields``: ``build_field``, the
field kwargs, labels, validators): 1.6 ms of CPU of the project detail's ~7 ms at N=1 (issue 14, round 2), the
same again for a list's child. ``_check_context_free`` refuses the field types known to read the request."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import FileField, SkipField
from rest_framework.relations import HyperlinkedRelatedField, PKOnlyObject
from rest_framework.settings import api_settings

from programmes.selectors import ValueRows

_COLUMN, _FOREIGN_KEY, _DRF, _DATETIME = 0, 1, 2, 3


def _iso_datetime_in_zone(field: Any) -> Callable[[Any, Any], Any]:
    # DateTimeField.to_representation for an aware value in the current time zone ``zone``: astimezone,
    # isoformat, "+00:00" written "Z"; without its per-call attribute lookups. Anything else is DRF's.
    def convert(value: Any, zone: Any) -> Any:
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _iso_datetime(field: Any) -> Callable[[Any], Any]:
    in_zone = _iso_datetime_in_zone(field)

    def convert(value: Any) -> Any:
        return in_zone(value, timezone.get_current_timezone())

    return convert


def _writes_iso_datetime(field: Any, column: object) -> bool:
    return (
        type(field).to_representation is serializers.DateTimeField.to_representation
        and isinstance(column, models.DateTimeField)
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
    )


def column_conversion(field: Any, column: object) -> Callable[[Any], Any]:
    """What writes a non-null value of ``column`` for ``field``: the field's own ``to_representation``, or a cheaper
    function equal to it on every value such a column holds (profile at N=1: DRF's ``BooleanField`` and
    ``DateTimeField`` were 4 ms of a 50-report list with its 500 items). Only for DRF's own implementations, a
    column of the matching kind and DRF's ISO 8601 formats; a subclass that formats differently keeps its own."""
    method = type(field).to_representation
    if method is serializers.BooleanField.to_representation and isinstance(column, models.BooleanField):
        return bool
    if method is serializers.CharField.to_representation and isinstance(column, models.CharField | models.TextField):
        return str
    if method is serializers.IntegerField.to_representation and isinstance(column, models.IntegerField):
        return int
    if (
        method is serializers.DateField.to_representation
        and type(column) is models.DateField
        and getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601
    ):
        return datetime.date.isoformat
    if _writes_iso_datetime(field, column):
        return _iso_datetime(field)
    return field.to_representation


def _step(field: Any, model: type) -> tuple[int, str, Any, Any]:
    name: str = field.field_name
    attrs = field.source_attrs
    if len(attrs) == 1 and not isinstance(field, serializers.BaseSerializer):
        descriptor = model.__dict__.get(attrs[0])
        if descriptor is None:
            # Inherited column (multi-table or abstract parents): look along the MRO, still a class attribute.
            descriptor = next((k.__dict__[attrs[0]] for k in model.__mro__ if attrs[0] in k.__dict__), None)
        kind: Any = type(field)
        if (
            isinstance(field, serializers.PrimaryKeyRelatedField)
            and kind.get_attribute is serializers.RelatedField.get_attribute
            and kind.to_representation is serializers.PrimaryKeyRelatedField.to_representation
            and kind.use_pk_only_optimization is serializers.PrimaryKeyRelatedField.use_pk_only_optimization
            and field.pk_field is None
            and isinstance(descriptor, ForwardManyToOneDescriptor)
        ):
            return (_FOREIGN_KEY, name, descriptor.field.attname, None)
        if (
            isinstance(descriptor, DeferredAttribute)
            and not isinstance(field, serializers.RelatedField | serializers.ManyRelatedField)
            and kind.get_attribute is serializers.Field.get_attribute
        ):
            if _writes_iso_datetime(field, descriptor.field):
                # The current time zone is looked up once per pass, not per value: 6 µs each, and a page of
                # 50 activity reports has about 200 datetimes (issue 14, round 6; ``_zone_of_pass``).
                return (_DATETIME, name, attrs[0], _iso_datetime_in_zone(field))
            return (_COLUMN, name, attrs[0], column_conversion(field, descriptor.field))
    return (_DRF, name, field, None)


def _check_context_free(serializer: Any, path: str) -> None:
    """Refuse to share a plan over fields that read the serializer's context (the request) to write a value."""
    for field in serializer._readable_fields:
        where = f"{path}.{field.field_name}"
        if isinstance(field, FileField | HyperlinkedRelatedField):
            raise ImproperlyConfigured(f"{where} reads the request: its serializer cannot share a read plan")
        if isinstance(field, serializers.ManyRelatedField) and isinstance(
            field.child_relation, HyperlinkedRelatedField
        ):
            raise ImproperlyConfigured(f"{where} reads the request: its serializer cannot share a read plan")
        if isinstance(field, serializers.ListSerializer):
            _check_context_free(field.child, where)
        elif isinstance(field, serializers.BaseSerializer):
            _check_context_free(field, where)


def _shared_plan(cls: type) -> list[tuple[int, str, Any, Any]]:
    plan = cls.__dict__.get("_shared_plan_of_class")
    if plan is None:
        template: Any = cls()
        _check_context_free(template, cls.__name__)
        plan = [_step(field, template.Meta.model) for field in template._readable_fields]
        # The template stays alive with the plan: the nested serializers and fields in it are the ones used.
        setattr(cls, "_shared_plan_of_class", plan)  # noqa: B010 - on this class, not on a parent
    return plan


class ReadPlanMixin:
    # Mix into a ``ModelSerializer`` before it (see the module docstring). Read-only change: ``to_internal_value``,
    # ``fields`` and the schema are DRF's. No class docstring on purpose: drf-spectacular describes a serializer
    # by the first docstring along its MRO, and the schema must stay what it was.

    _read_plan: list[tuple[int, str, Any, Any]] | None = None
    # True: the representation depends on the instance only, so the plan is built once per class (module docstring).
    shared_read_plan: bool = False

    def to_representation(self, instance: Any) -> dict[str, Any]:
        serializer: Any = self
        model = serializer.Meta.model
        if not isinstance(instance, model):
            # Validated data (a dict) or another object: DRF's general path.
            return super().to_representation(instance)  # type: ignore[misc]
        plan = self._read_plan
        if plan is None:
            if self.shared_read_plan:
                plan = self._read_plan = _shared_plan(type(self))
            else:
                plan = self._read_plan = [_step(field, model) for field in serializer._readable_fields]
        if _zone_of_pass.get() is not None:
            return _written(plan, instance)
        # The outermost instance of a pass: its nested instances (a report's transitions) reuse its time zone.
        token = _zone_of_pass.set(timezone.get_current_timezone())
        try:
            return _written(plan, instance)
        finally:
            _zone_of_pass.reset(token)


# The current time zone while an instance and the instances nested in it are written, looked up once by the
# outermost: a lookup goes through asgiref's Local (2.3 µs), and a page of 50 activity reports with their
# transitions was 197 lookups, one per instance (issue 14, round 9); 50 now, one per report.
_zone_of_pass: ContextVar[Any] = ContextVar("zone_of_pass", default=None)


def _written(plan: list[tuple[int, str, Any, Any]], instance: Any) -> dict[str, Any]:
    # ``Serializer.to_representation`` by ``plan``; the current time zone is the pass's (``_zone_of_pass``).
    ret: dict[str, Any] = {}
    zone = _zone_of_pass.get()
    for kind, name, source, convert in plan:
        if kind == _COLUMN:
            value = getattr(instance, source)
            ret[name] = None if value is None else convert(value)
        elif kind == _DATETIME:
            value = getattr(instance, source)
            ret[name] = None if value is None else convert(value, zone)
        elif kind == _FOREIGN_KEY:
            ret[name] = getattr(instance, source)
        else:
            # Serializer.to_representation's own steps for this field.
            try:
                attribute = source.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else source.to_representation(attribute)
    return ret


RowPlan = list[tuple[str, str | None, Any]]


def _path_field(model: Any, source: str) -> Any:
    field = None
    for part in source.split("."):
        field = model._meta.get_field(part)
        model = field.related_model
    return field


@cache
def row_plan(serializer_class: type) -> RowPlan:
    """How ``serializer_class`` writes each of its read fields from a ``ValueRows`` row: (key, row column or None,
    conversion). Taken from the serializer's own fields, in their order, so a row is written as the serializer writes
    the instance, and a field added there is written here too: a relation's ids as the selector attached them, a
    foreign key from its ``_id`` column, a column (or a dotted one) through the field's ``to_representation``, a
    model property by the model's own code."""
    model = serializer_class.Meta.model  # type: ignore[attr-defined]
    plan: RowPlan = []
    for name, field in serializer_class().fields.items():
        source = str(field.source)
        if field.write_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            plan.append((name, name, None))
        elif isinstance(field, serializers.PrimaryKeyRelatedField):
            plan.append((name, f"{source}_id", None))
        elif isinstance(getattr(model, source, None), property):
            plan.append((name, None, getattr(model, source).fget))
        else:
            convert = column_conversion(field, _path_field(model, source))
            # bool, str, int of a column value of that kind give the value itself: no call per row.
            plan.append((name, source.replace(".", "__"), None if convert in (bool, str, int) else convert))
    return plan


class _RowAttributes:
    """A row read as attributes, for a model property's own code: cheaper than a namespace built from all the
    columns of every row.

    ``__getattribute__`` rather than ``__getattr__``: the latter runs only after the ordinary lookup has failed,
    and that failure builds an ``AttributeError`` with its message for every attribute the property reads (the
    activity list's ``participants_total``, three reads for each of 500 items: 1.8 against 0.4 µs a call)."""

    __slots__ = ("_row",)

    def __init__(self, row: dict[str, Any]) -> None:
        _set_row(self, row)

    def __getattribute__(self, name: str) -> Any:
        try:
            return _get_row(self)[name]
        except KeyError:
            raise AttributeError(name) from None


# The slot's own descriptor: reading the row through ``self._row`` would come back into ``__getattribute__``.
_get_row = _RowAttributes.__dict__["_row"].__get__
_set_row = _RowAttributes.__dict__["_row"].__set__


def write_row(plan: RowPlan, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` as the serializer of ``plan`` writes its instance: same keys in the same order, values formatted as
    its fields format them."""
    out: dict[str, Any] = {}
    for name, column, convert in plan:
        if column is None:
            out[name] = convert(_RowAttributes(row))
        else:
            value = row[column]
            out[name] = value if convert is None or value is None else convert(value)
    return out


class ListedListSerializer(serializers.ListSerializer):
    """A nested ``many=True`` list that reads the plain list a selector attached as ``listed_attribute`` when the
    instance has it — model instances (``Prefetch(to_attr=…)``: no related manager and queryset per row) or
    ``ValueRows`` — else the relation as DRF does (detail, write answers). Writes are DRF's."""

    listed_attribute = ""

    def get_attribute(self, instance: Any) -> Any:
        listed = getattr(instance, self.listed_attribute, None)
        return listed if listed is not None else super().get_attribute(instance)

    def to_representation(self, data: Any) -> Any:
        if isinstance(data, ValueRows):
            child: Any = self.child
            plan = row_plan(child.__class__)
            return [write_row(plan, row) for row in data]
        return super().to_representation(data)
