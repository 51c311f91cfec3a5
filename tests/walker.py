"""The one walk over every URL the project routes, shared by the anonymous walk (tests/test_permissions.py), the
role walk (tests/test_role_walk.py) and the check that views name declared resources.

Routes come from the resolver itself, so a new app's URLs are walked without anyone listing them. Parameters are
filled in where that is cheap: ``<int:pk>`` and friends become ``1``, a regex group of plain alternatives
(``pdf|xlsx``) takes its first one; DRF's format-suffix variants are left out (they repeat the plain route)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

FILLER = "1"
_REGEX_GROUP = re.compile(r"\(\?P<\w+>([^)]*)\)")
_ROUTE_PARAM = re.compile(r"<(?:(?:int|str|slug|uuid|path):)?\w+>")


@dataclass(frozen=True)
class Route:
    path: str  # a concrete path, parameters filled in
    name: str | None  # the namespaced URL name ("events:calendar"), None for unnamed patterns
    callback: object
    has_params: bool

    @property
    def view_class(self):
        """The class behind the callback: a DRF view's ``cls``, a class-based view's ``view_class``, else None."""
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)


def _concrete(pattern: str) -> str | None:
    if "(?P<format>" in pattern or "<drf_format_suffix" in pattern or "<format>" in pattern:
        return None
    path = _REGEX_GROUP.sub(
        lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else FILLER, pattern
    )
    path = _ROUTE_PARAM.sub(FILLER, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    if re.search(r"[()\[\]*+?\\]", path):  # regex syntax we do not know how to fill: leave the route out
        return None
    return "/" + path


@cache
def routes() -> tuple[Route, ...]:
    """Every routed URL once, sorted by path."""
    found: dict[str, Route] = {}

    def walk(resolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                raw = prefix + str(entry.pattern)
                path = _concrete(raw)
                if path is None or path in found:
                    continue
                found[path] = Route(
                    path=path,
                    name=f"{namespace}{entry.name}" if entry.name else None,
                    callback=entry.callback,
                    has_params="<" in raw or "(?P" in raw,
                )

    walk(get_resolver(), "", "")
    return tuple(found[path] for path in sorted(found))


def paths(*, params: bool = True, skip: tuple[str, ...] = ()) -> list[str]:
    """Concrete paths, optionally without parameterised routes and without those starting with ``skip``."""
    return [r.path for r in routes() if (params or not r.has_params) and not r.path.lstrip("/").startswith(skip)]
