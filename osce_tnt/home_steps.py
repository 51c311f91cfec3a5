"""What each user should look at next. This module reads several apps, so it lives in the project package."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from programmes.permissions import Role, role_of


@dataclass(frozen=True)
class Step:
    title: str
    detail: str
    url: str


_ROLE_STEPS: dict[Role, list[tuple[str, str, str]]] = {
    Role.FIELD: [
        (_("Write or finish your activity report"), _("Report what your operation did in the period."),
         "activity:report_list"),
        (_("Propose an event for the joint calendar"), _("Check the calendar first for similar events."),
         "events:calendar"),
        (_("Your open task-force actions"), _("Update progress before the due date."), "taskforces:my_actions"),
    ],
    Role.SECRETARIAT: [
        (_("Review submitted activity reports"), _("Return them with comments or accept them."),
         "activity:review_queue"),
        (_("Plan events on the joint calendar"), _("Look for overlaps with field operations."), "events:calendar"),
        (_("Your open task-force actions"), _("Update progress before the due date."), "taskforces:my_actions"),
        (_("Browse projects"), _("Projects by thematic area, structure and State."), "programmes:project_list"),
    ],
    Role.COORDINATOR: [
        (_("Resolve co-ordination alerts"), _("Likely duplicate events between structures."), "events:alert_list"),
        (_("Check reporting compliance"), _("Who has not reported for the last period."), "activity:compliance"),
        (_("Prepare the next task-force meeting"), _("Agenda, open actions and the meeting pack."),
         "taskforces:taskforce_list"),
        (_("Generate and publish a TNT report"), _("Periodic reports for participating States."),
         "reporting:report_list"),
    ],
    Role.DELEGATION: [
        (_("Dashboards"), _("Activity by thematic area, region and your State."), "reporting:dashboard"),
        (_("Published reports"), _("Periodic TNT reports released to participating States."), "reporting:report_list"),
        (_("Public calendar"), _("Upcoming OSCE events on transnational threats."), "events:calendar"),
    ],
    Role.ADMIN: [
        (_("Administration"), _("Users, roles and reference data."), "admin:index"),
        (_("Resolve co-ordination alerts"), _("Likely duplicate events between structures."), "events:alert_list"),
        (_("Browse projects"), _("Projects by thematic area, structure and State."), "programmes:project_list"),
    ],
}


def steps_for(user) -> list[Step]:
    steps = []
    for title, detail, url_name in _ROLE_STEPS.get(role_of(user), []):
        try:
            steps.append(Step(title=title, detail=detail, url=reverse(url_name)))
        except NoReverseMatch:
            continue
    return steps
