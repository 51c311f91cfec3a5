"""Knowledge pages: who sees which documents, the matrix and decision pages, the sections on other apps' pages."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import services
from knowledge.models import CommitmentStatus as CS
from knowledge.models import Document
from programmes.events.models import Event
from programmes.models import Mandate, Project
from programmes.permissions import Role
from tests.factories import EventFactory, MandateFactory, ParticipatingStateFactory, ProjectFactory, make_user
from tests.knowledge.factories import CommitmentFactory, DocumentFactory, InstrumentFactory, TrainingCentreFactory

V = Document.Visibility


@pytest.fixture
def documents(db):
    return {level: DocumentFactory(title=f"Doc {level}", visibility=level) for level in V.values}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.DELEGATION, {"Doc public", "Doc participating_states"}),
        (Role.FIELD, {"Doc public", "Doc participating_states", "Doc staff"}),
        (Role.SECRETARIAT, {"Doc public", "Doc participating_states", "Doc staff"}),
    ],
)
def test_library_lists_what_each_role_may_read(documents, client_as, role, expected):
    response = client_as(make_user(role)).get(reverse("knowledge:library"))

    assert response.status_code == 200
    assert {d.title for d in response.context["page"]} == expected


def test_delegation_cannot_open_or_download_a_staff_document(documents, client_as, delegation_user):
    client = client_as(delegation_user)
    staff_doc = documents[V.STAFF]

    assert client.get(reverse("knowledge:document_detail", args=[staff_doc.pk])).status_code == 404
    assert client.get(reverse("knowledge:document_file", args=[staff_doc.pk])).status_code == 404
    assert client.get(reverse("knowledge:document_detail", args=[documents[V.PUBLIC].pk])).status_code == 200


def test_library_search_results_respect_visibility(documents, client_as, delegation_user):
    for document in documents.values():
        services.document_refresh_search_vector(document_id=document.pk)  # factories skip the service

    response = client_as(delegation_user).get(reverse("knowledge:library"), {"q": "Doc"})

    assert {d.title for d in response.context["page"]} == {"Doc public", "Doc participating_states"}


def test_anonymous_users_are_sent_to_sign_in(documents, client):
    response = client.get(reverse("knowledge:library"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_event_project_and_state_pages_list_only_the_documents_the_user_may_read(db, client_as, delegation_user):
    state = ParticipatingStateFactory()
    project = ProjectFactory(status=Project.Status.ONGOING)
    event = EventFactory(visibility=Event.Visibility.PUBLIC)
    public = DocumentFactory(title="Open minutes", visibility=V.PUBLIC)
    hidden = DocumentFactory(title="Staff notes", visibility=V.STAFF)
    for document in (public, hidden):
        document.states.add(state)
        document.projects.add(project)
        document.events.add(event)
    client = client_as(delegation_user)

    for url in (event.get_absolute_url(), project.get_absolute_url(), state.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Open minutes" in page, url
        assert "Staff notes" not in page, url
    staff_page = client_as(make_user(Role.SECRETARIAT)).get(event.get_absolute_url()).content.decode()
    assert "Staff notes" in staff_page


def test_state_page_shows_the_states_legal_position(db, client_as, delegation_user):
    state = ParticipatingStateFactory(name="Testland", joined=date(1992, 1, 30))
    CommitmentFactory(
        state=state, instrument=InstrumentFactory(short_name="UNTOC"), status=CS.SIGNED, source="Report of 2010"
    )

    page = client_as(delegation_user).get(state.get_absolute_url()).content.decode()

    section = page[page.index("Legal commitments") :]
    assert "UNTOC" in section
    assert "Signed" in section
    assert "Report of 2010" in section


def test_matrix_page_shows_counts_and_refuses_a_bad_date_with_400(db, client_as, delegation_user):
    instrument = InstrumentFactory(short_name="UNTOC")
    for _ in range(2):
        CommitmentFactory(instrument=instrument, state=ParticipatingStateFactory(joined=date(1992, 1, 30)))
    client = client_as(delegation_user)

    good = client.get(reverse("knowledge:matrix"), {"on": "2010-06-11"})
    bad = client.get(reverse("knowledge:matrix"), {"on": "2010-13-45"})

    assert good.status_code == 200
    assert good.context["matrix"].counts[instrument.pk]["ratified"] == 2
    assert bad.status_code == 400
    assert bad.context["filter"].form.errors["on"]


def test_decision_page_counts_work_per_year(db, client_as, coordinator):
    mandate = MandateFactory(code="MC.DEC/4/07")
    project = ProjectFactory(start=date(2009, 3, 1), end=date(2010, 6, 30))
    project.mandates.add(mandate)
    EventFactory(project=project, start_date=date(2010, 5, 10))
    EventFactory(project=project, start_date=date(2010, 9, 1))

    response = client_as(coordinator).get(reverse("knowledge:decision_detail", args=[mandate.pk]))

    assert response.status_code == 200
    table = response.content.decode().split('id="year-counts"')[1].split("</table>")[0]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split() for row in table.split("<tr>")[2:]]
    assert rows[:2] == [["2009", "1", "0", "0"], ["2010", "1", "2", "0"]]


def test_coordinator_records_what_became_of_a_suggestion(db, client_as, coordinator):
    proposal = Mandate.objects.create(
        code="PROPOSAL/2010/8", title="Madrid-2", year=2010, body="MC", status=Mandate.Status.PROPOSED
    )
    decision = MandateFactory(code="MC.DEC/4/11", year=2011)
    client = client_as(coordinator)
    url = reverse("knowledge:decision_status", args=[proposal.pk])

    missing = client.post(url, {"status": Mandate.Status.ADOPTED})
    proposal.refresh_from_db()
    assert missing.status_code == 400
    assert missing.context["status_form"].errors["adopted_as"]
    assert proposal.status == Mandate.Status.PROPOSED

    done = client.post(url, {"status": Mandate.Status.ADOPTED, "adopted_as": decision.pk})
    proposal.refresh_from_db()
    assert done.status_code == 302
    assert (proposal.status, proposal.adopted_as_id) == (Mandate.Status.ADOPTED, decision.pk)


def test_delegation_cannot_change_a_suggestion(db, client_as, delegation_user):
    proposal = Mandate.objects.create(
        code="PROPOSAL/2010/7", title="Unit", year=2010, body="PC", status=Mandate.Status.PROPOSED
    )

    response = client_as(delegation_user).post(
        reverse("knowledge:decision_status", args=[proposal.pk]), {"status": Mandate.Status.NOT_TAKEN_UP}
    )

    proposal.refresh_from_db()
    assert response.status_code == 403
    assert proposal.status == Mandate.Status.PROPOSED


def test_document_form_keeps_input_and_explains_a_missing_file_or_link(db, client_as, secretariat_user):
    before = Document.objects.count()

    response = client_as(secretariat_user).post(
        reverse("knowledge:document_create"),
        {
            "title": "Draft law",
            "kind": Document.Kind.LEGISLATION,
            "language": "en",
            "published_on": "2010-05-01",
            "visibility": V.STAFF,
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["link"]
    assert response.context["form"]["title"].value() == "Draft law"
    assert Document.objects.count() == before


def test_a_file_that_is_not_a_pdf_despite_its_name_is_refused_next_to_the_field(db, client_as, secretariat_user):
    response = client_as(secretariat_user).post(
        reverse("knowledge:document_create"),
        {
            "title": "Fake",
            "kind": Document.Kind.REPORT,
            "language": "en",
            "published_on": "2010-05-01",
            "visibility": V.STAFF,
            "file": SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Document.objects.filter(title="Fake").exists()


def test_field_staff_file_documents_for_their_own_operation_only(db, client_as, field_user):
    other = make_user(Role.FIELD).profile.structure
    data = {
        "title": "Course notes",
        "kind": Document.Kind.TRAINING_MATERIAL,
        "language": "ru",
        "published_on": "2010-05-01",
        "visibility": V.STAFF,
        "link": "https://example.org/x",
    }
    client = client_as(field_user)

    refused = client.post(reverse("knowledge:document_create"), {**data, "structures": [other.pk]})
    accepted = client.post(
        reverse("knowledge:document_create"), {**data, "structures": [field_user.profile.structure_id]}
    )

    assert refused.status_code == 400
    assert refused.context["form"].errors["structures"]
    assert accepted.status_code == 302
    assert Document.objects.filter(title="Course notes").count() == 1


def test_centre_page_lists_the_events_held_there_as_the_user_may_see_them(db, client_as, delegation_user):
    centre = TrainingCentreFactory(name="Customs Training Facility")
    EventFactory(title="Open course", training_centre=centre, visibility=Event.Visibility.PUBLIC)
    EventFactory(title="Closed course", training_centre=centre, visibility=Event.Visibility.INTERNAL)

    page = client_as(delegation_user).get(reverse("knowledge:centre_detail", args=[centre.pk])).content.decode()

    assert "Open course" in page
    assert "Closed course" not in page


@pytest.mark.parametrize(
    "url_name",
    ["knowledge:index", "knowledge:matrix", "knowledge:library", "knowledge:centre_list", "knowledge:decision_list"],
)
@pytest.mark.parametrize("role", list(Role))
def test_every_listing_page_opens_for_every_role(db, client_as, url_name, role):
    response = client_as(make_user(role)).get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("knowledge:legal_gaps", {"on": "x"}),
        ("knowledge:legal_gaps", {"on": "2010-01-01", "start": "2011-01-01"}),
        ("knowledge:decision_gaps", {"start": "2011-01-01", "end": "2010-01-01"}),
        ("knowledge:library", {"published_from": "nope"}),
        ("knowledge:centre_list", {"region": "atlantis"}),
    ],
)
def test_bad_filters_are_a_400_with_the_page_not_a_500(db, client_as, coordinator, url_name, params):
    assert client_as(coordinator).get(reverse(url_name), params).status_code == 400


def test_delegations_do_not_see_the_gap_pages(db, client_as, delegation_user):
    client = client_as(delegation_user)

    assert client.get(reverse("knowledge:legal_gaps")).status_code == 403
    assert client.get(reverse("knowledge:decision_gaps")).status_code == 403


def test_without_postgresql_the_library_search_falls_back_to_substrings(
    documents, client_as, delegation_user, monkeypatch
):
    from knowledge import selectors

    monkeypatch.setattr(selectors, "full_text_search_available", lambda: False)

    response = client_as(delegation_user).get(reverse("knowledge:library"), {"q": "c publ"})

    assert [d.title for d in response.context["page"]] == ["Doc public"]
