from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/<int:pk>/", views.project_results, name="project_results"),
    path("projects/<int:pk>/classify/", views.project_classify, name="project_classify"),
    path("projects/<int:pk>/results/new/", views.result_create, name="result_create"),
    path("framework/results/<int:pk>/", views.result_edit, name="result_edit"),
    path("framework/results/<int:pk>/delete/", views.result_delete, name="result_delete"),
    path("framework/results/<int:result_pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("framework/indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("framework/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("framework/indicators/<int:indicator_pk>/periods/new/", views.period_create, name="period_create"),
    path("framework/periods/<int:pk>/", views.period_edit, name="period_edit"),
    path("framework/periods/<int:pk>/delete/", views.period_delete, name="period_delete"),
    path("projects/<int:pk>/money/new/", views.transaction_create, name="transaction_create"),
    path("money/<int:pk>/", views.transaction_edit, name="transaction_edit"),
    path("money/<int:pk>/delete/", views.transaction_delete, name="transaction_delete"),
    path("activity-items/<int:pk>/", views.activity_results, name="activity_results"),
    path("activity-items/<int:pk>/participants-by-age/", views.activity_breakdown, name="activity_breakdown"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("actuals/", views.actual_list, name="actual_list"),
    path("actuals/new/<int:period_pk>/", views.actual_create, name="actual_create"),
    path("actuals/<int:pk>/", views.actual_detail, name="actual_detail"),
    path("actuals/<int:pk>/review/", views.actual_review, name="actual_review"),
    path("donors/", views.donor_portfolio, name="donor_portfolio"),
    path("open-data/", views.open_data, name="open_data"),
    path("3w/projects.csv", views.projects_3w_csv, name="projects_3w_csv"),
    path("3w/events.csv", views.events_3w_csv, name="events_3w_csv"),
]
