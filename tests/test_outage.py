"""A database that goes away is answered with 503 (JSON for the API, a plain page for people), never a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from programmes.models import FormSubmission
from programmes.permissions import Role
from tests.factories import make_user


def _lost_connection(request):
    raise OperationalError("server closed the connection unexpectedly")


def _closed_cursor(request):
    raise InterfaceError("connection already closed")


def _not_a_database_error(request):
    raise ValueError("a bug")


_created: list[str] = []


def _create(request):
    if request.method == "POST":
        if request.POST.get("title") == "":
            return HttpResponse("form with errors", status=200)
        _created.append(request.POST["title"])
        return HttpResponse(status=302, headers={"Location": f"/things/{len(_created)}/"})
    return HttpResponse("form")


urlpatterns = [
    path("api/lost/", _lost_connection),
    path("page/lost/", _lost_connection),
    path("page/closed/", _closed_cursor),
    path("api/bug/", _not_a_database_error),
    path("things/new/", _create),
    path("", include("osce_tnt.urls")),
]
handler500 = "osce_tnt.views.server_error"
pytestmark = pytest.mark.urls("tests.test_outage")


def test_an_api_client_gets_503_json_while_the_database_is_away(client):
    response = client.get("/api/lost/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"]


@pytest.mark.parametrize("url", ["/page/lost/", "/page/closed/"])
def test_a_person_gets_a_plain_503_page_without_a_traceback(client, url):
    response = client.get(url)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"database cannot be reached" in response.content
    assert b"Traceback" not in response.content and b"OperationalError" not in response.content


def test_other_api_errors_stay_500_but_in_json():
    client = Client(raise_request_exception=False)

    response = client.get("/api/bug/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


@pytest.mark.django_db
def test_a_create_form_sent_twice_creates_once_and_the_copy_goes_where_the_first_went(client):
    _created.clear()
    client.force_login(make_user(Role.SECRETARIAT))

    first = client.post("/things/new/", {"title": "Workshop", "form_token": "t-1"})
    second = client.post("/things/new/", {"title": "Workshop", "form_token": "t-1"})
    other = client.post("/things/new/", {"title": "Seminar", "form_token": "t-2"})

    assert _created == ["Workshop", "Seminar"]
    assert first["Location"] == second["Location"] == "/things/1/"
    assert other["Location"] == "/things/2/"
    assert FormSubmission.objects.get(token="t-1").redirect_to == "/things/1/"


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_releases_its_token(client):
    _created.clear()

    invalid = client.post("/things/new/", {"title": "", "form_token": "t-3"})
    corrected = client.post("/things/new/", {"title": "Fixed", "form_token": "t-3"})

    assert invalid.status_code == 200
    assert corrected.status_code == 302 and _created == ["Fixed"]


@pytest.mark.django_db
def test_a_copy_sent_while_the_first_is_still_saving_is_refused(client):
    _created.clear()
    FormSubmission.objects.create(token="t-4", path="/things/new/")  # the first request has not finished

    response = client.post("/things/new/", {"title": "Workshop", "form_token": "t-4"})

    assert response.status_code == 409 and _created == []


@pytest.mark.django_db
def test_create_pages_carry_a_one_time_token(client):
    client.force_login(make_user(Role.SECRETARIAT))

    first = client.get("/calendar/events/new/").content.decode()
    second = client.get("/calendar/events/new/").content.decode()

    def token(html: str) -> str:
        marker = 'name="form_token" value="'
        return html[html.index(marker) + len(marker) :].split('"', 1)[0]

    assert token(first) and token(first) != token(second)
    assert "js/forms.js" in first
