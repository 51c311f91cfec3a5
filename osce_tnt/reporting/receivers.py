"""Keeps cached figures honest: any write to the data they read bumps the cache generation.

Connected in ReportingConfig.ready(): the higher app listens to the lower ones, which never import it."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from osce_tnt.reporting.cache import invalidate
from programmes.signals import rows_updated

# Apps whose rows feed the dashboards and reports; checked by label so models added later are covered too.
# "results": the dashboard caches its results-and-money section with the figures.
WATCHED_APPS = frozenset({"programmes", "events", "activity", "focal_points", "taskforces", "knowledge", "results"})
# Rows of the watched apps that no figure reads (saved on every log-in or request; library documents).
IGNORED_MODELS = frozenset(
    {"userprofile", "reportnotice", "actionreminder", "meetingpack", "calendarbundlemailing", "document"}
)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in WATCHED_APPS and meta.model_name not in IGNORED_MODELS


def on_change(sender, **kwargs):
    if kwargs.get("raw"):
        return
    if _watched(sender):
        invalidate()


def on_m2m_change(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _watched(sender):
        invalidate()


def on_rows_updated(sender, **kwargs):
    # A service's QuerySet.update() sends no post_save; it says so with this signal instead.
    if _watched(sender):
        invalidate()


def connect() -> None:
    post_save.connect(on_change, dispatch_uid="reporting.invalidate.save")
    post_delete.connect(on_change, dispatch_uid="reporting.invalidate.delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="reporting.invalidate.m2m")
    rows_updated.connect(on_rows_updated, dispatch_uid="reporting.invalidate.bulk")
