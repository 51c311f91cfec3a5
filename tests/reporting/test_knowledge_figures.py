"""The knowledge gaps the dashboards and reports show, on the hand-worked ``legal`` and ``decisions`` fixtures
(tests/reporting/conftest.py describes them)."""

from datetime import date

import pytest

from osce_tnt.reporting import figures, knowledge_figures
from osce_tnt.reporting.figures import PUBLIC, STAFF, Filters
from programmes.models import Region

pytestmark = pytest.mark.django_db

START, END, TODAY = date(2010, 1, 1), date(2010, 12, 31), date(2010, 6, 11)


def test_legal_gaps_per_instrument_leave_out_states_bound_or_assisted(legal):
    result = knowledge_figures.legal_gap_figures(start=START, end=END, today=TODAY)

    # A ratified; C is not bound but had OSCE legal assistance on a sub-area of T's area; B is the gap.
    assert result["rows"] == [["T", 1, "B"]]
    assert result["on"] == "2010-06-11"


def test_legal_gaps_before_the_assistance_took_place(legal):
    result = knowledge_figures.legal_gap_figures(start=START, end=date(2010, 3, 31), today=TODAY)

    assert result["rows"] == [["T", 2, "B, C"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": Region.EASTERN_EUROPE}, []),
        ({"region": Region.CENTRAL_ASIA}, [["T", 1, "B"]]),
        ({"state": "a"}, []),
        ({"area": "thb"}, [["T", 1, "B"]]),
        ({"area": "wmd"}, []),
    ],
)
def test_legal_gaps_follow_the_region_state_and_area_filters(legal, filters, expected):
    area = legal[filters["area"]] if "area" in filters else None
    result = knowledge_figures.legal_gap_figures(
        start=START,
        end=END,
        today=TODAY,
        region=filters.get("region", ""),
        state_id=legal[filters["state"]].pk if "state" in filters else None,
        area_id=area.pk if area else None,
        area_top_id=(area.parent_id or area.pk) if area else None,
    )

    assert result["rows"] == expected


def test_states_without_an_action_plan_grouped_by_their_furthest_step(legal):
    result = knowledge_figures.action_plan_figures(end=END, today=TODAY)
    in_2009 = knowledge_figures.action_plan_figures(end=date(2009, 12, 31), today=TODAY)

    assert result["rows"] == [["National report submitted", 1, "A"], ["Nothing recorded", 1, "B"]]
    assert in_2009["rows"] == [["National report submitted", 1, "A"], ["Nothing recorded", 2, "B, C"]]


def test_action_plan_gaps_only_under_a_matching_area(legal):
    crime = legal["crime"]

    assert (
        knowledge_figures.action_plan_figures(end=END, today=TODAY, area_id=crime.pk, area_top_id=crime.pk)["rows"]
        == []
    )
    assert (
        len(
            knowledge_figures.action_plan_figures(
                end=END, today=TODAY, area_id=legal["wmd"].pk, area_top_id=legal["wmd"].pk
            )["rows"]
        )
        == 2
    )


def _decision_rows(audience):
    scope = Filters()
    return knowledge_figures.decision_gap_figures(
        projects=figures.projects(scope, audience),
        events=figures.events(scope, audience),
        activities=figures.activities(scope),
        start=START,
        end=END,
    )["rows"]


def test_decisions_without_published_work_for_the_public(decisions):
    # The proposal under M2 is not published work; M3's project ended in 2008; the suggestion is not a decision.
    assert [(code, last) for code, _title, last in _decision_rows(PUBLIC)] == [
        ("MC.DEC/2/09", "never"),
        ("MC.DEC/3/05", "2008-12-31"),
    ]


def test_staff_count_proposals_as_work(decisions):
    assert [(code, last) for code, _title, last in _decision_rows(STAFF)] == [("MC.DEC/3/05", "2008-12-31")]


def test_without_a_period_the_position_is_today_and_any_assistance_counts(legal):
    result = knowledge_figures.legal_gap_figures(start=None, end=None, today=date(2026, 12, 1))
    decisions = knowledge_figures.action_plan_figures(end=None, today=date(2026, 12, 1))

    assert result["rows"] == [["T", 1, "B"]]
    assert result["on"] == "2026-12-01"
    assert "ever reported" in result["note"]
    assert decisions["rows"] == [["National report submitted", 1, "A"], ["Nothing recorded", 1, "B"]]


def test_over_all_years_only_a_decision_that_never_saw_work_is_a_gap(decisions):
    scope = Filters()
    rows = knowledge_figures.decision_gap_figures(
        projects=figures.projects(scope, PUBLIC),
        events=figures.events(scope, PUBLIC),
        activities=figures.activities(scope),
        start=None,
        end=None,
    )["rows"]

    assert [code for code, _title, _last in rows] == ["MC.DEC/2/09"]
