from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "osce_tnt.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from osce_tnt.reporting import receivers

        receivers.connect()
