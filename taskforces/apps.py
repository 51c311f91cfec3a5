from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcesConfig(AppConfig):
    name = "taskforces"
    verbose_name = _("Task forces")

    def ready(self):
        from programmes.events.signals import calendar_bundle_ready
        from programmes.signals import reference_data_loaded
        from taskforces import receivers

        reference_data_loaded.connect(receivers.on_reference_data_loaded, dispatch_uid="taskforces_reference_data")
        calendar_bundle_ready.connect(receivers.on_calendar_bundle_ready, dispatch_uid="taskforces_calendar_bundle")
