"""The 2010 reference data: what the report states, loaded as such; everything else marked illustrative."""

from datetime import date

import pytest

from knowledge import selectors
from knowledge.models import Instrument, StateCommitment
from knowledge.reference_data import load_knowledge
from programmes.events.models import Event, TrainingCentre
from programmes.events.reference_data import load_real_events
from programmes.models import Mandate
from programmes.reference_data import load_core

REPORT_DAY = date(2010, 6, 11)


def _load():
    # The core, the calendar and this app: the other apps' loaders add nothing these tests read, and take long.
    load_core()
    load_real_events()
    load_knowledge()


@pytest.fixture
def reference(db):
    _load()


def test_untoc_in_2010_has_49_ratifications_and_6_signatures(reference):
    untoc = Instrument.objects.get(code="untoc")

    counts = selectors.status_counts(instrument=untoc, on=REPORT_DAY)

    assert counts["ratified"] == 49
    assert counts["signed"] == 6
    assert sum(counts.values()) == 56


def test_the_untoc_assignment_to_states_is_marked_illustrative(reference):
    records = StateCommitment.objects.filter(instrument__code="untoc")

    assert records.exists()
    assert not records.filter(illustrative=False).exists()


def test_every_participating_state_of_2010_is_party_to_the_three_drug_conventions(reference):
    for code in ("drugs-1961", "drugs-1971", "drugs-1988"):
        instrument = Instrument.objects.get(code=code)
        assert selectors.status_counts(instrument=instrument, on=REPORT_DAY) == {"ratified": 56}
        assert not instrument.commitments.filter(illustrative=True).exists()


def test_all_other_per_state_data_is_illustrative(reference):
    others = StateCommitment.objects.exclude(instrument__code__in=["untoc", "drugs-1961", "drugs-1971", "drugs-1988"])

    assert others.exists()
    assert not others.filter(illustrative=False).exists()


def test_mongolia_counts_from_2012_with_no_record(reference):
    untoc = Instrument.objects.get(code="untoc")

    assert sum(selectors.status_counts(instrument=untoc, on=date(2012, 11, 21)).values()) == 57
    assert selectors.status_counts(instrument=untoc, on=date(2012, 11, 21))["none"] == 2


def test_annex_1_suggestions_are_proposed_decisions(reference):
    proposals = Mandate.objects.filter(code__startswith="PROPOSAL/2010/")

    assert proposals.count() == 11
    assert set(proposals.values_list("status", flat=True)) == {Mandate.Status.PROPOSED}
    assert set(proposals.values_list("proposed_in", flat=True)) == {
        "Secretary General's report on MC.DEC/2/09 (11 June 2010), Annex 1"
    }


def test_the_training_centres_of_the_report_are_in_the_directory_and_the_bishkek_course_names_its_centre(reference):
    assert TrainingCentre.objects.count() == 8
    course = Event.objects.get(title="Joint customs training with the Kabul Customs Academy")
    assert course.training_centre.name == "Customs Training Facility in Bishkek"


def test_a_rerun_changes_nothing_and_keeps_a_recorded_decision_status(reference):
    proposal = Mandate.objects.get(code="PROPOSAL/2010/8")
    adopted = Mandate.objects.create(code="MC.DEC/4/11", title="Afghanistan", year=2011, body="MC")
    Mandate.objects.filter(pk=proposal.pk).update(status=Mandate.Status.ADOPTED, adopted_as=adopted)
    before = {model: list(model.objects.order_by("pk").values()) for model in (StateCommitment, TrainingCentre)}

    _load()

    proposal.refresh_from_db()
    assert (proposal.status, proposal.adopted_as_id) == (Mandate.Status.ADOPTED, adopted.pk)
    assert {model: list(model.objects.order_by("pk").values()) for model in before} == before


@pytest.mark.django_db
def test_the_management_command_loads_the_knowledge_data_through_the_signal():
    from django.core.management import call_command

    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Instrument.objects.filter(code="untoc").exists()
    assert Mandate.objects.filter(code__startswith="PROPOSAL/").count() == 11
