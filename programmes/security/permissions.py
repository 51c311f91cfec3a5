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
