from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import prepared
from programmes.activity import selectors
from programmes.activity.models import ActivityReport, ReportingFrequency, ReportTransition
from programmes.models import ExecutiveStructure, Region
from programmes.permissions import Role
from tests.factories import ExecutiveStructureFactory, FieldOperationFactory, UserFactory, make_user
from tests.programmes.activity.factories import (
    ActivityReportFactory,
    ReportedActivityFactory,
    ReportingObligationFactory,
)

S = ActivityReport.Status
TODAY = date(2010, 8, 15)  # Q2 2010 was due on 30 July; Q3 is not due yet


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _quarter(structure, quarter: int, *, submitted: date | None = None, status=S.ACCEPTED):
    start = date(2010, 3 * quarter - 2, 1)
    end = selectors.period_containing(start, ReportingFrequency.QUARTERLY)[1]
    return ActivityReportFactory(
        structure=structure,
        period_start=start,
        period_end=end,
        due_on=end + timedelta(days=30),
        status=status if submitted else S.DRAFT,
        first_submitted_at=_at(submitted) if submitted else None,
    )


@pytest.fixture
def known_data(db):
    """Three field operations and a monthly thematic unit, with one of each state in 2010."""
    oit = FieldOperationFactory(acronym="OiT")
    bishkek = FieldOperationFactory(acronym="CiBishkek")
    serbia = FieldOperationFactory(acronym="MtS", region=Region.SOUTH_EASTERN_EUROPE)
    spmu = ExecutiveStructureFactory(acronym="SPMU")
    for structure in (oit, bishkek, serbia):
        ReportingObligationFactory(structure=structure)
    ReportingObligationFactory(structure=spmu, frequency=ReportingFrequency.MONTHLY, starts_on=date(2010, 4, 1))
    _quarter(oit, 1, submitted=date(2010, 4, 20))  # on time
    _quarter(oit, 2, submitted=date(2010, 8, 2), status=S.SUBMITTED)  # late
    _quarter(bishkek, 1, submitted=date(2010, 4, 30), status=S.RETURNED)  # on the due date: on time
    _quarter(bishkek, 2)  # a draft past its deadline
    _quarter(serbia, 3)  # a draft, not yet due
    for month, submitted in ((4, date(2010, 5, 20)), (5, date(2010, 7, 5))):
        start = date(2010, month, 1)
        end = selectors.period_containing(start, ReportingFrequency.MONTHLY)[1]
        ActivityReportFactory(
            structure=spmu,
            period_start=start,
            period_end=end,
            due_on=end + timedelta(days=30),
            status=S.ACCEPTED,
            first_submitted_at=_at(submitted),
        )
    return {"oit": oit, "bishkek": bishkek, "serbia": serbia, "spmu": spmu}


