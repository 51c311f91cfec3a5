from django.urls import path

from programmes.security import views

app_name = "security"

urlpatterns = [
    path("api-token/", views.api_token, name="api_token"),
]
