"""PostgreSQL's language tools for the duplicate check (issue 11): full-text lexemes and pg_trgm.

A title becomes a set of terms in SQL: ``ts_debug`` splits it and stems each word with the language configuration the
title's script calls for (``russian`` when it has Cyrillic letters — that configuration stems Latin words with the
English stemmer too —, else ``english``), drops the configuration's stop words, and a word or lexeme that starts with a
stem of the bilingual glossary (data/glossary.json) becomes the glossary's concept. So "Семинар по выявлению жертв
торговли людьми" and "Workshop on identifying victims of trafficking" share their concepts. ``pg_trgm``'s
``similarity()`` catches what stems cannot: the same title typed twice with a typo.

The terms are stored per event (``Event.title_terms``, kept by the services, filled by migration 0007 and by
``generate_scale_data``); a row not filled yet is computed on the fly with the same expression (in a query of its
own, ``selectors._with_terms``), so the per-event check and the nightly rescan always compare the same terms. SQLite
(the demo) has none of this: the scorer falls back to the Python tokens of ``duplicates.title_tokens``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Expression, F, Func, TextField, Value

from programmes.events.duplicates import STOPWORDS, glossary

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

# {title} is the compiled title expression (used three times); the arrays are parameters, so the glossary stays data.
_TERMS_SQL = """(
SELECT COALESCE(string_agg(DISTINCT t.term, ' ' ORDER BY t.term), '')
FROM (
    SELECT COALESCE(
        (SELECT g.concept FROM unnest(%s::text[], %s::text[]) AS g(stem, concept)
         WHERE starts_with(lower(d.token), g.stem) OR starts_with(d.lexemes[1], g.stem)
         ORDER BY length(g.stem) DESC, g.stem LIMIT 1),
        d.lexemes[1]
    ) AS term
    FROM ts_debug(
        CASE WHEN {title} ~ '[А-Яа-яЁё]' THEN 'russian' ELSE 'english' END::regconfig, {title}
    ) AS d
    WHERE d.lexemes <> '{{}}' AND NOT (lower(d.token) = ANY(%s::text[]))
) AS t
)"""


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _glossary_params() -> tuple[list[str], list[str], list[str]]:
    pairs = glossary()
    return [stem for stem, _c in pairs], [concept for _s, concept in pairs], sorted(STOPWORDS)


class TitleTerms(Func):
    """The space-separated terms of a title expression (see the module docstring). PostgreSQL only."""

    output_field = TextField()

    def __init__(self, expression: Expression | F | Value, **extra: Any) -> None:
        super().__init__(expression, **extra)

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        (title, title_params) = compiler.compile(self.get_source_expressions()[0])
        stems, concepts, stopwords = _glossary_params()
        # The title appears twice in the SQL (the script test and ts_debug), so its parameters do too.
        sql = _TERMS_SQL.format(title=title)
        return sql, (stems, concepts, *title_params, *title_params, stopwords)


def split_terms(value: str | None) -> frozenset[str]:
    return frozenset(value.split()) if value else frozenset()


def title_terms(title: str) -> frozenset[str]:
    """The terms of one title (one query), e.g. an event not saved yet."""
    stems, concepts, stopwords = _glossary_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + _TERMS_SQL.format(title="%s"), [stems, concepts, title, title, stopwords])
        return split_terms(cursor.fetchone()[0])


def refresh_title_terms(*, event_ids: Iterable[int] | None = None) -> int:
    """Store the terms of the given events (all events when None) in one UPDATE; returns the rows updated.

    A calendar repeats its titles (a series held every year, the same course in several States): the terms are
    computed once per distinct title and joined back, which at 200,000 generated events with 7,000 titles is the
    difference between minutes and seconds of ``ts_debug``."""
    from programmes.events.models import Event

    if not uses_postgres():
        return 0
    table = connection.ops.quote_name(Event._meta.db_table)
    stems, concepts, stopwords = _glossary_params()
    where, ids = ("", []) if event_ids is None else ("WHERE e.id = ANY(%s)", [list(event_ids)])
    terms = _TERMS_SQL.format(title="d.title")
    also = " AND e.id = ANY(%s)" if event_ids is not None else ""
    # The table is the model's, the terms SQL is the module's constant; every value is a parameter.
    sql = (
        f"WITH d AS (SELECT DISTINCT e.title FROM {table} e {where}), "  # noqa: S608
        f"t AS (SELECT d.title, {terms} AS terms FROM d) "
        f"UPDATE {table} e SET title_terms = t.terms FROM t WHERE e.title = t.title{also}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, stems, concepts, stopwords, *ids])
        return cursor.rowcount


def terms_of_words(words: Iterable[str]) -> dict[str, frozenset[str]]:
    """The terms of each word (one query for all). A title whose words are separated by spaces has the union of its
    words' terms when every word is in the same script: ``ts_debug`` splits at spaces first, and the glossary, the
    stop words and the language choice all work per word. The scale-data generator builds its 200,000 titles from a
    few thousand words, so it stores terms this way instead of running ``ts_debug`` over every title."""
    words = sorted(set(words))
    stems, concepts, stopwords = _glossary_params()
    terms = _TERMS_SQL.format(title="u.w")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.w, {terms} FROM unnest(%s::text[]) AS u(w)",  # noqa: S608 - the module's constant SQL
            [stems, concepts, stopwords, words],
        )
        return {word: split_terms(value) for word, value in cursor.fetchall()}


def trigram_similarities(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """pg_trgm ``similarity()`` of the titles of each (event, event) pair, a fixed number of queries per 5,000 pairs."""
    pairs = list(pairs)
    result: dict[tuple[int, int], float] = {}
    with connection.cursor() as cursor:
        for i in range(0, len(pairs), 5000):
            chunk = pairs[i : i + 5000]
            cursor.execute(
                "SELECT p.a, p.b, similarity(ea.title, eb.title) "
                "FROM unnest(%s::int[], %s::int[]) AS p(a, b) "
                "JOIN programmes_event ea ON ea.id = p.a JOIN programmes_event eb ON eb.id = p.b",
                [[a for a, _b in chunk], [b for _a, b in chunk]],
            )
            for a, b, value in cursor.fetchall():
                result[(a, b)] = float(value)
    return result
