"""Writes of this app: request, generate, retry, publish and delete TNT reports."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osce_tnt.reporting import exports, selectors, tasks
from osce_tnt.reporting.models import GeneratedReport, period_errors
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure, ThematicArea
from programmes.service_tools import acting_user, validated_save
from programmes.types import PortalUser

logger = logging.getLogger(__name__)


def default_title(*, scope_kind: str, scope_label: str, period_start: date, period_end: date) -> str:
    scope = "" if scope_kind == GeneratedReport.ScopeKind.ALL else f" — {scope_label}"
    return _("TNT report %(start)s – %(end)s%(scope)s") % {
        "start": period_start.isoformat(),
        "end": period_end.isoformat(),
        "scope": scope,
    }


@transaction.atomic
def report_request(
    *,
    actor: PortalUser | None,
    period_start: date,
    period_end: date,
    scope_kind: str = GeneratedReport.ScopeKind.ALL,
    thematic_area: ThematicArea | None = None,
    region: str = "",
    structure: ExecutiveStructure | None = None,
    title: str = "",
    scheduled: bool = False,
) -> GeneratedReport:
    """Record a report request and queue its generation once the request is committed."""
    errors = period_errors(period_start, period_end, start_field="period_start", end_field="period_end")
    if scope_kind == GeneratedReport.ScopeKind.AREA and thematic_area is None:
        errors["thematic_area"] = _("Choose the thematic area the report covers.")
    if scope_kind == GeneratedReport.ScopeKind.REGION and not region:
        errors["region"] = _("Choose the region the report covers.")
    if scope_kind == GeneratedReport.ScopeKind.STRUCTURE and structure is None:
        errors["structure"] = _("Choose the structure the report covers.")
    if errors:
        raise ValidationError(errors)
    # Only the object that matches the scope is kept, so a form that sent extra fields still makes a valid row.
    report = GeneratedReport(
        scope_kind=scope_kind,
        thematic_area=thematic_area if scope_kind == GeneratedReport.ScopeKind.AREA else None,
        region=region if scope_kind == GeneratedReport.ScopeKind.REGION else "",
        structure=structure if scope_kind == GeneratedReport.ScopeKind.STRUCTURE else None,
        period_start=period_start,
        period_end=period_end,
        requested_by=acting_user(actor),
        scheduled=scheduled,
    )
    report.title = title.strip() or default_title(
        scope_kind=scope_kind, scope_label=report.scope_label, period_start=period_start, period_end=period_end
    )
    validated_save(report)
    enqueue_on_commit(tasks.generate_report, report.pk)
    return report


def report_generate(*, report_id: int, today: date | None = None) -> bool:
    """Compute the figures and write the three files. Returns False when another worker has the job.

    Runs outside one big transaction on purpose: progress updates must be visible to pages polling the job."""
    if not GeneratedReport.claim(report_id):
        return False
    try:
        report = GeneratedReport.objects.select_related("thematic_area", "structure").get(pk=report_id)

        def progress(percent: int, message: str) -> None:
            GeneratedReport.report_progress(report_id, percent, message)

        figures = selectors.report_figures(filters=selectors.report_filters(report), today=today, progress=progress)
        progress(75, "pdf")
        pdf = exports.build_pdf(report, figures)
        progress(90, "xlsx")
        xlsx = exports.build_xlsx(report, figures)
        csv_bytes = exports.build_csv(report, figures)
        stem = f"tnt-report-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
        with transaction.atomic():
            locked = GeneratedReport.objects.select_for_update().get(pk=report_id)
            for field, data, suffix in (
                (locked.pdf_file, pdf, "pdf"),
                (locked.xlsx_file, xlsx, "xlsx"),
                (locked.csv_file, csv_bytes, "csv"),
            ):
                if field:
                    field.delete(save=False)
                field.save(f"{stem}.{suffix}", ContentFile(data), save=False)
            locked.figures = figures
            locked.status = GeneratedReport.Status.DONE
            locked.progress = 100
            locked.progress_message = ""
            locked.finished_at = timezone.now()
            locked.save()
    except Exception as exc:  # any failure is recorded on the job so it can be retried
        logger.exception("Report %s failed", report_id)
        GeneratedReport.mark_failed(report_id, f"{type(exc).__name__}: {exc}")
        return False
    return True


# A job still "running" after this long lost its worker (killed, restarted); it may be retried like a failed one.
STALE_AFTER = timedelta(minutes=30)


def report_is_stale(report: GeneratedReport, *, now: datetime | None = None) -> bool:
    # The worker's heartbeat says whether it is alive (programmes.documents); rows from before heartbeats existed
    # fall back to their start time.
    return report.status == GeneratedReport.Status.RUNNING and (
        report.is_stale(now=now)
        or (report.started_at is not None and report.started_at < (now or timezone.now()) - STALE_AFTER)
    )


@transaction.atomic
def report_retry(*, report: GeneratedReport) -> GeneratedReport:
    if report_is_stale(report):
        GeneratedReport.objects.filter(pk=report.pk, status=GeneratedReport.Status.RUNNING).update(
            status=GeneratedReport.Status.FAILED,
            error=_("The worker stopped before the report was finished."),
            finished_at=timezone.now(),
        )
    if not GeneratedReport.requeue(report.pk):
        raise ValidationError({"status": _("Only a failed report can be retried.")})
    enqueue_on_commit(tasks.generate_report, report.pk)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_publish(*, report: GeneratedReport, actor: PortalUser | None) -> GeneratedReport:
    """Make a finished report visible to delegations (conditional update: publishing twice changes nothing)."""
    changed = GeneratedReport.objects.filter(pk=report.pk, status=GeneratedReport.Status.DONE, published=False).update(
        published=True, published_at=timezone.now(), published_by=acting_user(actor)
    )
    report.refresh_from_db()
    if not changed and not report.published:
        raise ValidationError({"status": _("Only a finished report can be published.")})
    return report


@transaction.atomic
def report_unpublish(*, report: GeneratedReport) -> GeneratedReport:
    GeneratedReport.objects.filter(pk=report.pk).update(published=False, published_at=None, published_by=None)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_delete(*, report: GeneratedReport, actor: PortalUser | None) -> None:
    """Delete the report and its files. ``actor`` is who asked (every delete service takes one)."""
    for field in (report.pdf_file, report.xlsx_file, report.csv_file):
        if field:
            field.delete(save=False)
    report.delete()


def previous_quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter_start = date(today.year, first_month, 1)
    end = this_quarter_start - timedelta(days=1)
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return start, end


def quarterly_report_create(*, today: date | None = None) -> GeneratedReport | None:
    """The scheduled report for the previous quarter, all areas. A second call for the same quarter finds the
    existing row (unique constraint on scheduled reports) and does nothing."""
    start, end = previous_quarter(today or timezone.localdate())
    scope = GeneratedReport.ScopeKind.ALL
    if GeneratedReport.objects.filter(scheduled=True, scope_kind=scope, period_start=start, period_end=end).exists():
        return None
    try:
        with transaction.atomic():
            quarter = (start.month - 1) // 3 + 1
            return report_request(
                actor=None,
                period_start=start,
                period_end=end,
                scope_kind=scope,
                scheduled=True,
                title=_("Quarterly TNT report, Q%(quarter)s %(year)s") % {"quarter": quarter, "year": start.year},
            )
    except (IntegrityError, ValidationError):
        # A concurrent beat created it first.
        return None
