"""A Permissions-Policy header on every response: the portal uses no camera, microphone, location or payment API,
so a page (or a script injected into one) may not ask for them."""

from django.conf import settings

DEFAULT_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(self), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class SlidingSessionMiddleware:
    """Sliding expiry without a database write per request: a signed-in session is saved again (which pushes its
    expiry SESSION_COOKIE_AGE into the future) at most once every SESSION_REFRESH_SECONDS. Idle time is therefore
    measured to within that interval."""

    KEY = "_portal_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= getattr(settings, "SESSION_REFRESH_SECONDS", 300):
                session[self.KEY] = now  # marks the session modified, so SessionMiddleware saves it
        return self.get_response(request)
