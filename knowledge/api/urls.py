from django.urls import path
from rest_framework.routers import SimpleRouter

from knowledge.api import views

router = SimpleRouter()
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("library-documents", views.DocumentViewSet, basename="library-document")
router.register("training-centres", views.TrainingCentreViewSet, basename="training-centre")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns: list = [
    path("legal-matrix/", views.LegalMatrixView.as_view(), name="legal-matrix"),
    path("legal-gaps/", views.LegalGapsView.as_view(), name="legal-gaps"),
]
