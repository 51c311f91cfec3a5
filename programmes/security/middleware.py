"""A Permissions-Policy header on every response: the portal uses no camera, microphone, location or payment API,
so a page (or a script injected into one) may not ask for them."""

from django.conf import settings

DEFAULT_POLICY = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(self), geolocation=(), "
                  "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
