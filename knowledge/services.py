"""Writes of the knowledge app. Every function is keyword-only, validates the whole row before saving, and takes the
acting user as ``actor``; row rules come from ``knowledge.permissions``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge import permissions as rules
from knowledge.models import Document, Instrument, StateCommitment
from knowledge.selectors import full_text_search_available, search_config
from programmes.events.models import TrainingCentre
from programmes.jobs import enqueue_on_commit
from programmes.models import Mandate
from programmes.service_tools import protected_delete, validated_save

logger = logging.getLogger(__name__)

# Far more than a report needs, and well inside PostgreSQL's one-megabyte limit for a tsvector.
MAX_INDEXED_TEXT = 400_000
# An extraction claimed longer ago than this is taken to have died with its worker and may be claimed again.
EXTRACTION_STALE_AFTER = timedelta(minutes=15)
ALLOWED_UPLOAD_SUFFIXES = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".xlsx", ".pptx")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- instruments and commitments --------------------------------------------------------------------------------------

INSTRUMENT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "family",
    "parent",
    "adopted_year",
    "description",
    "position",
)


@transaction.atomic
def instrument_create(*, actor, thematic_areas: Iterable = (), **fields: Any) -> Instrument:
    _require(rules.can(actor, "legal_instrument", rules.ADD), _("You may not add instruments."))
    unknown = set(fields) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    instrument = validated_save(Instrument(**fields))
    instrument.thematic_areas.set(list(thematic_areas))
    return instrument


@transaction.atomic
def instrument_update(*, instrument: Instrument, actor, data: dict[str, Any]) -> Instrument:
    _require(rules.can(actor, "legal_instrument", rules.CHANGE), _("You may not change instruments."))
    data = dict(data)
    areas = data.pop("thematic_areas", None)
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    for name, value in data.items():
        if name not in INSTRUMENT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(locked, name, value)
    if locked.kind != instrument.kind and locked.commitments.exists():
        raise ValidationError(
            {
                "kind": _(
                    "States' records use the statuses of the current kind; the kind cannot "
                    "change while there are records."
                )
            }
        )
    validated_save(locked)
    if areas is not None:
        locked.thematic_areas.set(list(areas))
    return locked


@transaction.atomic
def instrument_delete(*, instrument: Instrument, actor) -> None:
    _require(rules.can(actor, "legal_instrument", rules.DELETE), _("You may not delete instruments."))
    protected_delete(instrument)


COMMITMENT_FIELDS = (
    "state",
    "instrument",
    "status",
    "date",
    "as_of",
    "reservations",
    "reservations_note",
    "source",
    "source_url",
    "illustrative",
    "note",
)


@transaction.atomic
def commitment_record(*, actor, **fields: Any) -> StateCommitment:
    """Record one step a State took on an instrument (signature, ratification, report...)."""
    _require(rules.can(actor, "legal_commitment", rules.ADD), _("You may not record legal commitments."))
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    return validated_save(StateCommitment(recorded_by=actor if actor and actor.is_authenticated else None, **fields))


@transaction.atomic
def commitment_update(*, commitment: StateCommitment, actor, data: dict[str, Any]) -> StateCommitment:
    _require(rules.can_change_commitment(user=actor, obj=commitment), _("You may not change this record."))
    locked = StateCommitment.objects.select_for_update().get(pk=commitment.pk)
    for name, value in data.items():
        if name not in COMMITMENT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(locked, name, value)
    return validated_save(locked)


@transaction.atomic
def commitment_delete(*, commitment: StateCommitment, actor) -> None:
    _require(rules.can(actor, "legal_commitment", rules.DELETE), _("You may not delete this record."))
    protected_delete(commitment)


# --- library ----------------------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = ("title", "kind", "language", "published_on", "summary", "visibility", "file", "link", "illustrative")
DOCUMENT_RELATIONS = (
    "thematic_areas",
    "states",
    "structures",
    "partner_organisations",
    "events",
    "projects",
    "meetings",
    "mandates",
)


def _check_upload(upload) -> None:
    if not upload:
        return
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(ALLOWED_UPLOAD_SUFFIXES):
        raise ValidationError(
            {
                "file": _("Upload a PDF or an office document (%(types)s).")
                % {"types": ", ".join(ALLOWED_UPLOAD_SUFFIXES)}
            }
        )
    limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
    if getattr(upload, "size", 0) > limit:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}})
    if name.lower().endswith(".pdf"):
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError({"file": _("This file is not a PDF, whatever its name says.")})


def _set_relations(document: Document, relations: dict[str, Any]) -> None:
    for name, values in relations.items():
        getattr(document, name).set(list(values or []))


def document_refresh_search_vector(*, document_id: int) -> None:
    """Rebuild the document's search vector with its language's configuration (PostgreSQL only)."""
    if not full_text_search_available():
        return
    document = Document.objects.only("language").get(pk=document_id)
    config = search_config(document.language)
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("text", weight="C", config=config)
    )
    Document.objects.filter(pk=document_id).update(search_vector=vector)


def _queue_text_extraction(document: Document) -> None:
    from knowledge.tasks import extract_document_text

    enqueue_on_commit(extract_document_text, document.pk)


@transaction.atomic
def document_create(*, actor, **fields: Any) -> Document:
    relations = {name: fields.pop(name) for name in DOCUMENT_RELATIONS if name in fields}
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    _require(
        rules.can_add_document_for(user=actor, structures=relations.get("structures") or []),
        _("You may file documents for your own operation only: name it among the structures."),
    )
    _check_upload(fields.get("file"))
    document = Document(created_by=actor if actor and actor.is_authenticated else None, **fields)
    if document.file and document.is_pdf:
        document.text_status = Document.TextStatus.PENDING
    validated_save(document)
    _set_relations(document, relations)
    document_refresh_search_vector(document_id=document.pk)
    if document.text_status == Document.TextStatus.PENDING:
        _queue_text_extraction(document)
    return document


@transaction.atomic
def document_update(*, document: Document, actor, data: dict[str, Any]) -> Document:
    _require(rules.can_change_document(user=actor, obj=document), _("You may not change this document."))
    data = dict(data)
    relations = {name: data.pop(name) for name in DOCUMENT_RELATIONS if name in data}
    if "structures" in relations:
        _require(
            rules.can_add_document_for(user=actor, structures=relations["structures"] or []),
            _("Keep your own operation among the structures."),
        )
    locked = Document.objects.select_for_update().get(pk=document.pk)
    new_file = "file" in data and data["file"] and data["file"] != locked.file
    for name, value in data.items():
        if name not in DOCUMENT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(locked, name, value)
    if new_file:
        _check_upload(data["file"])
    if "file" in data and not data["file"]:
        locked.text, locked.text_status, locked.text_error = "", Document.TextStatus.NONE, ""
    elif new_file:
        # A new file: its text replaces the old one, once read.
        locked.text, locked.text_error = "", ""
        locked.text_status = Document.TextStatus.PENDING if locked.is_pdf else Document.TextStatus.NONE
    validated_save(locked)
    _set_relations(locked, relations)
    document_refresh_search_vector(document_id=locked.pk)
    if new_file and locked.text_status == Document.TextStatus.PENDING:
        _queue_text_extraction(locked)
    return locked


@transaction.atomic
def document_delete(*, document: Document, actor) -> None:
    _require(rules.can_delete_document(user=actor, obj=document), _("You may not delete this document."))
    stored = document.file.name if document.file else ""
    storage = document.file.storage if document.file else None
    protected_delete(document)
    if stored:
        # The file goes only once the row is really gone.
        transaction.on_commit(lambda: storage.delete(stored))


def _read_pdf_text(document: Document) -> str:
    from pypdf import PdfReader

    with document.file.open("rb") as handle:
        reader = PdfReader(handle)
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if sum(len(p) for p in pages) > MAX_INDEXED_TEXT:
                break
    return "\n".join(pages)[:MAX_INDEXED_TEXT].replace("\x00", "")


def document_extract_text(*, document_id: int) -> bool:
    """Read the text of the document's PDF into ``text`` and the search vector. Claims the work with a conditional
    UPDATE, so a duplicate or late task does nothing; returns whether this call did the work."""
    now = timezone.now()
    claimed = (
        Document.objects.filter(pk=document_id)
        .filter(
            Q(text_status=Document.TextStatus.PENDING)
            | Q(text_status=Document.TextStatus.EXTRACTING, text_claimed_at__lt=now - EXTRACTION_STALE_AFTER)
        )
        .update(text_status=Document.TextStatus.EXTRACTING, text_claimed_at=now)
    )
    if not claimed:
        return False
    document = Document.objects.get(pk=document_id)
    try:
        text = _read_pdf_text(document)
    except Exception as exc:  # a damaged or encrypted PDF must not keep the job retrying forever
        logger.exception("Could not read the text of document %s", document_id)
        Document.objects.filter(pk=document_id, text_claimed_at=now).update(
            text_status=Document.TextStatus.FAILED, text_error=str(exc)[:300] or type(exc).__name__
        )
        return True
    with transaction.atomic():
        updated = Document.objects.filter(pk=document_id, text_claimed_at=now).update(
            text=text, text_status=Document.TextStatus.DONE, text_error="", text_extracted_at=timezone.now()
        )
        if updated:
            document_refresh_search_vector(document_id=document_id)
    return bool(updated)


@transaction.atomic
def document_request_text_extraction(*, document: Document, actor) -> Document:
    """Read the PDF again (after a failure, say)."""
    _require(rules.can_change_document(user=actor, obj=document), _("You may not change this document."))
    if not document.is_pdf:
        raise ValidationError({"file": _("Only the text of a PDF can be read.")})
    Document.objects.filter(pk=document.pk).update(text_status=Document.TextStatus.PENDING, text_error="")
    document.refresh_from_db()
    _queue_text_extraction(document)
    return document


# --- training centres -------------------------------------------------------------------------------------------------

CENTRE_FIELDS = (
    "name",
    "acronym",
    "kind",
    "city",
    "state",
    "host",
    "osce_structure",
    "description",
    "website",
    "active",
)


@transaction.atomic
def centre_create(*, actor, thematic_areas: Iterable = (), **fields: Any) -> TrainingCentre:
    _require(rules.can(actor, "training_centre", rules.ADD), _("You may not add training centres."))
    unknown = set(fields) - set(CENTRE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    centre = validated_save(TrainingCentre(**fields))
    centre.thematic_areas.set(list(thematic_areas))
    return centre


@transaction.atomic
def centre_update(*, centre: TrainingCentre, actor, data: dict[str, Any]) -> TrainingCentre:
    _require(rules.can(actor, "training_centre", rules.CHANGE), _("You may not change training centres."))
    data = dict(data)
    areas = data.pop("thematic_areas", None)
    locked = TrainingCentre.objects.select_for_update().get(pk=centre.pk)
    for name, value in data.items():
        if name not in CENTRE_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(locked, name, value)
    validated_save(locked)
    if areas is not None:
        locked.thematic_areas.set(list(areas))
    return locked


@transaction.atomic
def centre_delete(*, centre: TrainingCentre, actor) -> None:
    """Events held at the centre keep their place; they only stop naming the centre."""
    _require(rules.can(actor, "training_centre", rules.DELETE), _("You may not delete training centres."))
    protected_delete(centre)


# --- suggested decisions ----------------------------------------------------------------------------------------------


@transaction.atomic
def decision_set_status(*, mandate: Mandate, actor, status: str, adopted_as: Mandate | None = None) -> Mandate:
    """Record what became of a suggested decision: still proposed, adopted as a decision, or not taken up."""
    _require(rules.can(actor, "decision", rules.CHANGE), _("You may not change decisions."))
    locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if not locked.is_proposal:
        raise ValidationError({"status": _("Only a suggested decision (PROPOSAL/… code) changes status.")})
    locked.status = status
    locked.adopted_as = adopted_as if status == Mandate.Status.ADOPTED else None
    return validated_save(locked)
