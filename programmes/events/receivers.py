"""The calendar's answers to questions the core asks (the core never imports the calendar)."""

from django.utils.translation import ngettext

from programmes.events import selectors


def project_references(sender, project, **kwargs) -> list[tuple[str, int]]:
    count = selectors.project_event_count(project=project)
    return [(ngettext("%(count)d calendar event", "%(count)d calendar events", count) % {"count": count}, count)]


def connect() -> None:
    from programmes.signals import project_references as signal

    signal.connect(project_references, dispatch_uid="events.project_references")
