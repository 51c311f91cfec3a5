from django.urls import path  # noqa: F401

app_name = "focal_points"

urlpatterns: list = []
