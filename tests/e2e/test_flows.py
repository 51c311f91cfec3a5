"""One flow per role after the field officer's (tests/e2e/test_field_report.py): review, calendar overlap, task-force
action and meeting pack (real Celery worker), delegation dashboard, feed subscription, keyboard-only use."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.db import connection

from programmes.activity.models import ActivityReport
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, ParticipatingState, Project, ThematicArea
from taskforces.models import ActionItem, MeetingPack
from tests.factories import TEST_PASSWORD, EventFactory
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.taskforces.factories import MeetingFactory, TaskForceFactory, TaskForceMemberFactory

FORM_MODES = ["desktop", "nojs", "mobile"]


@pytest.fixture
def submitted_report(people):
    oit = ExecutiveStructure.objects.get(acronym="OiT")
    report = ActivityReportFactory(
        structure=oit, status=ActivityReport.Status.SUBMITTED, first_submitted_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    ReportedActivityFactory(report=report, title="Border police training")
    return report


@pytest.mark.parametrize("mode", FORM_MODES)
def test_review_return_then_accept(visit, people, submitted_report, mode):
    from programmes.activity import services

    v = visit(mode)
    page = v.page
    v.login("secretariat")
    v.goto("/activity-reports/review/")
    v.check("queue")
    page.locator(f"main a[href$='/activity-reports/{submitted_report.pk}/']").first.click()
    page.wait_for_load_state()
    v.check("report")
    page.check("#id_decision_0")  # return
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    v.check("comment-required")
    submitted_report.refresh_from_db()
    assert submitted_report.status == ActivityReport.Status.SUBMITTED
    page.check("#id_decision_0")
    page.fill("#id_comment", "Add the number of women trained.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ActivityReport.Status.RETURNED
    v.check("returned")

    services.report_submit(report=submitted_report, actor=people["field"])
    v.goto(submitted_report.get_absolute_url())
    page.check("#id_decision_1")  # accept
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ActivityReport.Status.ACCEPTED
    v.check("accepted")


@pytest.fixture
def other_structures_event(people):
    area = ThematicArea.objects.filter(parent__isnull=False).order_by("pk").first()
    tajikistan = ParticipatingState.objects.get(iso_code="TJ")
    event = EventFactory(
        title="Regional border security seminar",
        lead_structure=ExecutiveStructure.objects.get(acronym="OiT"),
        state=tajikistan,
        city="Dushanbe",
        start_date=dt.date(2027, 3, 10),
        end_date=dt.date(2027, 3, 12),
    )
    event.thematic_areas.set([area])
    return event, area, tajikistan


@pytest.mark.parametrize("mode", FORM_MODES)
def test_secretariat_event_overlap(visit, people, other_structures_event, mode):
    theirs, area, tajikistan = other_structures_event
    v = visit(mode)
    page = v.page
    v.login("secretariat")
    v.goto("/calendar/events/new/")
    v.check("form")
    page.fill("#id_title", "Border security seminar for the region")
    page.select_option("#id_format", index=1)
    _choose(page, "thematic_areas", str(area.pk))
    # The author's own structure leads a new event unless another is chosen.
    assert "ATU" in page.eval_on_selector("#id_lead_structure", "el => el.options[el.selectedIndex].text")
    page.select_option("#id_state", str(tajikistan.pk))
    page.fill("#id_city", "Dushanbe")
    page.fill("#id_start_date", "2027-03-10")
    page.fill("#id_end_date", "2027-03-11")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    # The overlap is shown before anything is saved, with the other structure's event named.
    warning = page.locator("#precheck")
    assert theirs.title in warning.inner_text()
    assert Event.objects.exclude(pk=theirs.pk).count() == 0
    assert page.input_value("#id_title") == "Border security seminar for the region"
    v.check("overlap-before-saving")
    page.check("input[name=confirm_duplicates]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    ours = Event.objects.exclude(pk=theirs.pk).get()
    assert ours.lead_structure.acronym == "ATU"
    assert page.url.endswith(ours.get_absolute_url())
    duplicates = page.locator("#duplicates + p + table")
    assert theirs.title in duplicates.inner_text()
    v.check("overlap-warning")


def _select_containing(page, selector: str, text: str):
    value = page.eval_on_selector(
        selector, "(el, text) => [...el.options].find(o => o.text.includes(text)).value", text
    )
    page.select_option(selector, value)


def _choose(page, name: str, value: str):
    """A multiple choice shown as a checkbox group, or as a select list."""
    box = page.locator(f"input[name='{name}'][value='{value}']")
    if box.count():
        box.check()
    else:
        page.select_option(f"#id_{name}", value)


@pytest.fixture
def meeting(people):
    tnt = ExecutiveStructure.objects.get(acronym="TNT-D")
    task_force = TaskForceFactory(name="Border management task force", acronym="BMTF", slug="bmtf", chair_structure=tnt)
    TaskForceMemberFactory(task_force=task_force, structure=tnt)
    return MeetingFactory(task_force=task_force, starts_at=dt.datetime(2026, 11, 10, 8, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize("mode", FORM_MODES)
def test_coordinator_adds_an_action(visit, people, meeting, mode):
    v = visit(mode)
    page = v.page
    v.login("coordinator")
    v.goto(f"/task-forces/{meeting.task_force.slug}/")
    v.check("task-force")
    v.goto(f"/task-forces/{meeting.task_force.slug}/actions/new/")
    v.check("action-form")
    page.fill("#id_what", "Circulate the draft border checklist")
    _select_containing(page, "#id_owner_structure", "TNT-D")
    # People are listed by name, not by username.
    owners = page.eval_on_selector("#id_owner", "el => [...el.options].map(o => o.text)")
    assert "Clara Coordinator" in owners and "coordinator" not in owners
    # The project is found by part of its title: live with JavaScript, with the "Find" button without.
    project = Project.objects.order_by("code").first()
    term = project.title.split()[0]
    page.fill("#id_project__q", term)
    if v.js:
        page.wait_for_function(
            "pk => [...document.querySelectorAll('#id_project option')].some(o => o.value === pk)", arg=str(project.pk)
        )
    else:
        page.locator("button[name=_picker][value=project]").click()
        page.wait_for_load_state()
        assert page.input_value("#id_what") == "Circulate the draft border checklist"  # nothing lost, nothing saved
        assert ActionItem.objects.count() == 0
        assert page.locator(".error, .errorlist").count() == 0
        v.check("project-found")
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_due_date", "2027-02-01")
    page.locator("main form .actions button[type=submit]").last.click()
    page.wait_for_load_state()
    action = ActionItem.objects.get()
    assert action.what == "Circulate the draft border checklist"
    assert action.project == project
    v.check("action-saved")


@pytest.fixture
def celery_worker(live_server, settings):
    """A real worker in a subprocess, on the test database and the test broker; the web side stops running tasks
    eagerly for the test."""
    from osce_tnt.celery import app

    broker = settings.BROKER_URL_FOR_TESTS
    if not broker:
        pytest.skip("needs CELERY_BROKER_URL (make e2e sets it)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "osce_tnt.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "osce_tnt",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"e2e-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield worker
    app.conf.task_always_eager = eager
    worker.terminate()
    worker.wait(timeout=30)


def test_coordinator_builds_a_meeting_pack_with_a_real_worker(visit, people, meeting, celery_worker):
    v = visit("desktop")
    page = v.page
    v.login("coordinator")
    v.goto(f"/task-forces/meetings/{meeting.pk}/")
    v.check("meeting")
    page.get_by_role("button", name=re.compile("Build the meeting pack")).click()
    page.wait_for_url(re.compile(r"/task-forces/packs/\d+/"))
    pack = MeetingPack.objects.get()
    v.shot("progress")
    # The page polls its status URL and shows the link once the worker has built the PDF.
    download = page.get_by_role("link", name=re.compile("Download the PDF"))
    download.wait_for(timeout=120_000)
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.DONE
    assert celery_worker.poll() is None  # the worker, not this process, built it
    v.check("pack-done")
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".pdf")


@pytest.fixture
def published_report(people):
    """A quarterly report generated and published as the worker and the co-ordinator would."""
    from osce_tnt.reporting import services
    from osce_tnt.reporting.models import GeneratedReport

    report = services.report_request(
        actor=people["coordinator"],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        title="Quarterly TNT report, January–March 2026",
    )
    services.report_generate(report_id=report.pk)  # a no-op if eager tasks already built it
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    return services.report_publish(report=report, actor=people["coordinator"])


@pytest.mark.parametrize("mode", FORM_MODES)
def test_delegation_dashboard(visit, people, published_report, mode):
    v = visit(mode)
    page = v.page
    v.login("delegation")
    v.goto("/reports/dashboard/")
    v.check("dashboard")
    filters = page.locator("details.filters").first
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()  # collapsed by default; opening it needs no JavaScript
    form = page.locator("main form[method=get]").first
    form.locator("select").first.select_option(index=1)
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "?" in page.url
    v.check("filtered")
    # The dashboard comes in sections; a section link shows that section (a tab that needs no JavaScript).
    nav = page.locator("nav.section-nav")
    nav.get_by_role("link", name="Extra-budgetary funding").click()
    assert page.locator("#funding").is_visible()
    assert not page.locator("#activities").is_visible()
    v.check("funding-section")
    nav.get_by_role("link", name="All sections").click()
    assert page.locator("#activities").is_visible()
    with page.expect_download() as csv_download:
        page.locator("#activities a[href*='.csv']").first.click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert csv_download.value.path().read_text(encoding="utf-8-sig").count("\n") >= 1
    v.goto("/reports/dashboard/my-state/")
    v.check("my-state")
    v.goto("/reports/")
    v.check("published-reports")
    page.get_by_role("link", name=published_report.title).click()
    page.wait_for_load_state()
    v.check("published-report")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF document").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    assert pdf_download.value.path().read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("mode", ["desktop", "mobile"])
def test_anyone_subscribes_to_a_feed(visit, people, mode):
    v = visit(mode)
    page = v.page
    v.login("delegation")
    v.goto("/calendar/my-feed/")
    v.check("feed-tokens")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    v.check("feed-created")
    link = page.locator("main a[href*='.ics'], main input[value*='.ics']").first
    url = link.get_attribute("href") or link.get_attribute("value")
    response = v.context.request.get(url if url.startswith("http") else v.base + url)
    assert response.status == 200 and response.text().startswith("BEGIN:VCALENDAR")
    public = v.context.request.get(v.base + "/calendar/feed.ics")
    assert public.status == 200 and public.text().startswith("BEGIN:VCALENDAR")


def _tab_to(page, expression: str, wanted: str, limit: int = 400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(expression) == wanted:
            return
    pytest.fail(f"{wanted} cannot be reached with Tab")


def test_keyboard_only_login_and_report_submit(visit, people, submitted_report):
    """Tab and Enter only: sign in, open the returned report's editor and submit it."""
    from programmes.activity import services

    services.report_return(report=submitted_report, actor=people["secretariat"], comment="Add the women trained.")
    v = visit("desktop")
    page = v.page
    v.goto("/accounts/login/")
    _tab_to(page, "document.activeElement.id", "id_username")
    page.keyboard.type("field")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    v.goto(f"/activity-reports/{submitted_report.pk}/edit/")
    page.focus("#id_summary")
    page.keyboard.type("Women trained: 7.")
    _tab_to(page, "document.activeElement.name", "submit_report")
    v.shot("focus-on-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/activity-reports/\d+/$"))
    submitted_report.refresh_from_db()
    assert submitted_report.status == ActivityReport.Status.SUBMITTED


