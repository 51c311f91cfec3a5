"""What a web process would otherwise load on its first requests, loaded before it takes any (gunicorn's
``post_worker_init``).

Django loads lazily: the URLconf, and with it every view module and what they import (DRF, drf-spectacular,
icalendar, the spreadsheet and PDF writers), on the first request; a language's translation catalogue on the first
request in that language; each template on the first page that renders it. Measured on a new process (issue 14,
round 8, N=1): the first request to the bare view took 320–420 ms, 368 ms of it importing the URLconf, the first
ICS feed 320–640 ms, against 0.4 ms and 13–20 ms for the next ones. gunicorn recycles each worker after about 2,000
requests (``max_requests``), so without this a user meets such a request after every recycle, and a benchmark's
first request on the second worker was a p95 of 80 ms for a 16 ms feed.

Nothing here opens a database or cache connection: it reads code, catalogues and template files only, so it is as
safe before a fork as after one."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    """The names of the portal's own templates (its ``templates`` folders, not the installed packages')."""
    root = Path(settings.BASE_DIR).resolve()
    names: set[str] = set()
    for directory in engines["django"].template_dirs:
        folder = Path(directory).resolve()
        if root not in folder.parents or {".venv", "site-packages"} & set(folder.relative_to(root).parts):
            continue
        names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
    return sorted(names)


def warm_process() -> dict[str, int]:
    """Import the URLconf and fill its reverse tables in every language, load every language's catalogue and
    compile the portal's templates. Returns what it loaded, for the log. A template that does not compile is
    logged and left for its page to report, as it would be without the warm-up."""
    resolver = get_resolver()
    patterns = len(resolver.url_patterns)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Dashboard")  # loads the catalogue
            resolver.reverse_dict  # noqa: B018 - filled per language on first access
    engine = engines["django"]
    compiled = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
        except Exception:  # any template's failure is its page's to report; the others still load
            logger.exception("Template %s does not compile", name)
            continue
        compiled += 1
    return {"url_patterns": patterns, "languages": len(settings.LANGUAGES), "templates": compiled}
