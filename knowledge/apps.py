from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Legal commitments per State, the document library, training centres and the trace from decisions to work."""

    name = "knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from knowledge.reference_data import load_on_signal
        from programmes.signals import reference_data_loaded

        reference_data_loaded.connect(load_on_signal, dispatch_uid="knowledge.reference_data")
