from django.urls import path

from osce_tnt.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.person, name="person"),
]
