"""Staff edit pages for instruments, States' records and training centres: who may use them, errors next to the
field with everything typed kept, refusals explained, and the database before and after each write."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from knowledge.models import CommitmentStatus as CS
from knowledge.models import Instrument, StateCommitment
from programmes.events.models import TrainingCentre
from programmes.permissions import Role
from tests.factories import EventFactory, ParticipatingStateFactory, ThematicAreaFactory, make_user
from tests.knowledge.factories import CommitmentFactory, InstrumentFactory, TrainingCentreFactory


def instrument_post(**overrides):
    data = {
        "code": "untoc",
        "name": "United Nations Convention against Transnational Organized Crime",
        "short_name": "UNTOC",
        "kind": Instrument.Kind.TREATY,
        "family": Instrument.Family.UNTOC,
        "adopted_year": "2000",
        "position": "1",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- instruments ------------------------------------------------------------------------------------------------------


def test_coordinator_adds_an_instrument_with_its_thematic_areas(db, client_as, coordinator):
    area = ThematicAreaFactory()

    response = client_as(coordinator).post(
        reverse("knowledge:instrument_create"), instrument_post(thematic_areas=[area.pk])
    )

    instrument = Instrument.objects.get(code="untoc")
    assert response.status_code == 302
    assert response["Location"] == instrument.get_absolute_url()
    assert list(instrument.thematic_areas.all()) == [area]


def test_a_taken_code_is_refused_next_to_the_field_and_the_input_is_kept(db, client_as, coordinator):
    InstrumentFactory(code="untoc", name="Existing")

    response = client_as(coordinator).post(reverse("knowledge:instrument_create"), instrument_post(short_name="NEW"))

    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert 'value="NEW"' in response.content.decode()
    assert Instrument.objects.filter(code="untoc").count() == 1


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FIELD, Role.DELEGATION])
def test_only_managers_may_add_instruments(db, client_as, role):
    client = client_as(make_user(role))

    assert client.get(reverse("knowledge:instrument_create")).status_code == 403
    assert client.post(reverse("knowledge:instrument_create"), instrument_post()).status_code == 403
    assert not Instrument.objects.exists()


def test_an_instruments_kind_cannot_change_while_states_have_records(db, client_as, coordinator):
    instrument = InstrumentFactory(code="untoc")
    CommitmentFactory(instrument=instrument)
    url = reverse("knowledge:instrument_edit", args=["untoc"])

    refused = client_as(coordinator).post(url, instrument_post(kind=Instrument.Kind.STANDARD))
    renamed = client_as(coordinator).post(url, instrument_post(short_name="UNTOC 2000"))

    assert refused.status_code == 400
    assert refused.context["form"].errors["kind"]
    instrument.refresh_from_db()
    assert (instrument.kind, instrument.short_name) == (Instrument.Kind.TREATY, "UNTOC 2000")
    assert renamed.status_code == 302


def test_deleting_an_instrument_with_records_is_refused_with_the_reason(db, client_as, admin_user):
    used = InstrumentFactory(code="used")
    CommitmentFactory(instrument=used)
    unused = InstrumentFactory(code="unused")
    client = client_as(admin_user)

    refused = client.post(reverse("knowledge:instrument_delete", args=["used"]))
    done = client.post(reverse("knowledge:instrument_delete", args=["unused"]))

    assert refused.status_code == 302
    assert refused["Location"] == used.get_absolute_url()
    assert any("cannot be deleted" in m for m in messages_of(refused))
    assert Instrument.objects.filter(pk=used.pk).exists()
    assert done["Location"] == reverse("knowledge:matrix")
    assert not Instrument.objects.filter(pk=unused.pk).exists()


def test_a_coordinator_may_not_delete_instruments(db, client_as, coordinator):
    instrument = InstrumentFactory(code="untoc")

    response = client_as(coordinator).post(reverse("knowledge:instrument_delete", args=["untoc"]))

    assert response.status_code == 403
    assert Instrument.objects.filter(pk=instrument.pk).exists()


def test_instrument_page_offers_edits_only_to_those_who_may(db, client_as, coordinator, delegation_user):
    instrument = InstrumentFactory(code="untoc")
    record = CommitmentFactory(instrument=instrument)
    url = instrument.get_absolute_url()

    manager_page = client_as(coordinator).get(url).content.decode()
    delegation_page = client_as(delegation_user).get(url).content.decode()

    assert reverse("knowledge:instrument_edit", args=["untoc"]) in manager_page
    assert reverse("knowledge:commitment_edit", args=[record.pk]) in manager_page
    assert reverse("knowledge:instrument_edit", args=["untoc"]) not in delegation_page
    assert reverse("knowledge:commitment_edit", args=[record.pk]) not in delegation_page


# --- a State's records ------------------------------------------------------------------------------------------------


def commitment_post(record, **overrides):
    data = {
        "state": record.state_id,
        "instrument": record.instrument_id,
        "status": record.status,
        "as_of": "2010-06-11",
        "source": "Report of 2010",
    }
    data.update(overrides)
    return data


def test_secretariat_corrects_a_record_and_a_status_that_does_not_apply_is_refused(db, client_as, secretariat_user):
    record = CommitmentFactory(status=CS.SIGNED, date=None)
    url = reverse("knowledge:commitment_edit", args=[record.pk])
    client = client_as(secretariat_user)

    assert client.get(url).status_code == 200
    wrong = client.post(url, commitment_post(record, status=CS.ACTION_PLAN))
    after_wrong = StateCommitment.objects.get(pk=record.pk).status
    right = client.post(url, commitment_post(record, status=CS.RATIFIED, date="2009-05-01"))

    assert wrong.status_code == 400
    assert wrong.context["form"].errors["status"]
    assert after_wrong == CS.SIGNED
    assert right.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.date) == (CS.RATIFIED, date(2009, 5, 1))


def test_a_delegation_cannot_edit_or_delete_records(db, client_as, delegation_user):
    record = CommitmentFactory()
    client = client_as(delegation_user)

    assert (
        client.post(reverse("knowledge:commitment_edit", args=[record.pk]), commitment_post(record)).status_code == 403
    )
    assert client.post(reverse("knowledge:commitment_delete", args=[record.pk])).status_code == 403
    assert StateCommitment.objects.filter(pk=record.pk).exists()


def test_a_coordinator_deletes_a_record(db, client_as, coordinator):
    record = CommitmentFactory()

    response = client_as(coordinator).post(reverse("knowledge:commitment_delete", args=[record.pk]))

    assert response["Location"] == record.instrument.get_absolute_url()
    assert not StateCommitment.objects.filter(pk=record.pk).exists()


# --- training centres -------------------------------------------------------------------------------------------------


def centre_post(state, **overrides):
    data = {"name": "Customs training facility", "kind": TrainingCentre.Kind.NATIONAL, "city": "Bishkek"}
    data["state"] = state.pk
    data["active"] = "on"
    data.update(overrides)
    return data


def test_coordinator_adds_a_centre_and_a_missing_city_is_marked(db, client_as, coordinator):
    state = ParticipatingStateFactory()
    client = client_as(coordinator)

    missing = client.post(reverse("knowledge:centre_create"), centre_post(state, city=""))
    after_missing = TrainingCentre.objects.count()
    done = client.post(reverse("knowledge:centre_create"), centre_post(state))

    assert missing.status_code == 400
    assert missing.context["form"].errors["city"]
    assert after_missing == 0
    centre = TrainingCentre.objects.get()
    assert done["Location"] == reverse("knowledge:centre_detail", args=[centre.pk])
    assert (centre.city, centre.state_id, centre.active) == ("Bishkek", state.pk, True)


def test_a_duplicate_centre_name_is_refused_next_to_the_field(db, client_as, coordinator):
    existing = TrainingCentreFactory(name="TADOC")
    other = TrainingCentreFactory(name="Domodedovo")

    response = client_as(coordinator).post(
        reverse("knowledge:centre_edit", args=[other.pk]), centre_post(other.state, name=existing.name)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    other.refresh_from_db()
    assert other.name == "Domodedovo"


def test_deleting_a_centre_keeps_its_events(db, client_as, admin_user):
    centre = TrainingCentreFactory()
    event = EventFactory(training_centre=centre)

    response = client_as(admin_user).post(reverse("knowledge:centre_delete", args=[centre.pk]))

    assert response["Location"] == reverse("knowledge:centre_list")
    assert not TrainingCentre.objects.filter(pk=centre.pk).exists()
    event.refresh_from_db()
    assert event.training_centre_id is None


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FIELD, Role.DELEGATION])
def test_only_managers_edit_centres(db, client_as, role):
    centre = TrainingCentreFactory(name="TADOC")
    client = client_as(make_user(role))

    edit = client.post(reverse("knowledge:centre_edit", args=[centre.pk]), centre_post(centre.state, name="X"))
    delete = client.post(reverse("knowledge:centre_delete", args=[centre.pk]))

    assert (edit.status_code, delete.status_code) == (403, 403)
    centre.refresh_from_db()
    assert centre.name == "TADOC"
