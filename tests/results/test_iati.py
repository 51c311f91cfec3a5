"""Every IATI export is validated against the IATI 2.03 schema shipped in ../shared/standards."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from programmes.models import Project
from results import iati
from results.models import IndicatorActual, SectorMapping
from tests.factories import ParticipatingStateFactory, PartnerOrganisationFactory, ProjectFactory, ThematicAreaFactory
from tests.results.factories import IndicatorActualFactory, TransactionFactory

SCHEMA_PATH = Path(settings.BASE_DIR).parent / "shared" / "standards" / "iati-2.03" / "iati-activities-schema.xsd"
if not SCHEMA_PATH.exists():  # a worktree sits beside the shared folder too
    SCHEMA_PATH = Path("/work/shared/standards/iati-2.03/iati-activities-schema.xsd")


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def assert_valid(schema, body: bytes) -> etree._Element:
    document = etree.fromstring(body)
    valid = schema.validate(document)
    assert valid, [str(error) for error in schema.error_log]
    return document


def test_full_project_export_is_valid_and_carries_every_part(world, schema, api_as, settings):
    settings.PORTAL_IATI_ORG_ID = "XM-TEST-1"
    world.project.gender_marker = 3
    world.project.partner_organisations.add(PartnerOrganisationFactory(acronym="WCO", name="World Customs"))
    SectorMapping.objects.create(
        thematic_area=world.project.thematic_areas.first(), dac_code="33120", dac_name="Trade facilitation"
    )
    world.project.save()
    state = ParticipatingStateFactory(name="Germany", iso_code="DE")
    TransactionFactory(
        project=world.project,
        funding_source="exb",
        donor_state=state,
        currency="USD",
        amount=Decimal("12000"),
        value_eur=Decimal("10000"),
        description="First tranche",
    )
    TransactionFactory(project=world.project, kind="expenditure", amount=Decimal("500"))
    IndicatorActualFactory(
        period=world.q1, value=Decimal("12"), value_women=4, value_men=8, status=IndicatorActual.Status.APPROVED
    )
    IndicatorActualFactory(
        period=world.practice_q1, value=None, narrative="Two posts use it.", status=IndicatorActual.Status.APPROVED
    )

    response = api_as(world.delegation).get(f"/api/projects/{world.project.pk}/iati.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    doc = assert_valid(schema, response.content)
    activity = doc.find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-TEST-1-AFG-05"
    assert activity.find("reporting-org").get("ref") == "XM-TEST-1"
    assert activity.find("activity-status").get("code") == "2"
    assert [c.get("code") for c in activity.findall("recipient-country")] == ["TJ"]
    assert [s.get("code") for s in activity.findall("sector[@vocabulary='1']")] == ["33120"]
    assert activity.find("policy-marker").get("significance") == "2"
    # 100,000 over 2010-01-01 .. 2011-06-30: 365 and 181 days
    assert [b.findtext("value") for b in activity.findall("budget")] == ["66849.82", "33150.18"]
    assert [
        (t.find("transaction-type").get("code"), t.find("value").get("currency"), t.findtext("value"))
        for t in activity.findall("transaction")
    ] == [("11", "USD", "12000.00"), ("4", "EUR", "500.00")]
    officers = activity.xpath("result/indicator[title/narrative='Customs officers trained']")[0]
    actuals = officers.xpath("period[period-start/@iso-date='2010-01-01']/actual")
    assert [
        (a.get("value"), a.find("dimension").get("value") if a.find("dimension") is not None else None) for a in actuals
    ] == [("12.00", None), ("4", "female"), ("8", "male")]
    assert activity.xpath("result/indicator[@measure='5']/period/actual/comment/narrative/text()") == [
        "Two posts use it."
    ]


def test_draft_actuals_are_not_published(world, schema, api_as):
    IndicatorActualFactory(period=world.q1, value=Decimal("12"), value_men=12)

    response = api_as(world.delegation).get(f"/api/projects/{world.project.pk}/iati.xml")

    doc = assert_valid(schema, response.content)
    assert doc.xpath("//actual") == []


def test_list_export_is_filtered_like_the_project_list_and_valid(world, schema, api_as):
    elsewhere = ParticipatingStateFactory(name="Kyrgyzstan", iso_code="KG")
    other = ProjectFactory(
        code="AFG-06",
        status=Project.Status.COMPLETED,
        beneficiary_states=[elsewhere],
        thematic_areas=[ThematicAreaFactory()],
    )
    ProjectFactory(code="IDEA", status=Project.Status.PROPOSAL)
    client = api_as(world.reviewer)

    everything = assert_valid(schema, client.get("/api/projects/iati.xml").content)
    filtered = assert_valid(schema, client.get("/api/projects/iati.xml", {"state": elsewhere.pk}).content)

    assert everything.xpath("iati-activity/iati-identifier/text()") == [
        iati.activity_identifier(world.project),
        iati.activity_identifier(other),
    ]
    assert filtered.xpath("iati-activity/iati-identifier/text()") == [iati.activity_identifier(other)]
    assert filtered.find("iati-activity/activity-status").get("code") == "4"


def test_no_match_is_a_404_not_an_invalid_file(world, api_as):
    response = api_as(world.reviewer).get("/api/projects/iati.xml", {"q": "nothing like this"})
    assert response.status_code == 404


def test_bad_filter_is_a_400_with_the_field(world, api_as):
    response = api_as(world.reviewer).get("/api/projects/iati.xml", {"state": "x", "start_after": "soon"})
    assert response.status_code == 400
    assert set(response.json()) == {"state", "start_after"}


def test_proposal_is_not_open_data(world, api_as):
    idea = ProjectFactory(status=Project.Status.PROPOSAL)
    assert api_as(world.reviewer).get(f"/api/projects/{idea.pk}/iati.xml").status_code == 404
    assert api_as(world.delegation).get(f"/api/projects/{idea.pk}/iati.xml").status_code == 404


def test_project_without_dates_states_or_sectors_is_still_valid(db, schema):
    bare = ProjectFactory(code="A/B & C", start=None, end=None, budget=Decimal("0"), status=Project.Status.APPROVED)
    doc = assert_valid(schema, iati.export_projects([bare]))
    assert doc.findtext("iati-activity/iati-identifier").endswith("-A_B_C")


def test_percentages_add_up_to_one_hundred():
    assert sum(iati.split_percentages(3)) == Decimal("100")
    assert iati.split_percentages(3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_budget_spread_over_years_keeps_the_total(db):
    project = ProjectFactory(budget=Decimal("1000000"), start=date(2010, 3, 1), end=date(2011, 7, 31))
    pieces = iati.budget_years(project)
    assert [p[:2] for p in pieces] == [(date(2010, 3, 1), date(2010, 12, 31)), (date(2011, 1, 1), date(2011, 7, 31))]
    assert sum(p[2] for p in pieces) == Decimal("1000000")
