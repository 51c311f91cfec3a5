"""The 3W CSVs are read back with libhxl, as partners would."""

from datetime import date

import hxl
import pytest

from programmes.activity.models import ActivityReport
from programmes.events.models import Event
from programmes.models import Project
from tests.factories import EventFactory, ParticipatingStateFactory, ProjectFactory
from tests.results.conftest import activity, report


def parse(body: bytes, tmp_path) -> hxl.model.Dataset:
    path = tmp_path / "3w.csv"
    path.write_bytes(body)
    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


@pytest.fixture
def reached(world):
    """Accepted: 3 women and 5 men in Tajikistan. Draft: 10 and 10, which must not appear."""
    item = activity(
        report(world.office, ActivityReport.Status.ACCEPTED),
        project=world.project,
        start=date(2010, 2, 1),
        women=3,
        men=5,
    )
    item.state = world.tajikistan
    item.save()
    activity(
        report(world.office, ActivityReport.Status.DRAFT, date(2010, 4, 1), date(2010, 6, 30)),
        project=world.project,
        start=date(2010, 4, 2),
        women=10,
        men=10,
    )
    return item


def test_projects_3w_has_hxl_hashtags_and_accepted_figures(world, reached, client_as, tmp_path):
    second = ParticipatingStateFactory(name="Afghanistan", iso_code="AF")
    world.project.beneficiary_states.add(second)

    response = client_as(world.delegation).get("/results/3w/projects.csv")

    assert response.status_code == 200
    data = parse(response.content, tmp_path)
    assert data.display_tags[:4] == ["#org+name", "#org+acronym", "#org+partner", "#activity+code"]
    assert {"#sector", "#country+code", "#date+start", "#affected+f", "#affected+m"} <= set(data.display_tags)
    rows = {row.get("#country+code"): row for row in data}
    assert set(rows) == {"TJ", "AF"}
    assert (rows["TJ"].get("#affected+f"), rows["TJ"].get("#affected+m")) == ("3", "5")
    assert (rows["AF"].get("#affected+f"), rows["AF"].get("#affected+m")) == ("0", "0")
    assert rows["TJ"].get("#org+acronym") == "OiT"
    assert rows["TJ"].get("#date+start") == "2010-01-01"


def test_projects_3w_takes_the_project_list_filters(world, client_as, tmp_path):
    ProjectFactory(code="OTHER", status=Project.Status.ONGOING)

    response = client_as(world.reviewer).get("/results/3w/projects.csv", {"structure": world.office.pk})

    codes = [row.get("#activity+code") for row in parse(response.content, tmp_path)]
    assert codes == ["AFG-05"]


def test_delegation_does_not_get_proposals_in_3w(world, client_as, tmp_path):
    ProjectFactory(code="IDEA", status=Project.Status.PROPOSAL)

    staff = [
        r.get("#activity+code")
        for r in parse(client_as(world.reviewer).get("/results/3w/projects.csv").content, tmp_path)
    ]
    published = [
        r.get("#activity+code")
        for r in parse(client_as(world.delegation).get("/results/3w/projects.csv").content, tmp_path)
    ]

    assert "IDEA" in staff
    assert "IDEA" not in published


def test_events_3w_is_valid_hxl_with_participants(world, client_as, tmp_path):
    event = EventFactory(
        title="Khorog course",
        lead_structure=world.office,
        state=world.tajikistan,
        start_date=date(2010, 2, 1),
        project=world.project,
    )
    EventFactory(title="Internal planning", visibility=Event.Visibility.INTERNAL)
    item = activity(
        report(world.office, ActivityReport.Status.ACCEPTED),
        project=world.project,
        start=date(2010, 2, 1),
        women=2,
        men=9,
    )
    item.event = event
    item.save()

    data = parse(client_as(world.delegation).get("/results/3w/events.csv").content, tmp_path)

    rows = list(data)
    assert [r.get("#activity+name") for r in rows] == ["Khorog course"]
    assert (rows[0].get("#affected+f"), rows[0].get("#affected+m"), rows[0].get("#country+code")) == ("2", "9", "TJ")
    assert "#loc+name" in data.display_tags


def test_bad_filter_value_is_a_400(world, client_as):
    response = client_as(world.reviewer).get("/results/3w/events.csv", {"date_from": "yesterday"})
    assert response.status_code == 400
    assert b"date_from" in response.content


def test_hxl_schema_validation_passes(world, reached, client_as, tmp_path):
    schema = hxl.schema(
        [
            ["#valid_tag", "#valid_required", "#valid_datatype"],
            ["#org+name", "true", ""],
            ["#activity+code", "true", ""],
            ["#date+start", "", "date"],
            ["#affected+f", "", "number"],
        ]
    )
    data = parse(client_as(world.reviewer).get("/results/3w/projects.csv").content, tmp_path)
    assert data.validate(schema)
