"""/healthz: public, reports database, cache, broker, worker and beat separately, never data."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from osce_tnt import health
from osce_tnt.celery import app as celery_app
from programmes.models import ServiceHeartbeat

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"


@pytest.fixture
def with_broker(settings):
    """Act as a deployment with a broker: the parts that need one are then checked, not "not configured"."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.BROKER_URL_FOR_TESTS or CLOSED_PORT_BROKER
    return settings


@pytest.fixture
def unreachable_broker(with_broker, monkeypatch):
    # A closed loopback port: a real connection attempt that is refused at once. Celery reads the broker URL
    # from the environment before its own configuration.
    with_broker.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT_BROKER)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    assert celery_app.conf.broker_write_url == CLOSED_PORT_BROKER
    return with_broker


def test_healthz_is_public_and_reports_each_part(client):
    response = client.get(reverse("healthz"))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    # The test settings run tasks in-process: there is no broker, worker or beat to be down.
    assert body["broker"] == body["worker"] == body["beat"] == "not configured"
    assert set(body) == {"status", "database", "cache", "broker", "worker", "beat", "required"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.skipif(not settings.BROKER_URL_FOR_TESTS, reason="needs CELERY_BROKER_URL (make test sets it)")
def test_healthz_reports_the_real_redis_broker_as_ok(client, with_broker):
    assert celery_app.conf.broker_url == settings.BROKER_URL_FOR_TESTS

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_an_unreachable_broker_answers_503_when_the_broker_is_required(client, unreachable_broker):
    unreachable_broker.PORTAL_HEALTH_REQUIRED = ["database", "broker"]

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"
    assert body["down"] == ["broker"]


def test_an_unreachable_broker_is_reported_but_not_fatal_when_not_required(client, unreachable_broker):
    unreachable_broker.PORTAL_HEALTH_REQUIRED = ["database"]

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"].startswith("error")


def test_worker_heartbeat_is_checked_on_request(client, with_broker):
    never = client.get(reverse("healthz"), {"require": "worker"})
    ServiceHeartbeat.objects.create(name="worker", seen_at=timezone.now())
    fresh = client.get(reverse("healthz"), {"require": "worker"})
    ServiceHeartbeat.objects.filter(name="worker").update(
        seen_at=timezone.now() - timedelta(seconds=settings.PORTAL_SERVICE_HEARTBEAT_MAX_AGE + 5)
    )
    stale = client.get(reverse("healthz"), {"require": "worker"})

    assert (never.status_code, never.json()["worker"]) == (503, "error: never seen")
    assert (fresh.status_code, fresh.json()["worker"], fresh.json()["required"]) == (200, "ok", ["worker"])
    assert stale.status_code == 503 and stale.json()["worker"].startswith("stale")
    assert stale.json()["beat"] == "error: never seen"  # reported separately, not required here


def test_a_database_that_is_down_answers_503(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: "error: OperationalError")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    health_response = client.get("/healthz")
    page = client.get("/projects/")

    assert health_response.status_code == 200
    assert page.status_code == 301 and page["Location"].startswith("https://")


def test_healthz_refuses_writes(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
    assert b"database" not in response.content
