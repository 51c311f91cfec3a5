"""The portal's own 403, 404 and 500 pages, and the favicon."""

import pytest
from django.test import override_settings
from django.urls import path

from programmes.permissions import Role
from tests.factories import make_user


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_404_is_the_portal_page(client_as):
    response = client_as(make_user(Role.FIELD)).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "skip-link" in response.content.decode()


@pytest.mark.django_db
def test_403_is_the_portal_page(client_as):
    response = client_as(make_user(Role.DELEGATION)).get("/activity-reports/review/")
    assert response.status_code == 403
    assert "You are not allowed to see this page" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_the_portal_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_favicon_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url.endswith("favicon.svg")
