"""Production readiness without a Docker engine: the compose file and Dockerfile are parsed and checked, and
``manage.py check --deploy`` runs with production values in a clean subprocess."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_the_five_production_services(compose):
    services = compose["services"]

    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:")
    assert _command(services["web"]).startswith("gunicorn osce_tnt.wsgi:application")
    assert _command(services["worker"]).startswith("celery -A osce_tnt worker")
    assert _command(services["beat"]).startswith("celery -A osce_tnt beat")
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["build"] == "."


def test_redis_is_bounded_and_evicts_only_keys_that_expire(compose):
    # Cache entries all expire (Django's default timeout or their own); the Celery queues do not and must stay.
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--maxmemory") + 1] == "512mb"
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"


def test_no_cache_entry_of_the_portal_is_stored_without_an_expiry_except_the_generations():
    # volatile-lru can evict only keys with an expiry: an entry stored for ever would fill a bounded Redis.
    sources = [
        p
        for app in ("osce_tnt", "programmes", "focal_points", "taskforces", "knowledge", "results")
        for p in (ROOT / app).rglob("*.py")
    ]
    forever = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sources
        for line in path.read_text().splitlines()
        if ("cache.set(" in line or "cache.add(" in line) and ("None)" in line or "timeout=None" in line)
    ]
    assert sorted(forever) == [
        "osce_tnt/reporting/cache.py: cache.add(GENERATION_KEY, 1, timeout=None)",
        "osce_tnt/reporting/cache.py: cache.add(GENERATION_KEY, 2, timeout=None)",
        "programmes/choice_cache.py: cache.set(key, 2, None)",
    ]


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_every_long_running_service_has_a_health_check(compose, name):
    check = compose["services"][name]["healthcheck"]

    assert not check.get("disable")
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert check["interval"] and check["retries"] >= 1


def test_web_health_check_probes_healthz(compose):
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_health_checks_ask_healthz_about_their_own_heartbeat(compose, name):
    assert f"/healthz?require={name}" in " ".join(compose["services"][name]["healthcheck"]["test"])


def test_web_runs_with_the_measured_gunicorn_configuration(compose):
    assert "-c gunicorn.conf.py" in _command(compose["services"]["web"])


def test_data_lives_in_named_volumes(compose):
    services, volumes = compose["services"], set(compose["volumes"])

    def named(service):
        return {v.split(":")[0] for v in services[service].get("volumes", [])}

    assert {"pgdata", "redisdata", "media"} <= volumes
    assert "pgdata" in named("db")
    assert "redisdata" in named("redis")
    assert "media" in named("web") and "media" in named("worker")
    assert named("beat") <= volumes
    for name in services:
        assert named(name) <= volumes  # no bind mounts of host folders


def test_application_services_wait_for_healthy_db_and_redis_and_migrations(compose):
    services = compose["services"]
    assert "migrate" in _command(services["migrate"]) and "load_reference_data" in _command(services["migrate"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_configuration_comes_from_an_env_file_and_no_secret_is_in_the_repository(compose):
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        assert ".env" in service["env_file"]
        env = service["environment"]
        assert env["DJANGO_DEBUG"] == "0"
        assert "DJANGO_SECRET_KEY" not in env  # only from .env
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["DATABASE_URL"].startswith("postgres://") and "${POSTGRES_PASSWORD" in env["DATABASE_URL"]
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    text = (ROOT / "docker-compose.yml").read_text() + (ROOT / "Dockerfile").read_text()
    assert not re.search(r"SECRET_KEY\s*[:=]\s*['\"]?[A-Za-z0-9_\-]{20,}", text)


def test_web_port_is_published_on_loopback_only(compose):
    assert all(port.startswith("127.0.0.1:") for port in compose["services"]["web"]["ports"])


def test_dockerfile_builds_a_slim_non_root_image_with_weasyprint_libraries_and_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [
        line.split()[0]
        for line in dockerfile.splitlines()
        if line and not line[0].isspace() and not line.startswith("#")
    ]

    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in instructions and "/healthz" in dockerfile
    assert "gunicorn" in dockerfile


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", ".git", ".env", "db.sqlite3", "media", "staticfiles"} <= ignored


def test_check_deploy_with_production_values_prints_no_warning(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "osce_tnt.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "tnt.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")


def _run_post_worker_init(warm_up_fails: bool) -> list:
    # In a subprocess: freezing, thresholds and the warm-up's imports are process-wide and must not leak into the
    # test run. The application is loaded first, as gunicorn has loaded it when it calls post_worker_init.
    script = (
        "import gc, json, runpy, sys, types\n"
        "import django\n"
        "django.setup()\n"
        "import osce_tnt.wsgi, osce_tnt.warmup\n"
        f"if {warm_up_fails!r}:\n"
        "    osce_tnt.warmup.warm_process = lambda: 1 / 0\n"
        f"conf = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})\n"
        "lines = []\n"
        "log = types.SimpleNamespace(info=lambda m, *a: lines.append('info'), exception=lambda m: lines.append(m))\n"
        "before = gc.get_freeze_count()\n"
        "conf['post_worker_init'](types.SimpleNamespace(log=log))\n"
        "urlconf = 'osce_tnt.urls' in sys.modules\n"
        "print(json.dumps([before, gc.get_freeze_count() > 10000, gc.get_threshold(), urlconf, lines]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "osce_tnt.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_gunicorn_worker_warms_up_then_freezes_its_start_up_objects_and_collects_young_objects_less_often():
    assert _run_post_worker_init(warm_up_fails=False) == [0, True, [7000, 10, 10], True, ["info"]]


def test_a_gunicorn_worker_whose_warm_up_fails_logs_it_and_still_starts_frozen():
    before, frozen, threshold, _urlconf, lines = _run_post_worker_init(warm_up_fails=True)

    assert (before, frozen, threshold) == (0, True, [7000, 10, 10])
    assert lines == ["Warm-up failed; the worker loads on its first requests instead"]
