from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("legal/", views.matrix, name="matrix"),
    path("legal/gaps/", views.legal_gaps, name="legal_gaps"),
    path("legal/record/", views.commitment_create, name="commitment_create"),
    path("legal/instruments/<slug:code>/", views.instrument_detail, name="instrument_detail"),
    path("library/", views.library, name="library"),
    path("library/new/", views.document_create, name="document_create"),
    path("library/<int:pk>/", views.document_detail, name="document_detail"),
    path("library/<int:pk>/file/", views.document_file, name="document_file"),
    path("library/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("library/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("library/<int:pk>/read-again/", views.document_reextract, name="document_reextract"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/gaps/", views.decision_gaps, name="decision_gaps"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
]
