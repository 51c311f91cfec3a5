"""Reads of the core model, already joined for the pages and endpoints that use them."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.query import ModelIterable

from programmes import prepared
from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    ThematicArea,
)
from programmes.permissions import is_delegation
from programmes.types import PortalUser

# Delegations read what has been approved; proposals and cancelled ideas stay internal.
PUBLISHED_PROJECT_STATUSES = (Project.Status.APPROVED, Project.Status.ONGOING, Project.Status.COMPLETED)


def thematic_area_with_descendants_ids(area_ids: Iterable[int]) -> QuerySet[ThematicArea, Any]:
    """Ids of the given areas and their sub-areas (the hierarchy has two levels)."""
    return ThematicArea.objects.filter(Q(pk__in=area_ids) | Q(parent_id__in=area_ids)).values("pk")


def structure_list() -> QuerySet[ExecutiveStructure]:
    return ExecutiveStructure.objects.select_related("parent", "host_state")


def state_list() -> QuerySet[ParticipatingState]:
    return ParticipatingState.objects.all()


def participating_states_on(day: date | None) -> QuerySet[ParticipatingState]:
    """Participating States (not Partners) that had joined by ``day`` (all of them when ``day`` is None): figures for
    a period count only the States that were participating then, so 2010 counts 56 and not Mongolia."""
    qs = ParticipatingState.objects.filter(is_partner=False)
    if day is not None:
        qs = qs.filter(Q(joined__isnull=True) | Q(joined__lte=day))
    return qs


def partner_organisation_list() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.select_related("parent")


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.select_related("parent")


def mandate_list() -> QuerySet[Mandate]:
    return Mandate.objects.all()


def project_list(*, user: PortalUser) -> QuerySet[Project]:
    qs = Project.objects.select_related("lead_structure").prefetch_related(
        # An area's label names its parent, so the parent comes with it.
        Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")),
        "partner_structures",
        "beneficiary_states",
        "partner_organisations",
        "mandates",
    )
    if is_delegation(user):
        qs = qs.filter(status__in=PUBLISHED_PROJECT_STATUSES)
    return qs


def project_table_rows(*, user: PortalUser) -> QuerySet[Project]:
    """``project_list`` for tables that show the lead structure and the thematic areas only: the other relations
    are not prefetched, which at 25-50 rows a page is most of the cost of the page."""
    return (
        project_list(user=user)
        .prefetch_related(None)
        .prefetch_related(Prefetch("thematic_areas", queryset=ThematicArea.objects.select_related("parent")))
    )


def project_budget_summary(*, projects: QuerySet[Project]) -> dict[str, Any]:
    """Totals under a project list: the sum of the budgets that are known, and how many projects give no figure
    (an unknown budget is never counted as EUR 0). One query.

    ``projects`` holds each project once (the list's filters are semi-joins or single-valued links, and its
    paginator counts the same rows), so the counts need no DISTINCT, as the sum never had one: two DISTINCT
    aggregates sorted every id of the list twice."""
    # COUNT(*) and COUNT(budget) rather than COUNT(id): with no column but the budget read, the budget index alone
    # answers (index-only scan, 7.7 -> 6.0 ms for the unfiltered list at N=1).
    totals = projects.order_by().aggregate(projects=Count("*"), known=Sum("budget"), with_budget=Count("budget"))
    return {
        "projects": totals["projects"],
        "known": totals["known"] if totals["known"] is not None else Decimal(0),
        "without": totals["projects"] - totals["with_budget"],
    }


# relation -> column of the related row in the relation's table
PROJECT_RELATION_COLUMNS = {
    "thematic_areas": "thematicarea",
    "partner_structures": "executivestructure",
    "beneficiary_states": "participatingstate",
    "partner_organisations": "partnerorganisation",
    "mandates": "mandate",
}


def many_to_many_ids(*, model: type[Any], relation: str, **rows: Any) -> dict[int, list[int]]:
    """Row pk -> ids of its ``relation`` (a many-to-many field of ``model``), in the related model's default
    ordering as a prefetch gives them, for the rows matching the lookups ``rows`` (``pk__in=[…]``,
    ``report_id__in=[…]``), in one query on the link table.

    For API lists that serialise only the ids: the prefetch would build a model instance per linked row (and the
    related managers to hold them), which costs far more than the SQL when a page has hundreds of links."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in field.related_model._meta.ordering
    ]
    links = (
        through.objects.filter(**{f"{source}__{lookup}": value for lookup, value in rows.items()})
        .order_by(f"{source}_id", *ordering, f"{target}_id")
        .values_list(f"{source}_id", f"{target}_id")
    )
    ids: dict[int, list[int]] = defaultdict(list)
    for pk, related_id in links:
        ids[pk].append(related_id)
    return ids


