from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from osce_tnt import home_steps
from osce_tnt.celery import app as celery_app


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and the reason is reported
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (no broker configured; tasks run in-process)"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    """Public on purpose (load balancers probe it); it reveals states, never data."""
    database = _database_state()
    broker = _broker_state()
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


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

            context["demo_accounts"] = [(username, GROUP_NAMES[role], acronym or iso or "")
                                        for username, role, acronym, iso, *_names in DEMO_ACCOUNTS]
        return context
