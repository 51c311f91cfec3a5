from osce_tnt.celery import app as celery_app

__all__ = ["celery_app"]
