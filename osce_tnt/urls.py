from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from osce_tnt import views
from programmes.security.permissions import PUBLIC, SIGNED_IN, declare_view

handler500 = "osce_tnt.views.server_error"

urlpatterns = [
    path("", declare_view(views.home, SIGNED_IN), name="home"),
    path("healthz", declare_view(views.healthz, PUBLIC), name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the icon instead of a logged 404.
    path("favicon.ico", declare_view(views.favicon, PUBLIC), name="favicon"),
    path(
        "accounts/login/",
        declare_view(views.SignInView.as_view(), PUBLIC),
        name="login",
    ),
    path("accounts/logout/", declare_view(auth_views.LogoutView.as_view(), PUBLIC), name="logout"),
    path("accounts/", include("programmes.security.urls")),
    path("i18n/setlang/", declare_view(set_language, PUBLIC), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include(("osce_tnt.api.urls", "api"), namespace="api")),
    path("", include("programmes.urls")),
    path("calendar/", include("programmes.events.urls")),
    path("activity-reports/", include("programmes.activity.urls")),
    path("results/", include("results.urls")),
    path("programmes/", include("results.programme_urls")),
    path("focal-points/", include("focal_points.urls")),
    path("task-forces/", include("taskforces.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("reports/", include("osce_tnt.reporting.urls")),
    path("privacy/", include("osce_tnt.privacy.urls")),
]
