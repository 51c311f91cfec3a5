"""Settings for the test suite: the real settings plus a few test-only choices.

``make test`` exports DATABASE_URL, REDIS_URL and CELERY_BROKER_URL for a live PostgreSQL and Redis."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from osce_tnt.settings import *  # noqa: F403
from osce_tnt.settings import BASE_DIR, CELERY_BROKER_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process so tests see their effects; tests that need the real broker use BROKER_URL_FOR_TESTS.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
BROKER_URL_FOR_TESTS = CELERY_BROKER_URL
# The outbox stays on although tasks are eager: osce_tnt.settings decided it before eager was set here, and the
# suite should exercise the production path (an outbox row in the request's transaction, relayed on commit).
PORTAL_JOB_OUTBOX = True
# A Celery worker started by a browser test (tests/e2e) is told the test's media folder.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / ".tmp" / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
