"""The beat schedule in osce_tnt/celery.py names real tasks: a typo there would fail silently in production."""

from importlib import import_module

import pytest
from celery.schedules import crontab, schedule

from osce_tnt.celery import app

SCHEDULE = app.conf.beat_schedule


@pytest.mark.parametrize("entry", sorted(SCHEDULE))
def test_every_periodic_job_names_a_registered_task(entry):
    name = SCHEDULE[entry]["task"]
    module, _dot, attribute = name.rpartition(".")
    task = getattr(import_module(module), attribute)
    assert task.name == name
    assert name in app.tasks
    assert isinstance(SCHEDULE[entry]["schedule"], crontab | schedule)


def test_the_outbox_is_swept_every_minute():
    assert SCHEDULE["programmes-sweep-outbox"]["schedule"].run_every.total_seconds() == 60


def test_the_quarterly_report_runs_on_the_first_day_of_each_quarter():
    schedule = SCHEDULE["reporting-quarterly-report"]["schedule"]
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert schedule.day_of_month == {1}
    assert (schedule.hour, schedule.minute) == ({4}, {0})
