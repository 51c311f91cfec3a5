import csv
import io
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from programmes.activity import tasks
from programmes.activity.models import ActivityReport, ReportAttachment, ReportedActivity, ReportingFrequency
from programmes.events.models import Event
from programmes.models import Project
from programmes.permissions import Role
from tests.factories import (
    EventFactory,
    ExecutiveStructureFactory,
    FieldOperationFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
    make_user,
)
from tests.programmes.activity.factories import (
    ActivityReportFactory,
    ReportedActivityFactory,
    ReportingObligationFactory,
)
from tests.programmes.activity.test_services import PDF

S = ActivityReport.Status


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _formset_data(report, rows: list[dict], *, initial: int = 0, **extra) -> dict:
    data = {
        "summary": "",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
    data.update(extra)
    return data


@pytest.fixture
def row(area, tajikistan):
    return {
        "title": "Patrol leadership course",
        "activity_type": "training",
        "thematic_areas": [str(area.pk)],
        "state": str(tajikistan.pk),
        "city": "Dushanbe",
        "start": "2010-05-10",
        "end": "2010-05-14",
        "participants_women": "2",
        "participants_men": "18",
        "participants_unrecorded": "0",
        "results": "Twenty border officers trained in patrol planning.",
    }


@pytest.fixture
def draft(office_tj):
    return ActivityReportFactory(structure=office_tj)


# --- lists and scoping ----------------------------------------------------------------------------------------------


def test_field_user_list_shows_only_their_operation(client_as, oit_user, draft, centre_bishkek):
    other = ActivityReportFactory(structure=centre_bishkek)
    response = client_as(oit_user).get(reverse("activity:report_list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [draft]
    assert reverse("activity:report_detail", args=[other.pk]) not in response.content.decode()


def test_field_user_cannot_open_another_operations_report(client_as, bishkek_user, draft):
    client = client_as(bishkek_user)
    assert client.get(reverse("activity:report_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("activity:report_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("activity:report_submit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_delegation_sees_accepted_items_but_no_review_trail(client_as, office_tj):
    report = ReportedActivityFactory(
        report__structure=office_tj,
        report__status=S.ACCEPTED,
        report__first_submitted_at=_at(date(2010, 7, 2)),
        report__review_comment="Internal remark on quality",
    ).report
    response = client_as(make_user(Role.DELEGATION)).get(reverse("activity:report_detail", args=[report.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Customs training course" in content
    assert "Internal remark" not in content and "History" not in content
    draft = ActivityReportFactory(structure=office_tj, period_start=date(2010, 7, 1), period_end=date(2010, 9, 30))
    assert client_as(make_user(Role.DELEGATION)).get(draft.get_absolute_url()).status_code == 404


def test_delegation_does_not_see_internal_events_or_unapproved_projects_of_an_accepted_report(client_as, office_tj):
    internal = EventFactory(title="Closed-door planning meeting", visibility=Event.Visibility.INTERNAL)
    proposal = ProjectFactory(code="PROP-77", status=Project.Status.PROPOSAL)
    item = ReportedActivityFactory(
        report__structure=office_tj,
        report__status=S.ACCEPTED,
        report__first_submitted_at=_at(date(2010, 7, 2)),
        event=internal,
        project=proposal,
    )
    delegation_page = client_as(make_user(Role.DELEGATION)).get(item.report.get_absolute_url())
    content = delegation_page.content.decode()
    assert delegation_page.status_code == 200
    assert item.title in content
    assert "Closed-door planning meeting" not in content and "PROP-77" not in content
    staff_page = client_as(make_user(Role.SECRETARIAT)).get(item.report.get_absolute_url()).content.decode()
    assert "Closed-door planning meeting" in staff_page and "PROP-77" in staff_page
    item.refresh_from_db()
    assert (item.event_id, item.project_id) == (internal.pk, proposal.pk)


def test_report_page_writes_each_item_with_its_links_partners_areas_place_dates_and_results(client_as, office_tj):
    report = ActivityReportFactory(structure=office_tj, status=S.ACCEPTED, first_submitted_at=_at(date(2010, 7, 2)))
    project = ProjectFactory(code="TJ-<7>", status=Project.Status.ONGOING)
    event = EventFactory(title='Border "week" & co', visibility=Event.Visibility.PUBLIC)
    partner = PartnerOrganisationFactory(name="Office <on> drugs", acronym="UNODC")
    area = ThematicAreaFactory(short_name="Border & customs")
    linked = ReportedActivityFactory(
        report=report,
        title="Course <one> & two",
        project=project,
        event=event,
        online=True,
        city="",
        start=date(2010, 4, 5),
        end=date(2010, 4, 5),
        participants_women=1200,
        results="First line <b>\nsecond line",
        thematic_areas=[area],
    )
    linked.partner_organisations.set([partner])
    ReportedActivityFactory(
        report=report,
        title="Online seminar",
        online=True,
        state=None,
        start=date(2010, 4, 6),
        end=date(2010, 4, 8),
        thematic_areas=[],
    )

    content = client_as(make_user(Role.SECRETARIAT)).get(report.get_absolute_url()).content.decode()

    assert (
        "\n    <tr>\n      <td><strong>Course &lt;one&gt; &amp; two</strong>\n        "
        f'<br><a href="{project.get_absolute_url()}">TJ-&lt;7&gt;</a>\n        '
        '<br><span class="muted">Event: Border &quot;week&quot; &amp; co</span>\n        '
        '<br><span class="muted">With <abbr title="Office &lt;on&gt; drugs">UNODC</abbr></span></td>\n'
        "      <td>Training and capacity building</td>\n"
        '      <td><span class="tag">Border &amp; customs</span> </td>\n'
        f"      <td>Online, {linked.state.name}</td>\n"
        "      <td>2010-04-05</td>\n"
        '      <td class="num">1200</td><td class="num">14</td>\n'
        '      <td class="num">0</td><td class="num">1214</td>\n'
        "      <td>First line &lt;b&gt;<br>second line</td>\n    </tr>\n  "
    ) in content
    assert (
        "<td><strong>Online seminar</strong>\n        \n        \n        </td>\n"
        "      <td>Training and capacity building</td>\n      <td></td>\n      <td>Online</td>\n"
        "      <td>2010-04-06 – 2010-04-08</td>\n"
    ) in content


def test_report_page_without_items_says_so(client_as, office_tj):
    report = ActivityReportFactory(structure=office_tj, status=S.ACCEPTED, first_submitted_at=_at(date(2010, 7, 2)))

    content = client_as(make_user(Role.SECRETARIAT)).get(report.get_absolute_url()).content.decode()

    assert '<tr><td colspan="10">No activities reported yet.</td></tr>' in content


# --- opening and editing ------------------------------------------------------------------------------------------


def test_field_user_opens_a_draft_for_a_period(client_as, oit_user, office_tj):
    client = client_as(oit_user)
    page = client.get(reverse("activity:report_create"))
    choices = [value for value, _label in page.context["form"].fields["period"].choices]
    assert page.status_code == 200 and choices
    response = client.post(reverse("activity:report_create"), {"period": choices[1]})
    report = ActivityReport.objects.get(structure=office_tj)
    assert response.status_code == 302 and response.url == reverse("activity:report_edit", args=[report.pk])
    assert report.period_start.isoformat() == choices[1] and report.created_by == oit_user


def test_saving_a_valid_draft_stores_items(client_as, oit_user, draft, row):
    response = client_as(oit_user).post(
        reverse("activity:report_edit", args=[draft.pk]),
        _formset_data(draft, [row], save="1", summary="A busy quarter."),
    )
    assert response.status_code == 302
    item = ReportedActivity.objects.get(report=draft)
    assert item.participants_total == 20 and item.title == "Patrol leadership course"
    draft.refresh_from_db()
    assert draft.summary == "A busy quarter." and draft.status == S.DRAFT


def test_invalid_rows_are_shown_with_errors_and_nothing_typed_is_lost(client_as, oit_user, draft, row):
    bad = {**row, "title": "Course typed by hand", "start": "2010-03-15", "participants_men": "-4"}
    response = client_as(oit_user).post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [bad], save="1", summary="Kept summary")
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Course typed by hand" in content and "Kept summary" in content
    assert "Must be within the reporting period" in content
    assert "greater than or equal to 0" in content
    assert not ReportedActivity.objects.exists()


def test_add_another_row_without_javascript_keeps_what_was_typed(client_as, oit_user, draft, row):
    client = client_as(oit_user)
    half = {"title": "Half-typed seminar", "activity_type": "awareness"}
    response = client.post(reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [half], add_item="1"))
    assert response.status_code == 400
    assert "Half-typed seminar" in response.content.decode()
    assert response.context["formset"].total_form_count() == 2
    blank = {"participants_women": "0", "participants_men": "0", "participants_unrecorded": "0"}
    saved = client.post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [row, blank], add_item="1")
    )
    assert saved.status_code == 302 and saved.url.endswith("?rows=1")
    page = client.get(saved.url)
    assert page.context["formset"].total_form_count() == 3  # the saved row, the blank one kept and one more
    assert ReportedActivity.objects.filter(report=draft).count() == 1
    filled = {**row, "title": "Second course", "id": str(draft.items.get().pk), "report": str(draft.pk)}
    again = client.post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [filled], initial=1, add_item="1")
    )
    assert again.status_code == 302 and again.url == reverse("activity:report_edit", args=[draft.pk])
    assert client.get(again.url).context["formset"].total_form_count() == 2


def test_blank_row_added_without_javascript_is_ignored_once_the_other_rows_are_fixed(client_as, oit_user, draft, row):
    client = client_as(oit_user)
    missing_state = {**row, "state": ""}
    response = client.post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [missing_state], add_item="1")
    )
    assert response.status_code == 400
    assert response.context["formset"].total_form_count() == 2
    # The added row comes back as the browser sends it: number boxes empty, not 0. Fixing the first row and
    # pressing "Add another activity" again must save it, not fail on the blank row.
    blank = {"participants_women": "", "participants_men": "", "participants_unrecorded": "", "title": ""}
    saved = client.post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [row, blank], add_item="1")
    )
    assert saved.status_code == 302
    assert list(ReportedActivity.objects.filter(report=draft).values_list("title", flat=True)) == [row["title"]]
    plain_save = client.post(
        reverse("activity:report_edit", args=[draft.pk]),
        _formset_data(
            draft,
            [{**row, "title": "Renamed", "id": str(draft.items.get().pk), "report": str(draft.pk)}, blank],
            initial=1,
            save="1",
        ),
    )
    assert plain_save.status_code == 302
    assert list(ReportedActivity.objects.filter(report=draft).values_list("title", flat=True)) == ["Renamed"]


