"""``load_reference_data``: what it loads (counts, the report's figures) and that a second run changes nothing."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)

pytestmark = pytest.mark.django_db

FIELD_OPERATIONS_2010 = {
    "PiA",
    "MBiH",
    "MtM",
    "MtS",
    "MtSk",
    "OMiK",
    "MtMd",
    "PCUkr",
    "OiMinsk",
    "OiBaku",
    "OiYerevan",
    "CiAstana",
    "CiAshgabat",
    "CiBishkek",
    "OiT",
    "PCUz",
}


def load():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, tuple]:
    """Row count of every table, plus the newest ``updated_at`` where a model keeps one."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        qs = model._default_manager.all()
        fields = {f.name for f in model._meta.get_fields()}
        newest = (
            qs.order_by("-updated_at").values_list("updated_at", flat=True).first() if "updated_at" in fields else None
        )
        state[model._meta.label] = (qs.count(), newest)
    return state


def test_loads_all_57_participating_states_and_the_partners():
    assert "Reference data loaded" in load()

    participating = ParticipatingState.objects.filter(is_partner=False)
    assert participating.count() == 57
    assert participating.get(iso_code="MN").joined == date(2012, 11, 21)
    assert participating.filter(iso_code__in=["AT", "TJ", "US", "RU", "TM", "KG"]).count() == 6
    partners = ParticipatingState.objects.filter(is_partner=True)
    assert partners.get(iso_code="AF").joined.year == 2003
    assert set(partners.values_list("region", flat=True)) == {Region.ASIAN_PARTNERS, Region.MEDITERRANEAN_PARTNERS}
    assert partners.count() == 11


def test_loads_structures_organisations_areas_and_mandates():
    load()

    field_ops = ExecutiveStructure.objects.filter(kind=ExecutiveStructure.Kind.FIELD_OPERATION)
    assert set(field_ops.values_list("acronym", flat=True)) == FIELD_OPERATIONS_2010
    assert not field_ops.filter(region="").exists()
    assert ExecutiveStructure.objects.get(acronym="OiT").host_state.iso_code == "TJ"
    assert ExecutiveStructure.objects.get(acronym="CPC/BT").parent.acronym == "CPC"
    assert set(
        ExecutiveStructure.objects.filter(kind=ExecutiveStructure.Kind.INSTITUTION).values_list("acronym", flat=True)
    ) == {"ODIHR", "RFoM", "HCNM"}
    assert ExecutiveStructure.objects.filter(proposed=True, active=False).count() == 3
    assert ExecutiveStructure.objects.count() == 31

    assert PartnerOrganisation.objects.count() == 44
    assert PartnerOrganisation.objects.get(acronym="McAfee Labs").kind == PartnerOrganisation.Kind.PRIVATE_SECTOR
    assert PartnerOrganisation.objects.get(acronym="MONEYVAL").parent.acronym == "CoE"
    assert PartnerOrganisation.objects.get(acronym="UNODC").kind == PartnerOrganisation.Kind.UN_BODY

    tops = ThematicArea.objects.filter(parent__isnull=True)
    assert list(tops.values_list("code", flat=True)) == [
        "terrorism",
        "organised-crime",
        "cyber-security",
        "afghanistan",
        "wmd",
    ]
    assert ThematicArea.objects.filter(parent__isnull=False).count() == 25
    assert not ThematicArea.objects.filter(parent__parent__isnull=False).exists()
    assert ThematicArea.objects.get(code="thb").parent.code == "organised-crime"

    # The knowledge app adds the report's suggested decisions (PROPOSAL/… codes) through the signal.
    assert Mandate.objects.exclude(code__startswith="PROPOSAL/").count() == 14
    assert Mandate.objects.get(code="MC.DEC/4/07").body == Mandate.Body.MC
    assert Mandate.objects.get(code="FSC.DEC/7/09").body == Mandate.Body.FSC
    for mandate in Mandate.objects.all():
        mandate.full_clean()


def test_loads_the_afghan_package_with_the_reports_figures():
    load()

    def project(code):
        return Project.objects.get(code=code)

    patrolling = project("AFG-03")
    assert (patrolling.budget, patrolling.target_participants) == (Decimal("250000"), 16)
    assert (patrolling.start, patrolling.end) == (date(2010, 10, 1), date(2011, 1, 31))  # four months
    assert project("AFG-01/02-FU").budget == Decimal("950000")
    follow_up = project("AFG-BP-300")
    assert (follow_up.budget, follow_up.target_participants) == (Decimal("2500000"), 300)
    assert (follow_up.end.year - follow_up.start.year) == 3
    assert set(Project.objects.filter(budget__gt=0).values_list("budget", flat=True)) == {
        Decimal("250000"),
        Decimal("1000000"),
        Decimal("950000"),
        Decimal("2500000"),
    }
    afghan_package = Project.objects.filter(mandates__code="MC.DEC/4/07")
    assert afghan_package.count() == 11
    assert all(p.funding_source == Project.FundingSource.EXB for p in afghan_package)
    assert set(patrolling.beneficiary_states.values_list("iso_code", flat=True)) == {"TJ", "AF"}
    assert Project.objects.get(code="CPC-PPL").start.year == 2008
    assert Project.objects.count() == 12
    assert DonorPledge.objects.count() == 8
    for p in Project.objects.all():
        p.full_clean()
        assert p.thematic_areas.exists()


