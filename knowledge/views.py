"""Pages of the knowledge app: thin, each validates its input, calls one service or selector and renders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import permissions as rules
from knowledge import selectors, services
from knowledge.filtersets import CentreFilterSet, DocumentFilterSet, MatrixFilterSet
from knowledge.forms import CommitmentForm, DecisionStatusForm, DocumentForm, GapForm, PeriodForm
from knowledge.models import CommitmentStatus, Document, Instrument
from programmes.events.models import TrainingCentre
from programmes.forms import add_service_errors
from programmes.models import Mandate
from programmes.permissions import ADD, CHANGE, VIEW, can, role_required
from programmes.views import paginate


@role_required("legal_matrix", VIEW)
def index(request):
    return render(
        request,
        "knowledge/index.html",
        {
            "instrument_count": selectors.instrument_list().count(),
            "document_count": selectors.document_list(user=request.user).count(),
            "centre_count": TrainingCentre.objects.count(),
            "proposal_count": selectors.proposed_decisions().count(),
            "can_see_gaps": can(request.user, "legal_gaps", VIEW),
        },
    )


# --- legal commitments ------------------------------------------------------------------------------------------------


@role_required("legal_matrix", VIEW)
def matrix(request):
    filterset = MatrixFilterSet(request.GET or None, queryset=Instrument.objects.none())
    valid = not filterset.is_bound or filterset.is_valid()
    legal = selectors.legal_matrix(**filterset.matrix_arguments())
    return render(
        request,
        "knowledge/matrix.html",
        {
            "filter": filterset,
            "matrix": legal,
            "counts": legal.count_table(),
            "can_add": can(request.user, "legal_commitment", ADD),
        },
        status=200 if valid else 400,
    )


@role_required("legal_instrument", VIEW)
def instrument_detail(request, code: str):
    try:
        instrument = selectors.instrument_detail(code=code)
    except Instrument.DoesNotExist:
        raise Http404 from None
    records = selectors.commitment_list().filter(instrument=instrument).order_by("state__name", "as_of", "pk")
    page, query = paginate(request, records, per_page=60)
    return render(
        request,
        "knowledge/instrument_detail.html",
        {
            "instrument": instrument,
            "page": page,
            "query": query,
            "counts": [
                (CommitmentStatus(s).label if s != "none" else _("no record"), n)
                for s, n in selectors.status_counts(instrument=instrument, on=timezone.localdate()).items()
            ],
        },
    )


@role_required("legal_commitment", ADD)
def commitment_create(request):
    data = request.POST if request.method == "POST" else None
    form = CommitmentForm(data, initial={"as_of": timezone.localdate(), **request.GET.dict()} if data is None else None)
    if data is not None and form.is_valid():
        try:
            record = services.commitment_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded: %(record)s.") % {"record": record})
            return redirect(record.instrument)
    return render(
        request,
        "knowledge/form.html",
        {
            "form": form,
            "title": _("Record a legal commitment"),
            "multipart": False,
        },
        status=400 if data is not None else 200,
    )


@role_required("legal_gaps", VIEW)
def legal_gaps(request):
    form = GapForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    on = data.get("on") or timezone.localdate()
    return render(
        request,
        "knowledge/legal_gaps.html",
        {
            "form": form,
            "on": on,
            "gaps": selectors.legal_gaps(on=on, start=data.get("start")),
            "without_plan": selectors.states_without_action_plan(on=on),
        },
        status=200 if valid else 400,
    )


# --- library ----------------------------------------------------------------------------------------------------------


@role_required("library_document", VIEW)
def library(request):
    filterset = DocumentFilterSet(request.GET or None, queryset=selectors.document_list(user=request.user))
    valid = not filterset.is_bound or filterset.is_valid()
    documents = filterset.qs if filterset.is_bound and valid else filterset.queryset
    page, query = paginate(request, documents)
    return render(
        request,
        "knowledge/library.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_add": can(request.user, "library_document", ADD),
            "full_text": selectors.full_text_search_available(),
        },
        status=200 if valid else 400,
    )


def _document_or_404(request, pk: int) -> Document:
    try:
        return selectors.document_detail(user=request.user, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


@role_required("library_document", VIEW)
def document_detail(request, pk: int):
    document = _document_or_404(request, pk)
    return render(
        request,
        "knowledge/document_detail.html",
        {
            "document": document,
            "can_change": rules.can_change_document(user=request.user, obj=document),
            "can_delete": rules.can_delete_document(user=request.user, obj=document),
        },
    )


@role_required("library_document", VIEW)
def document_file(request, pk: int):
    """The stored file, to those who may read the document (the media folder is not served publicly)."""
    document = _document_or_404(request, pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=not document.is_pdf, filename=document.file.name.rsplit("/", 1)[-1])


def _document_form_page(request, *, document: Document | None):
    data = request.POST if request.method == "POST" else None
    form = DocumentForm(data, request.FILES or None, user=request.user, document=document)
    if data is not None and form.is_valid():
        try:
            if document is None:
                saved = services.document_create(actor=request.user, **form.service_data())
            else:
                saved = services.document_update(document=document, actor=request.user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("structures" if document is None else None, str(exc))
        else:
            messages.success(request, _("Document saved."))
            return redirect(saved)
    return render(
        request,
        "knowledge/form.html",
        {
            "form": form,
            "multipart": True,
            "cancel_url": document.get_absolute_url() if document else None,
            "title": _("Add a document to the library")
            if document is None
            else _("Edit %(title)s") % {"title": document.title},
        },
        status=400 if data is not None else 200,
    )


@role_required("library_document", ADD)
def document_create(request):
    return _document_form_page(request, document=None)


@role_required("library_document", CHANGE)
def document_edit(request, pk: int):
    document = _document_or_404(request, pk)
    if not rules.can_change_document(user=request.user, obj=document):
        raise PermissionDenied
    return _document_form_page(request, document=document)


@require_POST
@role_required("library_document", "delete")
def document_delete(request, pk: int):
    document = _document_or_404(request, pk)
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("Document deleted."))
    return redirect("knowledge:library")


@require_POST
@role_required("library_document", CHANGE)
def document_reextract(request, pk: int):
    document = _document_or_404(request, pk)
    try:
        services.document_request_text_extraction(document=document, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The text will be read again."))
    return redirect(document)


# --- training centres -------------------------------------------------------------------------------------------------


@role_required("training_centre", VIEW)
def centre_list(request):
    filterset = CentreFilterSet(request.GET or None, queryset=selectors.centre_list(user=request.user))
    valid = not filterset.is_bound or filterset.is_valid()
    centres = filterset.qs if filterset.is_bound and valid else filterset.queryset
    return render(
        request, "knowledge/centre_list.html", {"filter": filterset, "centres": centres}, status=200 if valid else 400
    )


@role_required("training_centre", VIEW)
def centre_detail(request, pk: int):
    try:
        centre = selectors.centre_detail(user=request.user, pk=pk)
    except TrainingCentre.DoesNotExist:
        raise Http404 from None
    page, query = paginate(request, selectors.centre_events(user=request.user, centre=centre))
    return render(request, "knowledge/centre_detail.html", {"centre": centre, "page": page, "query": query})


# --- decisions --------------------------------------------------------------------------------------------------------


@role_required("decision", VIEW)
def decision_list(request):
    decisions = selectors.decision_list()
    status = request.GET.get("status")
    if status in Mandate.Status.values:
        decisions = decisions.filter(status=status)
    return render(
        request,
        "knowledge/decision_list.html",
        {
            "decisions": decisions,
            "status": status,
            "statuses": Mandate.Status.choices,
            "can_see_gaps": can(request.user, "decision_gaps", VIEW),
        },
    )


def _decision_or_404(pk: int) -> Mandate:
    try:
        return selectors.decision_detail(pk=pk)
    except Mandate.DoesNotExist:
        raise Http404 from None


def _render_decision(request, mandate: Mandate, *, status_form: DecisionStatusForm | None = None, status=200):
    may_change = rules.can_change_decision_status(user=request.user, obj=mandate)
    if may_change and status_form is None:
        status_form = DecisionStatusForm(initial={"status": mandate.status, "adopted_as": mandate.adopted_as_id})
    return render(
        request,
        "knowledge/decision_detail.html",
        {
            "mandate": mandate,
            "trace": selectors.mandate_trace(user=request.user, mandate=mandate),
            "status_form": status_form if may_change else None,
        },
        status=status,
    )


@role_required("decision", VIEW)
def decision_detail(request, pk: int):
    return _render_decision(request, _decision_or_404(pk))


@require_POST
@role_required("decision", CHANGE)
def decision_status(request, pk: int):
    mandate = _decision_or_404(pk)
    if not rules.can_change_decision_status(user=request.user, obj=mandate):
        raise PermissionDenied
    form = DecisionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.decision_set_status(mandate=mandate, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status saved."))
            return redirect("knowledge:decision_detail", pk=mandate.pk)
    return _render_decision(request, mandate, status_form=form, status=400)


@role_required("decision_gaps", VIEW)
def decision_gaps(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": date(today.year, 1, 1), "end": today})
    valid = not form.is_bound or form.is_valid()
    if form.is_bound and valid:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = date(today.year, 1, 1), today
    return render(
        request,
        "knowledge/decision_gaps.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "gaps": selectors.mandates_without_work(user=request.user, start=start, end=end),
        },
        status=200 if valid else 400,
    )
