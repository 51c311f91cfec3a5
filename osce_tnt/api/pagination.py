from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Func, TextField
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings

from programmes.selectors import instances_in_order, select_related_only


class PortalPagination(PageNumberPagination):
    """Page numbers, 50 rows a page by default. A view with a ``page_rows(queryset)`` method has it applied to the
    rows of the page only, after they are counted: columns the page shows from joined rows are then not joined
    into the COUNT (Django keeps an annotation's joins there, and at N=1 they made the action items' count 15 ms
    instead of 3)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.django_paginator_class = partial(  # type: ignore[assignment]
            _PortalPaginator, page_rows=getattr(view, "page_rows", None), **self.paginator_options(queryset, request)
        )
        return super().paginate_queryset(queryset, request, view)

    def paginator_options(self, queryset: Any, request: Any) -> dict[str, Any]:
        return {}


class _NotByIndex(Func):
    """A text column's value as an expression no index can give in order (``col || ''``: the same value, collation
    and NULLs, so the same order), so PostgreSQL sorts the rows found instead of walking the column's index."""

    template = "(%(expressions)s || '')"


class _PortalPaginator(Paginator):
    """Django's paginator; once it has counted, a search with at most ``few`` matches is ordered by ``ordering``
    (the same order, see ``SearchPagination``), and the view's ``page_rows`` is applied, before the page is
    sliced."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        ordering: Any = None,
        few: int = 0,
        page_rows: Callable[[Any], Any] | None = None,
        **kw: Any,
    ):
        super().__init__(object_list, per_page, *args, **kw)
        self._ordering, self._few, self._page_rows = ordering, few, page_rows

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)  # counts the matches (cached: the page and the links reuse it)
        if self._ordering is not None and self.count <= self._few:
            ordered = self.object_list.order_by(*self._ordering)  # type: ignore[attr-defined]
            return Page(self._window(ordered, number), number, self)
        if self._page_rows is not None:
            self.object_list = self._page_rows(self.object_list)
        return super().page(number)

    def _window(self, ordered: Any, number: int) -> list[Any]:
        """The page's rows of the sorted matches: the matches are sorted by their own columns for the page's ids,
        and only those rows are joined to what the page shows. Sorting the joined rows instead joined every match
        first (``/api/focal-points/?q=kowal`` at N=1: 1,132 matches joined to structure, State and partner, then
        sorted; 7.3–8.0 ms at the client, 4.3–5.9 ms as a window). Where the rows are every column and their
        ``select_related`` rows, the ids are one query and the rows one prepared statement
        (``programmes.selectors.instances_in_order``); otherwise one statement, the ids a subquery. Same rows,
        same order as the slice ``Paginator.page`` takes (DRF makes its paginator without orphans). The rows are
        read by the ids the reader's query found, so a row changed between the two statements is shown as it is
        now, as one changed between the count and the page always was."""
        bottom = (number - 1) * self.per_page
        related = select_related_only(ordered) if self._page_rows is None else None
        if related is not None:
            pks = list(ordered.values_list("pk", flat=True)[bottom : bottom + self.per_page])
            return instances_in_order(model=ordered.model, pks=pks, related=related, using=ordered.db)
        rows = ordered.filter(pk__in=ordered.values("pk")[bottom : bottom + self.per_page])
        if self._page_rows is not None:
            rows = self._page_rows(rows)
        return list(rows)


class SearchPagination(PortalPagination):
    """``PortalPagination`` for a list with a text search (``?q=``) ordered by a text column first.

    PostgreSQL answers "the first page of the matches, by name" by walking the name index and testing each row until
    it has a page, on its estimate that matches are spread evenly. Matches are not (a surname search finds one
    stretch of the alphabet): at N=1, ``/api/focal-points/?q=kowal`` (1,132 of 20,107) walked and rejected 6,637 rows,
    11.4 ms, where the trigram indexes find all matches in 0.3 ms and sorting them takes 2 ms more (2.5 ms,
    EXPLAIN ANALYZE). The paginator has counted the matches before it reads the page, so with at most ``few`` of
    them the page is read by the same ordering with its first key made unindexable: a bounded sort of the
    matches. More matches keep the index walk (it stops early when matches are common). Same rows, same order."""

    few = 2000

    def paginator_options(self, queryset: Any, request: Any) -> dict[str, Any]:
        ordering = None
        if request.query_params.get("q", "").strip() and not request.query_params.get(api_settings.ORDERING_PARAM):
            ordering = _sort_found_rows(queryset)
        return {"ordering": ordering, "few": self.few}


def _sort_found_rows(queryset: Any) -> tuple[Any, ...] | None:
    """The queryset's ordering with its first key (a text column of the model) as ``_NotByIndex``; None when the
    ordering does not start with one."""
    ordering = tuple(queryset.query.order_by)
    if not ordering or not isinstance(ordering[0], str) or "__" in ordering[0]:
        return None
    name = ordering[0].removeprefix("-")
    try:
        field = queryset.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an annotation or an alias: leave the ordering alone
        return None
    if not isinstance(field, CharField | TextField):
        return None
    key = _NotByIndex(F(name), output_field=field.__class__())
    return (key.desc() if ordering[0].startswith("-") else key.asc(), *ordering[1:])
