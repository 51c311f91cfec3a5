from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("legal/", views.matrix, name="matrix"),
    path("legal/gaps/", views.legal_gaps, name="legal_gaps"),
    path("legal/record/", views.commitment_create, name="commitment_create"),
    path("legal/records/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("legal/records/<int:pk>/delete/", views.commitment_delete, name="commitment_delete"),
    path("legal/instruments/new/", views.instrument_create, name="instrument_create"),
    path("legal/instruments/<slug:code>/", views.instrument_detail, name="instrument_detail"),
    path("legal/instruments/<slug:code>/edit/", views.instrument_edit, name="instrument_edit"),
    path("legal/instruments/<slug:code>/delete/", views.instrument_delete, name="instrument_delete"),
    path("library/", views.library, name="library"),
    path("library/new/", views.document_create, name="document_create"),
    path("library/<int:pk>/", views.document_detail, name="document_detail"),
    path("library/<int:pk>/file/", views.document_file, name="document_file"),
    path("library/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("library/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("library/<int:pk>/read-again/", views.document_reextract, name="document_reextract"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/delete/", views.centre_delete, name="centre_delete"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/gaps/", views.decision_gaps, name="decision_gaps"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
]
