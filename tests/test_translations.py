"""The shipped catalogues: Russian and English complete (no empty or fuzzy message), placeholders kept, and the
compiled .mo files in step with the .po files; French and German cover the navigation, reporting forms and
dashboard. New strings from ``make messages`` arrive empty and make this test fail until they are translated."""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture(autouse=True)
def _back_to_english():
    # LocaleMiddleware leaves the request's language active in the thread; later tests expect English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _problems(po: polib.POFile) -> list[str]:
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(texts):
            found.append(f"missing: {entry.msgid!r}")
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for text in texts:
            if not set(PLACEHOLDER.findall(text)) <= wanted:
                found.append(f"unknown placeholder in {text!r}")
        if not entry.msgid_plural and set(PLACEHOLDER.findall(entry.msgstr)) != wanted:
            found.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
    return found


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_catalogue_is_complete(lang):
    po = _catalogue(lang)
    assert len(po) > 1000
    assert _problems(po) == []


def test_english_catalogue_is_the_source_text():
    # English is the source language; a msgmerge guess left in it would show English users another sentence.
    wrong = [
        e.msgid
        for e in _catalogue("en")
        if (e.msgstr_plural != {0: e.msgid, 1: e.msgid_plural} if e.msgid_plural else e.msgstr != e.msgid)
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", ["ru", "en", "fr", "de"])
def test_compiled_catalogue_is_in_step(lang):
    mo = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), "run make compilemessages"
    compiled = {e.msgid for e in polib.mofile(str(mo)) if e.msgstr or e.msgstr_plural}
    translated = {e.msgid for e in _catalogue(lang).translated_entries()}
    assert translated - compiled == set(), "the .mo file is older than the .po file: run make compilemessages"


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_french_and_german_cover_navigation_reporting_and_dashboard(lang):
    with translation.override(lang):
        for text in [
            "Projects",
            "Calendar",
            "Activity reports",
            "TNT dashboard",
            "Sign out",
            "Save draft",
            "Save and submit",
            "Add another activity",
            "Filters",
            "Key figures",
            "Reporting period",
        ]:
            assert translation.gettext(text) != text, text


def test_russian_plural_forms_follow_the_number():
    with translation.override("ru"):
        forms = [
            translation.ngettext("%(counter)s event", "%(counter)s events", n) % {"counter": n} for n in (1, 3, 5, 21)
        ]
    assert forms == ["1 мероприятие", "3 мероприятия", "5 мероприятий", "21 мероприятие"]


@pytest.mark.django_db
def test_language_switch_is_remembered(client: Client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="ru"' in page and "Перейти к содержанию" in page


def _makemessages_ignores() -> set[str]:
    # The folders ``make messages`` leaves out (its -i "folder/*" options), read from the Makefile so the guard and
    # the extraction cannot drift apart.
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if "makemessages" in line and "-l ru" in line)
    return set(re.findall(r'-i "([^"/]+)/\*"', line))


def _copy_sources(root: Path, target: Path, ignored: set[str]) -> None:
    # Only what makemessages reads for the django domain; generated and ignored folders stay behind.
    skip = ignored | {"locale", "media", "staticfiles", "backups"}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in skip]
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
        for name in filenames:
            if name.endswith((".py", ".html", ".txt")):
                destination = target / here.relative_to(root) / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, destination)


def test_every_translatable_string_of_the_code_is_in_the_russian_catalogue(tmp_path, monkeypatch, settings):
    """Extraction as ``make messages`` does it, into a copy of the tree, so the shipped catalogue is not touched:
    a string added to the code without re-extracting fails here instead of shipping untranslated."""
    ignored = _makemessages_ignores()
    assert {".venv", "tests"} <= ignored
    _copy_sources(Path(settings.BASE_DIR), tmp_path, ignored)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = []  # makemessages then writes to the copy's locale/ only
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ru"], no_obsolete=True, no_location=True, verbosity=0)

    def keys(po: polib.POFile) -> set[tuple[str | None, str, str]]:
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete and e.msgid}

    extracted = keys(polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po")))
    assert len(extracted) > 1000
    missing = sorted(extracted - keys(_catalogue("ru")), key=str)
    assert missing == [], (
        f"{len(missing)} translatable strings are not in locale/ru (run the Makefile's messages extraction and "
        f"translate them): {missing[:20]}"
    )


# The sources issue 15 asks French and German for: the navigation (base.html), the reporting forms and the dashboard
# with the templates it includes and the chart and table titles and descriptions of the figures modules.
FR_DE_SOURCES = [
    "templates/base.html",
    "osce_tnt/reporting/forms.py",
    "osce_tnt/reporting/figures.py",
    "osce_tnt/reporting/knowledge_figures.py",
    "templates/reporting/dashboard.html",
    "templates/reporting/dashboard/*.html",
    "templates/reporting/includes/*.html",
    "templates/reporting/my_state*.html",
    "templates/results/includes/target_actual.html",  # included by reporting/includes/results_section.html
]


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_french_and_german_translate_every_string_of_navigation_reporting_and_dashboard(
    lang, tmp_path, monkeypatch, settings
):
    """Extraction as in the guard above, but of the issue-15 sources only: each of their strings must be translated
    (not empty, not fuzzy) in the French and German catalogues."""
    root = Path(settings.BASE_DIR)
    copied = 0
    for pattern in FR_DE_SOURCES:
        for source in sorted(root.glob(pattern)):
            destination = tmp_path / source.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied += 1
    assert copied >= 10
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=[lang], no_obsolete=True, no_location=True, verbosity=0)
    extracted = [e for e in polib.pofile(str(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")) if e.msgid]
    assert len(extracted) > 100

    catalogue = {(e.msgctxt, e.msgid, e.msgid_plural): e for e in _catalogue(lang) if not e.obsolete}
    untranslated = []
    for source in extracted:
        entry = catalogue.get((source.msgctxt, source.msgid, source.msgid_plural))
        texts = [] if entry is None else list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry is None or "fuzzy" in entry.flags or not texts or not all(texts):
            untranslated.append(source.msgid)
    assert untranslated == [], f"{len(untranslated)} strings untranslated in locale/{lang}: {untranslated[:20]}"
