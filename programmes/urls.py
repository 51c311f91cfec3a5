from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", views.project_change_status, name="project_change_status"),
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    path("states/", views.state_list, name="state_list"),
    path("states/<int:pk>/", views.state_detail, name="state_detail"),
    path("pickers/projects/", views.project_picker, name="project_picker"),
    path("pickers/events/", views.event_picker, name="event_picker"),
]
