"""The meeting pack, built from real data of the calendar and activity reporting through their services and
factories, read back from the PDF."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from programmes.activity.models import ActivityReport
from programmes.events import services as event_services
from programmes.events.models import CoordinationAlert, Event
from taskforces import services
from taskforces.models import MeetingPack
from tests.factories import (
    ExecutiveStructureFactory,
    FieldOperationFactory,
    ParticipatingStateFactory,
    ThematicAreaFactory,
)
from tests.programmes.activity.factories import ActivityReportFactory, ReportingObligationFactory

pytestmark = pytest.mark.django_db


def _pdf_text(pack: MeetingPack) -> str:
    with pack.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pack_world(task_force, member_unit, owner_user, django_capture_on_commit_callbacks):
    area = ThematicAreaFactory(name="Export controls", code="export-controls")
    task_force.thematic_areas.set([area])
    austria = ParticipatingStateFactory(iso_code="AT", name="Austria")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_create(
            task_force=task_force,
            starts_at=datetime(2010, 10, 13, 8, 0, tzinfo=UTC),
            place="Hofburg, Vienna",
            actor=owner_user,
        )
        for title in ("Adoption of the agenda", "UNSCR 1540: preparation of the FSC event"):
            services.agenda_item_add(actor=None, meeting=meeting, title=title)
        services.action_item_create(
            actor=None,
            task_force=task_force,
            meeting=meeting,
            owner_structure=member_unit,
            owner=owner_user,
            what="Collect contributions for the 1540 event",
            due_date=date(2010, 10, 22),
        )
        services.action_item_create(
            actor=None,
            task_force=task_force,
            meeting=meeting,
            owner_structure=member_unit,
            what="Prepare the 2011 work plan",
            due_date=date.today() + timedelta(days=60),
        )
        # Two structures plan the same event in the same place and week: the calendar raises an alert.
        fsc, cpc = ExecutiveStructureFactory(acronym="FSC-SU"), ExecutiveStructureFactory(acronym="CPC")
        for lead in (fsc, cpc):
            event_services.event_create(
                title="FSC event on the implementation of UNSCR 1540",
                format=Event.Format.EXPERT_MEETING,
                lead_structure=lead,
                thematic_areas=[area],
                state=austria,
                city="Vienna",
                all_day=True,
                start_date=date(2010, 10, 27),
                end_date=date(2010, 10, 27),
                visibility=Event.Visibility.PUBLIC,
            )
    # Activity reporting: one field operation never reported for Q2 2010, another reported on time.
    silent = FieldOperationFactory(acronym="OiT", name="OSCE Office in Tajikistan")
    ReportingObligationFactory(structure=silent)
    punctual = FieldOperationFactory(acronym="CiBishkek", name="OSCE Centre in Bishkek")
    ReportingObligationFactory(structure=punctual)
    ActivityReportFactory(
        structure=punctual,
        status=ActivityReport.Status.SUBMITTED,
        first_submitted_at=datetime(2010, 7, 10, 9, 0, tzinfo=UTC),
    )
    return meeting


def test_meeting_pack_contains_every_section_with_real_data(
    pack_world, client_as, owner_user, django_capture_on_commit_callbacks
):
    assert CoordinationAlert.objects.filter(status="open").count() == 1
    client = client_as(owner_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("taskforces:pack_request", args=[pack_world.pk]))
    pack = MeetingPack.objects.get(meeting=pack_world)
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    assert pack.status == MeetingPack.Status.DONE, pack.error
    assert pack.progress == 100

    text = " ".join(_pdf_text(pack).split())  # table cells wrap lines
    for heading in (
        "Agenda",
        "Overdue actions",
        "Open actions",
        "Open co-ordination alerts",
        "Events of the next three months",
        "Reporting compliance",
    ):
        assert heading in text
    assert "UNSCR 1540: preparation of the FSC event" in text
    assert "Collect contributions for the 1540 event" in text  # overdue since 22 October 2010
    assert "Prepare the 2011 work plan" in text  # open, not yet due
    assert "FSC event on the implementation of UNSCR 1540" in text
    assert "(FSC-SU, 2010-10-27)" in text and "(CPC, 2010-10-27)" in text
    assert "OSCE Office in Tajikistan (OiT)" in text  # did not report for the last closed quarter
    assert "Last closed period: 1 April 2010 – 30 June 2010" in text
    assert "Missing 1" in text and "On time 1" in text

    download = client.get(reverse("taskforces:pack_download", args=[pack.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_pack_status_page_shows_progress_and_refreshes_until_done(task_force, client_as, secretariat_user):
    from tests.taskforces.factories import MeetingFactory

    meeting = MeetingFactory(task_force=task_force)
    pack = MeetingPack.objects.create(
        meeting=meeting, requested_by=secretariat_user, progress=40, progress_message="Co-ordination alerts"
    )
    client = client_as(secretariat_user)
    page = client.get(pack.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'http-equiv="refresh"' in body and 'value="40"' in body and "Co-ordination alerts" in body
    status = client.get(reverse("taskforces:pack_status", args=[pack.pk])).json()
    assert status == {
        "status": "queued",
        "progress": 40,
        "message": "Co-ordination alerts",
        "finished": False,
        "download_url": None,
    }
    MeetingPack.objects.filter(pk=pack.pk).update(status="done", progress=100)
    assert 'http-equiv="refresh"' not in client.get(pack.get_absolute_url()).content.decode()
    assert client.get(reverse("taskforces:pack_download", args=[pack.pk])).status_code == 404  # no file stored


def test_requesting_a_pack_twice_while_it_is_queued_reuses_it(task_force, secretariat_user):
    from tests.taskforces.factories import MeetingFactory

    meeting = MeetingFactory(task_force=task_force)
    first = services.meeting_pack_request(meeting=meeting, actor=secretariat_user)
    second = services.meeting_pack_request(meeting=meeting, actor=secretariat_user)
    assert first.pk == second.pk
    assert MeetingPack.objects.filter(meeting=meeting).count() == 1


def test_a_duplicate_build_delivery_does_nothing(task_force):
    from tests.taskforces.factories import MeetingFactory

    pack = MeetingPack.objects.create(meeting=MeetingFactory(task_force=task_force), status="running")
    assert services.meeting_pack_build(pack_id=pack.pk) is False
    pack.refresh_from_db()
    assert pack.status == "running" and not pack.pdf


def test_delegations_and_field_staff_cannot_build_packs(task_force, client_as, delegation_user, field_member):
    from tests.taskforces.factories import MeetingFactory

    meeting = MeetingFactory(task_force=task_force)
    for user in (delegation_user, field_member):
        response = client_as(user).post(reverse("taskforces:pack_request", args=[meeting.pk]))
        assert response.status_code == 403
    assert not MeetingPack.objects.exists()


def test_pack_lists_the_meetings_own_actions_in_full_and_caps_the_task_forces_others_with_a_count(
    pack_world, task_force, member_unit, monkeypatch, django_capture_on_commit_callbacks
):
    from taskforces import pack as pack_module
    from taskforces.models import ActionItem

    monkeypatch.setattr(pack_module, "PACK_ACTION_ROWS", 2)
    monkeypatch.setattr(pack_module, "PACK_EVENT_ROWS", 1)
    for n, due in enumerate([date(2009, 1, 5), date(2009, 3, 1), date(2009, 2, 1), date(2009, 4, 1)]):
        services.action_item_create(
            actor=None, task_force=task_force, owner_structure=member_unit, what=f"Old action {n}", due_date=due
        )
    for n in range(3):
        services.action_item_create(
            actor=None,
            task_force=task_force,
            owner_structure=member_unit,
            what=f"Future action {n}",
            due_date=date.today() + timedelta(days=100 + n),
        )
    # Three more actions raised at this meeting: all of them are listed whatever the cap.
    for n in range(3):
        services.action_item_create(
            actor=None,
            task_force=task_force,
            meeting=pack_world,
            owner_structure=member_unit,
            what=f"Meeting action {n}",
            due_date=date(2009, 6, 1 + n),
        )
    assert ActionItem.objects.filter(meeting=pack_world).count() == 5

    context = pack_module.meeting_pack_context(meeting=pack_world)

    assert sorted(a.what for a in context["meeting_actions"]) == sorted(
        ActionItem.objects.filter(meeting=pack_world).values_list("what", flat=True)
    )
    assert [a.what for a in context["overdue_actions"]] == ["Old action 0", "Old action 2"]  # most overdue first
    assert context["overdue_count"] == 4
    assert [a.what for a in context["open_actions"]] == ["Future action 0", "Future action 1"]
    assert context["open_count"] == 3
    assert f"task_force={task_force.pk}" in context["actions_url"] and "status=open" in context["actions_url"]
    assert len(context["events"]) == 1 and context["events_total"] == 2
    assert context["events_by_month"] == [(date(2010, 10, 1), 2)]

    pack = MeetingPack.objects.create(meeting=pack_world)
    assert services.meeting_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    text = " ".join(_pdf_text(pack).split())
    assert "Meeting action 2" in text and "Collect contributions for the 1540 event" in text
    assert "4 other actions of the task force are overdue. The 2 most overdue are listed" in text
    assert "Old action 1" not in text and "Old action 3" not in text and "Future action 2" not in text
    assert "3 other actions of the task force are open and not yet due. The 2 due first are listed" in text
    assert "2 events in these three months: October 2010 2. The 1 soonest are listed" in text
