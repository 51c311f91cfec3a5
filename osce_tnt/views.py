import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from osce_tnt import health, home_steps
from osce_tnt.middleware import DATABASE_ERRORS, database_unavailable_response, is_api_request


@never_cache
@require_safe
def healthz(request):
    """Public on purpose (load balancers and compose probe it); it reveals states, never data.

    ``?require=worker,beat`` checks other parts than PORTAL_HEALTH_REQUIRED (the worker's container asks about
    the worker)."""
    asked = [part.strip() for part in request.GET.get("require", "").split(",") if part.strip() in health.PARTS]
    healthy, body = health.report(asked or None)
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request):
    """handler500: a database that went away is a 503 (it will be back), not a 500; the API gets JSON."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(request)
    if is_api_request(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return django_server_error(request)


@login_required
def home(request):
    return render(request, "home.html", {"steps": home_steps.steps_for(request.user), "demo": settings.PORTAL_DEMO})


class SignInView(LoginView):
    """The sign-in page; in demo mode only it lists the demo accounts (never their password)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.PORTAL_DEMO:
            from programmes.management.commands.create_demo_accounts import DEMO_ACCOUNTS
            from programmes.permissions import GROUP_NAMES

            context["demo_accounts"] = [
                (username, GROUP_NAMES[role], acronym or iso or "")
                for username, role, acronym, iso, *_names in DEMO_ACCOUNTS
            ]
        return context


@require_safe
def favicon(request):
    """Public: browsers ask for /favicon.ico whatever the page links; send them to the icon, not to a logged 404."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"))
