"""Settings for the benchmark: production settings (DEBUG off, manifest static files, PostgreSQL) plus a urlconf
that adds a bare Django view as the baseline. bench/run.py sets the environment before Django loads this."""

import os
import secrets

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")  # plain HTTP on loopback
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from osce_tnt.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/osce-tnt-bench-static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names as in production; collected into a temporary folder by bench/run.py.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Cookies travel over plain HTTP here.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Counts SQL queries per request into a response header the benchmark reads (bench only).
MIDDLEWARE = ["bench.middleware.SQLCountMiddleware", *MIDDLEWARE]  # noqa: F405
