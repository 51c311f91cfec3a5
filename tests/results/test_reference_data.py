from decimal import Decimal

import pytest
from django.core.management import call_command

from programmes.models import Programme, Project
from results import selectors
from results.models import (
    ActivityContribution,
    FinancialTransaction,
    Indicator,
    ProgrammeProposal,
    Result,
    SectorMapping,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(reference_data):
    return None


def _counts():
    return [
        m.objects.count()
        for m in (
            Programme,
            ProgrammeProposal,
            Result,
            Indicator,
            ActivityContribution,
            FinancialTransaction,
            SectorMapping,
        )
    ]


def test_loading_twice_changes_nothing(loaded):
    before = _counts()
    stamps = list(Result.objects.order_by("pk").values_list("pk", "title"))
    call_command("load_reference_data", verbosity=0)
    assert _counts() == before
    assert list(Result.objects.order_by("pk").values_list("pk", "title")) == stamps
    assert before[0] == 1


def test_afghan_package_proposals_keep_unknown_figures_empty(loaded):
    programme = Programme.objects.get(code="afghan-package-2008")
    proposals = {p.number: p for p in programme.proposals.all()}

    assert programme.planned_project_count == 16
    assert sorted(n for n in proposals if n is not None) == [1, 2, 3, 5, 6]
    no3 = proposals[3]
    assert (no3.project.code, no3.estimated_budget_eur, no3.duration_months, no3.max_participants) == (
        "AFG-03",
        Decimal("250000.00"),
        4,
        16,
    )
    # No. 5 is the ongoing customs project, whose figures the report does not give; its expansion is a separate
    # proposal of about EUR 1 million over 17 months for up to 60 officers.
    assert (proposals[5].project.code, proposals[5].estimated_budget_eur, proposals[5].duration_months) == (
        "AFG-05",
        None,
        None,
    )
    expansion = programme.proposals.get(project__code="AFG-05-EXP")
    figures = (expansion.number, expansion.estimated_budget_eur, expansion.duration_months, expansion.max_participants)
    assert figures == (
        None,
        Decimal("1000000.00"),
        17,
        60,
    )
    assert (proposals[1].estimated_budget_eur, proposals[1].duration_months, proposals[1].max_participants) == (
        None,
        None,
        None,
    )
    follow_up = programme.proposals.get(project__code="AFG-01/02-FU")
    assert (follow_up.number, follow_up.estimated_budget_eur, follow_up.duration_months) == (
        None,
        Decimal("950000.00"),
        15,
    )
    # existing core projects are linked, not duplicated
    assert Project.objects.filter(code="AFG-03").count() == 1
    assert set(programme.projects.values_list("code", flat=True)) == {
        "AFG-01",
        "AFG-02",
        "AFG-01/02-FU",
        "AFG-03",
        "AFG-05",
        "AFG-05-EXP",
        "AFG-06",
    }


def test_turkmenistan_pilots_lead_to_one_follow_up(loaded):
    follow_up = Project.objects.get(code="AFG-01/02-FU")
    assert sorted(follow_up.follow_up_of.values_list("code", flat=True)) == ["AFG-01", "AFG-02"]
    assert list(Project.objects.get(code="AFG-01").follow_ups.values_list("code", flat=True)) == ["AFG-01/02-FU"]


def test_illustrative_frameworks_are_marked(loaded):
    assert set(Result.objects.values_list("project__code", flat=True)) == {"AFG-03", "AFG-05"}
    assert Result.objects.filter(level="objective", illustrative=False).count() == 0
    # the targets the report gives are not illustrative; the indicators it does not give are
    assert not Indicator.objects.get(code="customs-officers-trained").illustrative
    assert Indicator.objects.filter(illustrative=True).count() == 2


def test_afg05_figures_from_the_reference_activities(loaded):
    indicator = Indicator.objects.get(code="customs-officers-trained")

    (row,) = selectors.indicator_figures(indicators=[indicator])[0].periods
    expansion = Project.objects.get(code="AFG-05-EXP")
    funding = selectors.project_funding(projects=[expansion])[expansion.pk]

    # Two accepted intakes of 30 (3+27, 5+25); the third intake's report was returned, so it does not count.
    assert (row.target, row.actual, row.women, row.men, row.percent) == (
        Decimal("60.00"),
        Decimal("60"),
        8,
        52,
        Decimal("100"),
    )
    # The expansion proposal: 1,000,000 budget; DE commitment 400,000 confirms DE's pledge; US 350,000 and NO
    # 150,000 still open
    assert (funding.secured, funding.gap) == (Decimal("900000.00"), Decimal("100000.00"))


def test_every_top_area_has_a_sector(loaded):
    from programmes.models import ThematicArea

    tops = ThematicArea.objects.filter(parent__isnull=True)
    assert all(SectorMapping.objects.filter(thematic_area=a).exists() for a in tops)


def test_reference_data_export_is_valid_iati(loaded):
    from lxml import etree

    from results import iati
    from tests.results.test_iati import SCHEMA_PATH, assert_valid

    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    body = iati.export_projects(iati.exportable(Project.objects.all()))

    doc = assert_valid(schema, body)
    codes = doc.xpath("iati-activity/iati-identifier/text()")
    assert iati.activity_identifier(Project.objects.get(code="AFG-05")) in codes
    assert iati.activity_identifier(Project.objects.get(code="AFG-01/02-FU")) not in codes  # a proposal
    for project in iati.exportable(Project.objects.all()):
        assert_valid(schema, iati.export_projects([project]))
