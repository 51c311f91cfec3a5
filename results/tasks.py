"""Celery tasks for results. Each takes ids, calls one service, and is safe to repeat."""

from celery import shared_task

from results import services


@shared_task
def notify_actual_returned(actual_id: int) -> int:
    return services.actual_notify_returned(actual_id=actual_id)
