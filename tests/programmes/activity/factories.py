"""Factories for activity reporting."""

from datetime import date, timedelta

import factory

from programmes.activity.models import (
    ActivityReport,
    ActivityType,
    ReportedActivity,
    ReportingFrequency,
    ReportingObligation,
)
from tests.factories import FieldOperationFactory, ParticipatingStateFactory, ThematicAreaFactory


class ReportingObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingObligation

    structure = factory.SubFactory(FieldOperationFactory)
    frequency = ReportingFrequency.QUARTERLY
    deadline_days = 30
    starts_on = date(2009, 1, 1)
    active = True


class ActivityReportFactory(factory.django.DjangoModelFactory):
    """A draft for Q2 2010 by default."""

    class Meta:
        model = ActivityReport

    structure = factory.SubFactory(FieldOperationFactory)
    period_start = date(2010, 4, 1)
    period_end = date(2010, 6, 30)
    due_on = factory.LazyAttribute(lambda o: o.period_end + timedelta(days=30))
    status = ActivityReport.Status.DRAFT
    summary = ""


class ReportedActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedActivity
        skip_postgeneration_save = True

    report = factory.SubFactory(ActivityReportFactory)
    title = factory.Sequence(lambda n: f"Customs training course {n}")
    activity_type = ActivityType.TRAINING
    state = factory.SubFactory(ParticipatingStateFactory)
    city = "Dushanbe"
    online = False
    start = factory.LazyAttribute(lambda o: o.report.period_start + timedelta(days=9))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=4))
    participants_women = 6
    participants_men = 14
    participants_unrecorded = 0
    results = "Officers practised inspection techniques."

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create:
            self.thematic_areas.set(extracted if extracted is not None else [ThematicAreaFactory()])
