from datetime import date
from decimal import Decimal

from programmes.activity.models import ActivityReport
from programmes.models import Project
from results.models import (
    ActivityContribution,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    ParticipantBreakdown,
    Result,
)
from tests.factories import DonorPledgeFactory, PartnerOrganisationFactory, ProjectFactory
from tests.results.conftest import activity, report
from tests.results.factories import IndicatorActualFactory, ProgrammeFactory, TransactionFactory

S = IndicatorActual.Status
A = ActivityReport.Status


def test_field_user_reports_an_actual_in_the_browser(world, client_as):
    client = client_as(world.field)

    form = client.get(f"/results/actuals/new/{world.q1.pk}/")
    bad = client.post(f"/results/actuals/new/{world.q1.pk}/", {"value": "12", "value_women": "1", "value_men": "1"})
    good = client.post(f"/results/actuals/new/{world.q1.pk}/", {"value": "12", "value_women": "4", "value_men": "8"})

    assert form.status_code == 200
    assert bad.status_code == 400
    assert "must add up" in bad.content.decode()
    assert good.status_code == 302
    actual = IndicatorActual.objects.get()
    submitted = client.post(
        f"/results/actuals/{actual.pk}/", {"value": "12", "value_women": "4", "value_men": "8", "submit": "1"}
    )
    assert submitted.status_code == 302
    actual.refresh_from_db()
    assert actual.status == S.SUBMITTED


def test_other_operation_cannot_open_the_report_form(world, client_as):
    assert client_as(world.other_field).get(f"/results/actuals/new/{world.q1.pk}/").status_code == 403


def test_reviewer_approves_in_the_browser_and_field_user_cannot(world, client_as):
    actual = IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.SUBMITTED)

    refused = client_as(world.field).post(f"/results/actuals/{actual.pk}/review/", {"decision": "approve"})
    empty_return = client_as(world.reviewer).post(f"/results/actuals/{actual.pk}/review/", {"decision": "return"})
    approved = client_as(world.reviewer).post(f"/results/actuals/{actual.pk}/review/", {"decision": "approve"})

    assert refused.status_code == 403
    assert empty_return.status_code == 400
    assert approved.status_code == 302
    actual.refresh_from_db()
    assert actual.status == S.APPROVED


def test_delegation_cannot_see_results_of_unpublished_projects(world, client_as):
    idea = ProjectFactory(status=Project.Status.PROPOSAL)
    client = client_as(world.delegation)
    assert client.get(f"/results/projects/{idea.pk}/").status_code == 404
    assert client.get(f"/results/projects/{world.project.pk}/").status_code == 200


def test_delegation_does_not_see_submitted_figures_on_the_dashboard(world, client_as):
    IndicatorActualFactory(period=world.q1, value=Decimal("17"), value_men=17, status=S.SUBMITTED)
    IndicatorActualFactory(
        period=world.q2, structure=world.office, value=Decimal("23"), value_men=23, status=S.APPROVED
    )

    page = client_as(world.delegation).get("/results/").content.decode()

    assert ">23<" in page.replace(" ", "")
    assert ">17<" not in page.replace(" ", "")


def test_dashboard_filters_and_refuses_bad_input(world, client_as):
    client = client_as(world.reviewer)
    assert client.get("/results/", {"year": "2010", "state": world.tajikistan.pk}).status_code == 200
    assert client.get("/results/", {"year": "soon"}).status_code == 400


def test_classify_page_refuses_a_circle_next_to_the_field(world, client_as):
    pilot = ProjectFactory()
    pilot.follow_up_of.add(world.project)

    response = client_as(world.reviewer).post(
        f"/results/projects/{world.project.pk}/classify/", {"follow_up_of": [pilot.pk], "gender_marker": "2"}
    )

    assert response.status_code == 400
    assert "circle" in response.content.decode()
    assert list(world.project.follow_up_of.all()) == []


def test_field_user_cannot_classify(world, client_as):
    assert client_as(world.field).get(f"/results/projects/{world.project.pk}/classify/").status_code == 403


def test_donor_page_shows_what_the_delegations_state_funded(world, client_as):
    from tests.results.factories import TransactionFactory

    TransactionFactory(
        project=world.project, funding_source="exb", donor_state=world.delegation.profile.state, amount=Decimal("4321")
    )

    page = client_as(world.delegation).get("/results/donors/").content.decode()

    assert "AFG-05" in page
    assert "4,321.00" in page


def test_programme_page_of_unknown_programme_is_404(world, client_as):
    assert client_as(world.reviewer).get("/programmes/999999/").status_code == 404


