"""factory-boy factories for the core model; app-specific factories live beside their tests."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from programmes.events.models import Event
from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)
from programmes.permissions import Role
from programmes.services import user_assign_role

TEST_PASSWORD = "correct-horse-battery"


def _iso_code(n: int) -> str:
    # Two capital letters, unique per sequence number, avoiding nothing in particular: tests only need uniqueness.
    return chr(65 + (n // 26) % 26) + chr(65 + n % 26)


class ParticipatingStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipatingState
        django_get_or_create = ("iso_code",)

    name = factory.Sequence(lambda n: f"State {n}")
    iso_code = factory.Sequence(_iso_code)
    region = Region.CENTRAL_ASIA
    joined = date(1992, 1, 30)


class ExecutiveStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExecutiveStructure

    name = factory.Sequence(lambda n: f"Structure {n}")
    acronym = factory.Sequence(lambda n: f"S{n}")
    kind = ExecutiveStructure.Kind.THEMATIC_UNIT
    region = ""


class FieldOperationFactory(ExecutiveStructureFactory):
    name = factory.Sequence(lambda n: f"OSCE Office {n}")
    acronym = factory.Sequence(lambda n: f"FO{n}")
    kind = ExecutiveStructure.Kind.FIELD_OPERATION
    region = Region.CENTRAL_ASIA
    host_state = factory.SubFactory(ParticipatingStateFactory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = PartnerOrganisation.Kind.INTERNATIONAL


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea

    name = factory.Sequence(lambda n: f"Area {n}")
    code = factory.Sequence(lambda n: f"area-{n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    parent = None


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    code = factory.Sequence(lambda n: f"MC.DEC/{n + 1}/09")
    title = factory.Sequence(lambda n: f"Decision {n}")
    year = 2009
    body = Mandate.Body.MC


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"P-{n:04d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    lead_structure = factory.SubFactory(ExecutiveStructureFactory)
    funding_source = Project.FundingSource.EXB
    budget = Decimal("100000.00")
    status = Project.Status.ONGOING
    start = date(2010, 1, 1)
    end = date(2010, 12, 31)

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create:
            self.thematic_areas.set(extracted if extracted is not None else [ThematicAreaFactory()])

    @factory.post_generation
    def beneficiary_states(self, create, extracted, **kwargs):
        if create and extracted:
            self.beneficiary_states.set(extracted)

    @factory.post_generation
    def partner_structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_structures.set(extracted)

    @factory.post_generation
    def partner_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_organisations.set(extracted)


class DonorPledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorPledge

    project = factory.SubFactory(ProjectFactory)
    donor_state = factory.SubFactory(ParticipatingStateFactory)
    amount = Decimal("50000.00")
    pledged_on = date(2010, 3, 1)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Event {n}")
    format = Event.Format.WORKSHOP
    lead_structure = factory.SubFactory(ExecutiveStructureFactory)
    all_day = True
    start_date = date(2010, 5, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    status = Event.Status.PLANNED
    visibility = Event.Visibility.PUBLIC

    @factory.post_generation
    def thematic_areas(self, create, extracted, **kwargs):
        if create:
            self.thematic_areas.set(extracted if extracted is not None else [ThematicAreaFactory()])

    @factory.post_generation
    def title_terms(self, create, extracted, **kwargs):
        # The services store the title terms the duplicate check compares (PostgreSQL); a factory row gets them too.
        if create and extracted is None and self.title_terms is None:
            from programmes.events.text_search import refresh_title_terms

            if refresh_title_terms(event_ids=[self.pk]):
                self.refresh_from_db(fields=["title_terms"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password(TEST_PASSWORD)


def make_user(
    role: Role, *, structure: ExecutiveStructure | None = None, state: ParticipatingState | None = None, **kwargs
):
    """A user in ``role``; field users get a field operation and delegations a State unless given one."""
    if role == Role.FIELD and structure is None:
        structure = FieldOperationFactory()
    if role in (Role.SECRETARIAT, Role.COORDINATOR) and structure is None:
        structure = ExecutiveStructureFactory()
    if role == Role.DELEGATION and state is None:
        state = ParticipatingStateFactory()
    user = UserFactory(**kwargs)
    user_assign_role(user=user, role=role, structure=structure, state=state)
    return user
