"""No lost update, the core mechanism (programmes.versioning) and projects: the version, the services' check, the
API's ETag / If-Match and the edit page's conflict notice."""

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import Project
from programmes.versioning import VersionConflict, etag_for, version_from_etag
from tests.factories import ProjectFactory
from tests.versioning import editor, page_form_data

pytestmark = pytest.mark.django_db


# --- the mechanism ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "version"),
    [('"v3"', 3), ('W/"v12"', 12), ("v3", 0), ('"3"', 0), ('"vx"', 0), ("", 0), ('"v"', 0)],
)
def test_if_match_tags_name_a_version_or_none(tag, version):
    assert version_from_etag(tag) == version


def test_etag_round_trips_through_if_match():
    assert version_from_etag(etag_for(7)) == 7


def test_a_new_row_starts_at_version_one_and_every_save_counts():
    project = ProjectFactory()
    assert Project.objects.get(pk=project.pk).version == 1

    project.title = "Renamed"
    project.save()
    project.save(update_fields=["title"])

    assert project.version == 3
    assert Project.objects.get(pk=project.pk).version == 3


# --- services -----------------------------------------------------------------------------------------------------


def test_project_update_with_the_current_version_saves_and_moves_the_version_on():
    project = ProjectFactory(title="Old")
    read = project.version

    saved = services.project_update(project=project, data={"title": "New"}, expected_version=read)

    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.version) == ("New", read + 1)
    assert saved.version == stored.version


def test_project_update_based_on_an_older_version_is_refused_and_changes_nothing():
    project = ProjectFactory(title="Old")
    read = project.version
    services.project_update(project=project, data={"title": "Theirs"}, expected_version=read)

    with pytest.raises(VersionConflict) as caught:
        services.project_update(project=project, data={"title": "Mine", "summary": "x"}, expected_version=read)

    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.summary, stored.version) == ("Theirs", "", read + 1)
    assert (caught.value.expected, caught.value.current.version) == (read, read + 1)


def test_project_update_without_a_version_writes_as_before():
    project = ProjectFactory(title="Old")
    services.project_update(project=project, data={"title": "Theirs"})

    services.project_update(project=project, data={"title": "Mine"})

    assert Project.objects.get(pk=project.pk).title == "Mine"


# --- API ----------------------------------------------------------------------------------------------------------


def test_project_detail_answers_an_etag_that_changes_after_a_write(api_as, secretariat_user):
    project = ProjectFactory()
    client = api_as(secretariat_user)

    before = client.get(f"/api/projects/{project.pk}/")
    written = client.patch(
        f"/api/projects/{project.pk}/", {"title": "Renamed"}, format="json", HTTP_IF_MATCH=before["ETag"]
    )
    after = client.get(f"/api/projects/{project.pk}/")

    assert before.status_code == written.status_code == after.status_code == 200
    assert before["ETag"] == etag_for(before.json()["version"])
    assert written["ETag"] == after["ETag"] != before["ETag"]
    assert Project.objects.get(pk=project.pk).title == "Renamed"


def test_project_write_with_a_stale_if_match_is_412_with_json_and_changes_nothing(api_as, secretariat_user):
    project = ProjectFactory(title="Old")
    client = api_as(secretariat_user)
    stale = client.get(f"/api/projects/{project.pk}/")["ETag"]
    client.patch(f"/api/projects/{project.pk}/", {"title": "Theirs"}, format="json", HTTP_IF_MATCH=stale)

    response = client.put(
        f"/api/projects/{project.pk}/",
        {**client.get(f"/api/projects/{project.pk}/").json(), "title": "Mine"},
        format="json",
        HTTP_IF_MATCH=stale,
    )

    stored = Project.objects.get(pk=project.pk)
    assert response.status_code == 412
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["current_version"] == stored.version
    assert response["ETag"] == etag_for(stored.version)
    assert stored.title == "Theirs"


@pytest.mark.parametrize("header", [None, "*"])
def test_project_write_without_a_precondition_is_still_allowed(api_as, secretariat_user, header):
    project = ProjectFactory(title="Old")
    extra = {} if header is None else {"HTTP_IF_MATCH": header}

    response = api_as(secretariat_user).patch(f"/api/projects/{project.pk}/", {"title": "New"}, format="json", **extra)

    assert response.status_code == 200
    assert Project.objects.get(pk=project.pk).title == "New"


def test_project_write_with_an_etag_that_is_not_ours_is_412(api_as, secretariat_user):
    project = ProjectFactory(title="Old")

    response = api_as(secretariat_user).patch(
        f"/api/projects/{project.pk}/", {"title": "New"}, format="json", HTTP_IF_MATCH='"abc"'
    )

    assert response.status_code == 412
    assert Project.objects.get(pk=project.pk).title == "Old"


# --- HTML form ----------------------------------------------------------------------------------------------------


def test_two_editors_of_a_project_the_second_sees_the_first_change_and_keeps_what_they_typed(
    secretariat_user, coordinator
):
    project = ProjectFactory(title="Customs training", summary="")
    url = reverse("programmes:project_edit", args=[project.pk])
    first, second = editor(secretariat_user), editor(coordinator)
    first_data = page_form_data(first.get(url), "form", "pledges")
    second_data = page_form_data(second.get(url), "form", "pledges")

    saved = first.post(url, {**first_data, "title": "Border management course"})
    refused = second.post(url, {**second_data, "title": "Customs course, phase 2", "summary": "Typed by the second"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = Project.objects.get(pk=project.pk)
    assert (stored.title, stored.summary) == ("Border management course", "")
    form = refused.context["form"]
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in form.version_conflict}
    assert rows["Title"] == ("Border management course", "Customs course, phase 2")
    html = refused.content.decode()
    assert "Border management course" in html
    assert 'value="Customs course, phase 2"' in html
    assert "Typed by the second" in html
    assert form["version"].value() == str(stored.version)

    # Saving again, now that the other change is shown, is a deliberate overwrite.
    again = second.post(url, page_form_data(refused, "form", "pledges"))

    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.summary) == ("Customs course, phase 2", "Typed by the second")
