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

    assert PartnerOrganisation.objects.count() == 43
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
    gbao = project("AFG-05")
    assert (gbao.budget, gbao.target_participants) == (Decimal("1000000"), 60)
    assert gbao.lead_structure.acronym == "OiT"
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
    assert afghan_package.count() == 10
    assert all(p.funding_source == Project.FundingSource.EXB for p in afghan_package)
    assert set(patrolling.beneficiary_states.values_list("iso_code", flat=True)) == {"TJ", "AF"}
    assert Project.objects.get(code="CPC-PPL").start.year == 2008
    assert Project.objects.count() == 11
    assert DonorPledge.objects.count() == 8
    for p in Project.objects.all():
        p.full_clean()
        assert p.thematic_areas.exists()


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
