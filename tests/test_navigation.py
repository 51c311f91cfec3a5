"""The main menu and the home page's steps link only to pages that exist; a missing page fails loudly."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from osce_tnt import home_steps, navigation
from programmes.permissions import Role, role_may
from programmes.services import user_assign_role
from tests.factories import ParticipatingStateFactory, make_user

User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_menus():
    # The menus are worked out once per role and process; each test here changes what they come from.
    navigation.clear_cache()
    yield
    navigation.clear_cache()


_ENTRY = re.compile(r'<li><a href="(?P<url>[^"]*)"(?P<current> aria-current="page")?>')


def _menu(user, path="/"):
    """The menu's entries as the page shows them: each link's URL and whether it is marked the current page."""
    return [
        {"url": match["url"], "active": bool(match["current"])} for match in _ENTRY.finditer(_menu_html(user, path))
    ]


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


def _menu_html(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return str(navigation.navigation(request)["main_menu_html"])


def test_menu_html_links_each_entry_and_marks_only_the_current_section(db):
    html = _menu_html(make_user(Role.COORDINATOR), path=reverse("reporting:dashboard"))

    assert html.count("<li>") == sum(
        role_may(Role.COORDINATOR, resource, action) for _label, _url_name, resource, action in navigation.MENU
    )
    assert f'<a href="{reverse("reporting:dashboard")}" aria-current="page">Dashboard</a>' in html
    assert html.count("aria-current") == 1
    assert f'<a href="{reverse("programmes:project_list")}">Projects</a>' in html


def test_menu_html_is_in_the_language_of_each_request(db):
    user = make_user(Role.COORDINATOR)
    with translation.override("fr"):
        french = _menu_html(user)
    english = _menu_html(user)

    assert ">Projets</a>" in french
    assert ">Projects</a>" in english
    assert "Projets" not in english


def test_menu_follows_the_role_the_user_has_now(db):
    user = make_user(Role.COORDINATOR)
    assert reverse("activity:review_queue") in _menu_html(user)

    user_assign_role(user=User.objects.get(pk=user.pk), role=Role.DELEGATION, state=ParticipatingStateFactory())
    as_delegation = _menu_html(User.objects.get(pk=user.pk))

    assert reverse("activity:review_queue") not in as_delegation
    assert [item["url"] for item in _menu(User.objects.get(pk=user.pk))] == [
        reverse(url_name)
        for _label, url_name, resource, action in navigation.MENU
        if role_may(Role.DELEGATION, resource, action)
    ]


def test_signed_out_visitor_gets_no_menu(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert navigation.navigation(request) == {"main_menu_html": "", "portal_role": None}