# (database alias, model, relations) -> the SQL of ``linked_ids`` (None: not expressible, use the ORM per relation)
_LINKED_IDS_SQL: dict[tuple[str, type[Any], tuple[str, ...]], str | None] = {}


class _Link(NamedTuple):
    # A many-to-many relation as hand-written SQL reads it: the link table ``l`` joined to the related table ``r``.
    table: str
    source: str  # link column holding the row's pk
    target: str  # link column holding the related row's pk
    join: str  # "INNER JOIN <related table> r ON …"
    order: list[str]  # the related model's Meta.ordering as columns of r, then the related id


def _order_term(model: type[Any], term: Any, quote: Any) -> str | None:
    """An ``order_by`` (or ``Meta.ordering``) term of ``model`` as ``<quoted column> ASC|DESC``, or None where the ORM
    must order: an expression, a random order, a lookup across relations, or a foreign key by its name (which the
    ORM orders by the related model's own ordering; by ``<name>_id`` it is the column itself)."""
    if not isinstance(term, str) or term in ("", "?"):
        return None
    descending = term.startswith("-")
    name = term.removeprefix("-")
    if name == "pk":
        name = model._meta.pk.name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if name != getattr(field, "attname", None) or getattr(field, "column", None) is None:
        return None
    return f"{quote(field.column)} {'DESC' if descending else 'ASC'}"