def test_menu_links_to_programmes_and_results(world, client_as):
    page = client_as(world.delegation).get("/results/").content.decode()
    assert 'href="/programmes/"' in page
    assert 'href="/results/"' in page


def test_programme_page_totals(world, client_as):
    programme = ProgrammeFactory(title="Border package")
    world.project.programme = programme
    world.project.save()
    ProjectFactory(programme=programme, budget=Decimal("0"), start=date(2010, 1, 1))

    html = client_as(world.reviewer).get(f"/programmes/{programme.pk}/").content.decode()

    assert "100,000.00" in html
    assert "1 project not costed" in html


def test_project_section_tag_for_the_core_project_page(world, rf):
    from django.template import Context, Template

    IndicatorActualFactory(period=world.q1, value=Decimal("12"), value_men=12, status=S.APPROVED)
    request = rf.get("/")
    request.user = world.delegation
    html = Template("{% load results_tags %}{% project_results_section project %}").render(
        Context({"request": request, "project": world.project})
    )

    assert "Customs officers trained" in html
    assert "EUR 100,000.00" in html  # nothing secured: the whole budget is the gap
    request.user = world.delegation
    idea = ProjectFactory(status=Project.Status.PROPOSAL)
    assert "Results and money" not in Template("{% load results_tags %}{% project_results_section project %}").render(
        Context({"request": request, "project": idea})
    )


# --- framework, money, activity links and ages in the browser --------------------------------------------------


def _field_error(html: str, text: str) -> bool:
    """The message sits in the field's own block (``has-error``), not only in a summary at the top."""
    return any(text in block.split("</div>", 1)[0] for block in html.split('class="field has-error"')[1:])


def test_staff_builds_a_framework_with_baseline_and_targets_in_the_browser(world, client_as):
    client = client_as(world.reviewer)
    project = ProjectFactory(lead_structure=world.office)
    assert Result.objects.filter(project=project).count() == 0

    assert client.get(f"/results/projects/{project.pk}/results/new/").status_code == 200
    client.post(f"/results/projects/{project.pk}/results/new/", {"level": "objective", "title": "Safer border"})
    objective = Result.objects.get(project=project)
    client.post(
        f"/results/projects/{project.pk}/results/new/",
        {"level": "outcome", "parent": objective.pk, "title": "Officers inspect", "position": "1"},
    )
    outcome = Result.objects.get(project=project, level="outcome")
    created = client.post(
        f"/results/framework/results/{outcome.pk}/indicators/new/",
        {
            "title": "Officers trained",
            "measure": "unit",
            "unit": "officers",
            "counts_people": "on",
            "ascending": "on",
            "baseline_year": "2009",
            "baseline_value": "0",
            "position": "0",
        },
    )
    indicator = Indicator.objects.get(result=outcome)
    period = client.post(
        f"/results/framework/indicators/{indicator.pk}/periods/new/",
        {"period_start": "2011-01-01", "period_end": "2011-12-31", "target_value": "40", "target_women": "15"},
    )

    assert created.status_code == 302 and period.status_code == 302
    assert (outcome.parent, indicator.baseline_value, indicator.counts_people) == (objective, Decimal("0"), True)
    assert list(IndicatorPeriod.objects.filter(indicator=indicator).values_list("target_value", "target_women")) == [
        (Decimal("40"), 15)
    ]
    page = client.get(f"/results/projects/{project.pk}/").content.decode()
    period_pk = IndicatorPeriod.objects.get(indicator=indicator).pk
    assert "Officers trained" in page and f"/results/framework/periods/{period_pk}/" in page


def test_outcome_without_an_objective_is_refused_next_to_the_parent_field(world, client_as):
    before = Result.objects.count()

    response = client_as(world.reviewer).post(
        f"/results/projects/{world.project.pk}/results/new/", {"level": "outcome", "title": "Loose outcome"}
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "contributes to a objective")
    assert Result.objects.count() == before


def test_overlapping_period_is_refused_next_to_its_start(world, client_as):
    before = IndicatorPeriod.objects.filter(indicator=world.officers).count()

    response = client_as(world.reviewer).post(
        f"/results/framework/indicators/{world.officers.pk}/periods/new/",
        {"period_start": "2010-03-01", "period_end": "2010-05-31", "target_value": "5"},
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "overlaps another period")
    assert IndicatorPeriod.objects.filter(indicator=world.officers).count() == before


