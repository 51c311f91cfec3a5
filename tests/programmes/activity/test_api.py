from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programmes.activity.models import ActivityReport, ReportAttachment, ReportedActivity
from programmes.events.models import Event
from programmes.models import Project
from programmes.permissions import Role
from tests.factories import EventFactory, FieldOperationFactory, PartnerOrganisationFactory, ProjectFactory, make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.programmes.activity.test_services import PDF, PNG

S = ActivityReport.Status
URL = "/api/activity-reports/"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
def payload(office_tj, area, tajikistan):
    project = ProjectFactory(code="AFG-05", lead_structure=office_tj)
    wco = PartnerOrganisationFactory(acronym="WCO")
    return {
        "structure": office_tj.pk,
        "period_start": "2010-04-01",
        "period_end": "2010-06-30",
        "items": [
            {
                "title": "Joint non-intrusive inspection course",
                "activity_type": "training",
                "thematic_areas": [area.pk],
                "project": project.pk,
                "event": None,
                "state": tajikistan.pk,
                "city": "Dushanbe",
                "online": False,
                "start": "2010-05-10",
                "end": "2010-05-14",
                "participants_women": 6,
                "participants_men": 14,
                "partner_organisations": [wco.pk],
                "results": "Twenty Tajik and Afghan customs officers trained.",
            }
        ],
    }


def test_field_user_creates_a_draft_with_nested_items(api_as, oit_user, payload):
    response = api_as(oit_user).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["items"][0]["participants_total"] == 20
    assert body["items"][0]["participants_unrecorded"] == 0
    report = ActivityReport.objects.get(pk=body["id"])
    assert report.items.get().partner_organisations.get().acronym == "WCO"
    assert report.created_by == oit_user


