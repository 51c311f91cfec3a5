import io
import zipfile
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from programmes.activity import services
from programmes.activity.models import ActivityReport, ReportAttachment, ReportedActivity, ReportTransition
from programmes.permissions import Role
from tests.factories import ParticipatingStateFactory, make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory

S = ActivityReport.Status

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def odt_bytes() -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def item_data(area, state, **overrides):
    data = {
        "title": "Non-intrusive inspection course",
        "activity_type": "training",
        "thematic_areas": [area],
        "state": state,
        "city": "Khorog",
        "online": False,
        "start": date(2010, 5, 10),
        "end": date(2010, 5, 14),
        "participants_women": 6,
        "participants_men": 14,
        "results": "Twenty officers trained.",
    }
    data.update(overrides)
    return data


# --- creating -----------------------------------------------------------------------------------------------------


def test_create_opens_a_draft_with_items_and_records_the_transition(oit_user, office_tj, area, tajikistan, q2_2010):
    report = services.report_create(
        structure=office_tj,
        period_start=q2_2010[0],
        period_end=q2_2010[1],
        actor=oit_user,
        items=[item_data(area, tajikistan)],
    )
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert report.due_on == date(2010, 7, 30)
    assert report.items.get().participants_total == 20
    assert list(report.transitions.values_list("from_status", "to_status")) == [("", S.DRAFT)]


def test_second_report_for_the_same_period_is_refused_with_a_clear_message(oit_user, office_tj, q2_2010):
    services.report_create(structure=office_tj, period_start=q2_2010[0], period_end=q2_2010[1], actor=oit_user)
    with pytest.raises(ValidationError) as exc:
        services.report_create(structure=office_tj, period_start=q2_2010[0], period_end=q2_2010[1], actor=oit_user)
    assert exc.value.message_dict["period_start"] == ["This structure already has a report for this period."]
    assert ActivityReport.objects.filter(structure=office_tj).count() == 1


def test_items_outside_the_period_are_refused_by_index_and_nothing_is_saved(
    oit_user, office_tj, area, tajikistan, q2_2010
):
    with pytest.raises(services.ItemsValidationError) as exc:
        services.report_create(
            structure=office_tj,
            period_start=q2_2010[0],
            period_end=q2_2010[1],
            actor=oit_user,
            items=[
                item_data(area, tajikistan),
                item_data(area, tajikistan, start=date(2010, 3, 28), end=date(2010, 7, 2)),
            ],
        )
    assert exc.value.item_errors[0] == {}
    assert set(exc.value.item_errors[1]) == {"start", "end"}
    assert not ActivityReport.objects.exists()


def test_negative_participants_are_refused(oit_user, office_tj, area, tajikistan, q2_2010):
    report = services.report_create(structure=office_tj, period_start=q2_2010[0], period_end=q2_2010[1], actor=oit_user)
    with pytest.raises(services.ItemsValidationError) as exc:
        services.report_update(report=report, actor=oit_user, items=[item_data(area, tajikistan, participants_men=-3)])
    assert "participants_men" in exc.value.item_errors[0]
    assert not ReportedActivity.objects.exists()


def test_item_without_place_or_thematic_area_is_refused(oit_user, office_tj, area, q2_2010):
    report = services.report_create(structure=office_tj, period_start=q2_2010[0], period_end=q2_2010[1], actor=oit_user)
    with pytest.raises(services.ItemsValidationError) as exc:
        services.report_update(
            report=report, actor=oit_user, items=[item_data(area, None, thematic_areas=[], online=False)]
        )
    assert set(exc.value.item_errors[0]) >= {"state", "thematic_areas"}
    assert report.items.count() == 0


def test_update_replaces_the_item_list(oit_user, office_tj, area, tajikistan, q2_2010):
    report = services.report_create(
        structure=office_tj,
        period_start=q2_2010[0],
        period_end=q2_2010[1],
        actor=oit_user,
        items=[item_data(area, tajikistan), item_data(area, tajikistan, title="Second")],
    )
    first, second = report.items.order_by("position")
    services.report_update(
        report=report,
        actor=oit_user,
        summary="Quiet quarter.",
        items=[
            {**item_data(area, tajikistan, title="First, renamed"), "id": first.pk},
            item_data(area, None, title="Third", online=True),
        ],
    )
    report.refresh_from_db()
    assert report.summary == "Quiet quarter."
    assert list(report.items.order_by("position").values_list("title", flat=True)) == ["First, renamed", "Third"]
    assert not ReportedActivity.objects.filter(pk=second.pk).exists()


