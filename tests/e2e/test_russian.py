"""The portal in Russian: the pages of the field officer's and the delegation's flows, with screenshots in
test-output/screenshots/ru/ and axe on each; the language chosen in the footer is kept on the next pages."""

import pytest

from programmes.activity.models import ActivityReport


@pytest.mark.parametrize("mode", ["desktop", "mobile"])
def test_pages_in_russian(visit, people, mode):
    v = visit(mode, lang="ru")
    page = v.page
    v.login("field")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Перейти к содержанию" in page.content()
    v.check("home")
    v.goto("/activity-reports/")
    assert "Что нужно сдать" in page.locator("main").inner_text()
    v.check("report-list")
    v.goto("/activity-reports/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    report = ActivityReport.objects.get(structure__acronym="OiT")
    assert page.url.endswith(f"/activity-reports/{report.pk}/edit/")
    assert "Сохранить черновик" in page.locator("main").inner_text()
    v.check("editor")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.wait_for_load_state()
    v.check("editor-error")
    v.goto("/calendar/")
    v.check("calendar")
    # Reference data is named in Russian too (the models' name_ru), not only the interface.
    v.goto("/structures/")
    assert "Офис ОБСЕ в Таджикистане" in page.locator("main").inner_text()
    v.check("structures")


def test_language_switch_is_remembered(visit, people):
    v = visit("desktop", lang="en")
    page = v.page
    v.login("delegation")
    page.select_option("#language-select", "ru")
    page.locator("footer form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    v.goto("/reports/dashboard/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Сводная панель ТНУ" in page.locator("h1").inner_text()
    v.check("dashboard")
    cookie = next(c for c in v.context.cookies() if c["name"] == "django_language")
    assert cookie["value"] == "ru" and cookie["expires"] > 0  # kept after the browser closes
