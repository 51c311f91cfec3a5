"""Celery tasks of the knowledge app: each takes an id, and calls one service; all are safe to run twice."""

from celery import shared_task

from knowledge import services


@shared_task(ignore_result=True)
def extract_document_text(document_id: int) -> bool:
    return services.document_extract_text(document_id=document_id)