# --- who writes ---------------------------------------------------------------------------------------------------


def test_field_user_cannot_write_another_operations_report(bishkek_user, office_tj):
    report = ActivityReportFactory(structure=office_tj)
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, actor=bishkek_user, summary="Not ours")
    with pytest.raises(PermissionDenied):
        services.report_create(
            structure=office_tj, period_start=date(2010, 1, 1), period_end=date(2010, 3, 31), actor=bishkek_user
        )
    report.refresh_from_db()
    assert report.summary == ""
    assert ActivityReport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.COORDINATOR])
def test_reviewers_cannot_edit_content(role, office_tj):
    reviewer = make_user(role)
    report = ActivityReportFactory(structure=office_tj)
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, actor=reviewer, summary="Edited by the reviewer")
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=reviewer)
    report.refresh_from_db()
    assert (report.summary, report.status) == ("", S.DRAFT)


def test_field_user_cannot_review(oit_user, office_tj):
    report = ActivityReportFactory(structure=office_tj, status=S.SUBMITTED, first_submitted_at="2010-07-10T10:00Z")
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, actor=oit_user)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


# --- transitions --------------------------------------------------------------------------------------------------


def test_full_cycle_submit_return_resubmit_accept(
    oit_user, office_tj, secretariat_user, q2_2010, django_capture_on_commit_callbacks
):
    report = ReportedActivityFactory(report__structure=office_tj).report
    report = services.report_submit(report=report, actor=oit_user)
    first = report.first_submitted_at
    assert report.status == S.SUBMITTED and report.submitted_by == oit_user
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(report=report, actor=secretariat_user, comment="Add participant numbers.")
    assert report.status == S.RETURNED and report.review_comment == "Add participant numbers."
    assert len(mail.outbox) == 1 and "oit@example.org" in mail.outbox[0].to
    assert "Add participant numbers." in mail.outbox[0].body
    report = services.report_submit(report=report, actor=oit_user)
    assert report.first_submitted_at == first and report.submitted_at > first
    report = services.report_accept(report=report, actor=secretariat_user)
    report.refresh_from_db()
    assert report.status == S.ACCEPTED and report.reviewed_by == secretariat_user
    history = list(report.transitions.values_list("from_status", "to_status", "by", "comment"))
    assert history == [
        (S.DRAFT, S.SUBMITTED, oit_user.pk, ""),
        (S.SUBMITTED, S.RETURNED, secretariat_user.pk, "Add participant numbers."),
        (S.RETURNED, S.SUBMITTED, oit_user.pk, ""),
        (S.SUBMITTED, S.ACCEPTED, secretariat_user.pk, ""),
    ]


def _report_in(status, structure):
    submitted = None if status == S.DRAFT else "2010-07-10T10:00Z"
    report = ActivityReportFactory(structure=structure, status=status, first_submitted_at=submitted)
    ReportedActivityFactory(report=report)
    return report


@pytest.mark.parametrize(
    ("start", "move"),
    [
        (S.DRAFT, "accept"),
        (S.DRAFT, "return"),
        (S.SUBMITTED, "submit"),
        (S.RETURNED, "accept"),
        (S.RETURNED, "return"),
        (S.ACCEPTED, "submit"),
        (S.ACCEPTED, "return"),
        (S.ACCEPTED, "accept"),
    ],
)
def test_refused_transitions(start, move, oit_user, office_tj, coordinator):
    report = _report_in(start, office_tj)
    calls = {
        "submit": lambda: services.report_submit(report=report, actor=oit_user),
        "return": lambda: services.report_return(report=report, actor=coordinator, comment="Why"),
        "accept": lambda: services.report_accept(report=report, actor=coordinator),
    }
    with pytest.raises(ValidationError) as exc:
        calls[move]()
    assert "status" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == start
    assert not ReportTransition.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("start", "move", "end"),
    [
        (S.DRAFT, "submit", S.SUBMITTED),
        (S.SUBMITTED, "return", S.RETURNED),
        (S.SUBMITTED, "accept", S.ACCEPTED),
        (S.RETURNED, "submit", S.SUBMITTED),
    ],
)
def test_allowed_transitions(start, move, end, oit_user, office_tj, coordinator):
    report = _report_in(start, office_tj)
    calls = {
        "submit": lambda: services.report_submit(report=report, actor=oit_user),
        "return": lambda: services.report_return(report=report, actor=coordinator, comment="Why"),
        "accept": lambda: services.report_accept(report=report, actor=coordinator),
    }
    calls[move]()
    report.refresh_from_db()
    assert report.status == end
    assert ReportTransition.objects.get(report=report).to_status == end


