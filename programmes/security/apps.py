from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Sign-in records, expiring API tokens, request hardening and the audit trail's shared reading side. It sits in
    the core so every app may show its history and use its validators."""

    name = "programmes.security"
    label = "security"
    verbose_name = _("Security and audit")

    def ready(self) -> None:
        from programmes.security import receivers  # noqa: F401  (connects the sign-in signals)

        bound_every_date_field()


def bound_every_date_field() -> None:
    """Give every date and date-time field of every installed model the portal's one date bound.

    Done once here rather than field by field so that no model (including ones added later, and history models)
    can miss it; ``full_clean``, model forms and DRF model serializers all read ``field.validators``. The bound is a
    run-time rule, so it does not appear in migrations."""
    from django.apps import apps
    from django.db import models

    from programmes.security.validators import validate_portal_date

    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField) and validate_portal_date not in field.validators:
                # ``validators`` is a cached property; filling its cache (not ``_validators``) keeps the rule out
                # of ``deconstruct()`` and so out of the migrations.
                field.__dict__["validators"] = [*field.validators, validate_portal_date]
