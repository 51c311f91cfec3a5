"""Absolute query counts per view, kept in one file: tests/query_counts.json (NetBox keeps its counts the same way).

Each view in VIEWS is requested by a suitable role on a small data set and must run exactly the number of queries the
file says: a change that adds a query (a missing select_related, a permission check per row) fails here and the diff
of the file shows the cost in review. A second test doubles the data set and expects the same number, so no view
grows with its rows.

After a deliberate change, regenerate the file and review its diff:
    UPDATE_QUERY_COUNTS=1 pytest tests/test_query_counts.py
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from focal_points.models import Membership
from programmes.activity.models import ActivityReport
from programmes.permissions import Role
from tests.factories import (
    DonorPledgeFactory,
    EventFactory,
    ExecutiveStructureFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
    make_user,
)
from tests.focal_points.factories import MembershipFactory, NetworkFactory
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.reporting.factories import GeneratedReportFactory
from tests.taskforces.factories import ActionItemFactory, MeetingFactory, TaskForceFactory

pytestmark = pytest.mark.django_db

COUNTS_FILE = Path(__file__).with_name("query_counts.json")
UPDATING = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
Q1 = {"start": "2010-01-01", "end": "2010-03-31"}


@dataclass
class Data:
    projects: list = field(default_factory=list)
    events: list = field(default_factory=list)
    reports: list = field(default_factory=list)


def populate(n: int) -> Data:
    """``n`` of everything the views list, each with the relations the pages show."""
    data = Data()
    areas = [ThematicAreaFactory(), ThematicAreaFactory()]
    areas.append(ThematicAreaFactory(parent=areas[0]))
    network = NetworkFactory(thematic_areas=areas[:1])
    parent_organisation = PartnerOrganisationFactory()
    for i in range(n):
        state, organisation = ParticipatingStateFactory(), PartnerOrganisationFactory(parent=parent_organisation)
        project = ProjectFactory(
            thematic_areas=areas,
            start=date(2010, 1, 1),
            beneficiary_states=[state],
            partner_organisations=[organisation],
            partner_structures=[ExecutiveStructureFactory()],
        )
        project.mandates.set([MandateFactory()])
        DonorPledgeFactory(project=project, donor_state=state)
        data.projects.append(project)
        data.events.append(EventFactory(thematic_areas=areas, start_date=date(2010, 5, 3 + i)))
        report = ActivityReportFactory(
            status=ActivityReport.Status.SUBMITTED,
            submitted_at=datetime(2010, 7, 10, tzinfo=UTC),
            first_submitted_at=datetime(2010, 7, 10, tzinfo=UTC),
        )
        ReportedActivityFactory(report=report, thematic_areas=areas)
        ReportedActivityFactory(report=report, thematic_areas=areas[:1])
        data.reports.append(report)
        MembershipFactory(network=network, role=Membership.Role.PRIMARY, focal_point__thematic_areas=areas)
        task_force = TaskForceFactory()
        MeetingFactory(task_force=task_force)
        ActionItemFactory(task_force=task_force)
        GeneratedReportFactory()
    return data


@dataclass(frozen=True)
class ViewCase:
    url_name: str
    role: Role = Role.COORDINATOR
    params: dict = field(default_factory=dict)
    first: str | None = None  # Data attribute whose first row is the detail view's pk

    def url(self, data: Data) -> str:
        args = [getattr(data, self.first)[0].pk] if self.first else []
        return reverse(self.url_name, args=args)


VIEWS: dict[str, ViewCase] = {
    "project_list": ViewCase("programmes:project_list"),
    "project_detail": ViewCase("programmes:project_detail", first="projects"),
    "project_list_api": ViewCase("api:project-list"),
    "project_detail_api": ViewCase("api:project-detail", first="projects"),
    "project_list_delegation": ViewCase("programmes:project_list", role=Role.DELEGATION),
    "structure_list_api": ViewCase("api:structure-list", role=Role.SECRETARIAT),
    "state_list_api": ViewCase("api:state-list", role=Role.SECRETARIAT),
    "partner_organisation_list_api": ViewCase("api:partner-organisation-list", role=Role.SECRETARIAT),
    "thematic_area_list_api": ViewCase("api:thematic-area-list", role=Role.SECRETARIAT),
    "mandate_list_api": ViewCase("api:mandate-list", role=Role.SECRETARIAT),
    "event_list_api": ViewCase("api:event-list"),
    "calendar_month": ViewCase("events:calendar", params={"month": "2010-05"}),
    "agenda": ViewCase("events:agenda", params={"month": "2010-05"}),
    "event_detail": ViewCase("events:event_detail", first="events"),
    "activity_report_list": ViewCase("activity:report_list"),
    "activity_report_list_api": ViewCase("api:activity-report-list"),
    "activity_report_detail_api": ViewCase("api:activity-report-detail", first="reports"),
    "compliance_matrix": ViewCase("activity:compliance", params={"year": "2010"}),
    "focal_point_directory": ViewCase("focal_points:directory", role=Role.SECRETARIAT),
    "focal_point_list_api": ViewCase("api:focal-point-list", role=Role.SECRETARIAT),
    "task_force_list": ViewCase("taskforces:taskforce_list"),
    "meeting_list": ViewCase("taskforces:meeting_list"),
    "action_item_list_api": ViewCase("api:action-item-list"),
    "generated_report_list": ViewCase("reporting:report_list"),
    "dashboard": ViewCase("reporting:dashboard", role=Role.SECRETARIAT, params=Q1),
    "dashboard_api": ViewCase("api:dashboard", role=Role.SECRETARIAT, params=Q1),
}


def _recorded() -> dict[str, int]:
    return json.loads(COUNTS_FILE.read_text()) if COUNTS_FILE.exists() else {}


def _record(name: str, count: int) -> None:
    # Parametrised tests may run in several xdist workers at once: read-modify-write under a lock.
    with COUNTS_FILE.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        counts = json.loads(text) if text.strip() else {}
        counts[name] = count
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(dict(sorted(counts.items())), indent=2) + "\n")


def _measure(client, case: ViewCase, data: Data) -> int:
    url = case.url(data)
    warm = client.get(url, case.params)  # first use of a process-wide lazy thing must not be counted
    assert warm.status_code == 200, (url, warm.status_code)
    # Start each measurement cold: the figures cache and Django's content-type cache otherwise depend on what ran
    # before in this process.
    cache.clear()
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, case.params)
    assert response.status_code == 200, (url, response.status_code)
    if response.get("Content-Type", "").startswith("application/json") and "results" in response.json():
        assert response.json()["results"], f"{url} listed nothing: a count on an empty page proves little"
    return len(queries.captured_queries)


@pytest.fixture
def signed_in(client):
    def _as(role: Role):
        client.force_login(make_user(role))
        return client

    return _as


def test_the_file_names_exactly_the_views_measured():
    if UPDATING:
        pytest.skip("regenerating the file")
    assert sorted(_recorded()) == sorted(VIEWS)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_runs_the_recorded_number_of_queries(name, signed_in):
    case = VIEWS[name]
    data = populate(2)

    count = _measure(signed_in(case.role), case, data)

    if UPDATING:
        _record(name, count)
        return
    assert count == _recorded().get(name), f"{name}: {count} queries; file says {_recorded().get(name)}"


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_query_count_does_not_grow_with_its_rows(name, signed_in):
    if UPDATING:
        pytest.skip("regenerating the file")
    case = VIEWS[name]
    data = populate(2)
    populate(2)  # twice the rows, with their relations

    count = _measure(signed_in(case.role), case, data)

    assert count == _recorded()[name]
