from django.urls import path

from programmes.activity import views

app_name = "activity"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export.<str:fmt>", views.compliance_export, name="compliance_export"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
