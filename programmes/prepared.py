"""Server-side prepared statements for the portal's own hand-written statements that every request runs.

On PostgreSQL a statement is planned on every execution unless it is prepared. For the few statements the portal
writes itself and runs on nearly every request (the API token's user and role, the signed-in user's role, the
many-to-many ids of a list page) planning cost more than running: the ids of a 50-project page's five relations,
``col = ANY(ARRAY[…50 ids…])`` in five branches, took 1.26 ms planned each time and 0.41 ms as a prepared statement
(issue 14, round 5; the planner estimates every array element against the column's statistics).

``statement`` prepares the SQL once per database connection, under a name made of the text's digest and this
process's id, and returns the ``EXECUTE`` to run in its place with the same parameters. The ``PREPARE`` goes through
the driver's own cursor, so Django's query log, and with it the query-count tests, see one statement per call as
before. A prepared statement belongs to its connection and survives transactions and rollbacks (PostgreSQL prepares
outside transaction control); a new connection prepares again. Other databases (the SQLite demo) and
``DATABASE_PREPARED_STATEMENTS`` off (a pooler in transaction mode, which moves sessions between clients) run the
SQL as it is."""

from __future__ import annotations

import hashlib
import uuid
import weakref
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections

# A process's own names: a connection can never hold a statement of this name that this process did not prepare.
_PROCESS = uuid.uuid4().hex[:8]
# Raw driver connection -> names prepared on it. Weak: a closed connection's entry goes with it.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _numbered(sql: str) -> str:
    # The driver's %s placeholders as PostgreSQL's $1, $2, …; any other % would be ambiguous in a statement body.
    parts = sql.split("%s")
    if any("%" in part for part in parts):
        raise ValueError("a prepared statement takes %s placeholders and no other %")
    return "".join(part + (f"${index}" if index < len(parts) else "") for index, part in enumerate(parts, start=1))


@cache
def _forms(sql: str) -> tuple[str, str, str]:
    # Per SQL text, once per process: its statement name, the body to prepare and the EXECUTE that runs it.
    name = f"portal_{hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]}_{_PROCESS}"
    count = sql.count("%s")
    execute = f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    return name, _numbered(sql), execute


def statement(sql: str, *, using: str = "default") -> str:
    """The SQL to execute in place of ``sql`` (``%s`` placeholders) with the same parameters: ``EXECUTE`` of
    ``sql`` prepared on this connection, or ``sql`` itself where statements are not prepared."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return sql
    name, body, execute = _forms(sql)
    connection.ensure_connection()
    names = _prepared.setdefault(connection.connection, set())
    if name not in names:
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE {name} AS {body}")
        names.add(name)
    return execute


class ModelColumns:
    """A model's concrete columns read by hand-written SQL: the select list, and the instance the ORM would have
    built from them, each value first through the ORM's own converters for the database (none on PostgreSQL;
    SQLite's text datetimes and integer booleans in the demo)."""

    def __init__(
        self, model: type[Any], *, alias: str, fields: Sequence[str] | None = None, using: str = "default"
    ) -> None:
        connection = connections[using]
        qn = connection.ops.quote_name
        self.model = model
        self.using = using
        concrete = model._meta.concrete_fields
        self.fields = list(concrete) if fields is None else [model._meta.get_field(name) for name in fields]
        self.attnames = [field.attname for field in self.fields]
        self.select_list = ", ".join(f"{alias}.{qn(field.column)}" for field in self.fields)
        self._conversions: list[tuple[int, list[Any], Any]] = []
        for position, field in enumerate(self.fields):
            expression = field.get_col(model._meta.db_table)
            # As the ORM's compiler takes them (``SQLCompiler.get_converters``): the backend's, then the column's,
            # which for a foreign key are the target field's.
            converters = [*connection.ops.get_db_converters(expression), *expression.get_db_converters(connection)]
            if converters:
                self._conversions.append((position, converters, expression))

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def converts(self) -> bool:
        """Whether any column needs the ORM's converters (``convert`` is then not the identity)."""
        return bool(self._conversions)

    def convert(self, values: Sequence[Any]) -> Sequence[Any]:
        """``values`` (the columns in ``select_list`` order) as the ORM reads them."""
        if not self._conversions:
            return values
        converted = list(values)
        connection = connections[self.using]
        for position, converters, expression in self._conversions:
            for converter in converters:
                converted[position] = converter(converted[position], expression, connection)
        return converted

    def instance(self, values: Sequence[Any]) -> Any:
        """The model instance of ``values`` (every concrete column, in ``select_list`` order)."""
        return self.model.from_db(self.using, self.attnames, self.convert(values))


_BY_PK: dict[tuple[str, type[Any]], tuple[str, ModelColumns]] = {}


def instance_by_pk(model: type[Any], pk: Any, *, using: str = "default") -> Any | None:
    """``model._base_manager.get(pk=pk)`` as one prepared statement, or None where there is no such row. For
    lookups every request makes with values from the request (a filter's chosen structure or State), where the ORM
    took longer to build the query than PostgreSQL to answer it."""
    key = (using, model)
    if key not in _BY_PK:
        columns = ModelColumns(model, alias="t", using=using)
        qn = connections[using].ops.quote_name
        # Table and column names from the model's metadata; the key is a parameter.
        sql = f"SELECT {columns.select_list} FROM {qn(model._meta.db_table)} t WHERE t.{qn(model._meta.pk.column)} = %s"  # noqa: S608
        _BY_PK[key] = (sql, columns)
    sql, columns = _BY_PK[key]
    with connections[using].cursor() as cursor:
        cursor.execute(statement(sql, using=using), [pk])
        row = cursor.fetchone()
    return None if row is None else columns.instance(row)
