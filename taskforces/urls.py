from django.urls import path

from taskforces import views

app_name = "taskforces"

urlpatterns = [
    path("", views.taskforce_list, name="taskforce_list"),
    path("new/", views.taskforce_create, name="taskforce_create"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("meetings/<int:pk>/attendance/", views.attendance_edit, name="attendance_edit"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/decisions/<int:decision_pk>/edit/", views.decision_edit, name="decision_edit"),
    path("meetings/<int:pk>/pack/", views.pack_request, name="pack_request"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/status/", views.pack_status, name="pack_status"),
    path("packs/<int:pk>/retry/", views.pack_retry, name="pack_retry"),
    path("packs/<int:pk>/download/", views.pack_download, name="pack_download"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", views.action_progress_add, name="action_progress_add"),
    path("<slug:slug>/", views.taskforce_detail, name="taskforce_detail"),
    path("<slug:slug>/edit/", views.taskforce_edit, name="taskforce_edit"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("<slug:slug>/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/actions/new/", views.action_create, name="action_create"),
]
