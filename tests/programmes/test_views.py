"""Server-rendered project, structure and State pages, and the project create/edit/status forms."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from programmes.models import DonorPledge, Project
from tests.factories import (
    TEST_PASSWORD,
    DonorPledgeFactory,
    ExecutiveStructureFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db

S = Project.Status


@pytest.fixture
def refs():
    top = ThematicAreaFactory(name="Threats stemming from Afghanistan", short_name="Afghanistan")
    return {
        "lead": FieldOperationFactory(acronym="OiT", name="OSCE Office in Tajikistan"),
        "partner": ExecutiveStructureFactory(acronym="CPC/BT", name="CPC Borders Team"),
        "top": top,
        "sub": ThematicAreaFactory(name="Border security and management", short_name="Borders", parent=top),
        "state": ParticipatingStateFactory(name="Tajikistan", iso_code="TJ"),
        "donor": ParticipatingStateFactory(name="Germany", iso_code="DE"),
        "org": PartnerOrganisationFactory(acronym="WCO", name="World Customs Organization"),
        "mandate": MandateFactory(code="MC.DEC/4/07", title="OSCE engagement with Afghanistan"),
    }


def form_data(refs, pledges=(), existing=0, **overrides):
    data = {
        "code": "AFG-05",
        "title": "Customs assistance in GBAO",
        "summary": "Joint training.",
        "lead_structure": refs["lead"].pk,
        "partner_structures": [refs["partner"].pk],
        "thematic_areas": [refs["top"].pk, refs["sub"].pk],
        "beneficiary_states": [refs["state"].pk],
        "partner_organisations": [refs["org"].pk],
        "mandates": [refs["mandate"].pk],
        "funding_source": "exb",
        "budget": "1000000",
        "target_participants": "60",
        "status": "proposal",
        "start": "2010-03-01",
        "end": "2011-07-31",
        "pledges-TOTAL_FORMS": str(len(pledges)),
        "pledges-INITIAL_FORMS": str(existing),
        "pledges-MIN_NUM_FORMS": "0",
        "pledges-MAX_NUM_FORMS": "1000",
    }
    for i, pledge in enumerate(pledges):
        for key, value in pledge.items():
            data[f"pledges-{i}-{key}"] = value
    data.update(overrides)
    return data


def project_data(project, refs, pledges=(), **overrides):
    """The edit form as the browser would send it back: current values, existing pledges first."""
    existing = [
        {
            "id": p.pk,
            "project": project.pk,
            "donor_state": p.donor_state_id,
            "amount": str(p.amount),
            "pledged_on": p.pledged_on.isoformat(),
        }
        for p in project.pledges.order_by("pledged_on")
    ]
    base = {
        "code": project.code,
        "title": project.title,
        "status": project.status,
        "start": project.start.isoformat(),
        "end": project.end.isoformat(),
        "budget": str(project.budget),
        "lead_structure": project.lead_structure_id,
        "thematic_areas": list(project.thematic_areas.values_list("pk", flat=True)),
    }
    return form_data(refs, pledges=[*existing, *pledges], existing=len(existing), **{**base, **overrides})


# --- lists and details --------------------------------------------------------------------------------------------


def test_project_list_shows_projects_and_keeps_filters_in_pager_links(client_as, secretariat_user, refs):
    ProjectFactory.create_batch(30, thematic_areas=[refs["sub"]], status=S.ONGOING)
    ProjectFactory(code="OTHER-1", thematic_areas=[ThematicAreaFactory()])
    url = reverse("programmes:project_list")

    response = client_as(secretariat_user).get(url, {"thematic_area": refs["top"].pk, "status": "ongoing"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "OTHER-1" not in html
    assert response.context["page"].paginator.count == 30
    assert f"thematic_area={refs['top'].pk}&amp;status=ongoing&amp;page=2" in html
    assert re.search(rf'<option value="{refs["top"].pk}" selected>', html)


def test_project_list_shows_unknown_budgets_as_not_given_and_counts_them_in_the_total(
    client_as, secretariat_user, refs
):
    for code, budget in (("B-1", Decimal("100000")), ("B-2", Decimal("250000")), ("B-3", None), ("B-4", None)):
        ProjectFactory(code=code, budget=budget, thematic_areas=[refs["sub"]])
    ProjectFactory(code="ELSEWHERE", budget=Decimal("999"), thematic_areas=[ThematicAreaFactory()])

    response = client_as(secretariat_user).get(reverse("programmes:project_list"), {"thematic_area": refs["top"].pk})

    html = response.content.decode()
    # Worked out by hand: 100,000 + 250,000 known; B-3 and B-4 give no figure (never EUR 0).
    assert response.context["budget"] == {"projects": 4, "known": Decimal("350000"), "without": 2}
    assert html.count("not given") == 2
    assert "350,000" in html and "2 projects have no budget figure" in html


def test_project_list_rows_link_each_project_with_lead_areas_budget_status_and_dates(client_as, secretariat_user):
    parent = ThematicAreaFactory(name="Fighting organised crime", short_name="Organised crime")
    thb = ThematicAreaFactory(name="Trafficking in human beings", short_name="THB", parent=parent)
    lead = ExecutiveStructureFactory(name="Office <in> Tajikistan", acronym="OiT")
    known = ProjectFactory(
        code="TJ-001",
        title="Border & customs",
        lead_structure=lead,
        thematic_areas=[thb],
        budget=Decimal("1234567.50"),
        start=date(2010, 3, 1),
        end=None,
    )
    unknown = ProjectFactory(code="TJ-002", lead_structure=lead, thematic_areas=[], budget=None)

    client = client_as(secretariat_user)
    body = client.get(reverse("programmes:project_list")).content.decode()

    assert (
        "\n        <tr>\n"
        f'          <td><a href="/projects/{known.pk}/">TJ-001</a></td>\n'
        "          <td>Border &amp; customs</td>\n"
        '          <td><abbr title="Office &lt;in&gt; Tajikistan">OiT</abbr></td>\n'
        '          <td><span class="tag">THB</span> </td>\n'
        f"          <td>{known.get_funding_source_display()}</td>\n"
        '          <td class="num">1,234,568</td>\n'
        '          <td><span class="status status-ongoing">Ongoing</span></td>\n'
        "          <td>Mar 2010 – –</td>\n"
        "        </tr>\n"
    ) in body
    assert f'<a href="/projects/{unknown.pk}/">TJ-002</a></td>' in body
    assert '<td class="num">not given</td>' in body
    german = client.get(reverse("programmes:project_list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<td class="num">1.234.568</td>' in german


def test_project_list_with_invalid_filter_shows_the_error_not_a_500(client_as, secretariat_user):
    ProjectFactory()

    response = client_as(secretariat_user).get(reverse("programmes:project_list"), {"start_after": "soon"})

    assert response.status_code == 200
    assert response.context["filter"].errors["start_after"]
    assert 'class="error"' in response.content.decode()


def _seed_projects(n, refs):
    for project in ProjectFactory.create_batch(
        n, thematic_areas=[refs["sub"]], beneficiary_states=[refs["state"]], partner_structures=[refs["partner"]]
    ):
        project.mandates.set([refs["mandate"]])


def test_project_list_page_shows_one_page_of_25(client_as, secretariat_user, refs):
    client = client_as(secretariat_user)
    url = reverse("programmes:project_list")
    _seed_projects(3, refs)
    small = client.get(url)
    _seed_projects(27, refs)

    large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(small.context["page"]) == 3
    assert len(large.context["page"]) == 25  # one page of the 30
    assert large.context["page"].paginator.count == 30


def test_project_detail_shows_relations_and_pledges(client_as, coordinator, refs):
    project = ProjectFactory(
        code="AFG-03",
        lead_structure=refs["lead"],
        thematic_areas=[refs["sub"]],
        beneficiary_states=[refs["state"]],
        budget=Decimal("250000"),
    )
    DonorPledgeFactory(project=project, donor_state=refs["donor"], amount=Decimal("150000"))

    response = client_as(coordinator).get(project.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "AFG-03" in html and "Tajikistan" in html and "Germany" in html
    assert "150,000.00" in html and "250,000.00" in html
    assert "Afghanistan › Border security and management" in html
    assert reverse("programmes:project_edit", args=[project.pk]) in html
    assert project.pledges.count() == 1


def test_delegation_cannot_open_a_proposal_and_sees_no_edit_action(client_as, delegation_user):
    proposal = ProjectFactory(status=S.PROPOSAL)
    ongoing = ProjectFactory(status=S.ONGOING)
    client = client_as(delegation_user)

    hidden = client.get(proposal.get_absolute_url())
    shown = client.get(ongoing.get_absolute_url())
    listed = client.get(reverse("programmes:project_list"))

    assert hidden.status_code == 404
    assert shown.status_code == 200
    assert reverse("programmes:project_edit", args=[ongoing.pk]) not in shown.content.decode()
    assert shown.context["status_form"] is None
    assert [p.pk for p in listed.context["page"]] == [ongoing.pk]
    assert reverse("programmes:project_create") not in listed.content.decode()
    assert Project.objects.count() == 2


def test_structure_and_state_pages(client_as, field_user, refs):
    project = ProjectFactory(
        lead_structure=refs["lead"], partner_structures=[refs["partner"]], beneficiary_states=[refs["state"]]
    )
    client = client_as(field_user)

    pages = [
        client.get(reverse("programmes:structure_list")),
        client.get(reverse("programmes:structure_detail", args=[refs["partner"].pk])),
        client.get(reverse("programmes:state_list")),
        client.get(reverse("programmes:state_detail", args=[refs["state"].pk])),
    ]

    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    assert "CPC Borders Team" in pages[0].content.decode()
    assert project.code in pages[1].content.decode()  # listed as a partner's project
    assert "Tajikistan" in pages[2].content.decode()
    assert project.code in pages[3].content.decode()
    assert client.get(reverse("programmes:structure_detail", args=[999999])).status_code == 404
    assert client.get(reverse("programmes:state_detail", args=[999999])).status_code == 404


def test_home_lists_the_users_next_steps(client_as, coordinator):
    response = client_as(coordinator).get(reverse("home"))

    assert response.status_code == 200
    assert "Open these first" in response.content.decode()
    assert isinstance(response.context["steps"], list)
    assert coordinator.profile.structure is not None


def test_login_and_logout(client, secretariat_user):
    login = client.post(reverse("login"), {"username": secretariat_user.username, "password": TEST_PASSWORD})
    home = client.get(reverse("home"))
    logout = client.post(reverse("logout"))
    after = client.get(reverse("home"))

    assert login.status_code == 302 and login["Location"] == reverse("home")
    assert home.status_code == 200
    assert logout.status_code == 302
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_stays_on_the_login_page(client, secretariat_user):
    response = client.post(reverse("login"), {"username": secretariat_user.username, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


# --- create -------------------------------------------------------------------------------------------------------


def test_create_form_labels_every_field(client_as, secretariat_user, refs):
    response = client_as(secretariat_user).get(reverse("programmes:project_create"))

    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            # A checkbox group (no Ctrl-click list): a legend names the group, each box has its own label.
            assert f"<legend>{field.label}" in html, name
            assert f'for="id_{name}_0"' in html, name
            assert f'<select name="{name}"' not in html, name
        else:
            assert f'for="id_{name}"' in html, name
    for select in re.findall(r'<select[^>]*id="(id_pledges-\d+-donor_state)"', html):
        assert f'for="{select}"' in html
    assert "WCO – World Customs Organization" in html
    assert "MC.DEC/4/07 – OSCE engagement with Afghanistan" in html
    assert "Afghanistan › Border security and management" in html
    assert Project.objects.count() == 0


def test_create_saves_the_project_its_relations_and_pledges(client_as, secretariat_user, refs):
    data = form_data(
        refs,
        pledges=[
            {"donor_state": refs["donor"].pk, "amount": "400000", "pledged_on": "2010-02-01"},
            {"donor_state": "", "amount": "", "pledged_on": ""},
        ],
    )

    response = client_as(secretariat_user).post(reverse("programmes:project_create"), data)

    project = Project.objects.get(code="AFG-05")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.budget == Decimal("1000000") and project.target_participants == 60
    assert project.lead_structure == refs["lead"]
    assert set(project.thematic_areas.all()) == {refs["top"], refs["sub"]}
    assert list(project.partner_structures.all()) == [refs["partner"]]
    assert list(project.beneficiary_states.all()) == [refs["state"]]
    assert list(project.partner_organisations.all()) == [refs["org"]]
    assert list(project.mandates.all()) == [refs["mandate"]]
    pledge = project.pledges.get()
    assert (pledge.donor_state, pledge.amount, pledge.pledged_on) == (
        refs["donor"],
        Decimal("400000"),
        date(2010, 2, 1),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": "2010-01-01"}, "end"),
        ({"budget": "-5"}, "budget"),
        ({"thematic_areas": []}, "thematic_areas"),
        ({"code": ""}, "code"),
        ({"start": "not a date"}, "start"),
    ],
)
def test_invalid_create_shows_the_error_at_the_field_and_keeps_the_input(
    client_as, secretariat_user, refs, overrides, field
):
    data = form_data(
        refs, pledges=[{"donor_state": refs["donor"].pk, "amount": "123456", "pledged_on": "2010-02-01"}], **overrides
    )

    response = client_as(secretariat_user).post(reverse("programmes:project_create"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in html  # the message sits with its field
    assert 'value="Customs assistance in GBAO"' in html
    assert 'value="123456"' in html  # the pledge row survives too
    assert Project.objects.count() == 0
    assert DonorPledge.objects.count() == 0


def test_invalid_pledge_keeps_the_project_unsaved(client_as, secretariat_user, refs):
    data = form_data(refs, pledges=[{"donor_state": refs["donor"].pk, "amount": "-1", "pledged_on": "2010-02-01"}])

    response = client_as(secretariat_user).post(reverse("programmes:project_create"), data)

    assert response.status_code == 400
    assert response.context["pledges"].forms[0].errors["amount"]
    assert Project.objects.count() == 0


@pytest.mark.parametrize("role_fixture", ["field_user", "delegation_user"])
def test_field_and_delegation_cannot_create_or_edit(request, client_as, refs, role_fixture):
    client = client_as(request.getfixturevalue(role_fixture))
    project = ProjectFactory(status=S.ONGOING, title="Kept")

    pages = [
        client.get(reverse("programmes:project_create")),
        client.post(reverse("programmes:project_create"), form_data(refs)),
        client.get(reverse("programmes:project_edit", args=[project.pk])),
        client.post(reverse("programmes:project_edit", args=[project.pk]), project_data(project, refs, title="X")),
        client.post(reverse("programmes:project_change_status", args=[project.pk]), {"status": "completed"}),
    ]

    assert [p.status_code for p in pages] == [403] * 5
    project.refresh_from_db()
    assert (project.title, project.status) == ("Kept", S.ONGOING)
    assert not Project.objects.filter(code="AFG-05").exists()


# --- edit ---------------------------------------------------------------------------------------------------------


def test_edit_offers_only_the_current_and_allowed_next_statuses(client_as, secretariat_user):
    project = ProjectFactory(status=S.APPROVED)

    response = client_as(secretariat_user).get(reverse("programmes:project_edit", args=[project.pk]))

    choices = [value for value, _label in response.context["form"].fields["status"].choices]
    assert response.status_code == 200
    assert choices == ["approved", "ongoing", "cancelled"]
    project.refresh_from_db()
    assert project.status == S.APPROVED


def test_edit_saves_fields_and_updates_adds_and_removes_pledges(client_as, coordinator, refs):
    project = ProjectFactory(status=S.PROPOSAL, thematic_areas=[refs["sub"]])
    keep = DonorPledgeFactory(
        project=project, donor_state=refs["donor"], amount=Decimal("100"), pledged_on=date(2010, 1, 1)
    )
    drop = DonorPledgeFactory(
        project=project, donor_state=refs["state"], amount=Decimal("200"), pledged_on=date(2010, 2, 1)
    )
    data = project_data(
        project,
        refs,
        pledges=[
            {"donor_state": refs["state"].pk, "amount": "300", "pledged_on": "2010-03-01"},
        ],
        title="Renamed",
        status="approved",
    )
    data["pledges-0-amount"] = "150"
    data["pledges-1-DELETE"] = "on"

    response = client_as(coordinator).post(reverse("programmes:project_edit", args=[project.pk]), data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.status) == ("Renamed", S.APPROVED)
    assert list(project.partner_organisations.all()) == [refs["org"]]
    assert sorted(project.pledges.values_list("amount", flat=True)) == [Decimal("150"), Decimal("300")]
    assert DonorPledge.objects.filter(pk=keep.pk, amount=Decimal("150")).exists()
    assert not DonorPledge.objects.filter(pk=drop.pk).exists()


def test_edit_refuses_an_invalid_transition_at_the_status_field(client_as, secretariat_user, refs):
    project = ProjectFactory(status=S.PROPOSAL, title="Kept")

    response = client_as(secretariat_user).post(
        reverse("programmes:project_edit", args=[project.pk]),
        project_data(project, refs, status="completed", title="Changed"),
    )

    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert 'value="Changed"' in response.content.decode()
    project.refresh_from_db()
    assert (project.status, project.title) == (S.PROPOSAL, "Kept")


def test_edit_refused_by_the_service_keeps_the_input_and_saves_nothing(client_as, secretariat_user, refs):
    """The form offered "approved", but someone cancelled the project meanwhile: the service refuses."""
    project = ProjectFactory(status=S.PROPOSAL, title="Kept")
    client = client_as(secretariat_user)
    data = project_data(
        project,
        refs,
        status="approved",
        title="Changed",
        pledges=[
            {"donor_state": refs["donor"].pk, "amount": "10", "pledged_on": "2010-02-01"},
        ],
    )
    Project.objects.filter(pk=project.pk).update(status=S.CANCELLED)

    response = client.post(reverse("programmes:project_edit", args=[project.pk]), data)

    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    project.refresh_from_db()
    assert (project.status, project.title) == (S.CANCELLED, "Kept")
    assert project.pledges.count() == 0


# --- change status ------------------------------------------------------------------------------------------------


def test_status_action_offers_allowed_moves_and_applies_one(client_as, secretariat_user):
    project = ProjectFactory(status=S.APPROVED)
    client = client_as(secretariat_user)

    page = client.get(project.get_absolute_url())
    response = client.post(reverse("programmes:project_change_status", args=[project.pk]), {"status": "ongoing"})

    offered = [value for value, _label in page.context["status_form"].fields["status"].choices]
    assert offered == ["ongoing", "cancelled"]
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    project.refresh_from_db()
    assert project.status == S.ONGOING


def test_status_action_refuses_a_move_that_is_not_allowed(client_as, secretariat_user):
    project = ProjectFactory(status=S.PROPOSAL)

    response = client_as(secretariat_user).post(
        reverse("programmes:project_change_status", args=[project.pk]), {"status": "completed"}
    )

    assert response.status_code == 400
    assert "status" in response.context["status_form"].errors
    project.refresh_from_db()
    assert project.status == S.PROPOSAL


def test_final_status_shows_no_status_action(client_as, secretariat_user):
    project = ProjectFactory(status=S.COMPLETED)
    client = client_as(secretariat_user)

    page = client.get(project.get_absolute_url())
    posted = client.post(reverse("programmes:project_change_status", args=[project.pk]), {"status": "ongoing"})

    assert page.context["status_form"] is None
    assert posted.status_code == 400
    project.refresh_from_db()
    assert project.status == S.COMPLETED


def test_status_action_only_accepts_post(client_as, secretariat_user):
    project = ProjectFactory(status=S.PROPOSAL)

    response = client_as(secretariat_user).get(reverse("programmes:project_change_status", args=[project.pk]))

    assert response.status_code == 405
    project.refresh_from_db()
    assert project.status == S.PROPOSAL


def test_delegation_sees_no_proposal_on_structure_and_state_pages(client_as, delegation_user, refs):
    proposal = ProjectFactory(
        code="HIDDEN-1", status=S.PROPOSAL, lead_structure=refs["lead"], beneficiary_states=[refs["state"]]
    )
    published = ProjectFactory(
        code="SHOWN-1", status=S.ONGOING, lead_structure=refs["lead"], beneficiary_states=[refs["state"]]
    )
    client = client_as(delegation_user)

    structure = client.get(reverse("programmes:structure_detail", args=[refs["lead"].pk])).content.decode()
    state = client.get(reverse("programmes:state_detail", args=[refs["state"].pk])).content.decode()

    assert published.code in structure and published.code in state
    assert proposal.code not in structure and proposal.code not in state
    assert re.search(r"Projects led</dt><dd>1</dd>", structure)
    assert Project.objects.filter(status=S.PROPOSAL).count() == 1


def test_post_without_the_pledge_management_form_is_a_400_not_a_500(client_as, secretariat_user, refs):
    data = {k: v for k, v in form_data(refs).items() if not k.startswith("pledges-")}

    response = client_as(secretariat_user).post(reverse("programmes:project_create"), data)

    assert response.status_code == 400
    assert response.context["pledges"].non_form_errors()
    assert Project.objects.count() == 0


def test_pledge_of_another_project_cannot_be_edited_through_this_form(client_as, secretariat_user, refs):
    project = ProjectFactory(thematic_areas=[refs["sub"]])
    foreign = DonorPledgeFactory(amount=Decimal("10"))
    data = project_data(
        project,
        refs,
        pledges=[
            {
                "id": foreign.pk,
                "project": project.pk,
                "donor_state": refs["donor"].pk,
                "amount": "999",
                "pledged_on": "2010-01-01",
            },
        ],
    )
    data["pledges-INITIAL_FORMS"] = "1"

    response = client_as(secretariat_user).post(reverse("programmes:project_edit", args=[project.pk]), data)

    assert response.status_code == 302  # the rest of the form is saved; the foreign row is ignored
    foreign.refresh_from_db()
    assert foreign.amount == Decimal("10") and foreign.project_id != project.pk
    assert not DonorPledge.objects.filter(amount=Decimal("999")).exists()


def test_project_list_totals_count_each_project_once_under_every_filter_on_a_relation(
    client_as, secretariat_user, refs
):
    other_state = ParticipatingStateFactory(name="Uzbekistan", iso_code="UZ")
    both = ProjectFactory(
        code="BOTH", budget=Decimal("1000"), lead_structure=refs["lead"], thematic_areas=[refs["top"], refs["sub"]]
    )
    both.beneficiary_states.set([refs["state"], other_state])
    both.partner_structures.set([refs["lead"], refs["partner"]])
    both.mandates.set([refs["mandate"]])
    ProjectFactory(code="UNKNOWN", budget=None, lead_structure=refs["partner"], thematic_areas=[refs["sub"]])
    url = reverse("programmes:project_list")
    client = client_as(secretariat_user)

    for query, expected in (
        ({"thematic_area": refs["top"].pk}, {"projects": 2, "known": Decimal("1000"), "without": 1}),
        ({"state": refs["state"].pk}, {"projects": 1, "known": Decimal("1000"), "without": 0}),
        ({"structure": refs["lead"].pk}, {"projects": 1, "known": Decimal("1000"), "without": 0}),
        ({"structure": refs["partner"].pk}, {"projects": 2, "known": Decimal("1000"), "without": 1}),
        (
            {"mandate": refs["mandate"].pk, "state": other_state.pk},
            {"projects": 1, "known": Decimal("1000"), "without": 0},
        ),
    ):
        response = client.get(url, query)
        assert response.context["budget"] == expected, query
        assert response.context["page"].paginator.count == expected["projects"], query
