from datetime import date

from programmes.activity import selectors
from programmes.activity.models import ActivityReport, ReportedActivity, ReportingObligation, ReportTransition
from programmes.activity.reference_data import load_activity_reports
from programmes.events.reference_data import load_real_events
from programmes.reference_data import load_core


def _snapshot():
    return (
        sorted(ActivityReport.objects.values_list("structure__acronym", "period_start", "status", "updated_at")),
        ReportedActivity.objects.count(),
        ReportTransition.objects.count(),
        ReportingObligation.objects.count(),
    )


def test_reference_reports_load_twice_without_change_and_show_a_true_picture(db):
    load_core()
    load_real_events()
    load_activity_reports()
    first = _snapshot()
    load_activity_reports()
    assert _snapshot() == first
    assert ReportingObligation.objects.filter(structure__kind="field_operation").count() == 16
    matrix = selectors.compliance_matrix(year=2010, region="central_asia", today=date(2011, 3, 1))
    states = {row.structure.acronym: [cell.state for cell in row.cells] for row in matrix.rows}
    assert states["CiBishkek"] == ["on_time"] * 4
    assert states["OiT"] == ["on_time", "on_time", "on_time", "draft"]
    assert "missing" in states["PCUz"] and "late" in states["PCUz"]
    linked = ReportedActivity.objects.get(title="Joint customs training with the Kabul Customs Academy")
    assert linked.event is not None and linked.project.code == "AFG-06"
    assert (
        selectors.accepted_activities(start=date(2010, 1, 1), end=date(2010, 12, 31))
        .filter(project__code="AFG-05")
        .exists()
    )
