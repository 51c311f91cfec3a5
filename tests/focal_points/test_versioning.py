"""No lost update on focal points: the service's version check, the API's ETag / If-Match and the edit page."""

import pytest
from django.urls import reverse

from focal_points import services
from focal_points.models import FocalPoint
from programmes.permissions import Role
from programmes.versioning import VersionConflict, etag_for
from tests.factories import make_user
from tests.focal_points.factories import FocalPointFactory
from tests.versioning import editor, page_form_data, two_api_writes

pytestmark = pytest.mark.django_db


def test_focal_point_update_based_on_an_older_version_is_refused_and_changes_nothing():
    person = FocalPointFactory(authority="Ministry of the Interior")
    read = person.version
    services.focal_point_update(focal_point=person, data={"authority": "Border Service"}, expected_version=read)

    with pytest.raises(VersionConflict):
        services.focal_point_update(focal_point=person, data={"authority": "Customs"}, expected_version=read)

    stored = FocalPoint.objects.get(pk=person.pk)
    assert (stored.authority, stored.version) == ("Border Service", read + 1)


def test_focal_point_update_with_the_current_version_saves():
    person = FocalPointFactory(authority="Ministry of the Interior")

    services.focal_point_update(focal_point=person, data={"authority": "Customs"}, expected_version=person.version)

    assert FocalPoint.objects.get(pk=person.pk).authority == "Customs"


def test_focal_point_api_answers_412_to_a_stale_if_match_and_a_new_etag_after_a_write(api_as, secretariat_user):
    person = FocalPointFactory(authority="Ministry of the Interior")
    url = f"/api/focal-points/{person.pk}/"

    read, first, second = two_api_writes(
        api_as(secretariat_user), url, {"authority": "Border Service"}, {"authority": "Customs"}
    )

    stored = FocalPoint.objects.get(pk=person.pk)
    assert read["ETag"] == etag_for(person.version)
    assert first.status_code == 200 and first["ETag"] == etag_for(stored.version) != read["ETag"]
    assert second.status_code == 412
    assert second.json()["current_version"] == stored.version
    assert stored.authority == "Border Service"


def test_focal_point_api_without_if_match_still_writes(api_as, secretariat_user):
    person = FocalPointFactory(authority="Ministry of the Interior")

    response = api_as(secretariat_user).patch(
        f"/api/focal-points/{person.pk}/", {"authority": "Customs"}, format="json"
    )

    assert response.status_code == 200
    assert FocalPoint.objects.get(pk=person.pk).authority == "Customs"


def test_two_editors_of_a_focal_point_the_second_sees_the_first_change_and_keeps_what_they_typed(secretariat_user):
    person = FocalPointFactory(authority="Ministry of the Interior", job_title="Focal point")
    url = reverse("focal_points:focal_point_edit", args=[person.pk])
    first, second = editor(secretariat_user), editor(make_user(Role.SECRETARIAT, email="second@example.org"))
    first_data = page_form_data(first.get(url), "form")
    second_data = page_form_data(second.get(url), "form")

    saved = first.post(url, {**first_data, "authority": "State Border Service"})
    refused = second.post(url, {**second_data, "authority": "Customs Committee", "job_title": "Head of unit"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    stored = FocalPoint.objects.get(pk=person.pk)
    assert (stored.authority, stored.job_title) == ("State Border Service", "Focal point")
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in refused.context["form"].version_conflict}
    assert rows["State authority"] == ("State Border Service", "Customs Committee")
    html = refused.content.decode()
    assert 'value="Customs Committee"' in html and 'value="Head of unit"' in html
    assert "State Border Service" in html
