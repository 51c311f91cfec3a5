"""The home page lists each role's next steps with live counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from programmes.activity.models import ActivityReport
from programmes.permissions import Role
from taskforces.models import ActionItem
from tests.factories import make_user
from tests.programmes.activity.factories import ActivityReportFactory
from tests.programmes.events.factories import CoordinationAlertFactory
from tests.taskforces.factories import ActionItemFactory

SUBMITTED = datetime(2010, 7, 20, 9, 0, tzinfo=ZoneInfo("Europe/Vienna"))


def _step(response, url_name):
    url = reverse(url_name)
    return next(step for step in response.context["steps"] if step.url == url)


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_field_user_sees_own_drafts_and_returned_reports_counted(client_as, db):
    user = make_user(Role.FIELD)
    own = user.profile.structure
    ActivityReportFactory(structure=own, status=ActivityReport.Status.DRAFT)
    ActivityReportFactory(
        structure=own,
        status=ActivityReport.Status.RETURNED,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        first_submitted_at=SUBMITTED,
        submitted_at=SUBMITTED,
    )
    ActivityReportFactory(status=ActivityReport.Status.DRAFT)  # another operation's draft must not count
    ActionItemFactory(owner=user, status=ActionItem.Status.OPEN)
    ActionItemFactory(owner=user, status=ActionItem.Status.DONE, completed_on=date(2010, 11, 2))

    response = client_as(user).get(reverse("home"))

    assert response.status_code == 200
    assert _step(response, "activity:report_list").count == 2
    assert _step(response, "taskforces:my_actions").count == 1
    assert ActivityReport.objects.count() == 3


def test_coordinator_sees_open_alerts_and_review_queue(client_as, db):
    user = make_user(Role.COORDINATOR)
    CoordinationAlertFactory()
    ActivityReportFactory(status=ActivityReport.Status.SUBMITTED, first_submitted_at=SUBMITTED, submitted_at=SUBMITTED)

    response = client_as(user).get(reverse("home"))

    assert response.status_code == 200
    assert _step(response, "events:alert_list").count == 1
    assert _step(response, "activity:review_queue").count == 1
    assert b"Resolve co-ordination alerts" in response.content


def test_delegation_is_pointed_at_published_material_only(client_as, db):
    user = make_user(Role.DELEGATION)

    response = client_as(user).get(reverse("home"))

    assert response.status_code == 200
    urls = {step.url for step in response.context["steps"]}
    assert reverse("reporting:dashboard") in urls
    assert reverse("activity:review_queue") not in urls
    assert reverse("events:alert_list") not in urls
    assert _step(response, "reporting:report_list").count == 0
