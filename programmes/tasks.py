"""Core jobs: the outbox sweep that re-sends lost work."""

from celery import shared_task

from programmes import jobs


@shared_task(name="programmes.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    return jobs.sweep()
