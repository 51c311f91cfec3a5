"""Writes for activity reporting: opening, editing, submitting and reviewing reports, attachments and notices.

Every write validates the whole row (``full_clean``). Who may write is decided here as well as in the views,
because it is a business rule: only members of the reporting structure edit a report's content, and reviewers
(Secretariat staff, the co-ordinator) only return or accept it.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import IO, Any

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.activity.models import (
    DEFAULT_DEADLINE_DAYS,
    ActivityReport,
    ReportAttachment,
    ReportedActivity,
    ReportingObligation,
    ReportNotice,
    ReportTransition,
    period_containing,
)
from programmes.activity.permissions import can_write_report
from programmes.activity.signals import report_accepted, report_returned, report_submitted
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure
from programmes.permissions import GROUP_NAMES, REVIEW, Role, can
from programmes.security.validators import validate_portal_date
from programmes.service_tools import acting_user, validated_save
from programmes.types import PortalUser
from programmes.versioning import check_version

S = ActivityReport.Status

ITEM_FIELDS = (
    "title",
    "activity_type",
    "project",
    "event",
    "state",
    "city",
    "online",
    "start",
    "end",
    "participants_women",
    "participants_men",
    "participants_unrecorded",
    "results",
)
ITEM_RELATIONS = ("thematic_areas", "partner_organisations")


class ItemsValidationError(ValidationError):
    """Errors of the report's items, kept by index (``[{}, {"start": [...]}]``) so the API and the formset can put
    each message next to the row it belongs to. Flattened into ``items`` for callers that only know Django."""

    def __init__(self, item_errors: list[dict[str, list[str]]]) -> None:
        self.item_errors = item_errors
        flat = [
            _("Item %(n)s, %(field)s: %(message)s") % {"n": index + 1, "field": field, "message": message}
            for index, errors in enumerate(item_errors)
            for field, messages in errors.items()
            for message in messages
        ]
        super().__init__({"items": flat})


# --- who may do what to which report ------------------------------------------------------------------------------


def _require_writer(actor: PortalUser | None, report: ActivityReport) -> None:
    if actor is not None and not can_write_report(user=actor, report=report):
        raise PermissionDenied(
            _("Only staff of %(structure)s can change this report.") % {"structure": report.structure.acronym}
        )


def _require_editable(report: ActivityReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            {
                "status": _("A %(status)s report cannot be changed; it can be edited again only if it is returned.")
                % {"status": report.get_status_display().lower()}
            }
        )


def _require_reviewer(actor: PortalUser | None) -> None:
    if actor is not None and not can(actor, "activity_report", REVIEW):
        raise PermissionDenied(_("Only Secretariat staff and the co-ordinator review reports."))


# --- opening and editing ------------------------------------------------------------------------------------------


def _require_dates_in_range(**days: date | None) -> None:
    errors = {}
    for name, day in days.items():
        try:
            validate_portal_date(day)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def report_due_on(*, structure: ExecutiveStructure, period_end: date) -> date:
    obligation = ReportingObligation.objects.filter(structure=structure).first()
    return obligation.due_on(period_end) if obligation else period_end + timedelta(days=DEFAULT_DEADLINE_DAYS)


def _record_transition(
    report: ActivityReport,
    *,
    from_status: str,
    to_status: str,
    actor: PortalUser | None,
    comment: str = "",
    at: datetime | None = None,
) -> ReportTransition:
    return validated_save(
        ReportTransition(
            report=report,
            from_status=from_status,
            to_status=to_status,
            by=acting_user(actor),
            at=at or timezone.now(),
            comment=comment,
        )
    )


@transaction.atomic
def report_create(
    *,
    structure: ExecutiveStructure,
    period_start: date,
    period_end: date,
    actor: PortalUser | None = None,
    summary: str = "",
    items: list[dict[str, Any]] | None = None,
    submit: bool = False,
) -> ActivityReport:
    """Open a draft for one structure and period, optionally with its items, optionally submitting it at once
    (a field operation's own system can deliver a whole report in one request)."""
    # The due date is computed from the period before full_clean runs, so out-of-range days (9999-12-31 would
    # overflow) are refused first, with the same bound every date field has.
    _require_dates_in_range(period_start=period_start, period_end=period_end)
    report = ActivityReport(
        structure=structure,
        period_start=period_start,
        period_end=period_end,
        summary=summary,
        created_by=acting_user(actor),
    )
    if period_end:  # without one, full_clean reports the missing period end (and due date)
        report.due_on = report_due_on(structure=structure, period_end=period_end)
    _require_writer(actor, report)
    if period_start and ActivityReport.objects.filter(structure=structure, period_start=period_start).exists():
        raise ValidationError({"period_start": _("This structure already has a report for this period.")})
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two requests raced past the check above; the unique constraint decided.
        raise ValidationError({"period_start": _("This structure already has a report for this period.")})
    _record_transition(report, from_status="", to_status=S.DRAFT, actor=actor)
    if items:
        _save_items(report, items, replace=True)
    if submit:
        report = report_submit(report=report, actor=actor)
    return report


@transaction.atomic
def report_update(
    *,
    report: ActivityReport,
    actor: PortalUser | None = None,
    summary: str | None = None,
    items: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> ActivityReport:
    """Change a draft or returned report. ``items`` (when given) is the whole list: rows with an ``id`` are updated,
    rows without one are added, and rows left out are removed. ``expected_version`` (the version the editor read)
    refuses a stale save with ``VersionConflict``: the items of both editors would otherwise replace each other."""
    locked = ActivityReport.objects.select_for_update().select_related("structure").get(pk=report.pk)
    _require_writer(actor, locked)
    check_version(locked, expected_version)
    _require_editable(locked)
    if summary is not None:
        locked.summary = summary
    validated_save(locked)
    if items is not None:
        _save_items(locked, items, replace=True)
    return locked


def _item_errors(item: ReportedActivity, relations: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        item.full_clean(exclude=["report", "position"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault("non_field_errors" if field == "__all__" else field, []).extend(messages)
    areas = relations.get("thematic_areas")
    if (areas is not None and not list(areas)) or (areas is None and item.pk is None):
        errors.setdefault("thematic_areas", []).append(_("Choose at least one thematic area."))
    return errors


def _save_items(report: ActivityReport, items: Iterable[dict[str, Any]], *, replace: bool) -> list[ReportedActivity]:
    existing = {item.pk: item for item in report.items.all()}
    prepared: list[tuple[ReportedActivity, dict[str, Any]]] = []
    all_errors: list[dict[str, list[str]]] = []
    for index, raw in enumerate(items):
        data = dict(raw)
        pk = data.pop("id", None)
        relations = {name: data.pop(name) for name in ITEM_RELATIONS if name in data}
        unknown = set(data) - set(ITEM_FIELDS) - {"position"}
        if pk is not None and pk not in existing:
            all_errors.append({"id": [_("This item does not belong to the report.")]})
            prepared.append((ReportedActivity(report=report), relations))
            continue
        item = existing[pk] if pk is not None else ReportedActivity(report=report)
        item.report = report
        for name in ITEM_FIELDS:
            if name in data:
                setattr(item, name, data[name])
        item.position = index
        errors = _item_errors(item, relations)
        if unknown:
            errors["non_field_errors"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
        all_errors.append(errors)
        prepared.append((item, relations))
    if any(all_errors):
        raise ItemsValidationError(all_errors)
    kept = []
    for item, relations in prepared:
        item.save()
        for name, values in relations.items():
            if values is not None:
                getattr(item, name).set(values)
        kept.append(item)
    if replace:
        report.items.exclude(pk__in=[item.pk for item in kept]).delete()
    return kept


# --- transitions --------------------------------------------------------------------------------------------------


def _check_transition(report: ActivityReport, new_status: str) -> None:
    if not report.can_transition_to(new_status):
        raise ValidationError(
            {
                "status": _("A %(old)s report cannot be %(new)s.")
                % {"old": report.get_status_display().lower(), "new": S(new_status).label.lower()}
            }
        )


def _lock(report: ActivityReport) -> ActivityReport:
    return ActivityReport.objects.select_for_update().select_related("structure").get(pk=report.pk)


@transaction.atomic
def report_submit(*, report: ActivityReport, actor: PortalUser | None = None) -> ActivityReport:
    locked = _lock(report)
    _require_writer(actor, locked)
    _check_transition(locked, S.SUBMITTED)
    if not locked.items.exists() and not locked.summary.strip():
        raise ValidationError(
            {"items": _("Add at least one activity, or say in the summary that there was none in the period.")}
        )
    now = timezone.now()
    previous = locked.status
    locked.status = S.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = acting_user(actor)
    if locked.first_submitted_at is None:
        locked.first_submitted_at = now
    validated_save(locked)
    _record_transition(locked, from_status=previous, to_status=S.SUBMITTED, actor=actor, at=now)
    # Inside the transaction: what travels with the report (e.g. indicator actuals) is submitted with it or not at all.
    report_submitted.send(sender=ActivityReport, report=locked, actor=actor)
    return locked


@transaction.atomic
def report_return(*, report: ActivityReport, actor: PortalUser | None = None, comment: str) -> ActivityReport:
    """Send a submitted report back to its structure with the reviewer's reasons."""
    _require_reviewer(actor)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change before the report can be accepted.")})
    locked = _lock(report)
    _check_transition(locked, S.RETURNED)
    locked = _review(locked, actor=actor, status=S.RETURNED, comment=comment)
    report_returned.send(sender=ActivityReport, report=locked, actor=actor, comment=comment)
    from programmes.activity import tasks  # tasks import services; imported here to keep the module graph acyclic

    # The return is saved even if the broker is down: the e-mail is a courtesy, the report page shows the comment.
    enqueue_on_commit(tasks.notify_report_returned, locked.pk)
    return locked


@transaction.atomic
def report_accept(*, report: ActivityReport, actor: PortalUser | None = None, comment: str = "") -> ActivityReport:
    _require_reviewer(actor)
    locked = _lock(report)
    _check_transition(locked, S.ACCEPTED)
    comment = (comment or "").strip()
    locked = _review(locked, actor=actor, status=S.ACCEPTED, comment=comment)
    report_accepted.send(sender=ActivityReport, report=locked, actor=actor, comment=comment)
    return locked


def _review(report: ActivityReport, *, actor: PortalUser | None, status: str, comment: str) -> ActivityReport:
    now = timezone.now()
    previous = report.status
    report.status = status
    report.reviewed_at = now
    report.reviewed_by = acting_user(actor)
    report.review_comment = comment
    validated_save(report)
    _record_transition(report, from_status=previous, to_status=status, actor=actor, comment=comment, at=now)
    return report


# --- attachments --------------------------------------------------------------------------------------------------

# extension -> content type we accept for it
ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
_OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def _sniff_zip(head_file: IO[bytes]) -> str | None:
    """Office documents are zip files; only their inner structure says which kind they are."""
    try:
        with zipfile.ZipFile(head_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared == ALLOWED_ATTACHMENT_TYPES["odt"]:
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                for kind, part in _OOXML_MAIN_PART.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def sniff_attachment(uploaded: UploadedFile) -> str | None:
    """The kind of file by its content (pdf, png, jpeg, docx, xlsx, odt), or None if it is none of those."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime == "application/pdf" or head.startswith(b"%PDF-"):
        return "pdf"
    if mime == "image/png":
        return "png"
    if mime == "image/jpeg":
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        data = uploaded.read()
        uploaded.seek(0)
        return _sniff_zip(io.BytesIO(data))
    return None


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def validate_attachment(uploaded: UploadedFile) -> str:
    """Returns the content type or raises ValidationError on ``file`` with a message the user can act on."""
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    size = uploaded.size or 0  # Django's uploads always know their size; the stubs allow None
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; attachments may be at most %(limit)s.")
                % {"size": _human_size(size), "limit": _human_size(limit)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = sniff_attachment(uploaded)
    allowed = _("PDF, DOCX, XLSX, ODT, PNG or JPEG")
    if kind is None:
        raise ValidationError(
            {"file": _("This file's content is not an allowed type (%(allowed)s).") % {"allowed": allowed}}
        )
    expected = ALLOWED_ATTACHMENT_TYPES.get(extension)
    if expected != ALLOWED_ATTACHMENT_TYPES[kind]:
        raise ValidationError(
            {
                "file": _(
                    "The file's name says .%(ext)s but its content is %(kind)s; rename it or upload the right file."
                )
                % {"ext": extension or "?", "kind": kind.upper()}
            }
        )
    return ALLOWED_ATTACHMENT_TYPES[kind]


@transaction.atomic
def attachment_add(
    *, report: ActivityReport, uploaded: UploadedFile, actor: PortalUser | None = None, published: bool = False
) -> ReportAttachment:
    locked = _lock(report)
    _require_writer(actor, locked)
    _require_editable(locked)
    content_type = validate_attachment(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = ReportAttachment(
        report=locked,
        original_name=(uploaded.name or "attachment")[-255:],
        content_type=content_type,
        size=uploaded.size or 0,
        checksum=digest.hexdigest(),
        published=published,
        uploaded_by=acting_user(actor),
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    try:
        validated_save(attachment)
    except Exception:
        # Keep storage in step with the database: a row that was not written leaves no file behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ReportAttachment, actor: PortalUser | None = None) -> None:
    locked = _lock(attachment.report)
    _require_writer(actor, locked)
    _require_editable(locked)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- obligations, the reporting cycle and notices ------------------------------------------------------------------


def reports_open_for_period(*, obligation_ids: list[int], today: date) -> int:
    """Open the draft of the period containing ``today`` for each obligation that has none. Returns how many were
    opened. Safe to repeat: the unique (structure, period) pair makes a second run a no-op."""
    obligations = ReportingObligation.objects.filter(pk__in=obligation_ids, active=True, starts_on__lte=today)
    drafts = []
    for obligation in obligations:
        start, end = period_containing(today, obligation.frequency)
        drafts.append(
            ActivityReport(
                structure_id=obligation.structure_id,
                period_start=start,
                period_end=end,
                due_on=obligation.due_on(end),
                status=S.DRAFT,
            )
        )
    with transaction.atomic():
        before = ActivityReport.objects.filter(
            structure_id__in=[d.structure_id for d in drafts], period_start__in={d.period_start for d in drafts}
        ).count()
        ActivityReport.objects.bulk_create(drafts, ignore_conflicts=True)
        batch = ActivityReport.objects.filter(
            structure_id__in=[d.structure_id for d in drafts], period_start__in={d.period_start for d in drafts}
        )
        after = batch.count()
        # The history of a report opened by the portal starts with that opening, like one opened by a person.
        now = timezone.now()
        ReportTransition.objects.bulk_create(
            ReportTransition(report_id=pk, from_status="", to_status=S.DRAFT, at=now)
            for pk in batch.filter(transitions__isnull=True).values_list("pk", flat=True)
        )
    return after - before


def _structure_recipients(structure_id: int) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__structure_id=structure_id)
        .exclude(email="")
        .filter(
            Q(groups__name=GROUP_NAMES[Role.FIELD])
            | Q(groups__name=GROUP_NAMES[Role.SECRETARIAT])
            | Q(groups__name=GROUP_NAMES[Role.COORDINATOR])
        )
    )
    return sorted(set(users.values_list("email", flat=True)))


def _coordinator_recipients() -> list[str]:
    users = (
        get_user_model().objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.COORDINATOR]).exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def report_send_notice(*, report_id: int, stage: str, today: date | None = None) -> bool:
    """Send one reminder or overdue notice. The (report, stage) row is inserted first, in the same transaction as
    the sending: a second call finds the row and sends nothing; a failure to send rolls the row back for a retry."""
    today = today or timezone.localdate()
    with transaction.atomic():
        report = ActivityReport.objects.select_related("structure").filter(pk=report_id).first()
        if report is None or report.first_submitted_at is not None or report.status != S.DRAFT:
            return False
        if stage == ReportNotice.Stage.REMINDER and not (today <= report.due_on):
            return False
        if stage == ReportNotice.Stage.OVERDUE and not (report.due_on < today):
            return False
        recipients = _structure_recipients(report.structure_id)
        copy = _coordinator_recipients() if stage == ReportNotice.Stage.OVERDUE else []
        try:
            with transaction.atomic():
                ReportNotice.objects.create(report=report, stage=stage, recipients=len(recipients) + len(copy))
        except IntegrityError:
            return False
        if recipients or copy:
            context = {
                "report": report,
                "stage": stage,
                "today": today,
                "url": settings.PORTAL_BASE_URL.rstrip("/") + report.get_absolute_url(),
            }
            subject = render_to_string("activity/email/notice_subject.txt", context).strip()
            body = render_to_string("activity/email/notice_body.txt", context)
            send_mail(subject, body, None, sorted(set(recipients + copy)), fail_silently=False)
    return True


def report_notify_returned(*, report_id: int) -> int:
    report = ActivityReport.objects.select_related("structure", "reviewed_by").filter(pk=report_id).first()
    if report is None or report.status != S.RETURNED:
        return 0
    recipients = _structure_recipients(report.structure_id)
    if not recipients:
        return 0
    context = {"report": report, "url": settings.PORTAL_BASE_URL.rstrip("/") + report.get_absolute_url()}
    subject = render_to_string("activity/email/returned_subject.txt", context).strip()
    body = render_to_string("activity/email/returned_body.txt", context)
    return send_mail(subject, body, None, recipients, fail_silently=False)
