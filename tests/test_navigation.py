"""The main menu and the home page's steps link only to pages that exist; a missing page fails loudly."""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from osce_tnt import home_steps, navigation
from programmes.permissions import Role
from tests.factories import make_user


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return navigation.navigation(request)["main_menu"]


def test_admin_menu_links_every_entry_to_its_page(db):
    items = _menu(make_user(Role.ADMIN))

    assert [item["url"] for item in items] == [reverse(url_name) for _l, url_name, _r, _a in navigation.MENU]


def test_menu_links_follow_the_script_prefix_the_site_is_served_under(db):
    user = make_user(Role.ADMIN)
    at_root = [item["url"] for item in _menu(user)]
    set_script_prefix("/portal/")
    try:
        under_prefix = [item["url"] for item in _menu(user)]
    finally:
        set_script_prefix("/")

    assert under_prefix == ["/portal" + url for url in at_root]
    assert [item["url"] for item in _menu(user)] == at_root


def test_menu_entry_whose_page_does_not_exist_raises(db, monkeypatch):
    monkeypatch.setattr(navigation, "MENU", [*navigation.MENU, ("Gone", "reporting:no_such_page", "dashboard", "view")])

    with pytest.raises(NoReverseMatch):
        _menu(make_user(Role.ADMIN))


def test_menu_marks_the_current_section_active(db):
    items = _menu(make_user(Role.COORDINATOR), path=reverse("reporting:report_list") + "new/")

    assert [item["url"] for item in items if item["active"]] == [reverse("reporting:report_list")]


def test_home_step_whose_page_does_not_exist_raises(db, monkeypatch):
    steps = {Role.DELEGATION: [("Gone", "", "reporting:no_such_page", None)]}
    monkeypatch.setattr(home_steps, "_ROLE_STEPS", steps)

    with pytest.raises(NoReverseMatch):
        home_steps.steps_for(make_user(Role.DELEGATION))
