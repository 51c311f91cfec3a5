"""Audit trail: each named object's page lists who changed which field from what to what."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.models import Project
from programmes.security.models import SignInEvent
from tests.factories import DonorPledgeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [
    "programmes.Project",
    "programmes.DonorPledge",
    "events.Event",
    "activity.ActivityReport",
    "activity.ReportedActivity",
    "focal_points.FocalPoint",
    "focal_points.Membership",
    "focal_points.Network",
    "taskforces.TaskForce",
    "taskforces.Meeting",
    "taskforces.Decision",
    "taskforces.ActionItem",
]


@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_named_models_keep_history(label):
    from django.apps import apps

    assert hasattr(apps.get_model(label), "history")


def test_project_page_shows_field_old_and_new_value_and_who(client_as, coordinator):
    project = ProjectFactory(title="Border patrol")
    client = client_as(coordinator)
    # A change made through the portal, so the request's user is recorded.
    response = client.get(reverse("programmes:project_detail", args=[project.pk]))
    assert response.status_code == 200
    project.title = "Border patrol training"
    project._history_user = coordinator
    project.save()
    DonorPledgeFactory(project=project, amount=Decimal("1000.00"), pledged_on=date(2010, 3, 1))

    html = client.get(reverse("programmes:project_detail", args=[project.pk])).content.decode()

    assert "Title: Border patrol → Border patrol training" in html
    assert coordinator.get_full_name() in html
    assert "donor pledge" in html.lower()
    assert Project.history.filter(id=project.pk).count() == 2


def test_change_through_the_portal_records_the_signed_in_user(client_as, coordinator):
    project = ProjectFactory(status=Project.Status.APPROVED)
    assert Project.Status.ONGOING in project.allowed_transitions()
    response = client_as(coordinator).post(
        reverse("programmes:project_change_status", args=[project.pk]), {"status": Project.Status.ONGOING}
    )
    assert response.status_code == 302
    latest = Project.history.filter(id=project.pk).first()
    assert (latest.history_type, latest.status, latest.history_user) == ("~", Project.Status.ONGOING, coordinator)


def test_delegations_do_not_see_the_change_list(client_as, delegation_user):
    project = ProjectFactory(title="Visible project")
    html = client_as(delegation_user).get(reverse("programmes:project_detail", args=[project.pk])).content.decode()
    assert 'id="history-heading"' not in html


def test_administrators_see_sign_in_events_beside_the_changes(client_as, admin_user, coordinator):
    project = ProjectFactory()
    project.title = "Changed"
    project._history_user = coordinator
    project.save()
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_IN, user=coordinator, username=coordinator.username, ip_address="192.0.2.7"
    )
    admin_html = client_as(admin_user).get(reverse("programmes:project_detail", args=[project.pk])).content.decode()
    assert "192.0.2.7" in admin_html


def test_staff_below_administrator_see_changes_but_not_sign_ins(client_as, secretariat_user, coordinator):
    project = ProjectFactory()
    project.title = "Changed"
    project._history_user = coordinator
    project.save()
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_IN, user=coordinator, username=coordinator.username, ip_address="192.0.2.7"
    )
    html = client_as(secretariat_user).get(reverse("programmes:project_detail", args=[project.pk])).content.decode()
    assert 'id="history-heading"' in html and "192.0.2.7" not in html


NEW = "Changed for the audit trail"
# Long texts are not repeated in the list; it says that they changed and how long they are now.
NEW_TEXT = f"(text) → (text, {len(NEW)} characters)"


def _page(kind: str):
    """(object, field, new value, the line its page must show, the page) for each page the issue names."""
    from focal_points.models import Membership
    from tests.factories import EventFactory
    from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory
    from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
    from tests.taskforces.factories import ActionItemFactory, DecisionFactory, MeetingFactory, TaskForceFactory

    if kind == "event":
        event = EventFactory()
        return event, "title", NEW, f"Title: {event.title} → {NEW}", reverse("events:event_detail", args=[event.pk])
    if kind in ("activity_report", "reported_activity"):
        report = ActivityReportFactory(summary="First summary")
        url = reverse("activity:report_detail", args=[report.pk])
        if kind == "reported_activity":
            item = ReportedActivityFactory(report=report)
            return item, "title", NEW, f"Title: {item.title} → {NEW}", url
        return report, "summary", NEW, f"Summary: {NEW_TEXT}", url
    if kind in ("focal_point", "membership"):
        focal_point = FocalPointFactory(job_title="Adviser")
        url = reverse("focal_points:focal_point_detail", args=[focal_point.pk])
        if kind == "membership":
            membership = MembershipFactory(focal_point=focal_point, role=Membership.Role.MEMBER)
            return membership, "role", Membership.Role.ALTERNATE, "Role: Member → Alternate", url
        return focal_point, "job_title", NEW, f"Job title: Adviser → {NEW}", url
    if kind == "network":
        network = NetworkFactory()
        url = reverse("focal_points:network_detail", args=[network.pk])
        return network, "name", NEW, f"Name: {network.name} → {NEW}", url
    if kind == "task_force":
        task_force = TaskForceFactory()
        url = reverse("taskforces:taskforce_detail", args=[task_force.slug])
        return task_force, "name", NEW, f"Name: {task_force.name} → {NEW}", url
    if kind in ("meeting", "decision"):
        meeting = MeetingFactory(place="Vienna")
        url = reverse("taskforces:meeting_detail", args=[meeting.pk])
        if kind == "decision":
            return DecisionFactory(meeting=meeting), "text", NEW, f"Decision: {NEW_TEXT}", url
        return meeting, "place", NEW, f"Place: Vienna → {NEW}", url
    action = ActionItemFactory()
    return action, "what", NEW, f"What: {NEW_TEXT}", reverse("taskforces:action_detail", args=[action.pk])


@pytest.mark.parametrize(
    "kind",
    [
        "event",
        "activity_report",
        "reported_activity",
        "focal_point",
        "membership",
        "network",
        "task_force",
        "meeting",
        "decision",
        "action_item",
    ],
)
def test_each_named_page_lists_the_change_field_old_and_new(client_as, admin_user, coordinator, kind):
    obj, field, value, line, url = _page(kind)
    before = client_as(admin_user).get(url).content.decode()
    setattr(obj, field, value)
    obj._history_user = coordinator
    obj.save()

    html = client_as(admin_user).get(url).content.decode()

    assert line not in before
    assert line in html
    assert coordinator.get_full_name() in html


@pytest.mark.parametrize("pledges", [1, 5])
def test_changes_name_each_related_row_once_for_all_history_rows(pledges, django_assert_num_queries):
    from programmes.security.history import object_changes
    from tests.factories import ParticipatingStateFactory

    project = ProjectFactory()
    donors = [ParticipatingStateFactory() for _ in range(pledges)]
    for donor in donors:
        DonorPledgeFactory(project=project, donor_state=donor, amount=Decimal("10"))

    # The same queries for one pledge as for five: the project's and the pledges' history rows, and per model
    # one query per foreign key the rows name (not one per history row and key).
    with django_assert_num_queries(5):
        changes = object_changes(project, related=("pledges",))
    named = {fc.new for change in changes for fc in change.changes if fc.label == "donor State"}
    assert named == {str(donor) for donor in donors}
