from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        # Each app declares its own resources into the permission table from its ``permissions`` module.
        autodiscover_modules("permissions")
        # A finished task marks its outbox job done and stops its document heartbeat.
        from programmes import jobs

        jobs.connect_signals()
        # The filter forms' cached option lists follow the reference data they list (issue 14).
        from programmes import choice_cache

        choice_cache.connect()
