"""Pages of the focal-point directory. Views validate, call a service or selector and render."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focal_points import exports, html, importing, selectors, services
from focal_points.filtersets import FocalPointFilterSet
from focal_points.forms import (
    ChangeDecisionForm,
    ConfirmDetailsForm,
    FocalPointForm,
    ImportConfirmForm,
    ImportUploadForm,
    MembershipForm,
)
from focal_points.models import FocalPoint, Membership, ProposedChange
from focal_points.permissions import can_see_contacts, can_see_contacts_of
from programmes import choice_cache
from programmes.forms import add_service_errors
from programmes.permissions import ADD, CHANGE, EXPORT, REVIEW, VIEW, can, role_required
from programmes.security.permissions import TOKEN, declare_view_as
from programmes.views import paginate
from programmes.views_tools import handle_service_form

DIRECTORY_PAGE_SIZE = 50
VCARD_EXPORT_MAX = 5000


def _filtered_focal_points(request):
    filterset = FocalPointFilterSet(
        request.GET or None, queryset=selectors.focal_point_list(user=request.user), request=request
    )
    choice_cache.use_cached_choices(filterset.form)  # the reference-data selects (issue 14)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return filterset, rows


def _get_focal_point(request, pk: int) -> FocalPoint:
    try:
        return selectors.focal_point_detail(user=request.user, pk=pk)
    except FocalPoint.DoesNotExist:
        raise Http404 from None


@role_required("focal_point", VIEW)
def directory(request):
    filterset, rows = _filtered_focal_points(request)
    page, query = paginate(request, selectors.directory_page_rows(rows), DIRECTORY_PAGE_SIZE)
    show_contacts = can_see_contacts(user=request.user)
    return render(
        request,
        "focal_points/directory.html",
        {
            "filter": filterset,
            "page": page,
            "rows": html.directory_rows(page, show_contacts=show_contacts),
            "query": query,
            "show_contacts": show_contacts,
            "can_export": can(request.user, "focal_point", EXPORT),
            "can_add": can(request.user, "focal_point", ADD),
            "can_import": can(request.user, "focal_point_import", ADD),
        },
    )


@role_required("focal_point", EXPORT)
def directory_csv(request):
    _filterset, rows = _filtered_focal_points(request)
    contacts = exports.contact_records(rows, include_contacts=can_see_contacts(user=request.user))
    response = StreamingHttpResponse(exports.contacts_csv_lines(contacts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="focal-points.csv"'
    return response


@role_required("focal_point", EXPORT)
def directory_vcard(request):
    _filterset, rows = _filtered_focal_points(request)
    if rows.count() > VCARD_EXPORT_MAX:
        # vobject needs about a millisecond per card: beyond this an export would outlive the request timeout.
        messages.error(
            request,
            _("A vCard export holds at most %(max)d contacts; narrow the filters or export CSV.")
            % {"max": VCARD_EXPORT_MAX},
        )
        query = request.GET.urlencode()
        return redirect(reverse("focal_points:directory") + (f"?{query}" if query else ""))
    contacts = exports.contact_records(rows, include_contacts=can_see_contacts(user=request.user))
    response = StreamingHttpResponse(exports.vcards(contacts), content_type="text/vcard")
    response["Content-Disposition"] = 'attachment; filename="focal-points.vcf"'
    return response


@role_required("focal_point", VIEW)
def focal_point_detail(request, pk: int):
    focal_point = _get_focal_point(request, pk)
    return render(
        request,
        "focal_points/focal_point_detail.html",
        {
            "focal_point": focal_point,
            "show_contacts": can_see_contacts_of(user=request.user, focal_point=focal_point),
            "can_export": can(request.user, "focal_point", EXPORT),
            "can_change": can(request.user, "focal_point", CHANGE),
            "today": timezone.localdate(),
        },
    )


@role_required("focal_point", EXPORT)
def focal_point_vcard(request, pk: int):
    focal_point = _get_focal_point(request, pk)
    contact = exports.Contact.from_focal_point(
        focal_point, include_contacts=can_see_contacts_of(user=request.user, focal_point=focal_point)
    )
    response = HttpResponse(exports.vcard(contact), content_type="text/vcard")
    response["Content-Disposition"] = f'attachment; filename="focal-point-{focal_point.pk}.vcf"'
    return response


@role_required("focal_point", EXPORT)
def focal_point_csv(request, pk: int):
    focal_point = _get_focal_point(request, pk)
    contact = exports.Contact.from_focal_point(
        focal_point, include_contacts=can_see_contacts_of(user=request.user, focal_point=focal_point)
    )
    response = HttpResponse("".join(exports.contacts_csv_lines([contact])), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="focal-point-{focal_point.pk}.csv"'
    return response


@role_required("focal_point", ADD)
def focal_point_create(request):
    return handle_service_form(
        request,
        FocalPointForm(request.POST or None),
        lambda data: services.focal_point_create(**data),
        template="focal_points/focal_point_form.html",
        success_message=_("Focal point added."),
        invalid_status=200,
    )


@role_required("focal_point", CHANGE)
def focal_point_edit(request, pk: int):
    focal_point = _get_focal_point(request, pk)
    form = FocalPointForm(request.POST or None, instance=FocalPoint.objects.get(pk=pk))
    return handle_service_form(
        request,
        form,
        lambda data: services.focal_point_update(
            focal_point=focal_point, data=data, expected_version=form.expected_version
        ),
        template="focal_points/focal_point_form.html",
        context={"focal_point": focal_point},
        success_message=_("Focal point updated."),
        invalid_status=200,
    )


@role_required("focal_point", CHANGE)
def membership_add(request, pk: int):
    focal_point = _get_focal_point(request, pk)
    return handle_service_form(
        request,
        MembershipForm(request.POST or None),
        lambda data: services.membership_create(focal_point=focal_point, **data),
        template="focal_points/membership_form.html",
        context={"focal_point": focal_point},
        success_url=focal_point,
        success_message=_("Membership added."),
        invalid_status=200,
    )


@require_POST
@role_required("focal_point", CHANGE)
def membership_end(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("focal_point"), pk=pk)
    try:
        services.membership_end(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership ended today."))
    return redirect(membership.focal_point)


@role_required("network", VIEW)
def network_list(request):
    return render(request, "focal_points/network_list.html", {"networks": selectors.network_list()})


@role_required("network", VIEW)
def network_detail(request, pk: int):
    network = get_object_or_404(selectors.network_list(), pk=pk)
    page, query = paginate(request, selectors.network_members(user=request.user, network=network), 200)
    return render(
        request,
        "focal_points/network_detail.html",
        {
            "network": network,
            "page": page,
            "query": query,
            "show_contacts": can_see_contacts(user=request.user),
            "can_see_coverage": can(request.user, "network_coverage", VIEW),
        },
    )


@role_required("network_coverage", VIEW)
def coverage(request):
    matrix = selectors.coverage_matrix()
    return render(
        request,
        "focal_points/coverage.html",
        {"matrix": matrix, "stale_months": settings.PORTAL_FOCAL_POINT_STALE_MONTHS},
    )


def _file_response(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required("network_coverage", EXPORT)
def coverage_export(request, fmt: str):
    matrix = selectors.coverage_matrix()
    if fmt == "xlsx":
        return _file_response(exports.coverage_xlsx(matrix), filename="coverage.xlsx", content_type=XLSX)
    return _file_response(exports.coverage_csv(matrix), filename="coverage.csv", content_type="text/csv")


@role_required("network_coverage", VIEW)
def vacancies(request):
    return render(
        request,
        "focal_points/vacancies.html",
        {"rows": selectors.vacancy_rows(), "stale_months": settings.PORTAL_FOCAL_POINT_STALE_MONTHS},
    )


@role_required("network_coverage", EXPORT)
def vacancies_export(request, fmt: str):
    rows = selectors.vacancy_rows()
    if fmt == "xlsx":
        return _file_response(exports.vacancies_xlsx(rows), filename="vacancies.xlsx", content_type=XLSX)
    return _file_response(exports.vacancies_csv(rows), filename="vacancies.csv", content_type="text/csv")


@declare_view_as(TOKEN)
def confirm(request, token: str):
    """The yearly link: no login, signed and expiring. Confirming dates every current membership; changed details
    wait for the network co-ordinator."""
    try:
        confirmation_request = services.confirmation_request_from_token(token=token)
    except signing.SignatureExpired:
        return render(request, "focal_points/confirm_invalid.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "focal_points/confirm_invalid.html", {"expired": False}, status=400)
    focal_point = confirmation_request.focal_point
    form = ConfirmDetailsForm(request.POST or None, focal_point=focal_point)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.proposed_change_submit(
                focal_point=focal_point, data=form.cleaned_data, confirmation_request=confirmation_request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            services.focal_point_confirm(confirmation_request=confirmation_request)
            return render(request, "focal_points/confirm_done.html", {"focal_point": focal_point, "change": change})
    return render(request, "focal_points/confirm.html", {"form": form, "focal_point": focal_point, "token": token})


@role_required("focal_point_import", ADD)
def import_upload(request):
    result = None
    confirm_form = None
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = importing.preview(form.cleaned_data["file"])
        if result.is_valid:
            confirm_form = ImportConfirmForm(initial={"payload": importing.sign_rows(result.raw_rows())})
    return render(
        request,
        "focal_points/import.html",
        {"form": form, "result": result, "confirm_form": confirm_form, "columns": importing.COLUMNS},
    )


@require_POST
@role_required("focal_point_import", ADD)
def import_confirm(request):
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The import could not be confirmed; please upload the file again."))
        return redirect("focal_points:import")
    try:
        raw_rows = importing.unsign_rows(form.cleaned_data["payload"])
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered; please upload the file again."))
        return redirect("focal_points:import")
    try:
        created = importing.import_rows(raw_rows=raw_rows)
    except ValidationError as error:
        # The directory changed since the preview: show the rows again with their new errors.
        result = importing.check_rows(raw_rows)
        messages.error(request, _("Nothing was imported: the directory changed since the preview."))
        return render(
            request,
            "focal_points/import.html",
            {
                "form": ImportUploadForm(),
                "result": result,
                "confirm_form": None,
                "columns": importing.COLUMNS,
                "errors": error.messages,
            },
            status=400,
        )
    messages.success(request, _("%(count)d focal points imported.") % {"count": len(created)})
    return redirect("focal_points:directory")


@role_required("focal_point_change", VIEW)
def change_queue(request):
    page, query = paginate(request, selectors.pending_changes(user=request.user))
    return render(
        request, "focal_points/change_queue.html", {"page": page, "query": query, "form": ChangeDecisionForm()}
    )


@require_POST
@role_required("focal_point_change", REVIEW)
def change_decide(request, pk: int):
    change = get_object_or_404(ProposedChange.objects.select_related("focal_point"), pk=pk)
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("focal_points:change_queue")
    try:
        services.proposed_change_decide(
            change=change, actor=request.user, approve=form.cleaned_data["decision"] == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("focal_points:change_queue")
