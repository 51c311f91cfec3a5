"""Programme pages, mounted at /programmes/ beside the core's project pages."""

from django.urls import path

from results import views

app_name = "programme_pages"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
]
