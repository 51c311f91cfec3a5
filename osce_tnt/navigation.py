"""The main menu, built from the permission table so nobody sees a link they may not follow."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from programmes.permissions import VIEW, Role, role_may, role_of

# (label, url name, resource, action). Every URL name must reverse: a missing page is an error, not a hidden link.
MENU = [
    (_("Projects"), "programmes:project_list", "project", VIEW),
    (_("Programmes"), "programme_pages:programme_list", "programme", VIEW),
    (_("Results"), "results:dashboard", "results_dashboard", VIEW),
    (_("Calendar"), "events:calendar", "event", VIEW),
    (_("Co-ordination alerts"), "events:alert_list", "coordination_alert", VIEW),
    (_("Outcomes due"), "events:awaiting_outcome", "event_outcome", VIEW),
    (_("Activity reports"), "activity:report_list", "activity_report", VIEW),
    (_("Review queue"), "activity:review_queue", "activity_report", "review"),
    (_("Compliance"), "activity:compliance", "reporting_compliance", VIEW),
    (_("Focal points"), "focal_points:directory", "focal_point", VIEW),
    (_("Networks"), "focal_points:network_list", "network", VIEW),
    (_("Task forces"), "taskforces:taskforce_list", "taskforce", VIEW),
    (_("My actions"), "taskforces:my_actions", "action_item", VIEW),
    (_("Knowledge"), "knowledge:index", "legal_matrix", VIEW),
    (_("Dashboard"), "reporting:dashboard", "dashboard", VIEW),
    (_("Reports"), "reporting:report_list", "generated_report", VIEW),
    (_("Structures"), "programmes:structure_list", "structure", VIEW),
    (_("States"), "programmes:state_list", "state", VIEW),
]


# The menu depends on the viewer only through their role (the permission table), and its URLs take no arguments
# and the site has no language prefixes, so a role's entries are worked out once per process and script prefix, and
# their HTML once per language and current section. Building and rendering them on every page was ~0.4 ms of
# each HTML response (18 permission checks and reverse() calls, ~55 template variables; issue 14).
@functools.lru_cache(maxsize=64)
def _entries(role: Role, script_prefix: str, urlconf: str) -> tuple[tuple, ...]:
    return tuple(
        (label, reverse(url_name, urlconf=urlconf))
        for label, url_name, resource, action in MENU
        if role_may(role, resource, action)
    )


@functools.lru_cache(maxsize=512)
def _entries_html(role: Role, script_prefix: str, urlconf: str, language: str, active: tuple[bool, ...]) -> SafeString:
    # Keyed by what the entries come from, not by the entries: hashing their lazy labels would translate each.
    entries = _entries(role, script_prefix, urlconf)
    return format_html_join(
        "",
        "<li>{}</li>",
        (
            (format_html('<a href="{}" aria-current="page">{}</a>' if current else '<a href="{}">{}</a>', url, label),)
            for (label, url), current in zip(entries, active, strict=True)
        ),
    )


def clear_cache() -> None:
    """Forget the worked-out menus (after MENU or the permission table changed: tests)."""
    _entries.cache_clear()
    _entries_html.cache_clear()


def navigation(request):
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    if role is None:
        return {"main_menu_html": "", "portal_role": None}
    where = (role, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    # The current section is the entry whose URL is the longest prefix of the path: the dashboard lives under the
    # reports' URL, and only one entry may say it is the current page.
    prefixes = [len(url) if request.path.startswith(url) else -1 for _label, url in _entries(*where)]
    longest = max(prefixes, default=-1)
    active = tuple(length == longest and length >= 0 for length in prefixes)
    return {"main_menu_html": _entries_html(*where, translation.get_language(), active), "portal_role": role}
