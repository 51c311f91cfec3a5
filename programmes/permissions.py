"""The one place that decides who may do what.

A role is the user's group. ``PERMISSIONS`` is the role × resource × action table; views use
``RoleRequiredMixin`` / ``role_required`` and API views use ``RolePermission``, all of which ask ``can``.
Row-level scoping (a field user sees only their own operation's drafts, a delegation only published data)
is done by each app's selectors with the helpers at the bottom of this module.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from programmes import prepared
from programmes.types import PortalUser

if TYPE_CHECKING:
    # Only for annotations: DRF's views module reads the settings, which name this module's RolePermission.
    from rest_framework.request import Request
    from rest_framework.views import APIView


class Role(StrEnum):
    ADMIN = "administrator"
    COORDINATOR = "coordinator"
    SECRETARIAT = "secretariat"
    FIELD = "field"
    DELEGATION = "delegation"


# Group names as they appear in the admin; the group is the role.
GROUP_NAMES: dict[Role, str] = {
    Role.ADMIN: "Administrator",
    Role.COORDINATOR: "TNT co-ordinator",
    Role.SECRETARIAT: "Secretariat staff",
    Role.FIELD: "Field-operation staff",
    Role.DELEGATION: "Delegation reader",
}
_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}
# If a user is (wrongly) in several groups, the most powerful wins; none means no access at all.
_PRECEDENCE = [Role.ADMIN, Role.COORDINATOR, Role.SECRETARIAT, Role.FIELD, Role.DELEGATION]

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
REVIEW, PUBLISH, EXPORT = "review", "publish", "export"

ALL = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.SECRETARIAT})
STAFF_AND_FIELD = STAFF | {Role.FIELD}
MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})

# resource -> action -> roles allowed. Anything absent is refused. The core declares its own resources here; every
# other app declares its resources in its own ``permissions`` module with ``declare_resources`` (loaded when the apps
# are ready), beside the row-level rules (``can_<verb>_<thing>(*, user, obj)``) that narrow the table to rows.
PERMISSIONS: dict[str, dict[str, frozenset[Role]]] = {}


def declare_resources(table: dict[str, dict[str, frozenset[Role]]]) -> None:
    """Add an app's resources to the table. A resource is declared once, by the app that owns it."""
    clash = set(table) & set(PERMISSIONS)
    if clash:
        raise ImproperlyConfigured(f"permission resources declared twice: {sorted(clash)}")
    PERMISSIONS.update(table)


declare_resources(
    {
        # Reference data: everyone signed in reads it; Secretariat staff maintain it.
        "structure": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        "state": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        "partner_organisation": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        "thematic_area": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        "mandate": {VIEW: ALL, ADD: MANAGERS, CHANGE: MANAGERS, DELETE: frozenset({Role.ADMIN})},
        # Projects: delegations read approved work; staff plan it; field staff read.
        "project": {VIEW: ALL, ADD: STAFF, CHANGE: STAFF, DELETE: frozenset({Role.ADMIN}), EXPORT: ALL},
    }
)

_METHOD_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": ADD,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}