def _link(model: type[Any], relation: str, quote: Any) -> _Link | None:
    """``relation`` of ``model`` for hand-written SQL, ordered as ``many_to_many_ids`` orders it (the related
    model's ``Meta.ordering``, then the related id); None where that ordering is not plain columns of the related
    table (a lookup across relations, an expression), which the ORM then handles."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    related = field.related_model
    target = through._meta.get_field(field.m2m_reverse_field_name())
    if target.target_field != related._meta.pk:
        return None
    order = []
    for term in related._meta.ordering:
        column = _order_term(related, term, quote)
        if column is None:
            return None
        order.append(f"r.{column}")
    target_column = quote(target.column)
    return _Link(
        table=quote(through._meta.db_table),
        source=quote(through._meta.get_field(field.m2m_field_name()).column),
        target=target_column,
        join=f"INNER JOIN {quote(related._meta.db_table)} r ON r.{quote(related._meta.pk.column)} = l.{target_column}",
        order=[*order, f"l.{target_column}"],
    )


def _linked_ids_sql(model: type[Any], relations: tuple[str, ...], quote: Any) -> str | None:
    """``SELECT relation index, row pk, related id`` for every relation, ordered per row as ``many_to_many_ids``
    orders, for the rows ``= ANY(%s)``."""
    parts = []
    for index, relation in enumerate(relations):
        link = _link(model, relation, quote)
        if link is None:
            return None
        ordering = ", ".join([f"l.{link.source}", *link.order])
        # Only quoted table and column names from the models' metadata are formatted in; the rows are a parameter.
        parts.append(
            f"SELECT {index}, l.{link.source}, l.{link.target}, ROW_NUMBER() OVER (ORDER BY {ordering}) "  # noqa: S608
            f"FROM {link.table} l {link.join} WHERE l.{link.source} = ANY(%s)"
        )
    return " UNION ALL ".join(parts) + " ORDER BY 1, 4"


class ValueRows(list):
    """``values()`` rows standing in for the instances of a nested ``many=True`` list, attached to a page by a
    selector (``listed_<name>``) so that the list's children are never built as model instances: each row holds
    every concrete column of the child's model by its ``attname``, a many-related field's ids under the field's
    name, and a dotted source ``a.b`` under ``a__b`` (the name ``values("a__b")`` gives it). ``ListedListSerializer``
    writes them (``programmes.api.representation.row_plan``)."""


def _written_once(written: dict[Any, Any], key: Any, write: Callable[[], Any], *, using: str) -> Any:
    """The hand-written statement for ``key``, written by ``write()`` once per process, on PostgreSQL; None on other
    databases (the SQLite demo) or where ``write()`` found the ORM must answer (it returns None then)."""
    if connections[using].vendor != "postgresql":
        return None
    if key not in written:
        written[key] = write()
    return written[key]


def _prepared_rows(sql: str, params: list[Any], *, using: str) -> list[tuple[Any, ...]]:
    # A hand-written statement run prepared on this connection (``prepared.statement``).
    with connections[using].cursor() as cursor:
        cursor.execute(prepared.statement(sql, using=using), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _children_queryset(model: type[Any], by: str, values: Sequence[Any], order_by: Sequence[str], using: str) -> Any:
    # The ORM's answer where a hand-written statement cannot be used (``rows_with_linked_ids``, ``instances_by``).
    return model._default_manager.using(using).filter(**{f"{by}__in": list(values)}).order_by(*order_by)


def grouped_by(
    keys: Iterable[Any], children: Iterable[Any], *, key: Callable[[Any], Any], group: Callable[[], Any] = list
) -> dict[Any, Any]:
    """``{key: group of the children with that key}`` for every key of ``keys`` (an empty group where none has it),
    the children in their order: a page's children read in one statement, handed back to each row of the page."""
    groups = {k: group() for k in keys}
    for child in children:
        groups[key(child)].append(child)
    return groups


def linked_ids(
    *, model: type[Any], relations: Sequence[str], pks: Sequence[int], using: str = "default"
) -> dict[str, dict[int, list[int]]]:
    """Relation -> row pk -> related ids, for many-to-many ``relations`` of ``model`` and the rows ``pks``; the
    same lists as ``many_to_many_ids`` per relation, in ONE query for all relations on PostgreSQL.

    The API lists and details serialise only these ids. Profile at N=1 (issue 14): an ORM query on a link table,
    joined for the related model's ordering, cost ~1.3 ms of CPU to build and compile, i.e. 5-7 ms a request for
    the project list and detail, against 0.05 ms for the SQL itself. The statement depends only on the model and
    the relations, so it is written once per process from the models' metadata (tables, columns, ordering) and
    the rows are a single array parameter. Other databases (the SQLite demo) use ``many_to_many_ids``."""
    ids: dict[str, dict[int, list[int]]] = {relation: {} for relation in relations}
    if not pks or not relations:
        return ids
    connection = connections[using]
    sql = _written_once(
        _LINKED_IDS_SQL,
        (using, model, tuple(relations)),
        lambda: _linked_ids_sql(model, tuple(relations), connection.ops.quote_name),
        using=using,
    )
    if sql is None:
        for relation in relations:
            ids[relation] = dict(many_to_many_ids(model=model, relation=relation, pk__in=list(pks)))
        return ids
    found = _prepared_rows(sql, [list(pks)] * len(relations), using=using)
    by_index = [ids[relation] for relation in relations]
    for index, pk, related_id, _position in found:
        by_index[index].setdefault(pk, []).append(related_id)
    return ids


# (database alias, model, filter column, relations, order, joined columns) -> the statement of
# ``rows_with_linked_ids`` and how its model's and its joined columns are read (None: not expressible, use the ORM)
_ROWS_WITH_LINKS_SQL: dict[tuple[Any, ...], tuple[str, prepared.ModelColumns, list[prepared.ModelColumns]] | None] = {}


