import pytest
from django.core.management import call_command

from taskforces.models import ActionItem, Decision, Meeting, TaskForce, TaskForceMember
from taskforces.reference_data import load_task_forces
from taskforces.selectors import overdue_action_items

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (TaskForce, TaskForceMember, Meeting, Decision, ActionItem)
    } | {"updated": sorted(Meeting.objects.values_list("updated_at", flat=True))}


def test_reference_data_loads_the_three_task_forces_and_is_idempotent():
    call_command("load_reference_data", verbosity=0)
    first = _snapshot()
    load_task_forces()  # the second run of this app's loader (the full command takes a minute on 2 cores)
    assert _snapshot() == first

    assert set(TaskForce.objects.values_list("slug", flat=True)) == {
        "organized-crime",
        "afghan",
        "transnational-threats",
    }
    oc = TaskForce.objects.get(slug="organized-crime")
    oc_members = set(oc.members.values_list("structure__acronym", flat=True))
    assert {"OSG", "SPMU", "OSR/CTHB", "OCEEA", "ATU", "CPC", "ODIHR", "OiT", "CiBishkek", "PiA"} <= oc_members
    assert oc.members.get(structure__acronym="SPMU").role == TaskForceMember.Role.CONTACT_POINT
    assert TaskForce.objects.get(slug="afghan").chair_structure.acronym == "OSG"
    tnt = TaskForce.objects.get(slug="transnational-threats")
    tnt_members = set(tnt.members.values_list("structure__acronym", flat=True))
    assert {"ATU", "SPMU", "CPC", "ODIHR", "RFoM", "HCNM", "OiT", "MtS"} <= tnt_members
    assert "CSU" not in tnt_members  # proposed units are not members yet
    assert tnt.receives_calendar_bundle and tnt.meeting_frequency == "monthly"

    meetings = tnt.meetings.all()
    assert meetings.count() == 6 and all(m.event_id for m in meetings)
    assert {m.local_start.year for m in meetings} == {2010}
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == {"open", "done", "dropped"}
    assert overdue_action_items().exists()
    # Due dates are the minutes' own, in 2010-2011, whatever the day the data is loaded.
    due = set(ActionItem.objects.values_list("due_date__year", flat=True))
    assert due <= {2010, 2011}
