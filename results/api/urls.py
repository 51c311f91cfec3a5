"""Results API routes. ``router`` joins the API root's router; ``urlpatterns`` are included before it, so
``projects/iati.xml`` is not read as a project id with a format suffix."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from results.api import views

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("project-classifications", views.ProjectClassificationViewSet, basename="project-classification")
router.register("results", views.ResultViewSet, basename="result")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-periods", views.IndicatorPeriodViewSet, basename="indicator-period")
# /api/indicator-actuals/ with /{id}/submit/, /{id}/return/, /{id}/approve/
router.register("indicator-actuals", views.IndicatorActualViewSet, basename="indicator-actual")
router.register("activity-contributions", views.ActivityContributionViewSet, basename="activity-contribution")
router.register("financial-transactions", views.FinancialTransactionViewSet, basename="financial-transaction")

urlpatterns = [
    path("projects/iati.xml", views.IatiExportView.as_view(), name="project-iati-list"),
    path("projects/<int:pk>/iati.xml", views.IatiProjectView.as_view(), name="project-iati-detail"),
    path("projects/<int:pk>/results/", views.ProjectResultsView.as_view(), name="project-results"),
    path(
        "activity-items/<int:pk>/participants-by-age/",
        views.ParticipantBreakdownView.as_view(),
        name="activity-participants-by-age",
    ),
]
