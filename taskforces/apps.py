from django.apps import AppConfig


class TaskforcesConfig(AppConfig):
    name = "taskforces"
