from django.urls import path

from focal_points import views

app_name = "focal_points"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.directory_csv, name="directory_csv"),
    path("export.vcf", views.directory_vcard, name="directory_vcard"),
    path("new/", views.focal_point_create, name="focal_point_create"),
    path("<int:pk>/", views.focal_point_detail, name="focal_point_detail"),
    path("<int:pk>/edit/", views.focal_point_edit, name="focal_point_edit"),
    path("<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<int:pk>/contact.vcf", views.focal_point_vcard, name="focal_point_vcard"),
    path("<int:pk>/contact.csv", views.focal_point_csv, name="focal_point_csv"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_export, {"fmt": "csv"}, name="coverage_csv"),
    path("coverage.xlsx", views.coverage_export, {"fmt": "xlsx"}, name="coverage_xlsx"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("vacancies.csv", views.vacancies_export, {"fmt": "csv"}, name="vacancies_csv"),
    path("vacancies.xlsx", views.vacancies_export, {"fmt": "xlsx"}, name="vacancies_xlsx"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("changes/", views.change_queue, name="change_queue"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change_decide"),
]
