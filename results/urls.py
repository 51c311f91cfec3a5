from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/<int:pk>/", views.project_results, name="project_results"),
    path("projects/<int:pk>/classify/", views.project_classify, name="project_classify"),
    path("actuals/", views.actual_list, name="actual_list"),
    path("actuals/new/<int:period_pk>/", views.actual_create, name="actual_create"),
    path("actuals/<int:pk>/", views.actual_detail, name="actual_detail"),
    path("actuals/<int:pk>/review/", views.actual_review, name="actual_review"),
    path("donors/", views.donor_portfolio, name="donor_portfolio"),
    path("open-data/", views.open_data, name="open_data"),
    path("3w/projects.csv", views.projects_3w_csv, name="projects_3w_csv"),
    path("3w/events.csv", views.events_3w_csv, name="events_3w_csv"),
]
