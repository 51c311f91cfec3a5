from datetime import date
from decimal import Decimal

from programmes.models import Project
from results.models import IndicatorActual
from tests.factories import ProjectFactory
from tests.results.factories import IndicatorActualFactory, ProgrammeFactory

S = IndicatorActual.Status


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