def test_staff_edits_a_target_and_field_user_cannot(world, client_as):
    url = f"/results/framework/periods/{world.q2.pk}/"

    refused = client_as(world.field).post(url, {"period_start": "2010-04-01", "period_end": "2010-06-30"})
    world.q2.refresh_from_db()
    assert (refused.status_code, world.q2.target_value) == (403, Decimal("30"))

    saved = client_as(world.reviewer).post(
        url, {"period_start": "2010-04-01", "period_end": "2010-06-30", "target_value": "35"}
    )
    world.q2.refresh_from_db()
    assert (saved.status_code, world.q2.target_value) == (302, Decimal("35"))


def test_field_user_and_delegation_cannot_open_framework_forms(world, client_as):
    for user in (world.field, world.delegation):
        client = client_as(user)
        assert client.get(f"/results/projects/{world.project.pk}/results/new/").status_code == 403
        assert client.get(f"/results/framework/indicators/{world.officers.pk}/").status_code == 403


def test_result_with_approved_actuals_is_not_deleted(world, client_as):
    IndicatorActualFactory(period=world.q1, value=Decimal("5"), value_men=5, status=S.APPROVED)

    response = client_as(world.coordinator).post(f"/results/framework/results/{world.output.pk}/delete/")

    assert response.status_code == 302
    assert Result.objects.filter(pk=world.output.pk).exists()


def test_money_in_another_currency_needs_its_eur_value_next_to_the_field(world, client_as):
    client = client_as(world.reviewer)
    eu = PartnerOrganisationFactory(acronym="EU", name="European Union")
    data = {
        "kind": "commitment",
        "funding_source": "exb",
        "donor_organisation": eu.pk,
        "date": "2010-02-01",
        "currency": "usd",
        "amount": "11000",
    }
    assert FinancialTransaction.objects.count() == 0

    missing = client.post(f"/results/projects/{world.project.pk}/money/new/", data)
    saved = client.post(f"/results/projects/{world.project.pk}/money/new/", {**data, "value_eur": "10000"})

    assert missing.status_code == 400
    assert _field_error(missing.content.decode(), "Give the value in EUR for money in USD")
    assert saved.status_code == 302
    row = FinancialTransaction.objects.get()
    assert (row.currency, row.amount, row.value_eur, row.donor_organisation) == (
        "USD",
        Decimal("11000"),
        Decimal("10000"),
        eu,
    )


def test_extra_budgetary_money_without_a_donor_is_refused(world, client_as):
    response = client_as(world.reviewer).post(
        f"/results/projects/{world.project.pk}/money/new/",
        {"kind": "disbursement", "funding_source": "exb", "date": "2010-02-01", "currency": "EUR", "amount": "10"},
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "choose a State or an organisation")
    assert FinancialTransaction.objects.count() == 0


def test_commitment_confirms_a_pledge_and_the_pledge_is_no_longer_offered(world, client_as):
    client = client_as(world.reviewer)
    pledge = DonorPledgeFactory(project=world.project, donor_state=world.tajikistan, amount=Decimal("5000"))
    form = client.get(f"/results/projects/{world.project.pk}/money/new/").content.decode()
    assert f'value="{pledge.pk}"' in form

    client.post(
        f"/results/projects/{world.project.pk}/money/new/",
        {
            "kind": "commitment",
            "funding_source": "exb",
            "donor_state": world.tajikistan.pk,
            "pledge": pledge.pk,
            "date": "2010-03-15",
            "currency": "EUR",
            "amount": "5000",
        },
    )

    row = FinancialTransaction.objects.get()
    assert (row.pledge, row.value_eur) == (pledge, Decimal("5000"))
    assert f'value="{pledge.pk}"' not in client.get(f"/results/projects/{world.project.pk}/money/new/").content.decode()


def test_delegation_and_field_user_cannot_record_money(world, client_as):
    for user in (world.delegation, world.field):
        response = client_as(user).post(
            f"/results/projects/{world.project.pk}/money/new/",
            {"kind": "expenditure", "funding_source": "ub", "date": "2010-02-01", "currency": "EUR", "amount": "1"},
        )
        assert response.status_code == 403
    assert FinancialTransaction.objects.count() == 0


def test_only_managers_delete_money(world, client_as):
    row = TransactionFactory(project=world.project)

    refused = client_as(world.reviewer).post(f"/results/money/{row.pk}/delete/")
    assert refused.status_code == 403 and FinancialTransaction.objects.filter(pk=row.pk).exists()
    client_as(world.coordinator).post(f"/results/money/{row.pk}/delete/")
    assert not FinancialTransaction.objects.filter(pk=row.pk).exists()


