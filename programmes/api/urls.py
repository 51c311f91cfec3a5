from rest_framework.routers import SimpleRouter

from programmes.activity.api.urls import router as activity_router
from programmes.api import views
from programmes.events.api.urls import router as events_router

router = SimpleRouter()
router.register("structures", views.ExecutiveStructureViewSet, basename="structure")
router.register("states", views.ParticipatingStateViewSet, basename="state")
router.register("partner-organisations", views.PartnerOrganisationViewSet, basename="partner-organisation")
router.register("thematic-areas", views.ThematicAreaViewSet, basename="thematic-area")
router.register("mandates", views.MandateViewSet, basename="mandate")
router.register("projects", views.ProjectViewSet, basename="project")
router.registry.extend(events_router.registry)
router.registry.extend(activity_router.registry)
