"""The library's admin pages write through the services: a PDF added there is read by the text-extraction job,
edits reach the search, refusals show next to the field, deletes remove the stored file too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from knowledge import selectors
from knowledge.models import Document
from tests.knowledge.factories import DocumentFactory
from tests.knowledge.test_search import pdf_bytes

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")

ADD_URL = reverse("admin:knowledge_document_add")


def admin_post(**overrides):
    data = {
        "title": "Handbook on border checks",
        "kind": Document.Kind.TRAINING_MATERIAL,
        "language": Document.Language.ENGLISH,
        "published_on": "2010-05-01",
        "summary": "",
        "visibility": Document.Visibility.PUBLIC,
        "link": "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def titles_found(user, query: str) -> list[str]:
    return [d.title for d in selectors.document_search(queryset=selectors.document_list(user=user), query=query)]


def test_a_pdf_added_in_the_admin_is_read_by_the_extraction_job(
    db, client_as, admin_user, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("handbook.pdf", pdf_bytes("Smugglers forged the consignment papers."))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(admin_user).post(ADD_URL, admin_post(file=upload))

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.created_by == admin_user
    assert document.text_status == Document.TextStatus.DONE
    assert "consignment papers" in document.text
    assert titles_found(admin_user, "smuggler forge") == ["Handbook on border checks"]


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field_in_the_admin(db, client_as, admin_user):
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")

    response = client_as(admin_user).post(ADD_URL, admin_post(file=fake))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Document.objects.exists()


def test_an_admin_edit_reaches_the_search(db, client_as, admin_user):
    document = DocumentFactory(title="Old title", link="https://example.org/d")
    url = reverse("admin:knowledge_document_change", args=[document.pk])

    response = client_as(admin_user).post(
        url, admin_post(title="Guide to money laundering typologies", link=document.link)
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Guide to money laundering typologies"
    assert titles_found(admin_user, "laundering") == ["Guide to money laundering typologies"]


def test_an_admin_delete_goes_through_the_service_and_removes_the_file(
    db, client_as, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(admin_user).post(
            ADD_URL, admin_post(file=SimpleUploadedFile("gone.pdf", pdf_bytes("Text to be removed.")))
        )
    document = Document.objects.get()
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(admin_user).post(
            reverse("admin:knowledge_document_delete", args=[document.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)
