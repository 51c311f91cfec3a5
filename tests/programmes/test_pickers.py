"""Searchable pickers (programmes/pickers.py): the action form's project and event, found by name without
JavaScript through "Find", and with it through the JSON views."""

import pytest
from django.urls import reverse

from programmes.events.models import Event
from programmes.models import Project
from programmes.pickers import PICKER_LIMIT, PICKER_SEARCH
from taskforces.forms import ActionItemForm
from taskforces.models import ActionItem
from tests.factories import EventFactory, ExecutiveStructureFactory, ProjectFactory
from tests.taskforces.factories import TaskForceFactory, TaskForceMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_force():
    return TaskForceFactory(slug="border-management")


@pytest.fixture
def member_unit(task_force):
    unit = ExecutiveStructureFactory(acronym="SPMU")
    TaskForceMemberFactory(task_force=task_force, structure=unit)
    return unit


@pytest.fixture
def projects():
    return [
        ProjectFactory(code="BM-001", title="Border patrol training in Tajikistan"),
        ProjectFactory(code="CY-002", title="Cyber incident response"),
        ProjectFactory(code="TH-003", title="Victim support network", status=Project.Status.PROPOSAL),
    ]


def _options(html: str, select_id: str) -> str:
    start = html.index(f'id="{select_id}"')
    return html[start : html.index("</select>", start)]


def test_the_project_select_lists_only_the_chosen_project_and_the_matches_not_the_whole_table(task_force, projects):
    form = ActionItemForm({"project": str(projects[1].pk), "project__q": "border"}, task_force=task_force)
    options = _options(str(form["project"]), "id_project")
    assert "CY-002 – Cyber incident response" in options  # the chosen one stays
    assert "BM-001 – Border patrol training in Tajikistan" in options  # the match
    assert "TH-003" not in options

    unbound = _options(str(ActionItemForm(task_force=task_force)["project"]), "id_project")
    assert "BM-001" not in unbound and "CY-002" not in unbound


def test_find_without_javascript_shows_the_form_again_with_the_matches_and_saves_nothing(
    client_as, secretariat_user, task_force, member_unit, projects
):
    url = reverse("taskforces:action_create", args=[task_force.slug])
    data = {"what": "Share the checklist", "owner_structure": member_unit.pk, "status": "open", "project__q": "cyber"}

    response = client_as(secretariat_user).post(url, {**data, PICKER_SEARCH: "project"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{projects[1].pk}">CY-002 – Cyber incident response</option>' in html
    assert "Share the checklist" in html
    assert "This field is required." not in html  # the due date is missing, but nothing was validated
    assert not ActionItem.objects.exists()

    saved = client_as(secretariat_user).post(url, {**data, "due_date": "2027-02-01", "project": projects[1].pk})
    assert saved.status_code == 302
    assert ActionItem.objects.get().project == projects[1]


def test_the_owner_list_shows_full_names(task_force, secretariat_user):
    secretariat_user.first_name, secretariat_user.last_name = "Amina", "Karimova"
    secretariat_user.save()
    owner = str(ActionItemForm(task_force=task_force)["owner"])
    assert ">Amina Karimova</option>" in owner
    assert f">{secretariat_user.username}</option>" not in owner


def test_the_project_picker_json_gives_matches_and_delegations_only_published_projects(
    client_as, secretariat_user, delegation_user, projects
):
    url = reverse("programmes:project_picker")
    staff = client_as(secretariat_user).get(url, {"q": "TH-003"}).json()
    assert staff == {"results": [{"id": projects[2].pk, "label": "TH-003 – Victim support network"}], "more": False}
    assert client_as(delegation_user).get(url, {"q": "TH-003"}).json()["results"] == []
    assert client_as(secretariat_user).get(url, {"q": ""}).json()["results"] == []


def test_the_event_picker_json_hides_internal_events_from_delegations(client_as, secretariat_user, delegation_user):
    internal = EventFactory(title="Internal planning retreat", visibility=Event.Visibility.INTERNAL, city="Vienna")
    url = reverse("programmes:event_picker")
    found = client_as(secretariat_user).get(url, {"q": "retreat vienna"}).json()["results"]
    assert [r["id"] for r in found] == [internal.pk]
    assert found[0]["label"] == "Internal planning retreat (2010-05-10, Vienna)"
    assert client_as(delegation_user).get(url, {"q": "retreat"}).json()["results"] == []


def test_the_picker_json_says_when_there_are_more_matches_than_it_lists(client_as, secretariat_user):
    for n in range(PICKER_LIMIT + 1):
        ProjectFactory(code=f"MANY-{n:03d}", title=f"Many {n}")
    body = client_as(secretariat_user).get(reverse("programmes:project_picker"), {"q": "many"}).json()
    assert len(body["results"]) == PICKER_LIMIT and body["more"] is True


def test_the_picker_json_needs_a_sign_in(client):
    response = client.get(reverse("programmes:project_picker"), {"q": "x"})
    assert response.status_code == 302