def _foreign_key_join(model: type[Any], name: str, *, alias: str, source: str, quote: Any) -> tuple[Any, str] | None:
    """The foreign key ``name`` of ``model`` and the LEFT JOIN of its row as ``alias`` (from the table aliased
    ``source``), or None where ``name`` is not a foreign key to its model's own key without parent tables. A LEFT
    JOIN keeps a row whose key is null, as the ORM does across a nullable key; a key that cannot be null always
    finds its row, as the ORM's INNER JOIN does."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    related = field.related_model
    if not field.many_to_one or field.target_field != related._meta.pk or related._meta.parents:
        return None
    # Quoted table and column names from the models' metadata only.
    join = (
        f"LEFT JOIN {quote(related._meta.db_table)} {alias} "
        f"ON {alias}.{quote(field.target_field.column)} = {source}.{quote(field.column)}"
    )
    return field, join


def _joined_columns(
    model: type[Any], joined: tuple[str, ...], quote: Any, using: str
) -> list[tuple[str, str, prepared.ModelColumns]] | None:
    """Each ``<foreign key>__<column>`` of ``joined`` as (its join, the alias it is read from, how it is read),
    or None where one is not a plain column of the model a foreign key of ``model`` points to by its key."""
    found = []
    for index, name in enumerate(joined):
        relation, _, column_name = name.partition("__")
        alias = f"j{index}"
        foreign_key = _foreign_key_join(model, relation, alias=alias, source="i", quote=quote)
        if foreign_key is None:
            return None
        field, join = foreign_key
        try:
            target = field.related_model._meta.get_field(column_name)
        except FieldDoesNotExist:
            return None
        if not getattr(target, "concrete", False) or target.many_to_many or target.attname != column_name:
            return None  # a relation's other side, a many-to-many, or a foreign key by its name
        found.append(
            (join, alias, prepared.ModelColumns(field.related_model, alias=alias, fields=[column_name], using=using))
        )
    return found


def _rows_with_links_sql(
    model: type[Any],
    by: str,
    relations: tuple[str, ...],
    order_by: tuple[str, ...],
    using: str,
    joined: tuple[str, ...] = (),
) -> tuple[str, prepared.ModelColumns, list[prepared.ModelColumns]] | None:
    quote = connections[using].ops.quote_name
    if model._default_manager.all().query.where:
        return None  # a default manager that leaves rows out: the statement would read them all
    links = [_link(model, relation, quote) for relation in relations]
    if any(link is None for link in links):
        return None
    joins = _joined_columns(model, joined, quote, using)
    if joins is None:
        return None
    pk = quote(model._meta.pk.column)
    columns = prepared.ModelColumns(model, alias="i", using=using)
    order_terms = []
    for term in order_by:
        if isinstance(term, str) and term.removeprefix("-") in joined:
            join_alias, joined_column = joins[joined.index(term.removeprefix("-"))][1:]
            direction = "DESC" if term.startswith("-") else "ASC"
            order_terms.append(f"{join_alias}.{quote(joined_column.fields[0].column)} {direction}")
            continue
        column = _order_term(model, term, quote)
        if column is None:
            return None
        order_terms.append(f"i.{column}")
    if not order_terms:
        return None  # the model's default ordering, which the ORM applies
    order = ", ".join(order_terms)
    parts = [
        # Only quoted table and column names from the models' metadata are formatted in; the values are a parameter.
        f"WITH i AS MATERIALIZED (SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(model._meta.get_field(by).column)} = ANY(%s))"
    ]
    link_joins = []
    for index, link in enumerate(links):
        assert link is not None  # checked above; for the type checker
        parts.append(
            f"l{index} AS (SELECT l.{link.source} AS id, "  # noqa: S608 - quoted names only, as above
            f"ARRAY_AGG(l.{link.target} ORDER BY {', '.join(link.order)}) "
            f"AS ids FROM {link.table} l {link.join} WHERE l.{link.source} IN (SELECT {pk} FROM i) "
            f"GROUP BY l.{link.source})"
        )
        link_joins.append(f"LEFT JOIN l{index} ON l{index}.id = i.{pk}")
    listed = ", ".join(
        [
            columns.select_list,
            *(joined_columns.select_list for _, _, joined_columns in joins),
            *(f"COALESCE(l{i}.ids, '{{}}')" for i in range(len(links))),
        ]
    )
    from_ = " ".join(["i", *(join for join, _, _ in joins), *link_joins])
    sql = f"{', '.join(parts)} SELECT {listed} FROM {from_} ORDER BY {order}"  # noqa: S608
    return sql, columns, [joined_columns for _, _, joined_columns in joins]


def rows_with_linked_ids(
    *,
    model: type[Any],
    by: str,
    values: Sequence[Any],
    relations: Sequence[str],
    order_by: Sequence[str],
    joined: Sequence[str] = (),
    using: str = "default",
) -> list[dict[str, Any]]:
    """The rows of ``model`` whose column ``by`` is one of ``values``, in ``order_by`` order, each a dict of every
    concrete column by its ``attname`` (as ``values()`` gives it), then each ``joined`` column of a row a foreign
    key points to (``"network__name"``, as ``values("network__name")`` gives it; ``order_by`` may name it), then,
    under each relation's name, the ids of its many-to-many ``relations`` in the related model's order (as
    ``linked_ids`` gives them).

    For nested lists written from rows (``ValueRows``): the activity-report list's 500 items at N=1 (issue 14,
    round 6). As an ORM ``values()`` query (compiled on every request) and a ``linked_ids`` statement sent the 500
    item ids back as an array: 3.5 + 3.2 ms; as this one prepared statement, the links aggregated per row beside
    the rows, 3.4 ms (EXPLAIN ANALYZE 2.4 ms); the columns through the ORM's converters (``prepared.ModelColumns``).
    Other databases (the SQLite demo), and what the statement cannot express, use ``values()`` and ``linked_ids``."""
    if not values:
        return []
    statement = _written_once(
        _ROWS_WITH_LINKS_SQL,
        (using, model, by, tuple(relations), tuple(order_by), tuple(joined)),
        lambda: _rows_with_links_sql(model, by, tuple(relations), tuple(order_by), using, tuple(joined)),
        using=using,
    )
    if statement is None:
        rows = list(
            _children_queryset(model, by, values, order_by, using).values(
                *(field.attname for field in model._meta.concrete_fields), *joined
            )
        )
        pk = model._meta.pk.attname
        links = linked_ids(model=model, relations=relations, pks=[row[pk] for row in rows], using=using)
        for row in rows:
            for relation in relations:
                row[relation] = links[relation].get(row[pk], [])
        return rows
    sql, columns, joined_columns = statement
    names = [*columns.attnames, *joined, *relations]
    found = _prepared_rows(sql, [list(values)], using=using)
    read = [columns, *joined_columns]
    if any(part.converts for part in read):
        found = [_converted(read, row) for row in found]
    return [dict(zip(names, row, strict=True)) for row in found]


def _converted(read: Sequence[prepared.ModelColumns], row: Sequence[Any]) -> tuple[Any, ...]:
    # A row of ``rows_with_linked_ids``: each part's columns through the ORM's converters, the ids as they are.
    values: list[Any] = []
    start = 0
    for part in read:
        values.extend(part.convert(row[start : start + len(part)]))
        start += len(part)
    return (*values, *row[start:])


# (database alias, model, filter column, related, order) -> the statement of ``instances_by`` and how its columns
# are read (None: not expressible, use the ORM)
_INSTANCES_BY_SQL: dict[tuple[Any, ...], tuple[str, prepared.ModelColumns, list[tuple[Any, Any]]] | None] = {}


def _instances_by_sql(
    model: type[Any], by: str, related: tuple[str, ...], order_by: tuple[str, ...], using: str
) -> tuple[str, prepared.ModelColumns, list[tuple[Any, Any]]] | None:
    quote = connections[using].ops.quote_name
    if model._default_manager.all().query.where:
        return None  # a default manager that leaves rows out: the statement would read them all
    if model._meta.parents or any("__" in name for name in related):
        return None  # columns in a parent table (multi-table inheritance) or a relation of a relation
    columns = prepared.ModelColumns(model, alias="t", using=using)
    order_terms = [_order_term(model, term, quote) for term in order_by]
    if not order_terms or None in order_terms:
        return None
    select, joins, joined = [columns.select_list], [], []
    for index, name in enumerate(related):
        foreign_key = _foreign_key_join(model, name, alias=f"r{index}", source="t", quote=quote)
        if foreign_key is None:
            return None
        field, join = foreign_key
        target = prepared.ModelColumns(field.related_model, alias=f"r{index}", using=using)
        select.append(target.select_list)
        joins.append(join)
        joined.append((field, target))
    sql = (
        f"SELECT {', '.join(select)} FROM {quote(model._meta.db_table)} t {' '.join(joins)} "  # noqa: S608 - as above
        f"WHERE t.{quote(model._meta.get_field(by).column)} = ANY(%s) "
        f"ORDER BY {', '.join(f't.{term}' for term in order_terms)}"
    )
    return sql, columns, joined


def instances_by(
    *,
    model: type[Any],
    by: str,
    values: Sequence[Any],
    order_by: Sequence[str],
    related: Sequence[str] = (),
    using: str = "default",
) -> list[Any]:
    """The instances of ``model`` whose column ``by`` is one of ``values``, in ``order_by`` order, each with its
    ``related`` foreign keys' instances in the relation's cache: what ``filter(<by>__in=values)
    .select_related(*related).order_by(*order_by)`` gives, as one prepared statement.

    For the children of a page that a list writes in full (the activity-report list's attachments and transitions):
    at N=1 a page's two prefetches cost 2.1 ms a request, 0.7 ms of it SQL, though the page had no attachment and
    no transition (issue 14, round 8); the ORM compiled each query and set up the prefetch for every report. Other
    databases (the SQLite demo), and what the statement cannot express, use that queryset."""
    if not values:
        return []
    statement = _written_once(
        _INSTANCES_BY_SQL,
        (using, model, by, tuple(related), tuple(order_by)),
        lambda: _instances_by_sql(model, by, tuple(related), tuple(order_by), using),
        using=using,
    )
    if statement is None:
        return list(_children_queryset(model, by, values, order_by, using).select_related(*related))
    sql, columns, joined = statement
    instances = []
    for row in _prepared_rows(sql, [list(values)], using=using):
        instance = columns.instance(row[: len(columns)])
        start = len(columns)
        for field, target in joined:
            values_of_target = row[start : start + len(target)]
            start += len(target)
            # A null key joins nothing: the relation is cached as None, as select_related leaves it.
            target_instance = None if getattr(instance, field.attname) is None else target.instance(values_of_target)
            field.set_cached_value(instance, target_instance)
        instances.append(instance)
    return instances


def select_related_only(queryset: QuerySet[Any]) -> tuple[str, ...] | None:
    """The foreign keys ``queryset`` joins (``select_related``, one level deep) when that and every column of its
    model are all it reads — what ``instances_by`` builds; None where it asks for more (deferred or only some
    columns, annotations, extra columns, prefetches, relations of relations, ``values()`` rows, a related
    manager's known parent) or where the model's default manager leaves rows out (``instances_by`` would read by it
    and could drop rows the queryset found)."""
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        or queryset._known_related_objects  # type: ignore[attr-defined]
        or queryset.model._default_manager.all().query.where
        or query.deferred_loading != (frozenset(), True)
        or query.annotation_select
        or query.extra_select
        or query.select_related is True
    ):
        return None
    if query.select_related is False:
        return ()
    if any(nested for nested in query.select_related.values()):
        return None
    return tuple(query.select_related)


def instances_in_order(*, model: type[Any], pks: Sequence[Any], related: Sequence[str], using: str) -> list[Any]:
    """The rows ``pks`` of ``model`` in the order of ``pks``, with their ``related`` foreign keys' rows, as
    ``instances_by`` reads them (one prepared statement); a pk with no row (deleted since it was read) is left out.

    For a page whose rows are found by one query and read by a second: a text search's page of focal points at
    N=1 (issue 14, round 9) was one ORM statement joining the sorted matches' ids to the structure, State and
    partner, 3.8 ms a request, of which ~1.4 ms SQL (0.6 ms of it planning: the statement is new each time); the
    ids by the ORM and the rows by this prepared statement, 1.3 ms less."""
    found = {
        row.pk: row
        for row in instances_by(
            model=model, by=model._meta.pk.name, values=pks, order_by=("pk",), related=related, using=using
        )
    }
    return [found[pk] for pk in pks if pk in found]


def project_attach_relation_ids(*, projects: Sequence[Project]) -> Sequence[Project]:
    """Give each project what the API writes of its relations: ``relation_ids`` (relation name -> ids of the
    related rows, in the related model's order) and ``listed_pledges`` (its pledges as ``ValueRows``, in the pledges'
    order), each in one statement for the whole page.

    Instead of Django's per-row prefetch machinery, which costs far more than the SQL when a page has many rows (the
    API serialises only columns and ids). The pledges (issue 14, round 8, N=1, a page of 50 projects): prefetched
    as instances 1.0 ms a request, 0.28 ms of it SQL; as rows of one prepared statement (``rows_with_linked_ids``)
    0.3 ms."""
    pks = [project.pk for project in projects]
    ids = linked_ids(model=Project, relations=tuple(PROJECT_RELATION_COLUMNS), pks=pks)
    pledge_rows = rows_with_linked_ids(
        model=DonorPledge, by="project_id", values=pks, relations=(), order_by=_PLEDGES_IN_PROJECT_ORDER
    )
    pledges = grouped_by(pks, pledge_rows, key=itemgetter("project_id"), group=ValueRows)
    for project in projects:
        project.relation_ids = {name: ids[name].get(project.pk, []) for name in PROJECT_RELATION_COLUMNS}
        project.listed_pledges = pledges[project.pk]
    return projects


# A project's pledges in the model's order (``DonorPledge.Meta.ordering``: date pledged, then id).
_PLEDGES_IN_PROJECT_ORDER = ("project_id", "pledged_on", "pk")


def project_detail(*, user: PortalUser, pk: int) -> Project:
    qs = project_list(user=user).prefetch_related(
        Prefetch("pledges", queryset=DonorPledge.objects.select_related("donor_state"))
    )
    return qs.get(pk=pk)


def project_pledged_total(*, project: Project) -> Decimal | int:
    total: Decimal | None = project.pledges.aggregate(total=Sum("amount"))["total"]
    return total or 0


def structure_detail(*, pk: int) -> ExecutiveStructure:
    return (
        structure_list()
        .prefetch_related("children")
        .annotate(led_count=Count("led_projects", distinct=True))
        .get(pk=pk)
    )


def structure_projects(*, user: PortalUser, structure: ExecutiveStructure) -> QuerySet[Project]:
    partnered = Project.partner_structures.through.objects.filter(executivestructure=structure).values("project_id")
    return project_table_rows(user=user).filter(Q(lead_structure=structure) | Q(pk__in=partnered))


def state_projects(*, user: PortalUser, state: ParticipatingState) -> QuerySet[Project]:
    return project_table_rows(user=user).filter(beneficiary_states=state)


def state_structures(*, state: ParticipatingState) -> QuerySet[ExecutiveStructure]:
    return structure_list().filter(host_state=state)
