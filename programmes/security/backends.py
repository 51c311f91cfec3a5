"""The axes backend, used only for sign-ins that come with a request.

``authenticate()`` without a request (management commands, the shell) cannot come from an attacker over HTTP, so it
skips the lockout check instead of raising; every HTTP sign-in passes a request and is throttled."""

from axes.backends import AxesStandaloneBackend


class PortalAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
