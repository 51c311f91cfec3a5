from rest_framework.routers import SimpleRouter

from programmes.activity.api.views import ActivityReportViewSet

router = SimpleRouter()
# /api/activity-reports/ with /{id}/submit/, /{id}/return/, /{id}/accept/, /{id}/attachments/ and
# /{id}/attachments/{attachment_id}/ (DELETE).
router.register("activity-reports", ActivityReportViewSet, basename="activity-report")
