"""Pages of the knowledge app: thin, each validates its input, calls one service or selector and renders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import permissions as rules
from knowledge import selectors, services
from knowledge.filtersets import CentreFilterSet, DocumentFilterSet, MatrixFilterSet
from knowledge.forms import (
    CentreForm,
    CommitmentForm,
    DecisionStatusForm,
    DocumentForm,
    GapForm,
    InstrumentForm,
    PeriodForm,
)
from knowledge.models import CommitmentStatus, Document, Instrument, StateCommitment
from programmes.events.models import TrainingCentre
from programmes.forms import add_service_errors
from programmes.models import Mandate
from programmes.permissions import ADD, CHANGE, DELETE, VIEW, can, role_required
from programmes.service_tools import DeleteRefused
from programmes.views import paginate


def _form_page(request, form, *, title: str, cancel_url: str | None = None, multipart: bool = False):
    """The shared edit page: a bound form that failed comes back with its errors and a 400."""
    return render(
        request,
        "knowledge/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "multipart": multipart},
        status=400 if form.is_bound else 200,
    )


def _save_with(form, write):
    """Run ``write`` (one service call) when the form is valid; a service's refusal goes next to its field.
    Returns what the service returned, or None when nothing was saved."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _delete_with(request, delete, *, done_url: str, refused_url: str, done_message: str):
    """Run ``delete`` (one service call): a refusal (rows still point here) is explained on the page it came from."""
    try:
        delete()
    except DeleteRefused as exc:
        messages.error(request, exc.message)
        return redirect(refused_url)
    messages.success(request, done_message)
    return redirect(done_url)


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
            "can_add_instrument": can(request.user, "legal_instrument", ADD),
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
            "can_change": can(request.user, "legal_instrument", CHANGE),
            "can_delete": can(request.user, "legal_instrument", DELETE),
            "can_change_records": can(request.user, "legal_commitment", CHANGE),
            "can_delete_records": can(request.user, "legal_commitment", DELETE),
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


def _instrument_or_404(code: str) -> Instrument:
    try:
        return selectors.instrument_detail(code=code)
    except Instrument.DoesNotExist:
        raise Http404 from None


@role_required("legal_instrument", ADD)
def instrument_create(request):
    form = InstrumentForm(request.POST or None)
    saved = _save_with(form, lambda data: services.instrument_create(actor=request.user, **data))
    if saved is not None:
        messages.success(request, _("Instrument saved."))
        return redirect(saved)
    return _form_page(request, form, title=_("Add a legal instrument"), cancel_url=reverse("knowledge:matrix"))


@role_required("legal_instrument", CHANGE)
def instrument_edit(request, code: str):
    instrument = _instrument_or_404(code)
    form = InstrumentForm(request.POST or None, instrument=instrument)
    saved = _save_with(
        form, lambda data: services.instrument_update(instrument=instrument, actor=request.user, data=data)
    )
    if saved is not None:
        messages.success(request, _("Instrument saved."))
        return redirect(saved)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": instrument.short_name},
        cancel_url=instrument.get_absolute_url(),
    )


@require_POST
@role_required("legal_instrument", DELETE)
def instrument_delete(request, code: str):
    instrument = _instrument_or_404(code)
    return _delete_with(
        request,
        lambda: services.instrument_delete(instrument=instrument, actor=request.user),
        done_url=reverse("knowledge:matrix"),
        refused_url=instrument.get_absolute_url(),
        done_message=_("Instrument deleted."),
    )


def _commitment_or_404(pk: int) -> StateCommitment:
    try:
        return selectors.commitment_list().get(pk=pk)
    except StateCommitment.DoesNotExist:
        raise Http404 from None


@role_required("legal_commitment", CHANGE)
def commitment_edit(request, pk: int):
    commitment = _commitment_or_404(pk)
    if not rules.can_change_commitment(user=request.user, obj=commitment):
        raise PermissionDenied
    form = CommitmentForm(request.POST or None, commitment=commitment)
    saved = _save_with(
        form, lambda data: services.commitment_update(commitment=commitment, actor=request.user, data=data)
    )
    if saved is not None:
        messages.success(request, _("Saved: %(record)s.") % {"record": saved})
        return redirect(saved.instrument)
    return _form_page(
        request,
        form,
        title=_("Edit %(record)s") % {"record": commitment},
        cancel_url=commitment.instrument.get_absolute_url(),
    )


@require_POST
@role_required("legal_commitment", DELETE)
def commitment_delete(request, pk: int):
    commitment = _commitment_or_404(pk)
    back = commitment.instrument.get_absolute_url()
    return _delete_with(
        request,
        lambda: services.commitment_delete(commitment=commitment, actor=request.user),
        done_url=back,
        refused_url=back,
        done_message=_("Record deleted."),
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
@role_required("library_document", DELETE)
def document_delete(request, pk: int):
    document = _document_or_404(request, pk)
    return _delete_with(
        request,
        lambda: services.document_delete(document=document, actor=request.user),
        done_url=reverse("knowledge:library"),
        refused_url=document.get_absolute_url(),
        done_message=_("Document deleted."),
    )


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
        request,
        "knowledge/centre_list.html",
        {"filter": filterset, "centres": centres, "can_add": can(request.user, "training_centre", ADD)},
        status=200 if valid else 400,
    )


@role_required("training_centre", VIEW)
def centre_detail(request, pk: int):
    try:
        centre = selectors.centre_detail(user=request.user, pk=pk)
    except TrainingCentre.DoesNotExist:
        raise Http404 from None
    page, query = paginate(request, selectors.centre_events(user=request.user, centre=centre))
    return render(
        request,
        "knowledge/centre_detail.html",
        {
            "centre": centre,
            "page": page,
            "query": query,
            "can_change": can(request.user, "training_centre", CHANGE),
            "can_delete": can(request.user, "training_centre", DELETE),
        },
    )


def _centre_or_404(pk: int) -> TrainingCentre:
    try:
        return TrainingCentre.objects.get(pk=pk)
    except TrainingCentre.DoesNotExist:
        raise Http404 from None


@role_required("training_centre", ADD)
def centre_create(request):
    form = CentreForm(request.POST or None)
    saved = _save_with(form, lambda data: services.centre_create(actor=request.user, **data))
    if saved is not None:
        messages.success(request, _("Training centre saved."))
        return redirect("knowledge:centre_detail", pk=saved.pk)
    return _form_page(request, form, title=_("Add a training centre"), cancel_url=reverse("knowledge:centre_list"))


@role_required("training_centre", CHANGE)
def centre_edit(request, pk: int):
    centre = _centre_or_404(pk)
    form = CentreForm(request.POST or None, centre=centre)
    saved = _save_with(form, lambda data: services.centre_update(centre=centre, actor=request.user, data=data))
    if saved is not None:
        messages.success(request, _("Training centre saved."))
        return redirect("knowledge:centre_detail", pk=saved.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": centre.name},
        cancel_url=reverse("knowledge:centre_detail", args=[centre.pk]),
    )


@require_POST
@role_required("training_centre", DELETE)
def centre_delete(request, pk: int):
    centre = _centre_or_404(pk)
    return _delete_with(
        request,
        lambda: services.centre_delete(centre=centre, actor=request.user),
        done_url=reverse("knowledge:centre_list"),
        refused_url=reverse("knowledge:centre_detail", args=[centre.pk]),
        done_message=_("Training centre deleted."),
    )


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
