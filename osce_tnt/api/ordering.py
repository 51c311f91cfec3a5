"""``?ordering=`` that pages the same way every time."""

from __future__ import annotations

from typing import Any

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """DRF's ordering, with the primary key as the last key when the client chose the ordering.

    Many rows can share the value a client sorts by (200,000 imported events share one ``updated_at``); without a
    unique last key PostgreSQL may return them in any order, so a client paging through ``?ordering=-updated_at``
    could see a row twice and miss another. The views' own default orderings are left as they are (their indexes
    are built for them)."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or not request.query_params.get(self.ordering_param):
            return ordering
        if any(key.lstrip("-") in ("pk", "id") for key in ordering):
            return ordering
        return [*ordering, "pk"]
