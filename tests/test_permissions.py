"""Nobody gets data without signing in: every URL the project routes is walked as an anonymous visitor.
Plus how the permission table behaves: what views may name in it, who gets nothing, and which group wins. What each
role may do to each resource is tested where the resource lives, through its views and endpoints."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.views import View
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from programmes.permissions import (
    ADD,
    CHANGE,
    DELETE,
    EXPORT,
    GROUP_NAMES,
    PERMISSIONS,
    PUBLISH,
    REVIEW,
    VIEW,
    Role,
    RolePermission,
    RoleRequiredMixin,
    can,
    role_of,
)
from tests import walker
from tests.factories import ProjectFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db

# Public on purpose: signing in and out, the language switch, the load-balancer probe, and the admin (which has
# its own login page).
PUBLIC = ("accounts/login/", "accounts/logout/", "i18n/", "healthz", "favicon.ico", "admin/")
# Public by design of their apps: the calendar feeds (public events, or a secret token in the URL) and the
# focal-point confirmation links (a signed token in the URL), which recipients open without an account.
PUBLIC_BY_DESIGN = re.compile(r"^/(calendar/feed|focal-points/confirm/)")
ALL_PATHS = walker.paths()


def test_every_walked_path_resolves():
    for path in ALL_PATHS:
        resolve(path)


API_PATHS = [p for p in ALL_PATHS if p.startswith("/api/")]
HTML_PATHS = [
    p
    for p in ALL_PATHS
    if not p.startswith("/api/")
    and not p.lstrip("/").startswith(PUBLIC)
    and not PUBLIC_BY_DESIGN.match(p)
    and not p.startswith("/" + settings.STATIC_URL.strip("/"))
]


def test_the_walk_finds_the_core_routes():
    assert {"/api/projects/", "/api/projects/1/", "/api/structures/", "/api/states/1/", "/api/schema/"} <= set(
        API_PATHS
    )
    assert {
        "/",
        "/projects/",
        "/projects/1/",
        "/projects/new/",
        "/projects/1/edit/",
        "/projects/1/status/",
        "/structures/",
        "/structures/1/",
        "/states/",
        "/states/1/",
    } <= set(HTML_PATHS)


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


# --- the permission table's behaviour ------------------------------------------------------------------------------

# The actions RolePermission and the role decorators know how to ask for; an action outside this set in the table
# is a typo that silently grants nothing.
KNOWN_ACTIONS = {VIEW, ADD, CHANGE, DELETE, REVIEW, PUBLISH, EXPORT}


def test_every_declared_resource_uses_only_known_actions():
    unknown = {
        (resource, action)
        for resource, actions in PERMISSIONS.items()
        for action in actions
        if action not in KNOWN_ACTIONS
    }

    assert PERMISSIONS, "no app declared any resource"
    assert unknown == set()


def _declarations(route):
    """(resource, action) pairs a routed view asks the table about, or [] if it declares none."""
    cls = route.view_class
    if cls is not None:
        if not getattr(cls, "permission_resource", None):
            return []
        explicit = getattr(cls, "action_permissions", {})
        pairs = set()
        # A viewset may compute its resource from the action (a property): ask an instance for each action.
        for name in [None, *route.callback.actions.values()] if hasattr(route.callback, "actions") else [None]:
            view = cls()
            view.action = name
            action = explicit.get(name) or (cls.permission_action if issubclass(cls, RoleRequiredMixin) else VIEW)
            pairs.add((view.permission_resource, action))
        pairs |= {(cls().permission_resource, action) for action in explicit.values()} if explicit else set()
        return sorted(pairs)
    resource = getattr(route.callback, "permission_resource", None)
    return [(resource, route.callback.permission_action)] if resource else []


def test_every_view_names_a_declared_resource_and_action():
    declared = [(route.path, pair) for route in walker.routes() for pair in _declarations(route)]
    undeclared = [
        (path, resource, action) for path, (resource, action) in declared if action not in PERMISSIONS.get(resource, {})
    ]

    assert len(declared) > 20  # the walk really found the views' declarations
    assert undeclared == []


def test_every_api_view_asks_the_permission_table():
    api_classes = {r.view_class for r in walker.routes() if r.path.startswith("/api/") and r.view_class}
    open_to_everyone = sorted(
        cls.__name__
        for cls in api_classes
        if getattr(cls, "permission_resource", None) and RolePermission not in cls.permission_classes
    )

    assert open_to_everyone == []


def test_an_api_view_without_a_declared_resource_is_refused_even_to_an_administrator():
    class Forgotten(APIView):
        permission_classes = [RolePermission]

        def get(self, request):
            return Response({"secret": 1})

    request = APIRequestFactory().get("/forgotten/")
    force_authenticate(request, user=make_user(Role.ADMIN))

    response = Forgotten.as_view()(request)

    assert response.status_code == 403
    assert "secret" not in response.data


def test_an_html_view_without_a_declared_resource_is_refused_even_to_an_administrator():
    class Forgotten(RoleRequiredMixin, View):
        def get(self, request):
            return HttpResponse("secret")

    request = RequestFactory().get("/forgotten/")
    request.user = make_user(Role.ADMIN)

    with pytest.raises(PermissionDenied):
        Forgotten.as_view()(request)


def test_a_resource_nobody_declared_is_refused_to_every_role():
    for role in Role:
        assert can(make_user(role), "no_such_resource", VIEW) is False


def test_a_user_in_no_group_gets_nothing(client, api_as):
    user = UserFactory()
    client.force_login(user)

    granted = [
        (resource, action)
        for resource, actions in PERMISSIONS.items()
        for action in actions
        if can(user, resource, action)
    ]

    assert role_of(user) is None
    assert granted == []
    assert client.get("/projects/").status_code == 403
    assert api_as(user).get("/api/projects/").status_code == 403


def test_a_user_in_an_unknown_group_gets_nothing():
    user = UserFactory()
    user.groups.add(Group.objects.create(name="Visitors"))

    assert role_of(user) is None
    assert can(user, "project", VIEW) is False


def test_an_inactive_user_gets_nothing_whatever_the_group():
    user = make_user(Role.ADMIN)
    user.is_active = False

    assert role_of(user) is None
    assert can(user, "project", VIEW) is False


def test_a_superuser_in_no_group_is_an_administrator():
    user = UserFactory(is_superuser=True)

    assert role_of(user) == Role.ADMIN
    assert can(user, "project", DELETE) is True


@pytest.mark.parametrize(
    ("groups", "winner"),
    [
        ((Role.DELEGATION, Role.ADMIN), Role.ADMIN),
        ((Role.FIELD, Role.SECRETARIAT), Role.SECRETARIAT),
        ((Role.DELEGATION, Role.FIELD), Role.FIELD),
        ((Role.SECRETARIAT, Role.COORDINATOR, Role.DELEGATION), Role.COORDINATOR),
    ],
)
def test_the_most_powerful_group_wins(groups, winner):
    user = UserFactory()
    for role in groups:
        user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])

    assert role_of(user) == winner


def test_a_users_role_costs_one_query_per_request(django_assert_num_queries):
    user = UserFactory()
    for role in (Role.DELEGATION, Role.SECRETARIAT):
        user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    fresh = type(user).objects.get(pk=user.pk)

    with django_assert_num_queries(1):
        assert role_of(fresh) == Role.SECRETARIAT
        assert role_of(fresh) == Role.SECRETARIAT  # cached on the user for the request


def test_a_delegation_reader_also_in_the_administrator_group_may_delete_a_project(client_as):
    project = ProjectFactory()
    user = make_user(Role.DELEGATION)
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.ADMIN])[0])

    response = client_as(user).delete(f"/api/projects/{project.pk}/")

    assert response.status_code == 204
    assert not ProjectFactory._meta.model.objects.filter(pk=project.pk).exists()


def test_a_delegation_reader_may_read_projects_but_not_create_one(api_as):
    client = api_as(make_user(Role.DELEGATION))
    before = ProjectFactory._meta.model.objects.count()

    listed = client.get("/api/projects/")
    created = client.post("/api/projects/", {"code": "P-NEW", "title": "New"}, format="json")

    assert listed.status_code == 200
    assert created.status_code == 403
    assert ProjectFactory._meta.model.objects.count() == before
