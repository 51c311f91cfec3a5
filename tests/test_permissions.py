"""Nobody gets data without signing in: every URL the project routes is walked as an anonymous visitor.
Plus the permission table's core rules for projects and reference data."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from programmes.permissions import ADD, CHANGE, DELETE, PERMISSIONS, VIEW, Role, can, role_of
from tests.factories import ProjectFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db

# Public on purpose: signing in and out, the language switch, the load-balancer probe, and the admin (which has
# its own login page).
PUBLIC = ("accounts/login/", "accounts/logout/", "i18n/", "healthz", "admin/")
# Public by design of their apps: the calendar feeds (public events, or a secret token in the URL) and the
# focal-point confirmation links (a signed token in the URL), which recipients open without an account.
PUBLIC_BY_DESIGN = re.compile(r"^/(calendar/feed|focal-points/confirm/)")


def _concrete(pattern: str) -> str | None:
    """A path for a URL pattern with every parameter filled in, or None for format-suffix variants."""
    if "(?P<format>" in pattern or "<drf_format_suffix" in pattern or "<format>" in pattern:
        return None
    # regex syntax: a group of plain alternatives (pdf|xlsx) takes the first, anything else an id
    path = re.sub(r"\(\?P<\w+>([^)]*)\)",
                  lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else "1", pattern)
    path = re.sub(r"<(?:(?:int|str|slug|uuid|path):)?\w+>", "1", path)  # route syntax
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    if re.search(r"[()\[\]*+?\\]", path):
        return None
    return "/" + path


def all_paths() -> list[str]:
    paths = []

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                path = _concrete(prefix + str(entry.pattern))
                if path is not None:
                    paths.append(path)

    walk(get_resolver(), "")
    return sorted(set(paths))


ALL_PATHS = all_paths()


def test_every_walked_path_resolves():
    for path in ALL_PATHS:
        resolve(path)
API_PATHS = [p for p in ALL_PATHS if p.startswith("/api/")]
HTML_PATHS = [p for p in ALL_PATHS if not p.startswith("/api/") and not p.lstrip("/").startswith(PUBLIC)
              and not PUBLIC_BY_DESIGN.match(p) and not p.startswith("/" + settings.STATIC_URL.strip("/"))]


def test_the_walk_finds_the_core_routes():
    assert {"/api/projects/", "/api/projects/1/", "/api/structures/", "/api/states/1/", "/api/schema/"} <= set(
        API_PATHS)
    assert {"/", "/projects/", "/projects/1/", "/projects/new/", "/projects/1/edit/", "/projects/1/status/",
            "/structures/", "/structures/1/", "/states/", "/states/1/"} <= set(HTML_PATHS)


@pytest.mark.parametrize("path", API_PATHS)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_anonymous_api_request_is_refused(client, path, method):
    project = ProjectFactory()

    response = getattr(client, method)(path, content_type="application/json", data={} if method != "get" else None)

    assert response.status_code in (401, 403, 405), (path, response.status_code)
    if response.status_code != 405:
        assert b"results" not in response.content
    assert ProjectFactory._meta.model.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("path", HTML_PATHS)
def test_anonymous_html_page_redirects_to_login(client, path):
    project = ProjectFactory(title="Kept")

    response = client.get(path)
    if response.status_code == 405:  # an action that only accepts POST: the POST must send to the login page
        response = client.post(path)

    assert response.status_code == 302, (path, response.status_code)
    assert response["Location"].startswith(f"/accounts/login/?next={path.rstrip('/')}"), response["Location"]
    project.refresh_from_db()
    assert project.title == "Kept"


@pytest.mark.parametrize("path", [p for p in HTML_PATHS if p.startswith("/projects/")])
def test_anonymous_post_to_a_project_page_changes_nothing(client, path):
    project = ProjectFactory(status="proposal", title="Kept")

    response = client.post(path, {"title": "Changed", "status": "approved"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    project.refresh_from_db()
    assert (project.title, project.status) == ("Kept", "proposal")


def test_user_without_a_role_is_refused_html_pages(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get("/projects/")

    assert role_of(user) is None
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "resource", "action", "allowed"),
    [
        (Role.DELEGATION, "project", VIEW, True),
        (Role.DELEGATION, "project", ADD, False),
        (Role.FIELD, "project", ADD, False),
        (Role.FIELD, "project", CHANGE, False),
        (Role.SECRETARIAT, "project", ADD, True),
        (Role.SECRETARIAT, "project", DELETE, False),
        (Role.COORDINATOR, "mandate", CHANGE, True),
        (Role.SECRETARIAT, "mandate", CHANGE, False),
        (Role.ADMIN, "project", DELETE, True),
        (Role.DELEGATION, "unknown_resource", VIEW, False),
    ],
)
def test_permission_table_core_rules(role, resource, action, allowed):
    user = make_user(role)

    assert can(user, resource, action) is allowed
    assert role_of(user) == role


def test_every_role_has_a_group_and_every_rule_names_known_roles():
    assert set(PERMISSIONS["project"]) >= {VIEW, ADD, CHANGE, DELETE}
    for actions in PERMISSIONS.values():
        for roles in actions.values():
            assert roles <= set(Role)
    user = make_user(Role.FIELD)
    assert user.groups.count() == 1
