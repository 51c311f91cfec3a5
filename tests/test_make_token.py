"""Issue 11 §4: the README's token command works after ``make demo`` without guessing DJANGO_DEBUG=1."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_token_runs_drf_create_token_with_the_demo_settings():
    out = subprocess.run(
        ["make", "-n", "token", "USER=coordinator"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout

    assert 'DJANGO_DEBUG=1 PORTAL_DEMO=1 .venv/bin/python manage.py drf_create_token "coordinator"' in out


def test_demo_settings_need_no_secret_key_for_management_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PORTAL_"))}
    env.update(DJANGO_DEBUG="1", PORTAL_DEMO="1", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")

    result = subprocess.run(
        [sys.executable, "manage.py", "drf_create_token", "nobody"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    # The database is empty, so the command fails later, but never on the settings.
    assert "DJANGO_SECRET_KEY" not in result.stderr
    assert "ImproperlyConfigured" not in result.stderr
