"""The security app's part of the permission table."""

from programmes.permissions import ADD, ALL, DELETE, EXPORT, STAFF, VIEW, Role, declare_resources

ADMIN_ONLY = frozenset({Role.ADMIN})

declare_resources(
    {
        # Every signed-in user manages their own API token; administrators revoke anyone's in the admin.
        "api_token": {VIEW: ALL, ADD: ALL, DELETE: ALL},
        # Who changed what: staff read it; the sign-in events beside it are for administrators.
        "history": {VIEW: STAFF},
        "sign_in_event": {VIEW: ADMIN_ONLY},
        # Everything held about one person: export and erasure on request, administrators only.
        "personal_data": {VIEW: ADMIN_ONLY, EXPORT: ADMIN_ONLY, DELETE: ADMIN_ONLY},
    }
)


def can_view_history(*, user, obj=None) -> bool:
    from programmes.permissions import can

    return can(user, "history", VIEW)


def can_view_sign_in_events(*, user, obj=None) -> bool:
    from programmes.permissions import can

    return can(user, "sign_in_event", VIEW)


# Views that are not role-gated still declare what they are, so that a view without a declaration stands out:
# "public" (anyone, signed in or not: sign-in, health check, the public feed, i18n), "token" (anyone holding a
# secret link: private feeds, yearly confirmation), "signed_in" (every signed-in user: home, API root and docs).
PUBLIC, TOKEN, SIGNED_IN = "public", "token", "signed_in"
OPEN_RESOURCES = frozenset({PUBLIC, TOKEN, SIGNED_IN})
# In the table too, so every declaration names a table entry; for signed-in roles they allow viewing. Anonymous
# access to "public" and "token" views is not decided by the table (it knows only roles) but by the views.
declare_resources({name: {VIEW: ALL} for name in OPEN_RESOURCES})


def declare_view(view, resource: str, action: str = VIEW):
    """Mark a view (function or ``as_view()`` result) with the resource it serves; returns the view."""
    view.permission_resource = resource
    view.permission_action = action
    return view


def declare_view_as(resource: str, action: str = VIEW):
    """Decorator form of ``declare_view``."""

    def decorator(view):
        return declare_view(view, resource, action)

    return decorator
