"""Full-text search of the library (PostgreSQL, English and Russian stemming) and text extraction from PDFs."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from knowledge import selectors, services
from knowledge.models import Document
from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")


def pdf_bytes(*paragraphs: str) -> bytes:
    from weasyprint import HTML

    return HTML(string="".join(f"<p>{p}</p>" for p in paragraphs)).write_pdf()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def search(user, query: str) -> list[str]:
    return [d.title for d in selectors.document_search(queryset=selectors.document_list(user=user), query=query)]


@pytest.fixture
def staff(db):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def library(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        english = services.document_create(
            actor=staff,
            title="Guide for investigators",
            kind=Document.Kind.TRAINING_MATERIAL,
            language="en",
            published_on=timezone.localdate(),
            visibility=Document.Visibility.PUBLIC,
            file=upload("guide.pdf", pdf_bytes("Traffickers moved their victims across several borders.")),
        )
        russian = services.document_create(
            actor=staff,
            title="Обзор законодательства",
            kind=Document.Kind.LEGISLATION,
            language="ru",
            published_on=timezone.localdate(),
            visibility=Document.Visibility.PARTICIPATING_STATES,
            summary="Договоры о взаимной правовой помощи и выдаче.",
            link="https://example.org/ru",
        )
        internal = services.document_create(
            actor=staff,
            title="Internal note on trafficking routes",
            kind=Document.Kind.REPORT,
            language="en",
            published_on=timezone.localdate(),
            visibility=Document.Visibility.STAFF,
            link="https://example.org/n",
        )
    return {"english": english, "russian": russian, "internal": internal}


def test_text_of_an_uploaded_pdf_is_extracted_by_the_job(library):
    document = Document.objects.get(pk=library["english"].pk)

    assert document.text_status == Document.TextStatus.DONE
    assert "Traffickers moved their victims" in document.text


def test_english_search_finds_another_form_of_the_word_in_the_pdf_text(library, staff):
    # "trafficker" is only in the PDF, as "Traffickers"; "victim" as "victims".
    assert search(staff, "trafficker victim") == ["Guide for investigators"]


def test_russian_search_finds_another_form_of_the_word(library, staff):
    # The summary says "Договоры" (plural) and "помощи" (genitive).
    assert search(staff, "договор помощь") == ["Обзор законодательства"]


def test_search_ranks_title_matches_above_text_matches(library, staff):
    assert search(staff, "trafficking") == ["Internal note on trafficking routes", "Guide for investigators"]


def test_a_delegation_never_finds_staff_documents(library, delegation_user):
    assert search(delegation_user, "trafficking") == ["Guide for investigators"]
    assert search(delegation_user, "договор") == ["Обзор законодательства"]


def test_extraction_is_claimed_once_and_a_rerun_does_nothing(library):
    document = library["english"]

    assert services.document_extract_text(document_id=document.pk) is False
    assert Document.objects.get(pk=document.pk).text_status == Document.TextStatus.DONE


def test_a_stale_claim_may_be_taken_again(library):
    document = library["english"]
    Document.objects.filter(pk=document.pk).update(
        text_status=Document.TextStatus.EXTRACTING, text_claimed_at=timezone.now() - timedelta(hours=1), text=""
    )

    assert services.document_extract_text(document_id=document.pk) is True
    assert "victims" in Document.objects.get(pk=document.pk).text


def test_a_damaged_pdf_is_marked_failed_not_retried(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_create(
            actor=staff,
            title="Broken",
            kind=Document.Kind.REPORT,
            language="en",
            published_on=timezone.localdate(),
            file=upload("broken.pdf", b"%PDF-1.4 nothing else"),
        )

    document.refresh_from_db()
    assert document.text_status == Document.TextStatus.FAILED
    assert document.text_error
    assert services.document_extract_text(document_id=document.pk) is False


def test_the_search_index_exists_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_document_search_gin'")
        row = cursor.fetchone()

    assert row is not None and "gin" in row[0].lower()
