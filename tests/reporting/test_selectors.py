"""Every figure on the hand-made data set (tests/reporting/factories.py) against the value worked out by hand."""

from datetime import date

import pytest

from osce_tnt.reporting import figures, selectors
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
from tests.reporting.factories import (
    Q1,
    Q1_END,
    Q1_START,
    TODAY,
    add_overdue_actions_delegations_may_not_see,
    add_vacancy_and_overdue_action,
    build_dataset,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


def _rows(table):
    return {row[0]: row[1:] for row in table["rows"]}


def test_project_figures_per_area_count_each_project_once_per_top_area(data):
    table = figures.project_figures(Q1, PUBLIC, figures.top_areas())
    # P1 (ExB 100k, CT+OC via sub-areas), P2 (UB 40k, OC, completed in Feb), P3 (ExB 25k, CT+CY, starts in March).
    # P4 is a proposal, P5 cancelled, P6 starts after the period.
    assert _rows(table) == {
        "CT": [2, 0, 125000.0, 0, 1, 0],
        "OC": [2, 40000.0, 100000.0, 0, 0, 1],
        "CY": [1, 0, 25000.0, 0, 1, 0],
    }
    assert table["total"][1:] == [3, 40000.0, 125000.0, 0, 1, 1]


def test_staff_project_figures_include_proposals_but_never_cancelled_projects(data):
    table = figures.project_figures(Q1, STAFF, figures.top_areas())
    assert _rows(table)["CY"] == [2, 0, 1024000.0, 0, 2, 0]
    assert table["total"][1:] == [4, 40000.0, 1124000.0, 0, 2, 1]


def test_event_figures_count_public_events_held_and_planned(data):
    # On TODAY (1 June 2010) E2 (20 March) and E5 (30 March) are past with no outcome: neither held nor planned.
    table = figures.event_figures(Q1, PUBLIC, figures.top_areas(), today=TODAY)
    assert _rows(table) == {"CT": [1, 0, 0], "OC": [1, 0, 1], "CY": [0, 0, 1]}
    assert table["total"][1:] == [1, 0, 2]
    staff = figures.event_figures(Q1, STAFF, figures.top_areas(), today=TODAY)
    assert _rows(staff) == {"CT": [2, 0, 0], "OC": [1, 0, 1], "CY": [1, 0, 1]}
    # On 25 March E5 is still to come.
    mid_march = figures.event_figures(Q1, PUBLIC, figures.top_areas(), today=date(2010, 3, 25))
    assert mid_march["total"][1:] == [1, 1, 1]


def test_task_force_meetings_never_count_as_thematic_events(data):
    from programmes.events.models import Event
    from tests.factories import EventFactory

    areas = figures.top_areas()
    before = (
        figures.event_figures(Q1, STAFF, areas, today=TODAY),
        figures.linkage(Q1, STAFF, areas),
        figures.by_region(Q1, STAFF),
        figures.by_state(Q1, STAFF),
        figures.key_figures(Q1, STAFF, today=TODAY),
    )
    for day in (10, 17, 24):
        EventFactory(
            title=f"TF meeting {day}",
            format=Event.Format.TASKFORCE_MEETING,
            status=Event.Status.HELD,
            thematic_areas=[data.terrorism, data.crime, data.cyber],
            state=data.s1,
            lead_structure=data.unit,
            start_date=date(2010, 2, day),
        )
    after = (
        figures.event_figures(Q1, STAFF, areas, today=TODAY),
        figures.linkage(Q1, STAFF, areas),
        figures.by_region(Q1, STAFF),
        figures.by_state(Q1, STAFF),
        figures.key_figures(Q1, STAFF, today=TODAY),
    )
    assert after == before
    assert Event.objects.filter(format=Event.Format.TASKFORCE_MEETING).count() == 3


def test_only_a_held_outcome_counts_an_event_as_held(data):
    from programmes.events.services import event_outcome_record

    event_outcome_record(event=data.e2, outcome="cancelled")
    event_outcome_record(event=data.e5, outcome="held", participants_women=4, participants_men=6)
    table = figures.event_figures(Q1, PUBLIC, figures.top_areas(), today=TODAY)
    assert _rows(table) == {"CT": [1, 0, 0], "OC": [1, 0, 0], "CY": [1, 0, 0]}
    assert table["total"][1:] == [2, 0, 0]


def test_activity_figures_come_from_accepted_reports_only(data):
    areas = figures.top_areas()
    by_type = figures.activity_type_figures(Q1, areas)
    columns = by_type["columns"]
    training, awareness = columns.index("Training and capacity building"), columns.index("Raising awareness")
    rows = {row[0]: row for row in by_type["rows"]}
    assert rows["CT"][training] == 1 and rows["CT"][awareness] == 0
    assert rows["OC"][awareness] == 1 and rows["OC"][training] == 0
    assert by_type["total"][training] == 1 and by_type["total"][awareness] == 1

    people = figures.participant_figures(Q1, areas)
    # A2 has two sub-areas of OC and is still counted once; the draft A3 (100 women, 100 men) never counts.
    assert _rows(people) == {"CT": [5, 10, 2], "OC": [20, 3, 0], "CY": [0, 0, 0]}
    assert people["total"][1:] == [25, 13, 2]


def test_key_figures_match_hand_computed_totals(data):
    values = {item["key"]: item["value"] for item in figures.key_figures(Q1, PUBLIC, today=TODAY)}
    assert values == {
        "participating_states": 4,
        "projects_no_budget": 0,
        "projects": 3,
        "ub_budget": 40000.0,
        "exb_budget": 125000.0,
        "pledged": 65000.0,
        "events_held": 1,
        "events_planned": 0,
        "events_awaiting_outcome": 2,
        "activities": 2,
        "participants": 40,
        "women_share": round(100 * 25 / 38, 1),
    }


def test_linkage_matrix_counts_projects_and_events_sharing_two_top_areas(data):
    table = figures.linkage(Q1, PUBLIC, figures.top_areas())
    assert table["columns"][1:] == ["CT", "OC", "CY"]
    # Pairs: CT–OC in P1 and E1; CT–CY in P3; OC–CY never. Diagonal: CT in P1, P3, E1; OC in P1, P2, E1, E2;
    # CY in P3, E5.
    assert _rows(table) == {"CT": [3, 2, 1], "OC": [2, 4, 0], "CY": [1, 0, 2]}
    staff = figures.linkage(Q1, STAFF, figures.top_areas())
    # Staff also see P4 (CY) and the internal E3 (CY + CT).
    assert _rows(staff) == {"CT": [4, 2, 2], "OC": [2, 4, 0], "CY": [2, 0, 4]}


def test_funding_figures_by_area_and_donor(data):
    areas = figures.top_areas()
    by_area = figures.exb_by_area(Q1, PUBLIC, areas)
    assert _rows(by_area) == {"CT": [125000.0, 65000.0], "OC": [100000.0, 60000.0], "CY": [25000.0, 5000.0]}
    assert by_area["total"][1:] == [125000.0, 65000.0]
    assert _rows(figures.exb_by_donor(Q1, PUBLIC)) == {"Norway": [65000.0, 2]}
    assert _rows(figures.exb_area_donor(Q1, PUBLIC, areas)) == {"Norway": [65000.0, 60000.0, 5000.0]}
    # Staff see the pledge to the proposal P4 as well; Serbia's pledge of 2009 is outside the period.
    assert _rows(figures.exb_by_donor(Q1, STAFF)) == {"Norway": [365000.0, 3]}


def test_region_and_state_figures(data):
    assert _rows(figures.by_region(Q1, PUBLIC)) == {"Central Asia": [2, 1], "South-Eastern Europe": [0, 1]}
    assert _rows(figures.by_state(Q1, PUBLIC)) == {"Kazakhstan": [2, 1], "Serbia": [0, 1]}


def test_activities_over_time_by_quarter(data):
    table = figures.activities_over_time(Q1, figures.top_areas())
    assert table["columns"] == ["Quarter", "CT", "OC", "CY"]
    assert table["rows"] == [["2010 Q1", 1, 1, 0]]


def test_compliance_percentages(data):
    public = figures.compliance(Q1, PUBLIC, today=TODAY)
    # 2010: Q1 is due for both field operations (ASTANA on time, MSERB only a draft, so missing); Q2–Q4 not due.
    assert _rows(public) == {"Central Asia": [1, 1, 0, 0, 100.0], "South-Eastern Europe": [1, 0, 0, 1, 0.0]}
    assert public["total"][1:] == [2, 1, 0, 1, 50.0]
    staff = figures.compliance(Q1, STAFF, today=TODAY)
    assert _rows(staff) == {"Centre in Astana": [1, 1, 0, 0, 100.0], "Mission to Serbia": [1, 0, 0, 1, 0.0]}


def test_gaps_list_quiet_states_regions_missing_reports_vacancies_and_overdue_actions(data):
    add_vacancy_and_overdue_action()
    gap = figures.gaps(Q1, PUBLIC, today=TODAY)
    assert gap["states_without_activity"] == ["Moldova", "Norway"]
    assert gap["regions_without_activity"] == ["Eastern Europe", "Northern Europe and the Baltic"]
    assert [row[0] for row in gap["structures_not_reported"]["rows"]] == ["Mission to Serbia"]
    assert gap["networks_with_vacancies"]["rows"] == [
        ["Counter-Terrorism Network", "Kazakhstan, Moldova, Norway, Serbia", 4]
    ]
    assert gap["overdue_actions"]["rows"] == [["Task Force on Organized Crime", 1]]


def test_overdue_actions_for_delegations_count_only_what_delegations_may_read(data):
    add_vacancy_and_overdue_action()
    hidden, shown = add_overdue_actions_delegations_may_not_see()
    public = figures.gaps(Q1, PUBLIC, today=TODAY)["overdue_actions"]["rows"]
    # Neither the task force that does not publish to delegations nor an action of unpublished minutes shows.
    assert public == [["Task Force on Organized Crime", 1]]
    staff = figures.gaps(Q1, STAFF, today=TODAY)["overdue_actions"]["rows"]
    assert staff == [[hidden.name, 1], [shown.name, 1], ["Task Force on Organized Crime", 1]]
    # Every generated report is written for delegations, so it holds the public counts only.
    report = selectors.report_figures(filters=Q1, today=TODAY)
    actions = next(t for t in report["gap_tables"] if t["name"] == "gap_actions")
    assert actions["rows"] == [["Task Force on Organized Crime", 1]]


def test_area_filter_restricts_rows_to_its_top_area(data):
    filters = Filters(start=Q1_START, end=Q1_END, area_id=data.thb.pk, area_top_id=data.crime.pk)
    table = figures.project_figures(filters, PUBLIC, figures.top_areas(filters))
    # Only P1 touches THB.
    assert table["rows"] == [["OC", 1, 0, 100000.0, 0, 0, 0]]


def test_region_and_state_filters(data):
    region = Filters(start=Q1_START, end=Q1_END, region="central_asia")
    values = {item["key"]: item["value"] for item in figures.key_figures(region, PUBLIC)}
    # P1 (lead in Central Asia), E1 (in Kazakhstan), A1 and A2.
    assert (values["projects"], values["events_held"], values["events_planned"], values["activities"]) == (1, 1, 0, 2)
    state = Filters(start=Q1_START, end=Q1_END, state_id=data.s2.pk)
    values = {item["key"]: item["value"] for item in figures.key_figures(state, PUBLIC)}
    # E2 (Serbia, 20 March) is past and has no outcome: it waits for one rather than counting as planned.
    assert (values["projects"], values["events_planned"], values["events_awaiting_outcome"], values["activities"]) == (
        1,
        0,
        1,
        0,
    )


def test_my_state_shows_pledges_made_by_the_state(data):
    filters = Filters(start=Q1_START, end=Q1_END, state_id=data.donor.pk)
    result = selectors.my_state_figures(filters=filters, audience=PUBLIC, today=TODAY)
    pledges = result["charts"]["donor_pledges"]
    assert _rows(pledges) == {"CT": [65000.0, 2], "OC": [60000.0, 1], "CY": [5000.0, 1]}
    assert pledges["total"][1:] == [65000.0, 2]


def test_report_figures_hold_every_section(data):
    add_vacancy_and_overdue_action()
    result = selectors.report_figures(filters=Q1, today=TODAY)
    assert list(result["sections"]) == ["projects", "events", "activities_by_type", "participants", "partners"]
    partners = {(row[0], row[1]): row[2:] for row in result["sections"]["partners"]["rows"]}
    assert partners == {
        ("CT", "INTERPOL"): [1, 0, 0],
        ("CT", "UNODC"): [2, 1, 1],
        ("OC", "UNODC"): [1, 1, 0],
        ("CY", "INTERPOL"): [1, 0, 0],
        ("CY", "UNODC"): [1, 0, 0],
    }
    assert [t["name"] for t in result["gap_tables"]] == [
        "gap_states",
        "gap_regions",
        "gap_structures",
        "gap_networks",
        "gap_actions",
    ]


def test_dashboard_query_count_does_not_grow_with_rows(data, django_assert_max_num_queries):
    from django.core.cache import cache

    from tests.factories import EventFactory, ProjectFactory

    with django_assert_max_num_queries(60) as first:
        selectors.dashboard_figures(filters=Q1, audience=STAFF, today=TODAY)
    baseline = len(first.captured_queries)
    for n in range(5):
        ProjectFactory(code=f"X{n}", thematic_areas=[data.terrorism, data.cyber], start=Q1_START)
        EventFactory(title=f"X{n}", thematic_areas=[data.crime], state=data.s3, start_date=Q1_START)
    cache.clear()
    with django_assert_max_num_queries(baseline) as second:
        result = selectors.dashboard_figures(filters=Q1, audience=STAFF, today=TODAY)
    assert len(second.captured_queries) == baseline
    assert result["key_figures"][0]["value"] == 9


def test_a_project_with_no_budget_figure_adds_nothing_and_is_counted_as_such(data):
    from programmes.models import ThematicArea
    from tests.factories import ProjectFactory

    before = figures.project_figures(Q1, PUBLIC, figures.top_areas())
    ProjectFactory(
        code="P-UNKNOWN",
        funding_source="exb",
        budget=None,
        status="ongoing",
        start=Q1_START,
        end=Q1_END,
        thematic_areas=[ThematicArea.objects.get(code="ct")],
    )
    after = figures.project_figures(Q1, PUBLIC, figures.top_areas())
    assert after["total"][1:5] == [before["total"][1] + 1, 40000.0, 125000.0, 1]
    values = {item["key"]: item["value"] for item in figures.key_figures(Q1, PUBLIC)}
    assert (values["exb_budget"], values["projects_no_budget"]) == (125000.0, 1)
    assert "1 project(s) have no budget figure" in figures.exb_by_area(Q1, PUBLIC, figures.top_areas())["description"]


def test_a_state_that_joined_after_the_period_is_neither_quiet_nor_vacant_nor_counted(data):
    from tests.factories import ParticipatingStateFactory

    add_vacancy_and_overdue_action()
    ParticipatingStateFactory(name="Mongolia", iso_code="MN", joined=date(2012, 11, 21))
    gap = figures.gaps(Q1, PUBLIC, today=TODAY)
    assert gap["states_without_activity"] == ["Moldova", "Norway"]
    assert all("Mongolia" not in row[1] for row in gap["networks_with_vacancies"]["rows"])
    values = {item["key"]: item["value"] for item in figures.key_figures(Q1, PUBLIC)}
    assert values["participating_states"] == 4
    later = Filters(start=date(2013, 1, 1), end=date(2013, 12, 31))
    assert "Mongolia" in figures.gaps(later, PUBLIC, today=date(2014, 1, 1))["states_without_activity"]


def test_activities_over_time_keep_empty_years_as_gaps_on_a_real_time_axis(data):
    from programmes.activity.models import ReportedActivity

    a1 = ReportedActivity.objects.get(title="A1")
    ReportedActivity.objects.filter(pk=a1.pk).update(start=date(2007, 5, 1), end=date(2007, 5, 2))
    table = figures.activities_over_time(Filters(start=date(2007, 1, 1), end=date(2010, 12, 31)), figures.top_areas())
    assert table["columns"][0] == "Year"
    assert [row[0] for row in table["rows"]] == ["2007", "2008", "2009", "2010"]
    assert table["rows"][1][1:] == [None, None, None] and table["rows"][2][1:] == [None, None, None]
    assert table["rows"][0][1:] == [1, 0, 0] and table["rows"][3][1:] == [0, 1, 0]


def test_line_chart_breaks_the_line_over_a_gap():
    from osce_tnt.reporting import charts

    table = {
        "name": "t",
        "title": "T",
        "description": "",
        "columns": ["Year", "A"],
        "kind": "line",
        "unit": None,
        "rows": [["2007", 1], ["2008", None], ["2009", 3]],
        "total": None,
        "series": None,
    }
    svg = str(charts.line_chart("c", table))
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 2
