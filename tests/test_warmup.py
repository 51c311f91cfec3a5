"""The web process's warm-up (osce_tnt/warmup.py, called by gunicorn's post_worker_init)."""

import json
import logging
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from osce_tnt import warmup

ROOT = Path(__file__).resolve().parent.parent

# A new process, as a gunicorn worker is after loading the WSGI application: what is loaded before and after.
_FRESH_PROCESS = """
import json, sys
import django
django.setup()
import osce_tnt.wsgi
from django.template import engines
from django.utils.translation import trans_real

def state():
    loader = engines["django"].engine.template_loaders[0]
    return {
        "urlconf": "osce_tnt.urls" in sys.modules,
        "views": "programmes.events.views" in sys.modules,
        "languages": sorted(trans_real._translations),
        "templates": len(loader.get_template_cache),
    }

before = state()
from osce_tnt.warmup import warm_process
loaded = warm_process()
print(json.dumps({"before": before, "after": state(), "loaded": loaded}))
"""


def test_warm_process_loads_the_urlconf_every_catalogue_and_every_portal_template_in_a_new_process():
    env = {"DJANGO_SETTINGS_MODULE": "osce_tnt.settings_test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    out = json.loads(result.stdout.strip().splitlines()[-1])

    languages = {code for code, _name in settings.LANGUAGES}
    assert (out["before"]["urlconf"], out["before"]["views"], out["before"]["templates"]) == (False, False, 0)
    assert not languages <= set(out["before"]["languages"])
    assert out["after"]["urlconf"] and out["after"]["views"]
    assert set(out["after"]["languages"]) >= languages
    assert out["loaded"]["templates"] == len(warmup.project_template_names()) > 100
    assert out["after"]["templates"] >= out["loaded"]["templates"]


def test_project_templates_are_the_portals_own_and_not_the_installed_packages():
    names = warmup.project_template_names()

    assert {"base.html", "reporting/dashboard.html", "events/event_detail.html"} <= set(names)
    assert not [name for name in names if name.startswith(("admin/", "rest_framework/", "django/"))]


def test_a_template_that_does_not_compile_is_logged_and_the_others_still_compile(tmp_path, monkeypatch, caplog):
    (tmp_path / "broken.html").write_text("{% if %}")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    monkeypatch.setattr(warmup, "project_template_names", lambda: ["broken.html", "base.html"])

    with override_settings(TEMPLATES=templates), caplog.at_level(logging.ERROR, logger="osce_tnt.warmup"):
        loaded = warmup.warm_process()

    assert loaded["templates"] == 1
    assert [record.getMessage() for record in caplog.records] == ["Template broken.html does not compile"]
