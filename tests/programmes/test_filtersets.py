"""Each filter of the shared FilterSets, used by the HTML list pages and the API alike."""

from datetime import date

import pytest

from programmes.filtersets import (
    ExecutiveStructureFilterSet,
    MandateFilterSet,
    ParticipatingStateFilterSet,
    PartnerOrganisationFilterSet,
    ProjectFilterSet,
    ThematicAreaFilterSet,
)
from programmes.models import (
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)
from tests.factories import (
    ExecutiveStructureFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db


def codes(data: dict) -> list[str]:
    filterset = ProjectFilterSet(data, queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("code", flat=True))


@pytest.fixture
def world():
    crime = ThematicAreaFactory(name="Fighting organised crime")
    thb = ThematicAreaFactory(name="Trafficking in human beings", parent=crime)
    cyber = ThematicAreaFactory(name="Promoting cyber security")
    spmu = ExecutiveStructureFactory(acronym="SPMU")
    oit = FieldOperationFactory(acronym="OiT", region=Region.CENTRAL_ASIA)
    mts = FieldOperationFactory(acronym="MtS", region=Region.SOUTH_EASTERN_EUROPE)
    tj, rs = ParticipatingStateFactory(iso_code="TJ"), ParticipatingStateFactory(iso_code="RS")
    mc, pc = MandateFactory(code="MC.DEC/5/06"), MandateFactory(code="PC.DEC/813", body=Mandate.Body.PC)
    p1 = ProjectFactory(
        code="THB-OIT",
        title="Anti-trafficking in GBAO",
        summary="Police training",
        lead_structure=oit,
        thematic_areas=[thb],
        beneficiary_states=[tj],
        status=Project.Status.ONGOING,
        funding_source="exb",
        start=date(2010, 3, 1),
    )
    p1.mandates.set([mc])
    p2 = ProjectFactory(
        code="CRIME-SPMU",
        title="Organised crime assessment",
        summary="Threat assessment",
        lead_structure=spmu,
        partner_structures=[oit],
        thematic_areas=[crime],
        beneficiary_states=[tj, rs],
        status=Project.Status.PROPOSAL,
        funding_source="ub",
        start=date(2011, 1, 1),
        end=date(2011, 12, 31),
    )
    p2.mandates.set([pc])
    ProjectFactory(
        code="CYBER-MTS",
        title="Cyber workshop",
        summary="Belgrade workshop on cyber threats",
        lead_structure=mts,
        thematic_areas=[cyber],
        beneficiary_states=[rs],
        status=Project.Status.COMPLETED,
        funding_source="ub",
        start=date(2009, 12, 1),
    )
    return {
        "crime": crime,
        "thb": thb,
        "cyber": cyber,
        "spmu": spmu,
        "oit": oit,
        "mts": mts,
        "tj": tj,
        "rs": rs,
        "mc": mc,
        "pc": pc,
    }


def test_no_filter_returns_everything(world):
    assert codes({}) == ["CRIME-SPMU", "CYBER-MTS", "THB-OIT"]


def test_top_thematic_area_matches_its_sub_areas(world):
    assert codes({"thematic_area": world["crime"].pk}) == ["CRIME-SPMU", "THB-OIT"]


def test_sub_area_matches_only_itself(world):
    assert codes({"thematic_area": world["thb"].pk}) == ["THB-OIT"]


def test_project_in_a_top_area_and_its_sub_area_is_listed_once(world):
    both = ProjectFactory(code="BOTH", thematic_areas=[world["crime"], world["thb"]])
    assert codes({"thematic_area": world["crime"].pk}).count("BOTH") == 1
    assert Project.objects.get(pk=both.pk).thematic_areas.count() == 2


def test_structure_matches_lead_or_partner(world):
    assert codes({"structure": world["oit"].pk}) == ["CRIME-SPMU", "THB-OIT"]


def test_lead_structure_matches_only_the_lead(world):
    assert codes({"lead_structure": world["oit"].pk}) == ["THB-OIT"]


def test_state_matches_beneficiary_states(world):
    assert codes({"state": world["rs"].pk}) == ["CRIME-SPMU", "CYBER-MTS"]


def test_region_of_the_lead_structure(world):
    assert codes({"region": Region.SOUTH_EASTERN_EUROPE}) == ["CYBER-MTS"]


def test_mandate(world):
    assert codes({"mandate": world["pc"].pk}) == ["CRIME-SPMU"]


def test_status_takes_several_values(world):
    assert codes({"status": ["proposal", "completed"]}) == ["CRIME-SPMU", "CYBER-MTS"]


def test_funding_source(world):
    assert codes({"funding_source": "exb"}) == ["THB-OIT"]


def test_start_range(world):
    assert codes({"start_after": "2010-01-01"}) == ["CRIME-SPMU", "THB-OIT"]
    assert codes({"start_before": "2010-12-31"}) == ["CYBER-MTS", "THB-OIT"]
    assert codes({"start_after": "2010-01-01", "start_before": "2010-12-31"}) == ["THB-OIT"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("thb-oit", ["THB-OIT"]),
        ("ORGANISED", ["CRIME-SPMU"]),
        ("belgrade", ["CYBER-MTS"]),
        ("  ", None),
        ("nothing-like-this", []),
    ],
)
def test_q_searches_code_title_and_summary_case_insensitively(world, q, expected):
    assert codes({"q": q}) == (expected if expected is not None else ["CRIME-SPMU", "CYBER-MTS", "THB-OIT"])