def role_of(user: PortalUser | None) -> Role | None:
    """The user's role, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_portal_role", False)
    if cached is not False:
        return cast("Role | None", cached)
    remember_role(user, None if user.is_superuser else role_group_of(user.pk))
    return cast("Role | None", user._portal_role)  # type: ignore[attr-defined]


@cache
def _role_group_select(user_id_sql: str) -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    qn = connection.ops.quote_name
    memberships = get_user_model().groups.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(_PRECEDENCE))
    ranks = " ".join(f"WHEN g.name = %s THEN {i}" for i in range(len(_PRECEDENCE)))
    # Table names from the models' meta, the caller's column, placeholders; every value is a parameter.
    return (
        f"SELECT g.name FROM {qn(Group._meta.db_table)} g JOIN {qn(memberships)} m ON m.group_id = g.id "  # noqa: S608
        f"WHERE m.user_id = {user_id_sql} AND g.name IN ({placeholders}) ORDER BY CASE {ranks} END LIMIT 1"
    )


def role_group_subquery_sql(user_id_column: str) -> tuple[str, list[str]]:
    """A scalar subquery (SQL, parameters): the name of the highest-precedence role group of the user whose id is
    ``user_id_column``, so a query that loads a user can bring their role with it (the API token's does)."""
    ranked = [GROUP_NAMES[role] for role in _PRECEDENCE]
    return f"({_role_group_select(user_id_column)})", [*ranked, *ranked]


def role_group_of(user_id: int) -> str | None:
    """The name of the user's highest-precedence role group, or None.

    Every signed-in request asks this once. Written as one parameterised statement because building the same query
    with the ORM costs about 0.4 ms of Python per request, more than the query itself."""
    ranked = [GROUP_NAMES[role] for role in _PRECEDENCE]
    with connection.cursor() as cursor:
        cursor.execute(prepared.statement(_role_group_select("%s")), [user_id, *ranked, *ranked])
        row = cursor.fetchone()
    return row[0] if row else None


def remember_role(user: PortalUser, role_group: str | None) -> None:
    """Fill ``role_of``'s per-request cache from a role group name loaded with the user. A per-request cache on the
    user object, not a model field; set as an attribute so that a lazy request.user passes it on to the user it
    wraps."""
    role = Role.ADMIN if user.is_superuser else _ROLE_BY_GROUP.get(role_group or "")
    user._portal_role = role  # type: ignore[union-attr]


def can(user: PortalUser, resource: str, action: str) -> bool:
    return role_may(role_of(user), resource, action)


def role_may(role: Role | None, resource: str, action: str) -> bool:
    """The permission table's answer for a role (``can`` for a user): what may be worked out once per role."""
    if role is None:
        return False
    return role in PERMISSIONS.get(resource, {}).get(action, frozenset())


def is_staff_role(user: PortalUser) -> bool:
    return role_of(user) in STAFF


def is_manager(user: PortalUser) -> bool:
    return role_of(user) in MANAGERS


def is_field(user: PortalUser) -> bool:
    return role_of(user) == Role.FIELD


def is_delegation(user: PortalUser) -> bool:
    return role_of(user) == Role.DELEGATION


def user_structure_id(user: PortalUser) -> int | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.structure_id if profile else None


def user_state_id(user: PortalUser) -> int | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.state_id if profile else None


class RolePermission(BasePermission):
    """DRF permission: the view names its ``permission_resource``; the HTTP method (or the action's
    ``permission_action`` from ``action_permissions``) gives the action."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        resource = getattr(view, "permission_resource", None)
        # An action may serve another resource than its viewset (a network's coverage matrix).
        resource = getattr(view, "action_resources", {}).get(getattr(view, "action", None), resource)
        if resource is None:
            # A view that forgot to declare itself is closed, not open.
            return False
        action = getattr(view, "action", None)
        explicit = getattr(view, "action_permissions", {}).get(action)
        wanted = explicit or _METHOD_ACTIONS.get(request.method or "", CHANGE)
        return can(request.user, resource, wanted)


class RoleRequiredMixin(AccessMixin):
    """For class-based views: ``permission_resource`` and ``permission_action`` (default: view)."""

    permission_resource: str = ""
    permission_action: str = VIEW

    def get_permission_action(self) -> str:
        return self.permission_action

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can(request.user, self.permission_resource, self.get_permission_action()):
            raise PermissionDenied
        # AccessMixin is mixed in before a View, which has dispatch; the stubs cannot see the MRO.
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


ViewFunc = Callable[..., HttpResponse]


def role_required(resource: str, action: str = VIEW) -> Callable[[ViewFunc], ViewFunc]:
    """For function views: signed-in users whose role may do ``action`` on ``resource``."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, resource, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Function attributes mypy cannot see; tests/test_permissions.py reads them to check every route declares one.
        wrapped.permission_resource = resource  # type: ignore[attr-defined]
        wrapped.permission_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator
