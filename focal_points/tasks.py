"""Yearly upkeep of the directory. The beat schedule runs ``request_confirmations`` every day; each focal point
is asked once per calendar year (a unique (focal point, year) row), and each e-mail is claimed before it is sent."""

from celery import shared_task
from django.utils import timezone

from focal_points import selectors, services
from programmes.jobs import enqueue_on_commit

BATCH_SIZE = 500


@shared_task
def request_confirmations(batch_size: int = BATCH_SIZE) -> int:
    """Record this year's requests in batches and queue one e-mail task per request; returns how many were queued."""
    today = timezone.localdate()
    year = today.year
    queued = 0
    last_pk = 0
    while True:
        ids = list(
            selectors.focal_points_due_for_confirmation(year=year, today=today)
            .filter(pk__gt=last_pk)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        last_pk = ids[-1]
        for request_id in services.confirmation_requests_create(year=year, focal_point_ids=ids):
            enqueue_on_commit(send_confirmation_request, request_id)
            queued += 1
    # Requests from earlier runs whose e-mail failed are retried; the claim in the service prevents doubles.
    for request_id in selectors.unsent_confirmation_request_ids(year=year, created_before=today):
        enqueue_on_commit(send_confirmation_request, request_id)
        queued += 1
    return queued


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_confirmation_request(confirmation_request_id: int) -> bool:
    return services.confirmation_request_send(confirmation_request_id=confirmation_request_id)


@shared_task
def notify_proposed_change(change_id: int) -> int:
    return services.proposed_change_notify(change_id=change_id)
