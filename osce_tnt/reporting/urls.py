from django.urls import path

from osce_tnt.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="report_download"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/my-state/", views.my_state, name="my_state"),
    path("dashboard/data/<slug:name>.csv", views.dashboard_csv, name="dashboard_csv"),
]