def test_return_needs_a_comment(office_tj, coordinator):
    report = _report_in(S.SUBMITTED, office_tj)
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=report, actor=coordinator, comment="  ")
    assert "comment" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_empty_report_cannot_be_submitted_without_a_summary(oit_user, office_tj):
    report = ActivityReportFactory(structure=office_tj)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, actor=oit_user)
    assert "items" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == S.DRAFT
    services.report_update(report=report, actor=oit_user, summary="No activity this quarter: staff vacancies.")
    assert services.report_submit(report=report, actor=oit_user).status == S.SUBMITTED


def test_submitted_report_is_read_only_to_its_structure(oit_user, office_tj):
    report = _report_in(S.SUBMITTED, office_tj)
    with pytest.raises(ValidationError) as exc:
        services.report_update(report=report, actor=oit_user, summary="Late change")
    assert "status" in exc.value.message_dict
    report.refresh_from_db()
    assert report.summary == ""


def test_create_and_submit_in_one_call(oit_user, office_tj, area, tajikistan, q2_2010):
    report = services.report_create(
        structure=office_tj,
        period_start=q2_2010[0],
        period_end=q2_2010[1],
        actor=oit_user,
        items=[item_data(area, tajikistan)],
        submit=True,
    )
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert report.transitions.count() == 2


# --- attachments --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("agenda.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("minutes.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("figures.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notes.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_attachments_are_stored_with_their_sniffed_type(name, content, content_type, oit_user, office_tj):
    report = ActivityReportFactory(structure=office_tj)
    attachment = services.attachment_add(report=report, uploaded=SimpleUploadedFile(name, content), actor=oit_user)
    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("report.pdf", b"MZ\x90\x00 this is a windows executable", "not an allowed type"),
        ("photo.pdf", PNG, "content is PNG"),
        ("archive.docx", _zip({"readme.txt": b"hello"}), "not an allowed type"),
        ("sheet.xlsx", docx_bytes(), "content is DOCX"),
        ("notes.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "not an allowed type"),
        ("script.txt", b"plain text", "not an allowed type"),
    ],
)
def test_wrong_type_attachment_is_refused_and_the_draft_kept(name, content, fragment, oit_user, office_tj):
    item = ReportedActivityFactory(report__structure=office_tj)
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(report=item.report, uploaded=SimpleUploadedFile(name, content), actor=oit_user)
    assert fragment in exc.value.message_dict["file"][0]
    assert not ReportAttachment.objects.exists()
    assert ActivityReport.objects.get(pk=item.report.pk).status == S.DRAFT
    assert ReportedActivity.objects.filter(pk=item.pk).exists()


def test_oversize_attachment_is_refused_with_the_limit(oit_user, office_tj, settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    report = ActivityReportFactory(structure=office_tj)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(report=report, uploaded=big, actor=oit_user)
    assert "at most 1.0 MB" in exc.value.message_dict["file"][0]
    assert not ReportAttachment.objects.exists()
    assert ActivityReport.objects.filter(pk=report.pk, status=S.DRAFT).exists()


def test_attachments_cannot_be_added_to_a_submitted_report(oit_user, office_tj):
    report = _report_in(S.SUBMITTED, office_tj)
    with pytest.raises(ValidationError):
        services.attachment_add(report=report, uploaded=SimpleUploadedFile("a.pdf", PDF), actor=oit_user)
    assert not ReportAttachment.objects.exists()


def test_removing_an_attachment_deletes_row_and_file(oit_user, office_tj, django_capture_on_commit_callbacks):
    report = ActivityReportFactory(structure=office_tj)
    attachment = services.attachment_add(report=report, uploaded=SimpleUploadedFile("a.pdf", PDF), actor=oit_user)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, actor=oit_user)
    assert not ReportAttachment.objects.exists()
    assert not storage.exists(name)


def test_state_factory_is_reused(db):
    # Guards the fixtures above: one Tajikistan, not two.
    assert ParticipatingStateFactory(iso_code="TJ").pk == ParticipatingStateFactory(iso_code="TJ").pk
