from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The joint calendar: events, overlap detection, feeds and the monthly bundle."""

    name = "programmes.events"
    label = "events"
    verbose_name = _("Joint calendar")

    def ready(self) -> None:
        from programmes.events import receivers

        receivers.connect()
