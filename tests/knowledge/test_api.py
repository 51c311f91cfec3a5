"""The knowledge API: the same visibility rules as the pages, 400s with field messages, 409 for refused deletes."""

from datetime import date

import pytest

from knowledge.models import CommitmentStatus as CS
from knowledge.models import Document, Instrument, StateCommitment
from programmes.events.models import Event
from programmes.models import Mandate
from programmes.permissions import Role
from tests.factories import EventFactory, MandateFactory, ParticipatingStateFactory, ProjectFactory, make_user
from tests.knowledge.factories import CommitmentFactory, DocumentFactory, InstrumentFactory, TrainingCentreFactory

V = Document.Visibility


@pytest.fixture
def documents(db):
    return {level: DocumentFactory(title=f"Doc {level}", visibility=level) for level in V.values}


def test_delegation_lists_public_and_participating_states_documents_only(documents, api_as, delegation_user):
    response = api_as(delegation_user).get("/api/library-documents/")

    assert response.status_code == 200
    assert {d["title"] for d in response.json()["results"]} == {"Doc public", "Doc participating_states"}


def test_delegation_gets_404_for_a_staff_document(documents, api_as, delegation_user):
    client = api_as(delegation_user)

    assert client.get(f"/api/library-documents/{documents[V.STAFF].pk}/").status_code == 404
    assert client.get(f"/api/library-documents/{documents[V.PUBLIC].pk}/").status_code == 200


