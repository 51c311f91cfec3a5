"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task

from taskforces import services


@shared_task(name="taskforces.tasks.send_action_reminders")
def send_action_reminders() -> dict[str, int]:
    """Daily: e-mail owners before the due date and once overdue; each stage at most once per action."""
    return services.action_reminders_send()


@shared_task(name="taskforces.tasks.build_meeting_pack", acks_late=True)
def build_meeting_pack(pack_id: int) -> bool:
    return services.meeting_pack_build(pack_id=pack_id)


@shared_task(name="taskforces.tasks.send_calendar_bundle", acks_late=True)
def send_calendar_bundle(mailing_id: int) -> bool:
    return services.calendar_bundle_send(mailing_id=mailing_id)