def test_tampered_row_count_with_add_row_is_a_400_not_a_500(client_as, oit_user, draft, row):
    data = _formset_data(draft, [row], add_item="1", summary="Typed summary")
    data["items-TOTAL_FORMS"] = "many"
    response = client_as(oit_user).post(reverse("activity:report_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Typed summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.summary == "" and not draft.items.exists()


def test_removing_a_row_deletes_the_item(client_as, oit_user, office_tj, row):
    item = ReportedActivityFactory(report__structure=office_tj)
    report = item.report
    data = _formset_data(
        report,
        [{**row, "id": str(item.pk), "report": str(report.pk), "DELETE": "on"}],
        initial=1,
        save="1",
        summary="Nothing happened after all.",
    )
    response = client_as(oit_user).post(reverse("activity:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert not ReportedActivity.objects.filter(pk=item.pk).exists()


def test_wrong_type_attachment_keeps_the_draft_and_shows_the_error(client_as, oit_user, draft, row):
    data = _formset_data(draft, [row], save="1")
    data["file"] = SimpleUploadedFile("minutes.pdf", b"GIF89a not a pdf at all")
    response = client_as(oit_user).post(reverse("activity:report_edit", args=[draft.pk]), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "not an allowed type" in content and "Your draft was saved" in content
    assert not ReportAttachment.objects.exists()
    assert ReportedActivity.objects.filter(report=draft, title="Patrol leadership course").exists()


def test_oversize_attachment_keeps_the_draft(client_as, oit_user, draft, row, settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    data = _formset_data(draft, [row], save="1")
    data["file"] = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = client_as(oit_user).post(reverse("activity:report_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "attachments may be at most 1.0 MB" in response.content.decode()
    assert ReportedActivity.objects.filter(report=draft).count() == 1
    assert not ReportAttachment.objects.exists()


def test_valid_attachment_is_uploaded_and_can_be_removed(client_as, oit_user, draft, row):
    client = client_as(oit_user)
    data = _formset_data(draft, [row], save="1", published="on")
    data["file"] = SimpleUploadedFile("agenda.pdf", PDF)
    assert client.post(reverse("activity:report_edit", args=[draft.pk]), data).status_code == 302
    attachment = ReportAttachment.objects.get(report=draft)
    assert attachment.published and attachment.original_name == "agenda.pdf"
    item = ReportedActivity.objects.get(report=draft)
    data = _formset_data(
        draft,
        [{**row, "id": str(item.pk), "report": str(draft.pk)}],
        initial=1,
        save="1",
        remove_attachment=str(attachment.pk),
    )
    assert client.post(reverse("activity:report_edit", args=[draft.pk]), data).status_code == 302
    assert not ReportAttachment.objects.exists()


def test_save_and_submit_makes_the_report_read_only(client_as, oit_user, draft, row):
    client = client_as(oit_user)
    response = client.post(
        reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [row], submit_report="1")
    )
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.submitted_by == oit_user
    assert client.get(reverse("activity:report_edit", args=[draft.pk])).status_code == 302
    again = client.post(reverse("activity:report_edit", args=[draft.pk]), _formset_data(draft, [], summary="x"))
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == ""


def test_reviewer_cannot_open_the_editor(client_as, secretariat_user, office_tj):
    report = ActivityReportFactory(structure=office_tj, status=S.RETURNED, first_submitted_at=_at(date(2010, 7, 1)))
    response = client_as(secretariat_user).get(reverse("activity:report_edit", args=[report.pk]))
    assert response.status_code == 403
    assert ActivityReport.objects.get(pk=report.pk).status == S.RETURNED


# --- review -------------------------------------------------------------------------------------------------------


def _submitted(structure, year=2010):
    report = ActivityReportFactory(
        structure=structure,
        period_start=date(year, 4, 1),
        period_end=date(year, 6, 30),
        status=S.SUBMITTED,
        first_submitted_at=_at(date(year, 7, 10)),
        submitted_at=_at(date(year, 7, 10)),
    )
    ReportedActivityFactory(report=report)
    return report


def test_review_queue_lists_submitted_reports_with_constant_queries(
    client_as, secretariat_user, django_assert_max_num_queries
):
    structure = FieldOperationFactory()
    client = client_as(secretariat_user)
    for year in (2001, 2002):
        _submitted(structure, year)
    client.get(reverse("activity:review_queue"))

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("activity:review_queue")).status_code == 200
    for year in range(2003, 2013):
        _submitted(structure, year)
    ActivityReportFactory(structure=structure, period_start=date(2020, 1, 1), period_end=date(2020, 3, 31))
    # (a draft never appears in the queue)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("activity:review_queue"))
    assert len(response.context["page"].object_list) == 12


def test_field_user_cannot_reach_the_review_queue_or_review(client_as, oit_user, office_tj):
    report = _submitted(office_tj)
    client = client_as(oit_user)
    assert client.get(reverse("activity:review_queue")).status_code == 403
    response = client.post(reverse("activity:report_review", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 403
    assert ActivityReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_reviewer_returns_with_a_comment_and_the_structure_is_told(
    client_as, coordinator, oit_user, office_tj, django_capture_on_commit_callbacks
):
    report = _submitted(office_tj)
    client = client_as(coordinator)
    missing = client.post(reverse("activity:report_review", args=[report.pk]), {"decision": "return"})
    assert missing.status_code == 400 and "Say what needs to change" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activity:report_review", args=[report.pk]),
            {"decision": "return", "comment": "Split participants by sex."},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.RETURNED and report.reviewed_by == coordinator
    assert [m.to for m in mail.outbox] == [["oit@example.org"]]
    detail = client_as(oit_user).get(report.get_absolute_url()).content.decode()
    assert "Split participants by sex." in detail and "History" in detail


@pytest.mark.django_db(transaction=True)
def test_returning_a_report_while_the_broker_is_down_still_answers_and_saves_the_return(
    client_as, coordinator, office_tj, monkeypatch, caplog
):
    # A real commit (transaction=True) runs the on-commit hook inside the request, as in production.
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notify_report_returned, "apply_async", broker_down)
    report = _submitted(office_tj)

    response = client_as(coordinator).post(
        reverse("activity:report_review", args=[report.pk]),
        {"decision": "return", "comment": "Split participants by sex."},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (S.RETURNED, "Split participants by sex.")
    assert list(report.transitions.values_list("to_status", flat=True)) == [S.RETURNED]
    assert mail.outbox == []
    assert any(r.name == "programmes.jobs" and r.levelno >= logging.WARNING for r in caplog.records)


def test_reviewer_accepts(client_as, secretariat_user, office_tj):
    report = _submitted(office_tj)
    response = client_as(secretariat_user).post(
        reverse("activity:report_review", args=[report.pk]), {"decision": "accept", "comment": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.ACCEPTED
    assert report.transitions.get().to_status == S.ACCEPTED


# --- compliance ---------------------------------------------------------------------------------------------------


@pytest.fixture
def compliance_data(office_tj):
    oit = office_tj
    serbia = FieldOperationFactory(acronym="MtS", name="OSCE Mission to Serbia", region="south_eastern_europe")
    spmu = ExecutiveStructureFactory(acronym="SPMU", name="Strategic Police Matters Unit")
    ReportingObligationFactory(structure=serbia)
    ReportingObligationFactory(structure=spmu, frequency=ReportingFrequency.MONTHLY, starts_on=date(2011, 1, 1))
    ActivityReportFactory(
        structure=oit,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        due_on=date(2010, 4, 30),
        status=S.ACCEPTED,
        first_submitted_at=_at(date(2010, 4, 12)),
    )
    ActivityReportFactory(
        structure=oit,
        period_start=date(2010, 4, 1),
        period_end=date(2010, 6, 30),
        due_on=date(2010, 7, 30),
        status=S.SUBMITTED,
        first_submitted_at=_at(date(2010, 8, 9)),
    )
    ActivityReportFactory(
        structure=serbia, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), due_on=date(2010, 7, 30)
    )
    return oit, serbia


def test_compliance_page_shows_the_matrix(client_as, coordinator, compliance_data):
    response = client_as(coordinator).get(reverse("activity:compliance"), {"year": "2010"})
    assert response.status_code == 200
    matrix = response.context["matrix"]
    states = {row.structure.acronym: [c.state for c in row.cells] for row in matrix.rows}
    assert states["OiT"] == ["on_time", "late", "missing", "missing"]
    assert states["MtS"] == ["missing", "draft", "missing", "missing"]
    assert states["SPMU"] == ["not_required"] * 4
    assert "Q2 2010" in response.content.decode()


def test_compliance_cells_link_submitted_reports_but_not_drafts(client_as, coordinator, compliance_data):
    oit, serbia = compliance_data
    on_time = ActivityReport.objects.get(structure=oit, period_start=date(2010, 1, 1))
    draft = ActivityReport.objects.get(structure=serbia)
    html = client_as(coordinator).get(reverse("activity:compliance"), {"year": "2010"}).content.decode()
    detail = reverse("activity:report_detail", args=[on_time.pk])
    assert (
        f'<td class="cell-on_time"><a href="{detail}"><span class="status status-on_time">On time</span></a></td>'
        in html
    )
    assert reverse("activity:report_detail", args=[draft.pk]) not in html
    assert '<td class="cell-draft"><span class="status status-draft">Draft, not submitted</span></td>' in html


def test_compliance_cell_of_a_monthly_reporter_lists_its_months(client_as, coordinator, compliance_data):
    html = client_as(coordinator).get(reverse("activity:compliance"), {"year": "2011"}).content.decode()
    # SPMU reports monthly from 2011: each quarter cell names its three months.
    assert '<span class="muted parts">Jan: Missing; Feb: Missing; Mar: Missing</span>' in html


def test_compliance_rows_name_each_structure_and_frequency_before_its_quarters(client_as, coordinator, compliance_data):
    oit, _serbia = compliance_data
    on_time = ActivityReport.objects.get(structure=oit, period_start=date(2010, 1, 1))
    late = ActivityReport.objects.get(structure=oit, period_start=date(2010, 4, 1))
    html = client_as(coordinator).get(reverse("activity:compliance"), {"year": "2010"}).content.decode()
    # The row as the template wrote it: structure, frequency, then the four quarters (issue 14 writes it in Python).
    assert (
        f'\n    <tr><th scope="row"><abbr title="{oit.name}">{oit.acronym}</abbr></th><td>Quarterly</td>\n    '
        f'<td class="cell-on_time"><a href="{reverse("activity:report_detail", args=[on_time.pk])}">'
        '<span class="status status-on_time">On time</span></a></td>'
        f'<td class="cell-late"><a href="{reverse("activity:report_detail", args=[late.pk])}">'
        '<span class="status status-late">Late</span></a></td>'
    ) in html
    assert '<tr><th scope="row"><abbr title="OSCE Mission to Serbia">MtS</abbr></th><td>Quarterly</td>' in html
    # SPMU's obligation is monthly (from 2011): its row says so.
    assert '<abbr title="Strategic Police Matters Unit">SPMU</abbr></th><td>Monthly</td>' in html


def test_compliance_rows_name_each_structure_in_the_pages_language(client_as, coordinator, compliance_data):
    oit, _serbia = compliance_data
    oit.name_ru = "Программный офис ОБСЕ в Душанбе"
    oit.save()
    client = client_as(coordinator)

    russian = client.get(reverse("activity:compliance"), {"year": "2010"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    english = client.get(reverse("activity:compliance"), {"year": "2010"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'<abbr title="Программный офис ОБСЕ в Душанбе">{oit.acronym}</abbr>' in russian
    assert f'<abbr title="{oit.name}">{oit.acronym}</abbr>' in english


def test_compliance_defaults_to_the_current_year_like_every_figure_page(client_as, coordinator, compliance_data):
    from django.utils import timezone

    # One default period everywhere (programmes.periods): the current year, shown in the heading, even when
    # the data set only has 2010 reports; the year filter changes it.
    response = client_as(coordinator).get(reverse("activity:compliance"))
    year = timezone.localdate().year
    assert response.status_code == 200 and response.context["matrix"].year == year
    assert f"<small>{year}</small>" in response.content.decode()


def test_compliance_is_closed_to_field_users_and_delegations(client_as, oit_user, compliance_data):
    assert client_as(oit_user).get(reverse("activity:compliance")).status_code == 403
    assert (
        client_as(make_user(Role.DELEGATION)).get(reverse("activity:compliance_export", args=["csv"])).status_code
        == 403
    )


def test_compliance_csv_export(client_as, secretariat_user, compliance_data):
    response = client_as(secretariat_user).get(
        reverse("activity:compliance_export", args=["csv"]), {"year": "2010", "region": "central_asia"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["structure", "name", "kind", "region", "frequency", "Q1 2010", "Q2 2010", "Q3 2010", "Q4 2010"]
    assert rows[1:] == [
        [
            "OiT",
            "OSCE Office in Tajikistan",
            "field_operation",
            "central_asia",
            "quarterly",
            "on_time",
            "late",
            "missing",
            "missing",
        ]
    ]


def test_compliance_xlsx_export(client_as, coordinator, compliance_data):
    response = client_as(coordinator).get(reverse("activity:compliance_export", args=["xlsx"]), {"year": "2010"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Compliance 2010"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["Structure", "Name", "Kind", "Region", "Frequency", "Q1 2010"]
    by_structure = {row[0]: row[5:] for row in values[1:]}
    assert by_structure["OiT"] == ["On time", "Late", "Missing", "Missing"]
    assert by_structure["MtS"] == ["Missing", "Draft, not submitted", "Missing", "Missing"]
    totals = {row[0].value: row[1].value for row in workbook["Totals"].iter_rows(min_row=2)}
    assert totals["Missing"] == 5 and totals["Late"] == 1 and totals["Not required"] == 4


def test_unknown_export_format_is_404(client_as, coordinator, compliance_data):
    assert client_as(coordinator).get(reverse("activity:compliance_export", args=["pdf"])).status_code == 404


def test_delegation_list_shows_no_submitter_names(client_as, office_tj):
    submitter = make_user(Role.FIELD, structure=office_tj, first_name="Dilnoza", last_name="Samplova")
    report = ReportedActivityFactory(
        report__structure=office_tj,
        report__status=S.ACCEPTED,
        report__first_submitted_at=_at(date(2010, 7, 2)),
        report__submitted_at=_at(date(2010, 7, 2)),
        report__submitted_by=submitter,
    ).report
    delegation_page = client_as(make_user(Role.DELEGATION)).get(reverse("activity:report_list")).content.decode()
    assert report.get_absolute_url() in delegation_page and "Samplova" not in delegation_page
    staff_page = client_as(make_user(Role.SECRETARIAT)).get(reverse("activity:report_list")).content.decode()
    assert "Samplova" in staff_page
    assert ActivityReport.objects.get(pk=report.pk).submitted_by == submitter


def test_report_list_page_lists_every_report_and_filters_work(client_as, secretariat_user):
    structure = FieldOperationFactory(acronym="PCUz")
    client = client_as(secretariat_user)
    for year in range(2001, 2015):
        _submitted(structure, year)

    response = client.get(reverse("activity:report_list"))
    assert len(response.context["page"].object_list) == 14
    filtered = client.get(reverse("activity:report_list"), {"year": "2005", "q": "PCUz"})
    assert [r.period_start.year for r in filtered.context["page"].object_list] == [2005]


def test_field_user_sees_whats_due_with_late_periods_first(client_as, oit_user, office_tj):
    from django.utils import timezone

    from programmes.activity.models import period_containing

    today = timezone.localdate()
    start, _end = period_containing(today, office_tj.reporting_obligation.frequency)
    old_start, old_end = period_containing(start - timedelta(days=200), office_tj.reporting_obligation.frequency)
    late_draft = ActivityReportFactory(
        structure=office_tj, period_start=old_start, period_end=old_end, due_on=old_end + timedelta(days=30)
    )
    response = client_as(oit_user).get(reverse("activity:report_list"))
    due = response.context["due"]
    assert response.status_code == 200
    late = [item for item in due if item.late]
    assert due[: len(late)] == late  # late ones first
    assert any(item.report == late_draft for item in late)
    assert any(item.report is None for item in due)  # periods with no report yet are listed too
    assert [item.due_on for item in due if item.late] == sorted(item.due_on for item in due if item.late)
    assert "Late" in response.content.decode()
    assert late_draft.is_late


def test_report_page_reads_its_items_areas_and_partners_in_the_same_queries_whatever_their_number(client_as, office_tj):
    client = client_as(make_user(Role.SECRETARIAT))

    def queries_for(items: int) -> int:
        report = ActivityReportFactory(
            structure=FieldOperationFactory(), status=S.ACCEPTED, first_submitted_at=_at(date(2010, 7, 2))
        )
        for _ in range(items):
            item = ReportedActivityFactory(report=report, thematic_areas=[ThematicAreaFactory(), ThematicAreaFactory()])
            item.partner_organisations.set([PartnerOrganisationFactory()])
        client.get(report.get_absolute_url())  # the session and the caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(report.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count('<span class="tag">') == 2 * items
        return len(queries)

    assert queries_for(1) == queries_for(6)