def test_package_no_5_is_an_ongoing_project_and_its_expansion_a_separate_proposal():
    load()

    ongoing = Project.objects.get(code="AFG-05")
    expansion = Project.objects.get(code="AFG-05-EXP")
    assert ongoing.status == Project.Status.ONGOING
    assert ongoing.budget is None  # the report gives no figure for the ongoing project
    assert ongoing.lead_structure.acronym == "OiT"
    assert expansion.status == Project.Status.PROPOSAL
    assert (expansion.budget, expansion.target_participants) == (Decimal("1000000"), 60)
    assert "seventeen months" in expansion.summary
    assert expansion.pk != ongoing.pk


def test_2010_activities_and_events_are_credited_to_the_ongoing_no_5_only():
    load()

    from programmes.activity.models import ReportedActivity
    from programmes.events.models import Event

    expansion = Project.objects.get(code="AFG-05-EXP")
    ongoing = Project.objects.get(code="AFG-05")
    credited = ReportedActivity.objects.filter(project=ongoing, start__year=2010)
    assert credited.count() >= 3
    assert not ReportedActivity.objects.filter(project=expansion).exists()
    assert not Event.objects.filter(project=expansion).exists()
    assert Event.objects.filter(project=ongoing, start_date__year=2010).exists()


def test_package_no_3_is_planned_not_approved():
    load()

    patrolling = Project.objects.get(code="AFG-03")
    assert patrolling.status == Project.Status.PROPOSAL
    assert patrolling.title == "Tactical Patrolling and Surveillance for Afghan border police"


def test_unknown_budgets_are_null_never_zero():
    load()

    assert not Project.objects.filter(budget=0).exists()
    unknown = set(Project.objects.filter(budget__isnull=True).values_list("code", flat=True))
    assert {
        "AFG-01",
        "AFG-02",
        "AFG-05",
        "AFG-06",
        "CPC-PPL",
        "SPMU-CN-AFG",
        "ATU-CYBER-2009",
        "ODIHR-EST-AFG-2009",
    } == unknown


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("FSC.DEC/7/09", ["best-practice guide", "export controls", "transshipment"]),
        ("FSC.DEC/10/06", ["national implementation", "1540"]),
        ("FSC.DEC/10/08", ["workshop", "cyber security"]),
        ("MC.DEC/2/09", ["transnational threats", "security and stability"]),
        ("MC.DEC/4/07", ["engagement with Afghanistan"]),
        ("MC.DEC/6/03", ["Terms of reference", "Counter-Terrorism Network"]),
        ("MC.DEC/18/06", ["programmatic co-ordination"]),
        ("MC.DEC/9/07", ["sexual exploitation of children"]),
    ],
)
def test_mandate_titles_say_what_the_report_says_each_decision_did(code, words):
    load()

    title = Mandate.objects.get(code=code).title
    for word in words:
        assert word.lower() in title.lower(), (code, title)


def test_mongolia_joined_in_2012_and_2010_has_56_participating_states():
    load()

    from programmes.selectors import participating_states_on

    assert participating_states_on(date(2010, 12, 31)).count() == 56
    assert not participating_states_on(date(2010, 12, 31)).filter(iso_code="MN").exists()
    assert participating_states_on(date(2012, 12, 31)).count() == 57
    assert participating_states_on(None).count() == 57


def test_loads_the_real_events_of_the_report():
    load()

    from programmes.events.models import Event

    assert Event.objects.count() >= 7
    cyber = Event.objects.get(start_date=date(2009, 3, 17))
    assert cyber.end_date == date(2009, 3, 18)
    assert cyber.lead_structure.acronym == "ATU"


def test_second_run_changes_no_row():
    load()
    before = snapshot()
    project_stamps = dict(Project.objects.values_list("code", "updated_at"))

    load()

    assert snapshot() == before
    assert dict(Project.objects.values_list("code", "updated_at")) == project_stamps
    assert before["programmes.ParticipatingState"][0] == 68


def test_second_run_repairs_a_changed_fact_and_nothing_else():
    load()
    Project.objects.filter(code="AFG-03").update(budget=Decimal("1"))
    untouched = Project.objects.get(code="AFG-05").updated_at

    load()

    assert Project.objects.get(code="AFG-03").budget == Decimal("250000")
    assert Project.objects.get(code="AFG-05").updated_at == untouched


def test_reference_data_creates_no_user_and_no_demo_account():
    load()

    User = get_user_model()
    assert not User.objects.filter(username__in=["admin", "coordinator", "secretariat", "field", "delegation"]).exists()
    assert User.objects.count() == 0
