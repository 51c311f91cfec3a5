"""Event's check constraints are left to clean() in full_clean() (Event.CONSTRAINTS_CHECKED_BY_CLEAN): clean() must
refuse every row the database would refuse."""

import itertools
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from programmes.events.models import Event
from tests.factories import ExecutiveStructureFactory

pytestmark = pytest.mark.django_db

EARLY, LATE = datetime(2010, 5, 10, 9, tzinfo=UTC), datetime(2010, 5, 10, 17, tzinfo=UTC)


def _violates_a_check_constraint(event: Event) -> bool:
    """Django's own validation of each constraint, which asks the database."""
    for constraint in Event._meta.constraints:
        try:
            constraint.validate(Event, event)
        except ValidationError:
            return True
    return False


def test_every_check_constraint_left_to_clean_is_one_of_the_models_constraints():
    names = {c.name for c in Event._meta.constraints}

    assert names >= Event.CONSTRAINTS_CHECKED_BY_CLEAN
    assert not Event.CONSTRAINTS_CHECKED_BY_CLEAN & {c.name for c in Event().get_constraints()[0][1]}


def test_clean_refuses_every_event_a_check_constraint_refuses():
    lead = ExecutiveStructureFactory()
    violating = 0
    for all_day, zone, start_at, end_at, (start, end) in itertools.product(
        (True, False),
        ("", "Europe/Vienna"),
        (None, EARLY, LATE),
        (None, EARLY, LATE),
        ((date(2010, 5, 10), date(2010, 5, 10)), (date(2010, 5, 11), date(2010, 5, 10))),
    ):
        event = Event(
            title="Grid",
            format=Event.Format.WORKSHOP,
            lead_structure=lead,
            all_day=all_day,
            timezone=zone,
            start_at=start_at,
            end_at=end_at,
            start_date=start,
            end_date=end,
        )
        if _violates_a_check_constraint(event):
            violating += 1
            with pytest.raises(ValidationError):
                event.full_clean(validate_unique=False)

    assert violating > 40  # most of the 72 combinations break at least one constraint


def test_an_all_day_event_whose_times_are_reversed_is_refused_at_the_end_time():
    event = Event(
        title="Reversed",
        format=Event.Format.WORKSHOP,
        lead_structure=ExecutiveStructureFactory(),
        all_day=True,
        start_at=LATE,
        end_at=EARLY,
        start_date=date(2010, 5, 10),
        end_date=date(2010, 5, 10),
    )

    with pytest.raises(ValidationError) as refused:
        event.full_clean(validate_unique=False)

    assert refused.value.message_dict["end_at"] == ["The event must end after it starts."]
