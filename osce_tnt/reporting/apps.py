from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "osce_tnt.reporting"
    label = "reporting"
    verbose_name = "Reporting"