def test_no_page_over_300_kb_on_first_load(visit, people, submitted_report, meeting):
    """Bytes transferred for a page and everything it loads, with an empty cache."""
    pages = {
        "field": [
            "/",
            "/activity-reports/",
            f"/activity-reports/{submitted_report.pk}/",
            "/activity-reports/new/",
            "/calendar/",
            "/calendar/agenda/",
        ],
        "delegation": ["/reports/dashboard/", "/reports/dashboard/my-state/", "/reports/", "/projects/"],
        "coordinator": [f"/task-forces/meetings/{meeting.pk}/", "/task-forces/actions/", "/calendar/events/new/"],
    }
    weights = {}
    for username, paths in pages.items():
        v = visit("desktop")
        v.login(username)
        for path in paths:
            page = v.context.new_page()
            sizes = []
            client = v.context.new_cdp_session(page)
            client.send("Network.enable")
            client.send("Network.setCacheDisabled", {"cacheDisabled": True})
            client.on("Network.loadingFinished", lambda e, s=sizes: s.append(e["encodedDataLength"]))
            page.goto(v.base + path)
            page.wait_for_load_state("networkidle")
            weights[path] = sum(sizes)
            page.close()
    heavy = {path: size for path, size in weights.items() if size > 300 * 1024}
    print("page weights (bytes):", weights)
    assert heavy == {}
    assert all(size > 0 for size in weights.values())
