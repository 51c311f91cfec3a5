"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so the system Chromium is used (``make e2e`` installs it).
Every flow runs in three modes: ``desktop`` (JavaScript on, 1280 px), ``nojs`` (JavaScript off) and ``mobile``
(390 px, touch). Screenshots go to ``test-output/screenshots/<lang>/``; axe-core results per page go to
``test-output/axe/<lang>.json`` and any serious or critical WCAG 2.1 A/AA violation fails the test."""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings

from programmes.models import ExecutiveStructure, ParticipatingState
from programmes.permissions import Role
from tests.factories import TEST_PASSWORD, make_user

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Without these Chromium tries to reach Google's update and safe-browsing servers, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
OUTPUT = Path(settings.BASE_DIR) / "test-output"
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": True},
    "nojs": {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "java_script_enabled": True,
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
}

_axe_lock = threading.Lock()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    # The live server runs Django in a thread of this process; Playwright's sync API runs its own event loop,
    # which makes Django think it is inside async code when a fixture touches the database.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """The core reference data (structures, States, areas, projects): the full command also loads thousands of
    calendar events and reports, which takes most of a minute per test on this machine."""
    from programmes.reference_data import load_core

    load_core()


@pytest.fixture
def people(reference_data):
    """One account per role, on the reference structures the demo accounts use."""
    structure = ExecutiveStructure.objects.get
    return {
        "field": make_user(
            Role.FIELD, structure=structure(acronym="OiT"), username="field", first_name="Farhod", last_name="Field"
        ),
        "coordinator": make_user(
            Role.COORDINATOR,
            structure=structure(acronym="TNT-D"),
            username="coordinator",
            first_name="Clara",
            last_name="Coordinator",
        ),
        "secretariat": make_user(
            Role.SECRETARIAT,
            structure=structure(acronym="ATU"),
            username="secretariat",
            first_name="Sami",
            last_name="Secretariat",
        ),
        "delegation": make_user(
            Role.DELEGATION,
            state=ParticipatingState.objects.get(iso_code="AT"),
            username="delegation",
            first_name="Dora",
            last_name="Delegate",
        ),
    }


class Visit:
    """A browser context in one mode and language, with the helpers every flow uses."""

    def __init__(self, browser, live_server, mode: str, lang: str, flow: str):
        self.mode, self.lang, self.flow = mode, lang, flow
        self.base = live_server.url
        # The portal's own Content-Security-Policy applies: its pages must work under it. Only axe is injected
        # past it, through DevTools evaluation (see check), which the page's policy does not govern.
        self.context = browser.new_context(locale=lang, accept_downloads=True, **MODES[mode])
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": self.base}])
        # Chromium reports every blocked script, style, image or connection on the console; any one fails check().
        self.csp_violations: list[str] = []
        self.context.on("console", self._on_console)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.step = 0
        self.axe_results: dict[str, dict] = {}

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{message.page and message.page.url}: {message.text}")

    @property
    def js(self) -> bool:
        return MODES[self.mode]["java_script_enabled"]

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 500, (path, response and response.status)
        return response

    def login(self, username: str):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", TEST_PASSWORD)
        self.page.locator("main form button[type=submit], main form input[type=submit]").first.click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, "login failed"

    def shot(self, name: str) -> Path:
        self.step += 1
        folder = OUTPUT / "screenshots" / self.lang
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.flow}-{self.mode}-{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, name: str):
        """Screenshot, then axe (WCAG 2.1 A/AA) on the page as it stands: no serious or critical violation.

        axe needs script: with JavaScript off it runs in a second, script-enabled context on the same HTML."""
        self.shot(name)
        assert self.csp_violations == [], f"CSP blocked something on {self.page.url}: {self.csp_violations}"
        if self.js:
            page = self.page
        else:
            html = self.page.content()
            # A copy of the DOM for axe only (the user's page above ran under the real policy).
            helper = self.context.browser.new_context(viewport=MODES[self.mode]["viewport"], bypass_csp=True)
            page = helper.new_page()
            page.goto(self.base + "/healthz")  # same origin so the page's CSS loads; then the DOM the no-JS user saw
            page.set_content(html, wait_until="load")
        # evaluate() runs through DevTools, outside the page's CSP, so the portal needs no exemption for axe.
        page.evaluate(_axe_source())
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        if not self.js:
            page.context.close()
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        path = re.sub(r"/\d+/", "/<id>/", self.page.url.removeprefix(self.base).split("?")[0])
        record = {
            "path": path,
            "serious_or_critical": sum(v["impact"] in ("serious", "critical") for v in violations),
            "violations": violations,
        }
        _record_axe(self.lang, f"{self.flow}/{self.mode}/{name}", record)
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert bad == [], f"axe on {path} ({name}, {self.mode}): {json.dumps(bad, indent=1)}"
        if self.mode == "mobile":
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= MODES["mobile"]["viewport"]["width"], f"{path} is {width} px wide at 390 px"

    def close(self):
        self.context.close()


@functools.cache
def _axe_source() -> str:
    # Wrapped so that axe's top-level declarations do not become the evaluate() result.
    return "(() => {" + AXE_JS.read_text() + "\n})()"


def _record_axe(lang: str, key: str, record: dict) -> None:
    folder = OUTPUT / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lang}.json"
    with _axe_lock:
        data = json.loads(path.read_text()) if path.exists() else {}
        data[key] = record
        path.write_text(json.dumps(data, indent=1, sort_keys=True))


@pytest.fixture
def visit(browser, live_server, request):
    """``visit(mode, lang="en")`` opens a fresh browser context; every one is closed after the test."""
    opened: list[Visit] = []
    flow = request.node.originalname.removeprefix("test_")

    def _open(mode: str = "desktop", lang: str = "en") -> Visit:
        v = Visit(browser, live_server, mode, lang, flow)
        opened.append(v)
        return v

    yield _open
    for v in opened:
        v.close()
