"""What each user should look at next, with live counts. It reads several apps (through their selectors), so it
lives in the project package, above them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osce_tnt.reporting import selectors as reporting_selectors
from programmes.activity import selectors as activity_selectors
from programmes.events import selectors as event_selectors
from programmes.permissions import Role, role_of
from programmes.types import PortalUser
from taskforces import selectors as taskforce_selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Step:
    title: StrOrPromise
    detail: StrOrPromise
    url: str
    count: int | None = None


def _own_reports_to_finish(user) -> int:
    return activity_selectors.reports_to_finish(user=user).count()


def _my_open_actions(user) -> int:
    return taskforce_selectors.my_open_action_items(user=user).count()


def _review_queue(user) -> int:
    return activity_selectors.review_queue().count()


def _open_alerts(user) -> int:
    return event_selectors.open_alerts().count()


def _events_awaiting_outcome(user) -> int:
    return event_selectors.events_awaiting_outcome(user=user, today=timezone.localdate()).count()


def _published_reports(user) -> int:
    return reporting_selectors.report_list(user=user).count()


# (title, detail, url name, count function or None)
_ROLE_STEPS: dict[Role | None, list[tuple[StrOrPromise, StrOrPromise, str, Callable[[PortalUser], int] | None]]] = {
    Role.FIELD: [
        (
            _("Write or finish your activity reports"),
            _("Drafts and returned reports of your operation."),
            "activity:report_list",
            _own_reports_to_finish,
        ),
        (
            _("Record what happened at past events"),
            _("Held, cancelled or postponed, with participants."),
            "events:awaiting_outcome",
            _events_awaiting_outcome,
        ),
        (
            _("Propose an event for the joint calendar"),
            _("Check the calendar first for similar events."),
            "events:calendar",
            None,
        ),
        (
            _("Your open task-force actions"),
            _("Update progress before the due date."),
            "taskforces:my_actions",
            _my_open_actions,
        ),
    ],
    Role.SECRETARIAT: [
        (
            _("Review submitted activity reports"),
            _("Return them with comments or accept them."),
            "activity:review_queue",
            _review_queue,
        ),
        (
            _("Plan events on the joint calendar"),
            _("Look for overlaps with field operations."),
            "events:calendar",
            None,
        ),
        (
            _("Your open task-force actions"),
            _("Update progress before the due date."),
            "taskforces:my_actions",
            _my_open_actions,
        ),
        (_("Browse projects"), _("Projects by thematic area, structure and State."), "programmes:project_list", None),
    ],
    Role.COORDINATOR: [
        (
            _("Resolve co-ordination alerts"),
            _("Overlaps between structures and possible double entries."),
            "events:alert_list",
            _open_alerts,
        ),
        (
            _("Check reporting compliance"),
            _("Who has not reported, or reported late, for the last period."),
            "activity:compliance",
            None,
        ),
        (
            _("Past events without an outcome"),
            _("Ask their lead structures whether they were held."),
            "events:awaiting_outcome",
            _events_awaiting_outcome,
        ),
        (
            _("Review submitted activity reports"),
            _("Return them with comments or accept them."),
            "activity:review_queue",
            _review_queue,
        ),
    ],
    Role.DELEGATION: [
        (
            _("Your State at a glance"),
            _("Projects, events and activities that concern your State."),
            "reporting:my_state",
            None,
        ),
        (_("Dashboards"), _("Activity by thematic area, region and State."), "reporting:dashboard", None),
        (
            _("Published reports"),
            _("Periodic TNT reports released to participating States."),
            "reporting:report_list",
            _published_reports,
        ),
        (_("Public calendar"), _("OSCE events on transnational threats."), "events:calendar", None),
    ],
    Role.ADMIN: [
        (_("Administration"), _("Users, roles and reference data."), "admin:index", None),
        (
            _("Resolve co-ordination alerts"),
            _("Likely duplicate events between structures."),
            "events:alert_list",
            _open_alerts,
        ),
        (
            _("Review submitted activity reports"),
            _("Return them with comments or accept them."),
            "activity:review_queue",
            _review_queue,
        ),
    ],
}


def steps_for(user) -> list[Step]:
    steps = []
    for title, detail, url_name, counter in _ROLE_STEPS.get(role_of(user), []):
        steps.append(Step(title=title, detail=detail, url=reverse(url_name), count=counter(user) if counter else None))
    return steps
