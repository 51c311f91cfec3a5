from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from programmes.events import services as event_services
from programmes.events.models import CalendarBundle
from programmes.permissions import Role
from taskforces import services
from taskforces.models import ActionItem, ActionReminder, CalendarBundleMailing
from taskforces.tasks import send_action_reminders
from tests.factories import ExecutiveStructureFactory, ThematicAreaFactory, make_user
from tests.taskforces.factories import ActionItemFactory, TaskForceFactory, TaskForceMemberFactory

pytestmark = pytest.mark.django_db


class TestActionReminders:
    NOW = datetime(2010, 10, 25, 6, 0, tzinfo=UTC)

    def test_each_stage_is_sent_once(self, action, settings):
        settings.PORTAL_ACTION_REMINDER_DAYS = 7
        ActionItem.objects.filter(pk=action.pk).update(due_date=date(2010, 10, 29))
        first = services.action_reminders_send(now=self.NOW)
        second = services.action_reminders_send(now=self.NOW)
        assert first == {"before_due": 1, "overdue": 0}
        assert second == {"before_due": 0, "overdue": 0}
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["owner@example.org"]
        assert "2010-10-29" in mail.outbox[0].subject
        assert list(ActionReminder.objects.values_list("stage", flat=True)) == ["before_due"]

        # Once the due date has passed in the owner's zone, the overdue stage goes out, once.
        later = datetime(2010, 10, 30, 6, 0, tzinfo=UTC)
        assert services.action_reminders_send(now=later) == {"before_due": 0, "overdue": 1}
        assert services.action_reminders_send(now=later) == {"before_due": 0, "overdue": 0}
        assert len(mail.outbox) == 2
        assert "Overdue" in mail.outbox[1].subject
        assert ActionReminder.objects.filter(action=action).count() == 2

    def test_the_beat_task_runs_the_same_service_and_is_idempotent(self, action):
        ActionItem.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=3))
        assert send_action_reminders.delay().get() == {"before_due": 0, "overdue": 1}
        assert send_action_reminders.delay().get() == {"before_due": 0, "overdue": 0}
        assert len(mail.outbox) == 1
        assert ActionReminder.objects.get(action=action).stage == "overdue"

    def test_closed_actions_and_far_deadlines_are_not_reminded(self, action):
        ActionItem.objects.filter(pk=action.pk).update(
            status="done", completed_on=date(2010, 10, 1), due_date=date(2010, 10, 1)
        )
        ActionItemFactory(
            task_force=action.task_force,
            owner=action.owner,
            owner_structure=action.owner_structure,
            due_date=date(2010, 12, 31),
        )
        assert services.action_reminders_send(now=self.NOW) == {"before_due": 0, "overdue": 0}
        assert mail.outbox == []
        assert not ActionReminder.objects.exists()

    def test_without_a_named_owner_the_structure_representative_is_reminded(self, task_force):
        unit = ExecutiveStructureFactory(acronym="ATU")
        rep = make_user(Role.SECRETARIAT, structure=unit, email="atu.rep@example.org")
        TaskForceMemberFactory(task_force=task_force, structure=unit, representative=rep)
        action = ActionItemFactory(task_force=task_force, owner_structure=unit, due_date=date(2010, 10, 1))
        assert services.action_reminders_send(now=self.NOW)["overdue"] == 1
        assert mail.outbox[0].to == ["atu.rep@example.org"]
        assert ActionReminder.objects.get(action=action).recipient == "atu.rep@example.org"

    def test_a_new_due_date_allows_fresh_reminders(self, action):
        ActionItem.objects.filter(pk=action.pk).update(due_date=date(2010, 10, 1))
        services.action_reminders_send(now=self.NOW)
        services.action_item_update(
            actor=None, action=ActionItem.objects.get(pk=action.pk), data={"due_date": date(2010, 10, 28)}
        )
        assert not ActionReminder.objects.filter(action=action).exists()
        assert services.action_reminders_send(now=self.NOW) == {"before_due": 1, "overdue": 0}
        assert len(mail.outbox) == 2

    def test_reminders_work_in_batches(self, task_force, owner_user, member_unit):
        for i in range(7):
            ActionItemFactory(
                task_force=task_force,
                owner=owner_user,
                owner_structure=member_unit,
                due_date=date(2010, 10, 1) + timedelta(days=i),
            )
        assert services.action_reminders_send(now=self.NOW, batch_size=3) == {"before_due": 0, "overdue": 7}
        assert ActionReminder.objects.count() == 7
        assert len(mail.outbox) == 7


