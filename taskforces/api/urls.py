from rest_framework.routers import SimpleRouter

from taskforces.api import views

router = SimpleRouter()
router.register("task-forces", views.TaskForceViewSet, basename="task-force")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="action-item")

urlpatterns: list = []
