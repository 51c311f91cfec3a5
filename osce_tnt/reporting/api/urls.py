from django.urls import path
from rest_framework.routers import SimpleRouter

from osce_tnt.reporting.api import views

router = SimpleRouter()
router.register("reports", views.GeneratedReportViewSet, basename="report")

urlpatterns: list = [
    path("dashboard/", views.DashboardAPIView.as_view(), name="dashboard"),
]
