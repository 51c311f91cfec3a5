"""Factories for the knowledge app."""

import datetime as dt

import factory

from knowledge.models import CommitmentStatus, Document, Instrument, StateCommitment
from programmes.events.models import TrainingCentre
from tests.factories import ParticipatingStateFactory


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"instrument-{n}")
    name = factory.Sequence(lambda n: f"Convention {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    kind = Instrument.Kind.TREATY
    family = Instrument.Family.UNTOC
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematic_areas.set(extracted)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateCommitment

    state = factory.SubFactory(ParticipatingStateFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    status = CommitmentStatus.RATIFIED
    date = None
    as_of = dt.date(2010, 6, 11)
    source = "Test source"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Document {n}")
    kind = Document.Kind.REPORT
    language = Document.Language.ENGLISH
    published_on = dt.date(2010, 5, 1)
    visibility = Document.Visibility.PUBLIC
    link = "https://example.org/doc"


class TrainingCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCentre

    name = factory.Sequence(lambda n: f"Training centre {n}")
    kind = TrainingCentre.Kind.NATIONAL
    city = "Bishkek"
    state = factory.SubFactory(ParticipatingStateFactory)
