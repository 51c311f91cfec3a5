from django.urls import path

from programmes.events import views

app_name = "events"

urlpatterns = [
    path("", views.calendar_month, name="calendar"),
    path("agenda/", views.agenda, name="agenda"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/outcome/", views.event_outcome, name="event_outcome"),
    path("awaiting-outcome/", views.awaiting_outcome, name="awaiting_outcome"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
    path("alerts/how-scores-work/", views.scoring, name="scoring"),
    path("feed.ics", views.feed, name="feed"),
    path("feed/<str:token>.ics", views.private_feed, name="private_feed"),
    path("my-feed/", views.feed_tokens, name="feed_tokens"),
    path("bundles/", views.bundle_list, name="bundle_list"),
    path("bundles/<int:pk>/retry/", views.bundle_retry, name="bundle_retry"),
    path("bundles/<int:pk>/<str:kind>/", views.bundle_download, name="bundle_download"),
]
