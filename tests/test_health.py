"""/healthz: public, reports the database and the broker, never data."""

import pytest
from django.conf import settings
from django.urls import reverse

from osce_tnt.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_is_public_and_reports_the_database(client):
    response = client.get(reverse("healthz"))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("eager")  # the test settings run tasks in-process
    assert set(body) == {"status", "database", "broker"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.skipif(not settings.BROKER_URL_FOR_TESTS, reason="needs CELERY_BROKER_URL (make test sets it)")
def test_healthz_reports_the_real_redis_broker_as_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert celery_app.conf.broker_url == settings.BROKER_URL_FOR_TESTS

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_reports_an_unreachable_broker_without_failing(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # A closed loopback port: a real connection attempt that is refused at once. Celery reads the broker URL
    # from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    assert celery_app.conf.broker_write_url == "redis://127.0.0.1:9/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200  # the portal still serves pages; tasks wait
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    page = client.get("/projects/")

    assert health.status_code == 200
    assert page.status_code == 301 and page["Location"].startswith("https://")


def test_healthz_refuses_writes(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
    assert b"database" not in response.content
