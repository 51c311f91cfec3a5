"""Figures over the 2010 reference data itself (issue 11): 56 participating States in 2010, Mongolia never listed
for 2010, and the task-force meetings of the data never counted as thematic events."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from osce_tnt.reporting import figures
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
from programmes.events.models import Event
from programmes.models import Region

pytestmark = pytest.mark.django_db

YEAR_2010 = Filters(start=date(2010, 1, 1), end=date(2010, 12, 31))
TODAY = date(2011, 1, 15)


@pytest.fixture
def reference():
    call_command("load_reference_data", stdout=StringIO())


@pytest.mark.parametrize("audience", [PUBLIC, STAFF])
def test_2010_figures_count_56_states_and_never_list_mongolia(reference, audience):
    values = {item["key"]: item["value"] for item in figures.key_figures(YEAR_2010, audience, today=TODAY)}
    gap = figures.gaps(YEAR_2010, audience, today=TODAY)

    assert values["participating_states"] == 56
    assert "Mongolia" not in gap["states_without_activity"]
    assert len(gap["states_without_activity"]) < 56
    assert str(Region.MONGOLIA.label) not in gap["regions_without_activity"]
    assert all("Mongolia" not in row[1] for row in gap["networks_with_vacancies"]["rows"])
    assert all(row[0] != "Mongolia" for row in figures.by_state(YEAR_2010, audience)["rows"])


def test_mongolia_counts_once_it_has_joined(reference):
    later = Filters(start=date(2013, 1, 1), end=date(2013, 12, 31))
    values = {item["key"]: item["value"] for item in figures.key_figures(later, PUBLIC, today=date(2014, 1, 15))}

    assert values["participating_states"] == 57
    assert "Mongolia" in figures.gaps(later, PUBLIC, today=date(2014, 1, 15))["states_without_activity"]


def test_the_task_force_meetings_of_2010_are_not_thematic_events(reference):
    meetings = Event.objects.filter(format=Event.Format.TASKFORCE_MEETING, start_date__year=2010)
    assert meetings.count() >= 3  # the TF-TNT meetings of the reference data

    counted = figures.events(YEAR_2010, STAFF)

    assert not counted.filter(format=Event.Format.TASKFORCE_MEETING).exists()
    assert counted.exists()
    held = figures.event_figures(YEAR_2010, STAFF, figures.top_areas(), today=TODAY)
    # Before issue 11 every area showed at least the three meetings as held.
    assert any(row[1] < meetings.count() for row in held["rows"])