def test_delegation_may_not_add_documents(db, api_as, delegation_user):
    response = api_as(delegation_user).post(
        "/api/library-documents/",
        {"title": "x", "kind": "report", "language": "en", "published_on": "2010-01-01", "link": "https://e.org"},
    )

    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_document_without_file_or_link_is_a_400_on_the_link_field(db, api_as, secretariat_user):
    response = api_as(secretariat_user).post(
        "/api/library-documents/",
        {"title": "Law", "kind": "legislation", "language": "ru", "published_on": "2010-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "link" in response.json()
    assert not Document.objects.exists()


def test_bad_choices_and_dates_get_field_messages(db, api_as, secretariat_user):
    response = api_as(secretariat_user).post(
        "/api/library-documents/",
        {
            "title": "Law",
            "kind": "poem",
            "language": "xx",
            "published_on": "yesterday",
            "visibility": "everyone",
            "link": "https://e.org",
        },
        format="json",
    )

    assert response.status_code == 400
    assert {"kind", "language", "published_on", "visibility"} <= set(response.json())


def test_staff_create_a_document_and_a_delegation_reads_it_when_public(db, api_as, secretariat_user, delegation_user):
    mandate = MandateFactory()
    created = api_as(secretariat_user).post(
        "/api/library-documents/",
        {
            "title": "Guide",
            "kind": "best_practice_guide",
            "language": "en",
            "published_on": "2009-12-31",
            "visibility": "public",
            "link": "https://example.org/guide",
            "mandates": [mandate.pk],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    document = Document.objects.get(pk=created.json()["id"])
    assert list(document.mandates.all()) == [mandate]
    assert document.created_by == secretariat_user
    assert api_as(delegation_user).get(f"/api/library-documents/{document.pk}/").status_code == 200


def test_a_commitment_whose_status_does_not_fit_the_instrument_is_a_400_on_status(db, api_as, secretariat_user):
    resolution = InstrumentFactory(kind=Instrument.Kind.RESOLUTION)
    state = ParticipatingStateFactory()

    response = api_as(secretariat_user).post(
        "/api/commitments/",
        {"state": state.pk, "instrument": resolution.pk, "status": "ratified", "as_of": "2010-06-11", "source": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "status" in response.json()
    assert not StateCommitment.objects.exists()


def test_a_duplicate_commitment_is_a_400_not_a_500(db, api_as, secretariat_user):
    record = CommitmentFactory(instrument=InstrumentFactory())
    payload = {
        "state": record.state_id,
        "instrument": record.instrument_id,
        "status": record.status,
        "as_of": record.as_of.isoformat(),
        "source": "again",
    }

    response = api_as(secretariat_user).post("/api/commitments/", payload, format="json")

    assert response.status_code == 400
    assert StateCommitment.objects.count() == 1


def test_a_commitment_missing_fields_names_each_field(db, api_as, secretariat_user):
    response = api_as(secretariat_user).post("/api/commitments/", {}, format="json")

    assert response.status_code == 400
    assert {"state", "instrument", "status", "as_of", "source"} <= set(response.json())


def test_delegation_reads_the_matrix_but_cannot_record_commitments(db, api_as):
    instrument = InstrumentFactory(code="untoc")
    state = ParticipatingStateFactory(joined=date(1992, 1, 30))
    CommitmentFactory(instrument=instrument, state=state, status=CS.SIGNED)
    client = api_as(make_user(Role.DELEGATION, state=state))

    matrix = client.get("/api/legal-matrix/", {"on": "2010-06-11"})

    assert matrix.status_code == 200
    assert matrix.json()["instruments"][0]["counts"] == {"signed": 1}
    assert matrix.json()["rows"][0]["cells"]["untoc"]["status"] == "signed"
    assert client.post("/api/commitments/", {}, format="json").status_code == 403


@pytest.mark.parametrize(
    "params", [{"on": "2010-02-30"}, {"region": "atlantis"}, {"instrument": "999999"}, {"family": "nope"}]
)
def test_bad_matrix_parameters_are_400s_with_the_field_named(db, api_as, delegation_user, params):
    response = api_as(delegation_user).get("/api/legal-matrix/", params)

    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_legal_gaps_are_for_staff_and_refuse_a_start_after_the_date(db, api_as, delegation_user, coordinator):
    assert api_as(delegation_user).get("/api/legal-gaps/").status_code == 403
    response = api_as(coordinator).get("/api/legal-gaps/", {"on": "2010-01-01", "start": "2011-01-01"})
    assert response.status_code == 400
    assert "start" in response.json()


def test_deleting_an_instrument_with_records_is_refused_with_409(db, api_as, admin_user):
    record = CommitmentFactory(instrument=InstrumentFactory(code="uncac"))

    response = api_as(admin_user).delete("/api/instruments/uncac/")

    assert response.status_code == 409
    assert Instrument.objects.filter(pk=record.instrument_id).exists()


def test_deleting_a_document_goes_through_the_service(documents, api_as, admin_user):
    response = api_as(admin_user).delete(f"/api/library-documents/{documents[V.STAFF].pk}/")

    assert response.status_code == 204
    assert not Document.objects.filter(pk=documents[V.STAFF].pk).exists()


def test_suggestion_status_over_the_api(db, api_as, coordinator, delegation_user):
    proposal = Mandate.objects.create(
        code="PROPOSAL/2010/6", title="Cyber", year=2010, body="PC", status=Mandate.Status.PROPOSED
    )
    official = MandateFactory(code="PC.DEC/1039", body="PC", year=2012)
    url = f"/api/decisions/{proposal.pk}/status/"

    assert api_as(delegation_user).post(url, {"status": "not_taken_up"}, format="json").status_code == 403
    client = api_as(coordinator)  # the same client, now signed in as the co-ordinator
    missing = client.post(url, {"status": "adopted"}, format="json")
    assert missing.status_code == 400
    assert "adopted_as" in missing.json()
    bad_target = client.post(url, {"status": "adopted", "adopted_as": proposal.pk}, format="json")
    assert bad_target.status_code == 400
    assert "adopted_as" in bad_target.json()
    done = client.post(url, {"status": "adopted", "adopted_as": official.pk}, format="json")
    assert done.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.status, proposal.adopted_as_id) == ("adopted", official.pk)
    official_status = client.post(f"/api/decisions/{official.pk}/status/", {"status": "proposed"}, format="json")
    assert official_status.status_code == 400
    assert "status" in official_status.json()


def test_decision_trace_over_the_api_counts_per_year(db, api_as, delegation_user):
    mandate = MandateFactory()
    project = ProjectFactory(start=date(2010, 1, 1), end=date(2010, 12, 31))
    project.mandates.add(mandate)
    EventFactory(project=project, start_date=date(2010, 3, 1), visibility=Event.Visibility.PUBLIC)
    EventFactory(project=project, start_date=date(2010, 4, 1), visibility=Event.Visibility.INTERNAL)

    response = api_as(delegation_user).get(f"/api/decisions/{mandate.pk}/trace/")

    assert response.status_code == 200
    assert response.json()["years"] == [{"year": 2010, "projects": 1, "events": 1, "activities": 0, "results": None}]


def test_decision_gaps_over_the_api(db, api_as, coordinator):
    idle = MandateFactory(code="MC.DEC/6/03")
    busy = MandateFactory(code="MC.DEC/4/07")
    ProjectFactory(start=date(2010, 1, 1), end=date(2010, 12, 31)).mandates.add(busy)

    response = api_as(coordinator).get("/api/decisions/gaps/", {"start": "2010-01-01", "end": "2010-12-31"})
    bad = api_as(coordinator).get("/api/decisions/gaps/", {"start": "2011-01-01", "end": "2010-01-01"})

    assert [row["code"] for row in response.json()] == [idle.code]
    assert bad.status_code == 400
    assert "end" in bad.json()


def test_training_centres_are_read_by_all_and_kept_by_managers(db, api_as, delegation_user, coordinator):
    state = ParticipatingStateFactory()
    centre = TrainingCentreFactory(state=state)

    assert api_as(delegation_user).get("/api/training-centres/").json()["count"] == 1
    assert (
        api_as(delegation_user).patch(f"/api/training-centres/{centre.pk}/", {"city": "Osh"}, format="json").status_code
        == 403
    )
    response = api_as(coordinator).post(
        "/api/training-centres/",
        {"name": "Border College", "kind": "osce", "city": "Dushanbe", "state": state.pk},
        format="json",
    )
    assert response.status_code == 201


def test_an_event_names_its_training_centre_over_the_api(db, api_as, coordinator):
    centre = TrainingCentreFactory()
    event = EventFactory()

    response = api_as(coordinator).patch(f"/api/events/{event.pk}/", {"training_centre": centre.pk}, format="json")

    assert response.status_code == 200, response.json()
    event.refresh_from_db()
    assert event.training_centre == centre


def test_field_user_may_not_change_another_operations_document(db, api_as, field_user):
    document = DocumentFactory(visibility=V.STAFF)
    document.structures.add(make_user(Role.FIELD).profile.structure)

    response = api_as(field_user).patch(f"/api/library-documents/{document.pk}/", {"title": "Mine"}, format="json")

    document.refresh_from_db()
    assert response.status_code == 403
    assert document.title != "Mine"
