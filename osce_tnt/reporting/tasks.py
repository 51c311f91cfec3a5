from celery import shared_task

from osce_tnt.reporting import services


@shared_task(name="osce_tnt.reporting.tasks.generate_report", acks_late=True)
def generate_report(report_id: int) -> bool:
    return services.report_generate(report_id=report_id)


@shared_task(name="osce_tnt.reporting.tasks.generate_quarterly_report")
def generate_quarterly_report() -> int | None:
    report = services.quarterly_report_create()
    return report.pk if report else None