def test_compliance_matrix_on_a_known_data_set(known_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        matrix = selectors.compliance_matrix(year=2010, today=TODAY)
    assert [p[0].month for p in matrix.periods] == [1, 4, 7, 10]
    states = {row.structure.acronym: [cell.state for cell in row.cells] for row in matrix.rows}
    assert states == {
        "OiT": ["on_time", "late", "not_due", "not_due"],
        "CiBishkek": ["on_time", "draft", "not_due", "not_due"],
        "MtS": ["missing", "missing", "draft", "not_due"],
        # Monthly, from April: Q1 not required; Q2 has April on time, May late, June missing -> missing.
        "SPMU": ["not_required", "missing", "not_due", "not_due"],
    }
    spmu_q2 = next(row for row in matrix.rows if row.structure.acronym == "SPMU").cells[1]
    assert [state for _s, _e, state in spmu_q2.parts] == ["on_time", "late", "missing"]
    as_dict = matrix.as_dict()
    assert as_dict["states"][(known_data["oit"].pk, date(2010, 4, 1))] == "late"
    assert matrix.state(known_data["bishkek"].pk, date(2010, 4, 1)) == "draft"
    assert matrix.counts()["missing"] == 3


def test_columns_without_reports_follow_each_obligations_own_deadline_and_start(db):
    # Structures without a report in a column share its cell only with obligations of the same terms.
    short, twin, long_wait, late_start = (
        FieldOperationFactory(acronym=acronym) for acronym in ("Short", "Twin", "Long", "LateStart")
    )
    ReportingObligationFactory(structure=short, deadline_days=30)
    ReportingObligationFactory(structure=twin, deadline_days=30)
    ReportingObligationFactory(structure=long_wait, deadline_days=60)
    ReportingObligationFactory(structure=late_start, deadline_days=30, starts_on=date(2010, 7, 1))
    report = _quarter(twin, 1, submitted=date(2010, 4, 10))

    matrix = selectors.compliance_matrix(year=2010, today=TODAY)

    cells = {row.structure.acronym: [(cell.state, cell.due_on) for cell in row.cells] for row in matrix.rows}
    later_quarters = [("missing", date(2010, 7, 30)), ("not_due", date(2010, 10, 30)), ("not_due", date(2011, 1, 30))]
    assert cells["Short"] == [("missing", date(2010, 4, 30)), *later_quarters]
    assert cells["Twin"] == [("on_time", date(2010, 4, 30)), *later_quarters]
    assert cells["Long"] == [
        ("missing", date(2010, 5, 30)),
        ("not_due", date(2010, 8, 29)),
        ("not_due", date(2010, 11, 29)),
        ("not_due", date(2011, 3, 1)),
    ]
    assert [state for state, _due in cells["LateStart"]] == ["not_required", "not_required", "not_due", "not_due"]
    report_ids = {row.structure.acronym: [cell.report_id for cell in row.cells] for row in matrix.rows}
    assert report_ids["Twin"] == [report.pk, None, None, None]
    assert report_ids["Short"] == [None, None, None, None]


def test_compliance_counts_the_submission_day_in_the_portals_time_zone(db):
    # Due on 30 April: 21:30 UTC that day is 23:30 in Vienna (on time); 22:30 UTC is already 1 May there (late).
    oit, bishkek = FieldOperationFactory(acronym="OiT"), FieldOperationFactory(acronym="CiBishkek")
    for structure, hour in ((oit, 21), (bishkek, 22)):
        ReportingObligationFactory(structure=structure)
        report = _quarter(structure, 1, submitted=date(2010, 4, 30))
        report.first_submitted_at = datetime(2010, 4, 30, hour, 30, tzinfo=UTC)
        report.save()

    matrix = selectors.compliance_matrix(year=2010, today=TODAY)

    states = {row.structure.acronym: row.cells[0].state for row in matrix.rows}
    assert states == {"OiT": "on_time", "CiBishkek": "late"}


def test_compliance_years_lists_only_years_with_reports_newest_first(db, django_assert_num_queries):
    structure = FieldOperationFactory(acronym="OiT")
    for start in (date(2008, 12, 1), date(2011, 1, 1), date(2011, 10, 1), date(2013, 4, 1)):
        ActivityReportFactory(structure=structure, period_start=start, period_end=start + timedelta(days=27))
    with django_assert_num_queries(1):
        years = selectors.compliance_years()
    # 2009, 2010 and 2012 have no report: the skip scan must jump over them rather than list a range.
    assert years == [2013, 2011, 2008]


def test_compliance_years_is_empty_without_reports(db):
    assert selectors.compliance_years() == []


def test_compliance_matrix_filters_by_region(known_data):
    matrix = selectors.compliance_matrix(year=2010, region=Region.SOUTH_EASTERN_EUROPE, today=TODAY)
    assert [s.acronym for s in matrix.structures] == ["MtS"]


def test_compliance_summary_lists_the_structures_that_did_not_report(known_data):
    summary = selectors.compliance_summary(period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), today=TODAY)
    assert summary["total"] == 4
    assert summary["counts"]["late"] == 1
    assert summary["counts"]["draft"] == 1
    assert summary["counts"]["missing"] == 2
    assert sorted(s.acronym for s in summary["not_reported"]) == ["CiBishkek", "MtS", "SPMU"]
    assert [s.acronym for s in summary["late"]] == ["OiT"]


def test_compliance_summary_for_one_month_shows_a_quarterly_reporters_quarter(known_data):
    summary = selectors.compliance_summary(period_start=date(2010, 5, 1), period_end=date(2010, 5, 31), today=TODAY)
    assert summary["counts"]["late"] == 2  # OiT's Q2 report and SPMU's May report
    assert sorted(s.acronym for s in summary["not_reported"]) == ["CiBishkek", "MtS"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2010, 6, 11), (date(2010, 1, 1), date(2010, 3, 31))),
        (date(2010, 4, 30), (date(2009, 10, 1), date(2009, 12, 31))),
        (date(2010, 5, 1), (date(2010, 1, 1), date(2010, 3, 31))),
        (date(2011, 1, 5), (date(2010, 7, 1), date(2010, 9, 30))),
    ],
)
def test_last_closed_period_is_the_last_quarter_past_its_deadline(today, expected):
    assert selectors.last_closed_period(today=today) == expected


