from rest_framework.routers import SimpleRouter

from focal_points.api import views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet, basename="network")
router.register("focal-points", views.FocalPointViewSet, basename="focal-point")

urlpatterns: list = []
