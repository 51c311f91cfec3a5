"""The calendar's reference events read back against the 2010 report."""

from datetime import date

import pytest

from programmes.events.models import Event
from programmes.events.reference_data import load_real_events
from programmes.reference_data import load_core

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_core()
    load_real_events()


def test_july_2010_kabul_customs_training_is_held_not_planned(loaded):
    kabul = Event.objects.get(title="Joint customs training with the Kabul Customs Academy")
    assert kabul.start_date == date(2010, 7, 12)
    assert kabul.status == Event.Status.HELD


def test_december_2009_belgrade_workshop_was_organised_by_spmu_with_mcafee_labs(loaded):
    belgrade = Event.objects.get(title="Training workshop for law enforcement on cyber threats")
    assert (belgrade.city, belgrade.start_date.year, belgrade.start_date.month) == ("Belgrade", 2009, 12)
    assert belgrade.lead_structure.acronym == "SPMU"
    assert list(belgrade.co_organisers.values_list("acronym", flat=True)) == []
    assert list(belgrade.partner_organisations.values_list("acronym", flat=True)) == ["McAfee Labs"]


def test_the_atu_2009_workshops_in_serbia_and_in_croatia_are_both_there(loaded):
    atu_2009 = Event.objects.filter(
        lead_structure__acronym="ATU", start_date__year=2009, format=Event.Format.WORKSHOP, state__isnull=False
    )
    assert {"RS", "HR"} <= set(atu_2009.values_list("state__iso_code", flat=True))
    croatia = atu_2009.get(state__iso_code="HR")
    assert croatia.status == Event.Status.HELD
    assert "placeholder" in croatia.description  # the report gives the year only


def test_report_events_are_held_when_past_the_report_date_only_if_recorded(loaded):
    fsc = Event.objects.get(title="FSC event on the implementation of UNSCR 1540")
    assert fsc.status == Event.Status.PLANNED  # the report only plans it
    assert not Event.objects.filter(
        start_date__lt=date(2010, 6, 11), end_date__lt=date(2010, 6, 11), description="", status=Event.Status.PLANNED
    ).exists()
