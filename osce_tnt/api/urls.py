"""The API root: one DefaultRouter built from each app's own router, so each app owns its registrations."""

from csp.constants import NONCE, SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from focal_points.api.urls import router as focal_points_router
from knowledge.api.urls import router as knowledge_router
from knowledge.api.urls import urlpatterns as knowledge_extra_urls
from osce_tnt.reporting.api.urls import router as reporting_router
from osce_tnt.reporting.api.urls import urlpatterns as reporting_extra_urls
from programmes.api.urls import router as programmes_router
from programmes.permissions import RolePermission
from programmes.security.permissions import SIGNED_IN
from programmes.security.views import ApiTokenView
from results.api.urls import router as results_router
from results.api.urls import urlpatterns as results_extra_urls
from taskforces.api.urls import router as taskforces_router


class PortalAPIRootView(APIRootView):
    permission_classes = [RolePermission]
    permission_resource = SIGNED_IN


class PortalRouter(DefaultRouter):
    APIRootView = PortalAPIRootView


# The documentation bundles set element styles at run time, so these two pages (only) allow inline styles; their
# scripts are files (Swagger's initialiser is served by the split view) or carry the request's nonce (Redoc).
_DOCS_POLICY = csp_update(
    {"style-src": [UNSAFE_INLINE], "script-src": [NONCE], "worker-src": [SELF, "blob:"], "img-src": ["blob:"]}
)


@method_decorator(_DOCS_POLICY, name="dispatch")
class PortalSwaggerView(SpectacularSwaggerSplitView):
    permission_classes = [RolePermission]
    permission_resource = SIGNED_IN


@method_decorator(_DOCS_POLICY, name="dispatch")
class PortalRedocView(SpectacularRedocView):
    permission_classes = [RolePermission]
    permission_resource = SIGNED_IN


class PortalSchemaView(SpectacularAPIView):
    permission_classes = [RolePermission]
    permission_resource = SIGNED_IN


router = PortalRouter()
for app_router in (
    programmes_router,
    results_router,
    focal_points_router,
    taskforces_router,
    knowledge_router,
    reporting_router,
):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("schema/", PortalSchemaView.as_view(), name="schema"),
    path("docs/", PortalSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", PortalRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("auth/token/", ApiTokenView.as_view(), name="api_token"),
    path("", include(reporting_extra_urls)),
    path("", include(knowledge_extra_urls)),
    path("", include(results_extra_urls)),
    path("", include(router.urls)),
]
