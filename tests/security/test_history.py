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
