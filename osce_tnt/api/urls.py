"""The API root: one DefaultRouter built from each app's own router, so each app owns its registrations."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from focal_points.api.urls import router as focal_points_router
from knowledge.api.urls import router as knowledge_router
from knowledge.api.urls import urlpatterns as knowledge_extra_urls
from osce_tnt.reporting.api.urls import router as reporting_router
from osce_tnt.reporting.api.urls import urlpatterns as reporting_extra_urls
from programmes.api.urls import router as programmes_router
from results.api.urls import router as results_router
from results.api.urls import urlpatterns as results_extra_urls
from taskforces.api.urls import router as taskforces_router


class PortalAPIRootView(APIRootView):
    permission_classes = [IsAuthenticated]


class PortalRouter(DefaultRouter):
    APIRootView = PortalAPIRootView


router = PortalRouter()
for app_router in (programmes_router, results_router, focal_points_router, taskforces_router, knowledge_router,
                   reporting_router):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(reporting_extra_urls)),
    path("", include(knowledge_extra_urls)),
    path("", include(results_extra_urls)),
    path("", include(router.urls)),
]