def test_filters_combine(world):
    assert codes({"thematic_area": world["crime"].pk, "state": world["rs"].pk, "q": "assessment"}) == ["CRIME-SPMU"]


def test_invalid_values_make_the_filterset_invalid(world):
    filterset = ProjectFilterSet({"status": "archived", "start_after": "soon"}, queryset=Project.objects.all())
    assert not filterset.is_valid()
    assert {"status", "start_after"} <= set(filterset.errors)


def test_reference_filtersets_search_and_filter():
    oit = FieldOperationFactory(name="OSCE Office in Tajikistan", acronym="OiT")
    ExecutiveStructureFactory(name="Strategic Police Matters Unit", acronym="SPMU")
    at = ParticipatingStateFactory(name="Austria", iso_code="AT")
    ParticipatingStateFactory(name="Afghanistan", iso_code="AF", is_partner=True)
    un = PartnerOrganisationFactory(name="United Nations", acronym="UN", kind=PartnerOrganisation.Kind.UN_BODY)
    unodc = PartnerOrganisationFactory(name="UN Office on Drugs and Crime", acronym="UNODC", parent=un)
    top = ThematicAreaFactory(name="Promoting cyber security", short_name="Cyber")
    sub = ThematicAreaFactory(name="Critical information infrastructure", parent=top)
    mandate = MandateFactory(code="FSC.DEC/7/09", body=Mandate.Body.FSC, year=2009)

    structures = ExecutiveStructureFilterSet(
        {"q": "tajik", "kind": "field_operation"}, queryset=ExecutiveStructure.objects.all()
    ).qs
    states = ParticipatingStateFilterSet(
        {"is_partner": "false", "q": "aus"}, queryset=ParticipatingState.objects.all()
    ).qs
    orgs = PartnerOrganisationFilterSet({"parent": un.pk}, queryset=PartnerOrganisation.objects.all()).qs
    tops = ThematicAreaFilterSet({"top_level": "true", "q": "cyber"}, queryset=ThematicArea.objects.all()).qs
    subs = ThematicAreaFilterSet({"parent": top.pk}, queryset=ThematicArea.objects.all()).qs
    mandates = MandateFilterSet({"body": "FSC", "year": 2009}, queryset=Mandate.objects.all()).qs

    assert list(structures) == [oit]
    assert list(states) == [at]
    assert list(orgs) == [unodc]
    assert list(tops) == [top]
    assert list(subs) == [sub]
    assert list(mandates) == [mandate]
