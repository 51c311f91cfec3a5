"""Pages for activity reporting: the field operation's reports and editor, the review queue and compliance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes.activity import exports, html, selectors, services
from programmes.activity.filtersets import ActivityReportFilterSet
from programmes.activity.forms import (
    AttachmentForm,
    ComplianceFilterForm,
    ItemFormSet,
    ReportForm,
    ReportOpenForm,
    ReviewForm,
    item_choices,
)
from programmes.activity.models import ActivityReport, ReportingFrequency
from programmes.activity.permissions import can_write_report
from programmes.forms import add_service_errors
from programmes.models import in_active_language
from programmes.permissions import ADD, CHANGE, EXPORT, REVIEW, VIEW, can, is_delegation, role_required
from programmes.spreadsheets import csv_writer
from programmes.types import PortalUser
from programmes.versioning import VersionConflict
from programmes.views import paginate

if TYPE_CHECKING:
    from programmes.activity.selectors import ReportWithAttachments


def _report_or_404(user: PortalUser, pk: int, *, for_page: bool = False) -> ReportWithAttachments:
    # for_page: the report as its page shows it (selectors.report_page), not for the editor's item forms.
    try:
        return (selectors.report_page if for_page else selectors.report_detail)(user=user, pk=pk)
    except ActivityReport.DoesNotExist:
        raise Http404 from None


def _validation_messages(exc: ValidationError) -> list[str]:
    return (
        [message for messages_ in exc.message_dict.values() for message in messages_]
        if hasattr(exc, "error_dict")
        else exc.messages
    )


@role_required("activity_report", VIEW)
def report_list(request):
    filterset = ActivityReportFilterSet(request.GET or None, queryset=selectors.report_list(user=request.user))
    reports = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, reports)
    structure = selectors.writable_structure(user=request.user) if can(request.user, "activity_report", ADD) else None
    due = selectors.whats_due(structure=structure, today=timezone.localdate()) if structure else []
    return render(
        request,
        "activity/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "structure": structure,
            "due": due,
            "show_people": not is_delegation(request.user),
        },
    )


@role_required("activity_report", ADD)
def report_create(request):
    structure = selectors.writable_structure(user=request.user)
    if structure is None:
        raise PermissionDenied(_("Your account is not linked to a structure that reports."))
    periods = selectors.open_periods(structure=structure, today=timezone.localdate())
    labels = {start: selectors.period_label((start, end)) for start, end in periods}
    form = ReportOpenForm(request.POST or None, periods=periods, labels=labels)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["period"]
        try:
            report = services.report_create(structure=structure, period_start=start, period_end=end, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"period_start": "period", "period_end": "period"})
        else:
            messages.success(request, _("Draft opened. Add the activities of the period."))
            return redirect("activity:report_edit", pk=report.pk)
    return render(request, "activity/report_create.html", {"form": form, "structure": structure})


@role_required("activity_report", VIEW)
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk, for_page=True)
    return _render_detail(request, report, ReviewForm())


def _render_detail(request, report: ReportWithAttachments, review_form: ReviewForm, status: int = 200):
    user = request.user
    delegation = is_delegation(user)
    items = selectors.report_items(user=user, report=report)
    return render(
        request,
        "activity/report_detail.html",
        {
            "report": report,
            "items": items,
            "item_rows": html.item_rows(items),  # written in Python (activity/html.py): a template loop was slow
            "attachments": report.visible_attachments,
            "transitions": [] if delegation else report.transitions.all(),
            "show_review_details": not delegation,
            "can_edit": report.is_editable and can_write_report(user=user, report=report),
            "can_review": report.status == ActivityReport.Status.SUBMITTED and can(user, "activity_report", REVIEW),
            "review_form": review_form,
        },
        status=status,
    )


def _collect_items(formset) -> tuple[list[dict], list]:
    items, forms_in_order = [], []
    for form in formset.item_forms():
        data = {name: form.cleaned_data.get(name) for name in (*services.ITEM_FIELDS, *services.ITEM_RELATIONS)}
        if form.instance.pk:
            data["id"] = form.instance.pk
        items.append(data)
        forms_in_order.append(form)
    return items, forms_in_order


def _bump_total(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key) or "0"
    # A tampered count is left as it is: the formset then reports a broken management form instead of a 500.
    if total.isdigit():
        data[key] = str(int(total) + 1)
    return data


@role_required("activity_report", CHANGE)
def report_edit(request, pk: int):
    """The draft editor: summary, one row per activity, attachments; saving, adding a row and submitting."""
    report = _report_or_404(request.user, pk)
    if not can_write_report(user=request.user, report=report):
        raise PermissionDenied(_("Only staff of the reporting structure can change this report."))
    if not report.is_editable:
        messages.info(request, _("This report has been submitted and is read-only until it is returned."))
        return redirect(report)
    form_kwargs = {"choices_cache": item_choices(report)}
    if request.method != "POST":
        return _edit_page(request, report, form_kwargs)
    return _edit_post(request, report, form_kwargs)


def _edit_page(request, report: ActivityReport, form_kwargs: dict):
    """The editor as saved, with ``?rows=N`` more empty rows (what "add a row" leaves behind after saving)."""
    rows = request.GET.get("rows", "")
    extra_rows = min(20, int(rows)) if rows.isdigit() else 0
    formset_class = ItemFormSet
    if extra_rows:
        formset_class = type("ItemFormSetMore", (ItemFormSet,), {"extra": ItemFormSet.extra + extra_rows})
    return _render_edit(
        request,
        report,
        ReportForm(instance=report),
        formset_class(instance=report, form_kwargs=form_kwargs),
        AttachmentForm(),
    )


def _edit_post(request, report: ActivityReport, form_kwargs: dict):
    """Validate everything, save the draft, then attachments, then submit if asked; each step that fails re-renders
    the editor with what the user typed."""
    data = request.POST
    add_row = "add_item" in data
    form = ReportForm(data, instance=report)
    formset = ItemFormSet(data, instance=report, form_kwargs=form_kwargs)
    attachment_form = AttachmentForm(data, request.FILES)
    if not (form.is_valid() & formset.is_valid() & attachment_form.is_valid()):
        return _edit_invalid(request, report, form, formset, attachment_form, form_kwargs, add_row=add_row)
    if not _save_draft(request, report, form, formset):
        status = 409 if form.version_conflict else 400
        return _render_edit(request, report, form, formset, attachment_form, status=status)
    _remove_attachments(request, report)
    if not _attach_upload(request, report, attachment_form):
        messages.warning(request, _("Your draft was saved, but the file was not attached."))
        report = _report_or_404(request.user, report.pk)
        return _render_edit(
            request,
            report,
            ReportForm(instance=report),
            ItemFormSet(instance=report, form_kwargs=form_kwargs),
            attachment_form,
            status=400,
        )
    if "submit_report" in data:
        return _submit_from_editor(request, report)
    messages.success(request, _("Draft saved."))
    return _redirect_after_save(request, report, formset, add_row=add_row)


def _edit_invalid(request, report, form, formset, attachment_form, form_kwargs: dict, *, add_row: bool):
    # A browser cannot put a chosen file back into a file input, so a valid upload is attached to the draft now
    # (through the service, like any attachment) rather than dropped while the rest of the form is corrected.
    kept = None
    if attachment_form.is_valid() and attachment_form.cleaned_data.get("file"):
        kept = attachment_form.cleaned_data["file"].name
        if _attach_upload(request, report, attachment_form):
            attachment_form = AttachmentForm()
        else:
            kept = None
    if add_row:
        # The user asked for another row as well: give it to them, with the errors of the rows they have.
        formset = ItemFormSet(
            _bump_total(request.POST, ItemFormSet.get_default_prefix()), instance=report, form_kwargs=form_kwargs
        )
        formset.is_valid()
    messages.error(
        request, _("The draft was not saved: correct the fields marked below. Nothing you typed has been lost.")
    )
    if kept:
        messages.info(
            request,
            _("The file %(name)s is attached to the draft: you do not need to choose it again.") % {"name": kept},
        )
    elif request.FILES:
        messages.warning(request, _("The file you chose was not attached: choose it again."))
    return _render_edit(request, report, form, formset, attachment_form, status=400)


def _save_draft(request, report: ActivityReport, form, formset) -> bool:
    """Save summary and items; on refusal put each message next to its row or field and return False."""
    items, item_forms = _collect_items(formset)
    try:
        services.report_update(
            report=report,
            actor=request.user,
            summary=form.cleaned_data["summary"],
            items=items,
            expected_version=form.expected_version,
        )
    except VersionConflict as exc:
        # The items are the report's substance: their titles as saved now and as typed, beside the summary.
        saved = ", ".join(item.title for item in report.items.order_by("position", "pk")) or "–"
        typed = ", ".join(str(item.get("title", "")) for item in items) or "–"
        form.show_version_conflict(exc, extra=[(_("Activities"), saved, typed)] if saved != typed else [])
        return False
    except services.ItemsValidationError as exc:
        for item_form, errors in zip(item_forms, exc.item_errors, strict=False):
            add_service_errors(item_form, ValidationError(errors))
        return False
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _remove_attachments(request, report: ActivityReport) -> None:
    for attachment_id in request.POST.getlist("remove_attachment"):
        attachment = report.attachments.filter(pk=attachment_id).first() if attachment_id.isdigit() else None
        if attachment is not None:
            services.attachment_remove(attachment=attachment, actor=request.user)


def _attach_upload(request, report: ActivityReport, attachment_form) -> bool:
    """Attach the uploaded file, if any; False (with the reason on the form) if it was refused."""
    uploaded = attachment_form.cleaned_data.get("file")
    if not uploaded:
        return True
    try:
        services.attachment_add(
            report=report,
            uploaded=uploaded,
            actor=request.user,
            published=attachment_form.cleaned_data.get("published", False),
        )
    except ValidationError as exc:
        add_service_errors(attachment_form, exc)
        return False
    return True


def _submit_from_editor(request, report: ActivityReport):
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
        return redirect("activity:report_edit", pk=report.pk)
    messages.success(request, _("Report submitted. It is read-only until a reviewer returns it."))
    return redirect(report)


def _redirect_after_save(request, report: ActivityReport, formset, *, add_row: bool):
    if add_row:
        # The page always ends with one empty row; keep the empty rows the user already had, plus that one.
        still_empty = sum(1 for extra in formset.extra_forms if not extra.has_changed())
        return redirect(f"{request.path}?rows={still_empty}" if still_empty else request.path)
    return redirect("activity:report_edit", pk=report.pk)


def _render_edit(request, report, form, formset, attachment_form, status: int = 200):
    return render(
        request,
        "activity/report_edit.html",
        {
            "report": report,
            "form": form,
            "formset": formset,
            "attachment_form": attachment_form,
            "attachments": report.visible_attachments
            if hasattr(report, "visible_attachments")
            else report.attachments.all(),
        },
        status=status,
    )


@require_POST
@role_required("activity_report", CHANGE)
def report_submit(request, pk: int):
    report = _report_or_404(request.user, pk)
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
        return redirect(report)
    messages.success(request, _("Report submitted. It is read-only until a reviewer returns it."))
    return redirect(report)


@require_POST
@role_required("activity_report", REVIEW)
def report_review(request, pk: int):
    report = _report_or_404(request.user, pk, for_page=True)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, report, form, status=400)
    try:
        if form.cleaned_data["decision"] == "return":
            services.report_return(report=report, actor=request.user, comment=form.cleaned_data["comment"])
            messages.success(
                request,
                _("Report returned to %(structure)s with your comment.") % {"structure": report.structure.acronym},
            )
        else:
            services.report_accept(report=report, actor=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("Report accepted."))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_detail(request, _report_or_404(request.user, pk, for_page=True), form, status=400)
    return redirect("activity:review_queue")


@role_required("activity_report", REVIEW)
def review_queue(request):
    filterset = ActivityReportFilterSet(request.GET or None, queryset=selectors.review_queue())
    reports = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, reports)
    return render(
        request, "activity/review_queue.html", {"filter": filterset, "page": page, "query": query, "show_people": True}
    )


@role_required("activity_report", VIEW)
def attachment_download(request, pk: int, attachment_id: int):
    report = _report_or_404(request.user, pk)
    attachment = next((a for a in report.visible_attachments if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return response


def _compliance_matrix(request):
    today = timezone.localdate()
    years = selectors.compliance_years()
    form = ComplianceFilterForm(request.GET or None, today=today, years=years)
    year = region = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data.get("year") or None
        region = form.cleaned_data.get("region") or None
    year = year or selectors.compliance_default_year(today=today)
    if not form.is_bound:
        form = ComplianceFilterForm(initial={"year": year}, today=today, years=years)
    return form, selectors.compliance_matrix(year=year, region=region, today=today)


def _compliance_rows_html(matrix: selectors.ComplianceMatrix) -> list[SafeString]:
    """Each row's markup, built here rather than by the template: the matrix has structures × 4 cells (278 rows and
    1,112 cells at N=1), and a template loop with ``{% url %}`` and lazy labels per cell, then the row's own three
    lookups, were most of the page's time (issue 14). Labels are translated once per state and frequency, the report
    URL reversed once."""
    frequencies = {value: conditional_escape(label) for value, label in ReportingFrequency.choices}
    language = translation.get_language()  # looked up once, not per row's localized_name
    name = in_active_language
    return [
        mark_safe(  # every value is escaped or a fixed state name or integer id
            f'\n    <tr><th scope="row"><abbr title="{conditional_escape(name(row.structure, "name", language))}">'
            f"{conditional_escape(row.structure.acronym)}</abbr></th>"
            f"<td>{frequencies.get(row.frequency) or conditional_escape(row.frequency)}</td>\n    {cells}</tr>\n  "
        )
        for row, cells in _compliance_cells_html(matrix)
    ]


def _compliance_cells_html(matrix: selectors.ComplianceMatrix) -> list[tuple[selectors.ComplianceRow, SafeString]]:
    """Each row with its cells' markup. Labels are translated once per state, the report URL reversed once."""
    labels = {state: conditional_escape(label) for state, label in selectors.ComplianceState.LABELS.items()}
    marker = 987654321
    report_url = reverse("activity:report_detail", args=[marker]).replace(str(marker), "{}")
    month_names: dict[int, str] = {}

    def month(day) -> str:
        if day.month not in month_names:
            month_names[day.month] = conditional_escape(date_format(day, "M"))
        return month_names[day.month]

    # A monthly reporter's months, written once per distinct (months, states): most rows repeat a few of them.
    months_html: dict[tuple, str] = {}
    out = []
    for row in matrix.rows:
        parts = []
        for cell in row.cells:
            badge = f'<span class="status status-{cell.state}">{labels[cell.state]}</span>'
            if cell.report_id and cell.state != selectors.ComplianceState.DRAFT:
                badge = f'<a href="{report_url.format(cell.report_id)}">{badge}</a>'
            if cell.parts:
                key = tuple(cell.parts)
                months = months_html.get(key)
                if months is None:
                    months = months_html[key] = "; ".join(
                        f"{month(start)}: {labels[state]}" for start, _end, state in cell.parts
                    )
                badge += f'<br><span class="muted parts">{months}</span>'
            parts.append(f'<td class="cell-{cell.state}">{badge}</td>')
        # Every value above is escaped (labels, month names) or a fixed state name or integer id.
        out.append((row, mark_safe("".join(parts))))
    return out


@role_required("reporting_compliance", VIEW)
def compliance(request):
    form, matrix = _compliance_matrix(request)
    return render(
        request,
        "activity/compliance.html",
        {
            "form": form,
            "matrix": matrix,
            "rows": _compliance_rows_html(matrix),
            "period_labels": [selectors.period_label(p) for p in matrix.periods],
            "counts": matrix.counts(),
            "labels": selectors.ComplianceState.LABELS,
            "query": request.GET.urlencode(),
        },
    )


@role_required("reporting_compliance", EXPORT)
def compliance_export(request, fmt: str):
    _form, matrix = _compliance_matrix(request)
    filename = f"reporting-compliance-{matrix.year}{'-' + matrix.region if matrix.region else ''}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv_writer(response)
        for row in exports.compliance_rows(matrix):
            writer.writerow(row)
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.compliance_workbook(matrix),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404
