"""Settings come from the environment: each case imports the real settings module in a clean subprocess."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = (
    "import json; from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, "
    "'email_port': s.EMAIL_PORT, 'secure_cookie': s.SESSION_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT}))"
)
SECRET = "s3cr3t-" + "k" * 50


def run_settings(**env) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_SETTINGS_MODULE": "osce_tnt.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(**env) -> dict:
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(**env) -> str:
    result = run_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_secret_key_is_required_when_debug_is_off():
    assert "DJANGO_SECRET_KEY is required" in refused()
    assert "DJANGO_SECRET_KEY is required" in refused(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="  ")


def test_debug_runs_on_embedded_defaults():
    values = loaded(DJANGO_DEBUG="1")

    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True and values["broker"] is None  # no Redis needed
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["hosts"] == ["127.0.0.1", "localhost"]


def test_production_values_are_read_and_secure_defaults_apply():
    values = loaded(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="tnt.example.org, www.tnt.example.org",
        DATABASE_URL="postgres://tnt:pw@db:5432/tnt",
        CELERY_BROKER_URL="redis://redis:6379/0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_PORT="587",
    )

    assert values["debug"] is False
    assert values["hosts"] == ["tnt.example.org", "www.tnt.example.org"]
    assert (values["engine"], values["name"]) == ("django.db.backends.postgresql", "tnt")
    assert values["eager"] is False and values["broker"] == "redis://redis:6379/0"
    assert (values["email"], values["email_port"]) == ("django.core.mail.backends.smtp.EmailBackend", 587)
    assert values["secure_cookie"] is True and values["hsts"] >= 31536000 and values["ssl_redirect"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("EMAIL_PORT", "0"),
        ("DATABASE_CONN_MAX_AGE", "-1"),
        ("DJANGO_HSTS_SECONDS", "one year"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("DATABASE_URL", "not-a-database-url"),
        ("CELERY_BROKER_URL", "localhost:6379"),
        ("PORTAL_ATTACHMENT_MAX_MB", "0"),
    ],
)
def test_malformed_values_are_refused_at_start(name, value):
    stderr = refused(**{"DJANGO_DEBUG": "1", name: value})
    assert name in stderr


def test_test_settings_point_at_the_configured_services():
    import os

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert (os.environ.get("CELERY_BROKER_URL") or None) == settings.BROKER_URL_FOR_TESTS
