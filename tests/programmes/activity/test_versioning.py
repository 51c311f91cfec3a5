"""No lost update on activity reports: the service's version check, the API's ETag / If-Match and the editor."""

import pytest
from django.urls import reverse

from programmes.activity import services
from programmes.activity.models import ActivityReport
from programmes.permissions import Role
from programmes.versioning import VersionConflict, etag_for
from tests.factories import make_user
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.versioning import editor, page_form_data, two_api_writes

pytestmark = pytest.mark.django_db

URL = "/api/activity-reports/"


@pytest.fixture
def draft(office_tj, area, tajikistan):
    report = ActivityReportFactory(structure=office_tj, summary="")
    ReportedActivityFactory(report=report, title="Patrol leadership course", thematic_areas=[area], state=tajikistan)
    return ActivityReport.objects.get(pk=report.pk)


@pytest.fixture
def oit_colleague(office_tj):
    return make_user(Role.FIELD, structure=office_tj, email="colleague@example.org")


def test_report_update_based_on_an_older_version_is_refused_and_changes_nothing(draft, oit_user):
    read = draft.version
    services.report_update(report=draft, actor=oit_user, summary="Theirs", expected_version=read)

    with pytest.raises(VersionConflict):
        services.report_update(report=draft, actor=oit_user, summary="Mine", items=[], expected_version=read)

    stored = ActivityReport.objects.get(pk=draft.pk)
    assert (stored.summary, stored.version, stored.items.count()) == ("Theirs", read + 1, 1)


def test_report_update_with_the_current_version_saves(draft, oit_user):
    services.report_update(report=draft, actor=oit_user, summary="Mine", expected_version=draft.version)

    assert ActivityReport.objects.get(pk=draft.pk).summary == "Mine"


def test_report_api_answers_412_to_a_stale_if_match_and_a_new_etag_after_a_write(api_as, oit_user, draft):
    read, first, second = two_api_writes(
        api_as(oit_user), f"{URL}{draft.pk}/", {"summary": "Theirs"}, {"summary": "Mine"}
    )

    stored = ActivityReport.objects.get(pk=draft.pk)
    assert read.status_code == 200 and read["ETag"] == etag_for(draft.version)
    assert first.status_code == 200 and first["ETag"] == etag_for(stored.version) != read["ETag"]
    assert second.status_code == 412 and second.json()["current_version"] == stored.version
    assert stored.summary == "Theirs"


def test_report_api_without_if_match_still_writes(api_as, oit_user, draft):
    response = api_as(oit_user).patch(f"{URL}{draft.pk}/", {"summary": "Mine"}, format="json")

    assert response.status_code == 200
    assert ActivityReport.objects.get(pk=draft.pk).summary == "Mine"


def test_two_editors_of_a_report_the_second_sees_the_first_change_and_keeps_what_they_typed(
    draft, oit_user, oit_colleague
):
    url = reverse("activity:report_edit", args=[draft.pk])
    first, second = editor(oit_user), editor(oit_colleague)
    first_data = page_form_data(first.get(url), "form", "formset")
    second_data = page_form_data(second.get(url), "form", "formset")

    saved = first.post(url, {**first_data, "summary": "Two courses in Dushanbe.", "save": "1"})
    refused = second.post(
        url, {**second_data, "summary": "One course.", "items-0-title": "Border patrol course", "save": "1"}
    )

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = ActivityReport.objects.get(pk=draft.pk)
    assert stored.summary == "Two courses in Dushanbe."
    assert list(stored.items.values_list("title", flat=True)) == ["Patrol leadership course"]
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in refused.context["form"].version_conflict}
    assert rows["Summary"] == ("Two courses in Dushanbe.", "One course.")
    assert rows["Activities"] == ("Patrol leadership course", "Border patrol course")
    html = refused.content.decode()
    assert "One course." in html and 'value="Border patrol course"' in html
