from datetime import date

import factory

from focal_points.models import FocalPoint, Membership, Network
from tests.factories import ExecutiveStructureFactory, ParticipatingStateFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    purpose = "Exchange of information."
    expects_one_per_state = True

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematic_areas.set(extracted)


class FocalPointFactory(factory.django.DjangoModelFactory):
    """A focal point for a State authority by default."""

    class Meta:
        model = FocalPoint
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Anna{n}")
    last_name = factory.Sequence(lambda n: f"Person{n}")
    job_title = "Focal point"
    state = factory.SubFactory(ParticipatingStateFactory)
    authority = "Ministry of the Interior"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = factory.Sequence(lambda n: f"+43 1 555 {n:04d}")
    working_languages = factory.LazyFunction(lambda: ["en"])

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematic_areas.set(extracted)


class StructureFocalPointFactory(FocalPointFactory):
    state = None
    authority = ""
    structure = factory.SubFactory(ExecutiveStructureFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    focal_point = factory.SubFactory(FocalPointFactory)
    network = factory.SubFactory(NetworkFactory)
    state = factory.LazyAttribute(lambda o: o.focal_point.state)
    role = Membership.Role.PRIMARY
    start = date(2020, 1, 1)
    last_confirmed = None