class TestCalendarBundleEmail:
    """The calendar announces a finished bundle; the TNT task force's representatives get it once."""

    @pytest.fixture
    def tnt(self):
        task_force = TaskForceFactory(receives_calendar_bundle=True, name="Task Force on Transnational Threats")
        for email in ("rep1@example.org", "rep2@example.org"):
            unit = ExecutiveStructureFactory()
            TaskForceMemberFactory(
                task_force=task_force,
                structure=unit,
                representative=make_user(Role.SECRETARIAT, structure=unit, email=email),
            )
        # A task force that does not receive the bundle.
        other = TaskForceFactory(receives_calendar_bundle=False)
        unit = ExecutiveStructureFactory()
        TaskForceMemberFactory(
            task_force=other,
            structure=unit,
            representative=make_user(Role.SECRETARIAT, structure=unit, email="no@example.org"),
        )
        return task_force

    def test_bundle_is_emailed_once_with_its_files(self, tnt, coordinator, django_capture_on_commit_callbacks):
        ThematicAreaFactory()
        with django_capture_on_commit_callbacks(execute=True):
            bundle = event_services.calendar_bundle_request(first_month=date(2010, 10, 1), actor=coordinator)
        bundle = CalendarBundle.objects.get(pk=bundle.pk)
        assert bundle.status == CalendarBundle.Status.DONE, bundle.error
        bundle_mails = [m for m in mail.outbox if m.attachments]
        assert len(bundle_mails) == 1
        message = bundle_mails[0]
        assert sorted(message.bcc) == ["rep1@example.org", "rep2@example.org"]
        names = sorted(name for name, _content, _type in message.attachments)
        assert [n.rsplit(".", 1)[-1] for n in names] == ["ics", "pdf", "xlsx"]
        by_kind = {name.rsplit(".", 1)[-1]: (content, kind) for name, content, kind in message.attachments}
        assert by_kind["ics"][1] == "text/calendar" and by_kind["pdf"][1] == "application/pdf"
        ics = by_kind["ics"][0]
        ics = ics.encode() if isinstance(ics, str) else ics
        assert Calendar.from_ical(ics).get("PRODID") is not None  # members can import the attached calendar
        assert b"Content-Type: text/calendar" in message.message().as_bytes()
        mailing = CalendarBundleMailing.objects.get()
        assert mailing.status == CalendarBundleMailing.Status.SENT and mailing.task_force == tnt
        assert bundle.emailed_to == ["rep1@example.org", "rep2@example.org"]

        # The calendar announcing the same bundle again sends nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            event_services.calendar_bundle_announce(bundle_id=bundle.pk)
        assert len([m for m in mail.outbox if m.attachments]) == 1
        assert CalendarBundleMailing.objects.count() == 1

    def test_a_duplicate_task_delivery_sends_nothing(self, tnt, django_capture_on_commit_callbacks):
        bundle = CalendarBundle.objects.create(
            period_start=date(2010, 10, 1), period_end=date(2010, 12, 31), status=CalendarBundle.Status.DONE
        )
        with django_capture_on_commit_callbacks(execute=True):
            queued = services.calendar_bundle_queue(bundle=bundle)
        assert len(queued) == 1
        assert services.calendar_bundle_send(mailing_id=queued[0].pk) is False  # already sent by the queued task
        assert len(mail.outbox) == 1
        assert CalendarBundleMailing.objects.get().status == CalendarBundleMailing.Status.SENT

    def test_mailing_points_at_its_bundle_and_goes_with_it(self, tnt):
        bundle = CalendarBundle.objects.create(
            period_start=date(2010, 10, 1), period_end=date(2010, 12, 31), status=CalendarBundle.Status.DONE
        )
        services.calendar_bundle_queue(bundle=bundle)
        assert list(CalendarBundleMailing.objects.values_list("bundle", "task_force")) == [(bundle.pk, tnt.pk)]

        bundle.delete()

        assert not CalendarBundleMailing.objects.exists()
