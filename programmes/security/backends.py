"""Authentication backends: the axes lockout check, and the portal's own user lookup for signed-in sessions.

``authenticate()`` without a request (management commands, the shell) cannot come from an attacker over HTTP, so the
axes backend skips the lockout check instead of raising; every HTTP sign-in passes a request and is throttled.

``PortalModelBackend`` checks the password as Django's ``ModelBackend`` does and loads a session's user with
``principal.principal_by_id``: the user, role and profile in one statement (``ModelBackend.get_user`` took one ORM
query for the user, then the role and profile took their own). The axes backend has no ``get_user``: sessions name
the backend that checked the password."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from programmes.security.principal import principal_by_id


class PortalAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = principal_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
