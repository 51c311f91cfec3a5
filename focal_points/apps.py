from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalPointsConfig(AppConfig):
    name = "focal_points"
    verbose_name = _("Focal points")

    def ready(self):
        from focal_points.reference_data import load_on_signal
        from programmes.signals import reference_data_loaded

        reference_data_loaded.connect(load_on_signal, dispatch_uid="focal_points.reference_data")
