from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Results and money: programmes' pages, results frameworks, funding flows, IATI and HXL exports.

    Layered above programmes, events and activity: it reads them, they never import it."""

    name = "results"
    label = "results"
    verbose_name = _("Results and money")

    def ready(self):
        from programmes.signals import reference_data_loaded
        from results import receivers
        from results.reference_data import load_on_signal

        reference_data_loaded.connect(load_on_signal, dispatch_uid="results.reference_data")
        receivers.connect()
