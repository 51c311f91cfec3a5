"""The one walk over every URL the project routes, shared by the anonymous walk (tests/test_permissions.py), the
role walk (tests/test_role_walk.py), the check that views name declared resources, and the permission matrix
(tests/security/test_permission_matrix.py).

Routes come from the resolver itself, so a new app's URLs are walked without anyone listing them. ``patterns()``
is every pattern with its namespaced name; ``routes()`` the ones with a concrete path to open. Parameters are
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
class Pattern:
    raw: str  # the full pattern, prefixes included
    name: str | None  # the namespaced URL name ("events:calendar"), None for unnamed patterns
    pattern: URLPattern
    in_admin: bool  # under the Django admin, which has its own permission system

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def is_format_variant(self) -> bool:
        return "(?P<format>" in self.raw or "<drf_format_suffix" in self.raw or "<format>" in self.raw


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
    path = _REGEX_GROUP.sub(
        lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else FILLER, pattern
    )
    path = _ROUTE_PARAM.sub(FILLER, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    if re.search(r"[()\[\]*+?\\]", path):  # regex syntax we do not know how to fill: leave the route out
        return None
    return "/" + path


@cache
def patterns() -> tuple[Pattern, ...]:
    """Every URL pattern the resolver knows, in resolution order."""
    found: list[Pattern] = []

    def walk(resolver, prefix: str, namespace: str, in_admin: bool) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                admin = in_admin or (not prefix and str(entry.pattern).startswith("admin/"))
                walk(entry, prefix + str(entry.pattern), inner, admin)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                found.append(Pattern(raw=prefix + str(entry.pattern), name=name, pattern=entry, in_admin=in_admin))

    walk(get_resolver(), "", "", False)
    return tuple(found)


@cache
def routes() -> tuple[Route, ...]:
    """Every routed URL once, sorted by path."""
    found: dict[str, Route] = {}
    for p in patterns():
        path = None if p.is_format_variant else _concrete(p.raw)
        if path is None or path in found:
            continue
        found[path] = Route(path=path, name=p.name, callback=p.callback, has_params="<" in p.raw or "(?P" in p.raw)
    return tuple(found[path] for path in sorted(found))


def paths(*, params: bool = True, skip: tuple[str, ...] = ()) -> list[str]:
    """Concrete paths, optionally without parameterised routes and without those starting with ``skip``."""
    return [r.path for r in routes() if (params or not r.has_params) and not r.path.lstrip("/").startswith(skip)]
