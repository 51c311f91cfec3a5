"""The main menu, built from the permission table so nobody sees a link they may not follow."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from programmes.permissions import VIEW, can, role_of

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


@functools.lru_cache(maxsize=len(MENU) * 4)
def _menu_url(url_name: str, script_prefix: str, urlconf: str) -> str:
    # The menu's URLs take no arguments and the site has no language prefixes: each depends only on the script prefix
    # and the URLconf, so it is reversed once per process, not on every page (~20 reverse() calls; issue 14).
    return reverse(url_name, urlconf=urlconf)


def _menu_for(user, current_path: str) -> list[dict]:
    items = []
    script_prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    for label, url_name, resource, action in MENU:
        if not can(user, resource, action):
            continue
        url = _menu_url(url_name, script_prefix, urlconf)
        items.append({"label": label, "url": url, "active": current_path.startswith(url)})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": [], "portal_role": None}
    return {"main_menu": _menu_for(user, request.path), "portal_role": role_of(user)}
