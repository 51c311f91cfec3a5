from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from osce_tnt import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(("osce_tnt.api.urls", "api"), namespace="api")),
    path("", include("programmes.urls")),
    path("calendar/", include("programmes.events.urls")),
    path("activity-reports/", include("programmes.activity.urls")),
    path("focal-points/", include("focal_points.urls")),
    path("task-forces/", include("taskforces.urls")),
    path("reports/", include("osce_tnt.reporting.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
