from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    """Activity reporting: obligations, reports and their review, compliance."""

    name = "programmes.activity"
    label = "activity"
    verbose_name = _("Activity reporting")

    def ready(self) -> None:
        from programmes.activity import receivers

        receivers.connect()