def test_accepted_activities_exclude_everything_not_accepted(db, django_assert_num_queries):
    accepted = ReportedActivityFactory(report__status=S.ACCEPTED, report__first_submitted_at=_at(date(2010, 7, 1)))
    ReportedActivityFactory(report__status=S.SUBMITTED, report__first_submitted_at=_at(date(2010, 7, 1)))
    ReportedActivityFactory(report__status=S.DRAFT)
    ReportedActivityFactory(report__status=S.RETURNED, report__first_submitted_at=_at(date(2010, 7, 1)))
    expected_areas = [a.pk for a in accepted.thematic_areas.all()]
    with django_assert_num_queries(3):
        rows = list(selectors.accepted_activities())
        assert [r.report.structure.acronym for r in rows] == [accepted.report.structure.acronym]
        assert [a.pk for a in rows[0].thematic_areas.all()] == expected_areas
    assert [r.pk for r in rows] == [accepted.pk]
    assert list(selectors.accepted_activities(start=date(2010, 7, 1))) == []
    assert [r.pk for r in selectors.accepted_activities(start=date(2010, 4, 1), end=date(2010, 4, 30))] == [accepted.pk]


def test_report_scope_per_role(db):
    own, other = FieldOperationFactory(), FieldOperationFactory()
    unit = ExecutiveStructureFactory(kind=ExecutiveStructure.Kind.THEMATIC_UNIT)
    own_draft = ActivityReportFactory(structure=own)
    other_draft = ActivityReportFactory(structure=other)
    other_submitted = ActivityReportFactory(
        structure=other,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        status=S.SUBMITTED,
        first_submitted_at=_at(date(2010, 4, 2)),
    )
    accepted = ActivityReportFactory(
        structure=other,
        period_start=date(2009, 10, 1),
        period_end=date(2009, 12, 31),
        status=S.ACCEPTED,
        first_submitted_at=_at(date(2010, 1, 2)),
    )
    unit_draft = ActivityReportFactory(structure=unit)

    def seen(user):
        return set(selectors.report_scope(user=user).values_list("pk", flat=True))

    assert seen(make_user(Role.FIELD, structure=own)) == {own_draft.pk}
    assert seen(make_user(Role.SECRETARIAT, structure=unit)) == {other_submitted.pk, accepted.pk, unit_draft.pk}
    assert seen(make_user(Role.DELEGATION)) == {accepted.pk}
    assert seen(make_user(Role.ADMIN)) == {own_draft.pk, other_draft.pk, other_submitted.pk, accepted.pk, unit_draft.pk}


def _forget_prepared_statements():
    # What a new connection holds: nothing prepared, so the statements found afterwards are the call's own.
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    prepared._prepared.pop(connection.connection, None)


def _statements_reading(table: str) -> list[str]:
    # The page's children come from prepared statements, which the query log shows as EXECUTE; their text is here.
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f'%FROM "{table}"%'])
        return [row[0] for row in cursor.fetchall()]


def test_api_list_page_gets_each_reports_transitions_and_their_authors_in_order_without_joining_the_reports(db):
    coordinator = make_user(Role.COORDINATOR)
    author = UserFactory(first_name="Ines", last_name="Berg")
    older = _quarter(FieldOperationFactory(), 1, submitted=date(2010, 4, 20))
    newer = _quarter(FieldOperationFactory(), 2, submitted=date(2010, 7, 20))
    at = datetime(2010, 5, 1, 9, tzinfo=UTC)
    for report, steps, by in (
        (newer, (S.DRAFT, S.SUBMITTED, S.RETURNED), author),
        (older, (S.DRAFT, S.SUBMITTED), None),
    ):
        for offset, (from_status, to_status) in enumerate(pairwise(steps)):
            # Written newest first, so the read order comes from the query, not from the ids.
            ReportTransition.objects.create(
                report=report, from_status=from_status, to_status=to_status, at=at - timedelta(hours=offset), by=by
            )
    reports = list(selectors.report_api_list(user=coordinator))
    _forget_prepared_statements()

    with CaptureQueriesContext(connection) as queries:
        selectors.report_items_attach(reports=reports, user=coordinator)
        authors = [[t.by and t.by.get_full_name() for t in report.listed_transitions] for report in reports]

    assert [r.pk for r in reports] == [newer.pk, older.pk]
    assert [(t.from_status, t.to_status) for t in reports[0].listed_transitions] == [
        (S.SUBMITTED, S.RETURNED),
        (S.DRAFT, S.SUBMITTED),
    ]
    assert [(t.from_status, t.to_status) for t in reports[1].listed_transitions] == [(S.DRAFT, S.SUBMITTED)]
    assert authors == [["Ines Berg", "Ines Berg"], [None]]
    assert [report.visible_attachments for report in reports] == [[], []]
    assert len(queries) == 3  # the items, the attachments, the transitions with their authors
    transitions = _statements_reading("programmes_reporttransition")
    attachments = _statements_reading("programmes_reportattachment")
    children = transitions + attachments
    assert len(transitions) == len(attachments) == 1
    assert all(sql.startswith("EXECUTE") for sql in (q["sql"] for q in queries.captured_queries))
    assert all('"programmes_activityreport"' not in sql for sql in children)