def test_project_page_shows_target_actual_and_funding_gap_worked_out_by_hand(world, client_as):
    # Budget 100,000; EU commits USD 11,000 = EUR 10,000; the UB commits 30,000; a pledge of 5,000 is still open.
    # Secured = 10,000 + 30,000 + 5,000 = 45,000, so the gap is 100,000 - 45,000 = 55,000.
    eu = PartnerOrganisationFactory(acronym="EU", name="European Union")
    TransactionFactory(
        project=world.project,
        funding_source="exb",
        donor_organisation=eu,
        currency="USD",
        amount=Decimal("11000"),
        value_eur=Decimal("10000"),
    )
    TransactionFactory(project=world.project, funding_source="ub", amount=Decimal("30000"))
    DonorPledgeFactory(project=world.project, donor_state=world.tajikistan, amount=Decimal("5000"))
    # Q1: target 20; approved 12 (4 women, 8 men) -> 60 %.
    IndicatorActualFactory(period=world.q1, value=Decimal("12"), value_women=4, value_men=8, status=S.APPROVED)

    html = client_as(world.delegation).get(f"/projects/{world.project.pk}/").content.decode()
    flat = " ".join(html.split())

    assert "Results and money" in html
    assert "Secured: EUR 45,000.00" in flat
    assert "Funding gap: EUR 55,000.00" in flat
    assert '<td class="num">20</td> <td class="num">12</td>' in flat
    assert '<td class="num">60</td>' in flat


def test_field_user_links_its_activity_to_an_output_indicator_and_gives_ages(world, client_as):
    item = activity(report(world.office, A.DRAFT), project=world.project, start=date(2010, 2, 10), women=3, men=5)
    client = client_as(world.field)
    assert client.get(f"/results/activity-items/{item.pk}/").status_code == 200

    linked = client.post(f"/results/activity-items/{item.pk}/", {"indicator": world.officers.pk})
    over = client.post(
        f"/results/activity-items/{item.pk}/participants-by-age/", {"female__18_24": "2", "female__25_59": "2"}
    )
    assert over.status_code == 400 and "add up to more than" in over.content.decode()
    assert ParticipantBreakdown.objects.filter(activity=item).count() == 0
    ages = client.post(
        f"/results/activity-items/{item.pk}/participants-by-age/", {"female__18_24": "1", "male__25_59": "5"}
    )

    assert (linked.status_code, ages.status_code) == (302, 302)
    assert ActivityContribution.objects.get(activity=item).indicator == world.officers
    assert set(ParticipantBreakdown.objects.filter(activity=item).values_list("sex", "age_group", "count")) == {
        ("female", "18_24", 1),
        ("male", "25_59", 5),
    }


def test_other_operation_cannot_link_or_break_down_an_activity(world, client_as):
    item = activity(report(world.office, A.DRAFT), project=world.project, start=date(2010, 2, 10), women=3, men=5)
    client = client_as(world.other_field)

    # Another operation's draft is not theirs to see at all: not found, as the report itself is.
    assert client.get(f"/results/activity-items/{item.pk}/").status_code == 404
    assert client.post(f"/results/activity-items/{item.pk}/", {"indicator": world.officers.pk}).status_code == 404
    assert ActivityContribution.objects.count() == 0


def test_negative_age_count_is_refused_next_to_its_cell(world, client_as):
    item = activity(report(world.office, A.DRAFT), project=world.project, start=date(2010, 2, 10), women=3, men=5)

    response = client_as(world.field).post(
        f"/results/activity-items/{item.pk}/participants-by-age/", {"female__18_24": "-1"}
    )

    assert response.status_code == 400
    assert 'class="num has-error"' in response.content.decode()
    assert ParticipantBreakdown.objects.count() == 0


def test_submitting_the_activity_report_in_the_browser_submits_its_actuals(world, client_as):
    cycle = report(world.office, A.DRAFT)
    activity(cycle, project=world.project, start=date(2010, 2, 10), women=3, men=5)
    mine = IndicatorActualFactory(
        period=world.q1, structure=world.office, activity_report=cycle, value=Decimal("8"), value_women=3, value_men=5
    )
    assert mine.status == S.DRAFT

    response = client_as(world.field).post(f"/activity-reports/{cycle.pk}/submit/")

    assert response.status_code == 302
    mine.refresh_from_db()
    cycle.refresh_from_db()
    assert (cycle.status, mine.status) == (A.SUBMITTED, S.SUBMITTED)
