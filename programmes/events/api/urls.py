from rest_framework.routers import SimpleRouter

from programmes.events.api import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("coordination-alerts", views.CoordinationAlertViewSet, basename="coordination-alert")