def test_whole_report_can_be_created_and_submitted_in_one_request(api_as, oit_user, payload):
    response = api_as(oit_user).post(URL, {**payload, "submit": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    assert ActivityReport.objects.get().status == S.SUBMITTED


def test_create_then_submit_action(api_as, oit_user, payload):
    client = api_as(oit_user)
    report_id = client.post(URL, payload, format="json").json()["id"]
    response = client.post(f"{URL}{report_id}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert ActivityReport.objects.get(pk=report_id).submitted_by == oit_user


def test_item_errors_come_back_by_index_and_nothing_is_created(api_as, oit_user, payload):
    good = payload["items"][0]
    bad = {**good, "start": "2010-03-20", "participants_men": 4}
    response = api_as(oit_user).post(URL, {**payload, "items": [good, bad]}, format="json")
    assert response.status_code == 400
    items = response.json()["items"]
    assert items[0] == {}
    assert "start" in items[1]
    assert not ActivityReport.objects.exists()


def test_negative_participants_are_a_400_by_index(api_as, oit_user, payload):
    bad = {**payload["items"][0], "participants_women": -1}
    response = api_as(oit_user).post(URL, {**payload, "items": [bad]}, format="json")
    assert response.status_code == 400
    assert "participants_women" in response.json()["items"][0]
    assert not ReportedActivity.objects.exists()


def test_second_report_for_a_period_is_a_400_on_period_start(api_as, oit_user, payload):
    client = api_as(oit_user)
    assert client.post(URL, payload, format="json").status_code == 201
    response = client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["period_start"] == ["This structure already has a report for this period."]
    assert ActivityReport.objects.count() == 1


def test_period_must_be_whole_quarter(api_as, oit_user, payload):
    response = api_as(oit_user).post(URL, {**payload, "period_end": "2010-05-31", "items": []}, format="json")
    assert response.status_code == 400
    assert "period_end" in response.json()
    assert not ActivityReport.objects.exists()


def test_update_draft_replaces_items_and_keeps_ids(api_as, oit_user, payload):
    client = api_as(oit_user)
    body = client.post(URL, payload, format="json").json()
    item = {**body["items"][0], "title": "Renamed course"}
    item.pop("participants_total")
    response = client.patch(f"{URL}{body['id']}/", {"summary": "One course.", "items": [item]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["items"][0]["id"] == item["id"]
    assert ReportedActivity.objects.get().title == "Renamed course"
    assert ActivityReport.objects.get().summary == "One course."


# --- permissions across two field operations ----------------------------------------------------------------------


def test_other_operation_cannot_see_or_change_the_report(api_as, oit_user, bishkek_user, payload):
    report_id = api_as(oit_user).post(URL, payload, format="json").json()["id"]
    client = api_as(bishkek_user)
    assert client.get(f"{URL}{report_id}/").status_code == 404
    assert client.patch(f"{URL}{report_id}/", {"summary": "x"}, format="json").status_code == 404
    assert client.post(f"{URL}{report_id}/submit/").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert ActivityReport.objects.get(pk=report_id).summary == ""


def test_field_user_cannot_create_a_report_for_another_operation(api_as, bishkek_user, payload):
    response = api_as(bishkek_user).post(URL, payload, format="json")
    assert response.status_code == 403
    assert not ActivityReport.objects.exists()


def test_reviewer_cannot_edit_but_can_return_and_accept(api_as, oit_user, secretariat_user, payload):
    report_id = api_as(oit_user).post(URL, {**payload, "submit": True}, format="json").json()["id"]
    client = api_as(secretariat_user)
    assert client.patch(f"{URL}{report_id}/", {"summary": "reviewer text"}, format="json").status_code == 403
    missing_comment = client.post(f"{URL}{report_id}/return/", {}, format="json")
    assert missing_comment.status_code == 400 and "comment" in missing_comment.json()
    returned = client.post(f"{URL}{report_id}/return/", {"comment": "Add the partner."}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Add the partner."
    assert api_as(oit_user).post(f"{URL}{report_id}/submit/").status_code == 200
    accepted = api_as(secretariat_user).post(f"{URL}{report_id}/accept/", {}, format="json")
    assert accepted.status_code == 200
    report = ActivityReport.objects.get(pk=report_id)
    assert report.status == S.ACCEPTED and report.summary == ""
    assert [t["to_status"] for t in accepted.json()["transitions"]] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_refused_transition_is_a_400(api_as, oit_user, coordinator, payload):
    report_id = api_as(oit_user).post(URL, payload, format="json").json()["id"]
    response = api_as(coordinator).post(f"{URL}{report_id}/accept/", {}, format="json")
    # A coordinator does not see another structure's draft at all.
    assert response.status_code == 404
    api_as(oit_user).post(f"{URL}{report_id}/submit/")
    assert api_as(coordinator).post(f"{URL}{report_id}/accept/", {}, format="json").status_code == 200
    again = api_as(coordinator).post(f"{URL}{report_id}/return/", {"comment": "late thought"}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    assert ActivityReport.objects.get(pk=report_id).status == S.ACCEPTED


def test_field_user_cannot_review(api_as, oit_user, payload):
    client = api_as(oit_user)
    report_id = client.post(URL, {**payload, "submit": True}, format="json").json()["id"]
    assert client.post(f"{URL}{report_id}/accept/", {}, format="json").status_code == 403
    assert ActivityReport.objects.get(pk=report_id).status == S.SUBMITTED


def test_delegation_sees_only_accepted_items_without_comments_or_unpublished_files(api_as, office_tj):
    accepted = ReportedActivityFactory(
        report__structure=office_tj,
        report__status=S.ACCEPTED,
        report__first_submitted_at=_at(date(2010, 7, 2)),
        report__review_comment="Internal remark",
    ).report
    ReportAttachment.objects.create(
        report=accepted, file="a.pdf", original_name="internal.pdf", content_type="application/pdf", size=3
    )
    ReportAttachment.objects.create(
        report=accepted,
        file="b.pdf",
        original_name="public.pdf",
        content_type="application/pdf",
        size=3,
        published=True,
    )
    ReportedActivityFactory(
        report__structure=office_tj,
        report__period_start=date(2010, 1, 1),
        report__period_end=date(2010, 3, 31),
        report__status=S.SUBMITTED,
        report__first_submitted_at=_at(date(2010, 4, 2)),
    )
    delegation = make_user(Role.DELEGATION)
    client = api_as(delegation)
    body = client.get(URL).json()
    assert body["count"] == 1
    report = body["results"][0]
    assert report["id"] == accepted.pk
    assert "review_comment" not in report and "transitions" not in report and "submitted_by" not in report
    assert [a["original_name"] for a in report["attachments"]] == ["public.pdf"]
    assert report["items"][0]["participants_total"] == 20
    assert client.post(URL, {}, format="json").status_code == 403
    assert ActivityReport.objects.count() == 2


def test_delegation_gets_no_links_to_internal_events_or_unapproved_projects(api_as, office_tj):
    internal = EventFactory(visibility=Event.Visibility.INTERNAL)
    public = EventFactory(visibility=Event.Visibility.PUBLIC)
    proposal = ProjectFactory(status=Project.Status.PROPOSAL)
    ongoing = ProjectFactory(status=Project.Status.ONGOING)
    report = ReportedActivityFactory(
        report__structure=office_tj,
        report__status=S.ACCEPTED,
        report__first_submitted_at=_at(date(2010, 7, 2)),
        event=internal,
        project=proposal,
    ).report
    ReportedActivityFactory(report=report, event=public, project=ongoing)
    items = api_as(make_user(Role.DELEGATION)).get(f"{URL}{report.pk}/").json()["items"]
    assert [(i["event"], i["project"]) for i in items] == [(None, None), (public.pk, ongoing.pk)]
    staff_items = api_as(make_user(Role.SECRETARIAT)).get(f"{URL}{report.pk}/").json()["items"]
    assert [(i["event"], i["project"]) for i in staff_items] == [(internal.pk, proposal.pk), (public.pk, ongoing.pk)]
    assert ReportedActivity.objects.filter(report=report, event=internal, project=proposal).exists()


# --- attachments --------------------------------------------------------------------------------------------------


def test_attachment_upload_endpoint(api_as, client_as, oit_user, payload):
    client = api_as(oit_user)
    report_id = client.post(URL, payload, format="json").json()["id"]
    response = client.post(
        f"{URL}{report_id}/attachments/",
        {"file": SimpleUploadedFile("photo.png", PNG), "published": "true"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "image/png"
    attachment = ReportAttachment.objects.get()
    assert attachment.published and attachment.report_id == report_id
    listed = client.get(f"{URL}{report_id}/").json()["attachments"]
    assert [a["id"] for a in listed] == [attachment.pk]
    download = client_as(oit_user).get(listed[0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    deleted = client.delete(f"{URL}{report_id}/attachments/{attachment.pk}/")
    assert deleted.status_code == 204
    assert not ReportAttachment.objects.exists()


def test_wrong_type_and_oversize_uploads_are_400_and_the_draft_is_kept(api_as, oit_user, payload, settings):
    client = api_as(oit_user)
    report_id = client.post(URL, payload, format="json").json()["id"]
    wrong = client.post(
        f"{URL}{report_id}/attachments/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary")},
        format="multipart",
    )
    assert wrong.status_code == 400
    assert "not an allowed type" in wrong.json()["file"][0]
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = client.post(
        f"{URL}{report_id}/attachments/",
        {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 1024 * 1024))},
        format="multipart",
    )
    assert big.status_code == 400
    assert "at most 1.0 MB" in big.json()["file"][0]
    assert not ReportAttachment.objects.exists()
    report = ActivityReport.objects.get(pk=report_id)
    assert report.status == S.DRAFT and report.items.count() == 1


def test_other_operation_cannot_upload(api_as, oit_user, bishkek_user, payload):
    report_id = api_as(oit_user).post(URL, payload, format="json").json()["id"]
    response = api_as(bishkek_user).post(
        f"{URL}{report_id}/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 404
    assert not ReportAttachment.objects.exists()


# --- query counts -------------------------------------------------------------------------------------------------


def _reports(count: int, structure, first: int = 0):
    for index in range(first, first + count):
        year = 2000 + index
        report = ActivityReportFactory(
            structure=structure,
            period_start=date(year, 1, 1),
            period_end=date(year, 3, 31),
            status=S.SUBMITTED,
            first_submitted_at=_at(date(year, 4, 2)),
        )
        for _ in range(2):
            item = ReportedActivityFactory(report=report)
            item.partner_organisations.set([PartnerOrganisationFactory()])


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FIELD, Role.DELEGATION])
def test_list_query_count_does_not_grow_with_rows(role, db, api_as, django_assert_num_queries):
    structure = FieldOperationFactory()
    user = make_user(role, structure=structure) if role == Role.FIELD else make_user(role)
    client = api_as(user)
    _reports(2, structure)
    if role == Role.DELEGATION:
        ActivityReport.objects.update(status=S.ACCEPTED)
    client.get(URL)  # warm the role cache on the user object
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).json()["count"] == 2
    _reports(6, structure, first=2)
    ActivityReport.objects.filter(period_start__year__gte=2002).update(
        status=S.ACCEPTED if role == Role.DELEGATION else S.SUBMITTED
    )
    with django_assert_num_queries(len(small)):
        assert client.get(URL).json()["count"] == 8


def test_openapi_schema_documents_the_report_endpoints(api_as, coordinator):
    response = api_as(coordinator).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/activity-reports/",
        "/api/activity-reports/{id}/submit/",
        "/api/activity-reports/{id}/return/",
        "/api/activity-reports/{id}/accept/",
        "/api/activity-reports/{id}/attachments/",
    ):
        assert path in paths
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATION])
def test_list_shows_each_items_areas_and_partners_as_the_detail_does(role, db, api_as, area):
    structure = FieldOperationFactory()
    report = ActivityReportFactory(
        structure=structure,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        status=S.ACCEPTED,
        first_submitted_at=_at(date(2010, 4, 2)),
    )
    partners = [PartnerOrganisationFactory(acronym="WCO"), PartnerOrganisationFactory(acronym="UNODC")]
    with_both = ReportedActivityFactory(report=report)
    with_both.thematic_areas.set([area])
    with_both.partner_organisations.set(partners)
    ReportedActivityFactory(report=report).thematic_areas.set([])
    client = api_as(make_user(role))
    listed = client.get(URL).json()["results"][0]["items"]
    detail = client.get(f"{URL}{report.pk}/").json()["items"]
    assert listed == detail
    by_id = {item["id"]: item for item in listed}
    assert by_id[with_both.pk]["thematic_areas"] == [area.pk]
    assert sorted(by_id[with_both.pk]["partner_organisations"]) == sorted(p.pk for p in partners)
    assert len(by_id) == 2
