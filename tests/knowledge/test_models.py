"""Validation rules of the knowledge models and of the suggested-decision status on the core's Mandate."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from knowledge.models import CommitmentStatus as CS
from knowledge.models import Instrument
from programmes.models import Mandate
from tests.factories import MandateFactory
from tests.knowledge.factories import CommitmentFactory, InstrumentFactory


def _errors(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
def test_a_suggestion_code_is_accepted_and_starts_as_proposed():
    proposal = Mandate(code="PROPOSAL/2010/3", title="Review", year=2010, body="PC", status=Mandate.Status.PROPOSED)

    proposal.full_clean()

    assert proposal.is_proposal


@pytest.mark.django_db
def test_an_official_decision_cannot_be_proposed_or_not_taken_up():
    decision = MandateFactory.build(code="MC.DEC/9/11", status=Mandate.Status.NOT_TAKEN_UP)

    assert "status" in _errors(decision)


@pytest.mark.django_db
def test_an_adopted_suggestion_must_name_the_decision_it_became():
    proposal = Mandate(code="PROPOSAL/2010/8", title="Madrid-2", year=2010, body="MC", status=Mandate.Status.ADOPTED)

    assert "adopted_as" in _errors(proposal)

    proposal.adopted_as = MandateFactory(code="MC.DEC/4/11", year=2011)
    proposal.full_clean()


@pytest.mark.django_db
def test_a_suggestion_cannot_be_adopted_as_another_suggestion():
    other = Mandate.objects.create(
        code="PROPOSAL/2010/1", title="x", year=2010, body="PC", status=Mandate.Status.PROPOSED
    )
    proposal = Mandate(
        code="PROPOSAL/2010/2", title="y", year=2010, body="PC", status=Mandate.Status.ADOPTED, adopted_as=other
    )

    assert "adopted_as" in _errors(proposal)


@pytest.mark.django_db
def test_a_malformed_proposal_code_is_refused():
    assert "code" in _errors(
        Mandate(code="PROPOSAL/10", title="x", year=2010, body="PC", status=Mandate.Status.PROPOSED)
    )


@pytest.mark.django_db
def test_a_commitment_status_must_fit_the_instrument_kind():
    resolution = InstrumentFactory(kind=Instrument.Kind.RESOLUTION)

    assert "status" in _errors(CommitmentFactory.build(instrument=resolution, status=CS.RATIFIED))


@pytest.mark.django_db
def test_a_step_cannot_happen_after_the_date_its_source_is_for():
    record = CommitmentFactory.build(instrument=InstrumentFactory(), date=date(2011, 1, 1), as_of=date(2010, 6, 11))

    assert "date" in _errors(record)


@pytest.mark.django_db
def test_describing_reservations_needs_the_box_ticked():
    record = CommitmentFactory.build(instrument=InstrumentFactory(), reservations_note="Article 16")

    assert "reservations" in _errors(record)
