"""The field officer's quarterly report: open a draft, two activities and an attachment, a validation error fixed
without losing what was typed, then submit."""

import re

import pytest

from programmes.activity.models import ActivityReport

# A 1×1 PNG: the attachment check reads the content, not the name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d"
    "0000000049454e44ae426082"
)


def period_bounds(page) -> tuple[str, str]:
    text = page.locator("main p:has(.status)").first.inner_text()
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    return dates[0], dates[1]


def fill_row(page, index: int, *, title: str, start: str, end: str, results: str | None):
    row = f"#id_items-{index}-"
    page.fill(row + "title", title)
    page.select_option(row + "activity_type", index=1)
    first_area = page.locator(row + "thematic_areas option, " + row + "thematic_areas input").first
    if page.locator(f"select{row}thematic_areas").count():
        page.select_option(row + "thematic_areas", first_area.get_attribute("value"))
    else:
        page.locator(f"[id^='id_items-{index}-thematic_areas_']").first.check()
    page.select_option(row + "state", index=1)
    page.fill(row + "start", start)
    page.fill(row + "end", end)
    page.fill(row + "participants_women", "7")
    page.fill(row + "participants_men", "5")
    if results is not None:
        page.fill(row + "results", results)


def add_row(v):
    v.page.get_by_role("button", name=re.compile("Add another activity|Добавить")).click()
    v.page.wait_for_load_state()


@pytest.mark.parametrize("mode", ["desktop", "nojs", "mobile"])
def test_field_report(visit, people, mode, tmp_path):
    v = visit(mode)
    page = v.page
    v.login("field")
    v.check("home")
    v.goto("/activity-reports/new/")
    v.check("open-draft")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/activity-reports/\d+/edit/"))
    report = ActivityReport.objects.get(structure__acronym="OiT")
    assert report.items.count() == 0
    start, end = period_bounds(page)
    v.check("editor")

    page.fill("#id_summary", "Two trainings this quarter.")
    fill_row(page, 0, title="Border police training", start=start, end=start, results="Forty officers trained.")
    add_row(v)
    # Second row without results: the required-field error must keep everything typed, the file included.
    fill_row(page, 1, title="Cyber workshop", start=end, end=end, results=None)
    upload = tmp_path / "agenda.png"
    upload.write_bytes(PNG)
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert summary.locator("a").count() >= 1
    v.check("validation-error")
    assert page.input_value("#id_items-0-title") == "Border police training"
    assert page.input_value("#id_items-1-title") == "Cyber workshop"
    assert page.input_value("#id_summary") == "Two trainings this quarter."
    report.refresh_from_db()
    # With JavaScript the row is added in the page; without it "Add another activity" saved the valid first row.
    assert report.items.count() == (0 if v.js else 1)
    # The upload was kept as a pending file, and the page says so.
    assert "agenda.png" in page.locator("main").inner_text()

    page.fill("#id_items-1-results", "A national cyber response plan drafted.")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(re.compile(r"/activity-reports/\d+/$"))
    v.check("submitted")
    report.refresh_from_db()
    assert report.status == ActivityReport.Status.SUBMITTED
    assert sorted(report.items.values_list("title", flat=True)) == ["Border police training", "Cyber workshop"]
    assert [a.original_name for a in report.attachments.all()] == ["agenda.png"]
