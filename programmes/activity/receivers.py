"""Activity reporting's answers to questions the core asks (the core never imports this app)."""

from django.utils.translation import ngettext

from programmes.activity import selectors


def project_references(sender, project, **kwargs) -> list[tuple[str, int]]:
    count = selectors.project_report_count(project=project)
    return [(ngettext("%(count)d activity report", "%(count)d activity reports", count) % {"count": count}, count)]


def connect() -> None:
    from programmes.signals import project_references as signal

    signal.connect(project_references, dispatch_uid="activity.project_references")
