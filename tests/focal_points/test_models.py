from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from focal_points.models import FocalPoint, Membership
from tests.factories import ExecutiveStructureFactory, ParticipatingStateFactory, PartnerOrganisationFactory
from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_focal_point_needs_exactly_one_organisation():
    state = ParticipatingStateFactory()
    structure = ExecutiveStructureFactory()
    both = FocalPoint(first_name="A", last_name="B", state=state, structure=structure)
    none = FocalPoint(first_name="A", last_name="B")
    for person in (both, none):
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "exactly one organisation" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPoint.objects.create(
            first_name="A", last_name="B", state=state, partner_organisation=PartnerOrganisationFactory()
        )
    assert FocalPoint.objects.count() == 0


def test_authority_only_for_state_focal_points():
    person = FocalPoint(first_name="A", last_name="B", structure=ExecutiveStructureFactory(), authority="Ministry")
    with pytest.raises(ValidationError):
        person.full_clean()
    assert not FocalPoint.objects.exists()


def test_email_unique_regardless_of_case():
    FocalPointFactory(email="Someone@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPointFactory(email="someone@example.org")
    assert FocalPoint.objects.filter(email__iexact="someone@example.org").count() == 1


def test_unknown_working_language_is_refused():
    person = FocalPointFactory.build(state=ParticipatingStateFactory(), working_languages=["xx"])
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "working_languages" in error.value.message_dict


def test_membership_end_not_before_start():
    membership = MembershipFactory.build(
        focal_point=FocalPointFactory(), network=NetworkFactory(), start=date(2020, 5, 1), end=date(2020, 4, 1)
    )
    with pytest.raises(ValidationError):
        membership.full_clean()
    assert Membership.objects.count() == 0


def test_only_one_open_primary_per_network_and_state():
    first = MembershipFactory()
    rival = FocalPointFactory(state=first.focal_point.state)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(focal_point=rival, network=first.network)
    # An alternate for the same State is fine.
    MembershipFactory(focal_point=rival, network=first.network, role=Membership.Role.ALTERNATE)
    assert Membership.objects.filter(network=first.network).count() == 2


def test_full_name_and_organisation_label():
    person = FocalPointFactory(first_name="Ada", last_name="Kern", authority="Ministry of Justice")
    assert person.full_name == "Ada Kern"
    assert person.organisation_label == f"{person.state.name} – Ministry of Justice"
    assert FocalPoint.objects.get(pk=person.pk).full_name == "Ada Kern"


def test_membership_clean_copies_the_focal_points_state():
    person = FocalPointFactory()
    membership = Membership(focal_point=person, network=NetworkFactory(), start=date(2020, 1, 1))
    membership.full_clean()
    membership.save()
    assert Membership.objects.get(pk=membership.pk).state == person.state


def test_admin_pages_render(client_as, admin_user):
    person = FocalPointFactory()
    MembershipFactory(focal_point=person)
    client = client_as(admin_user)
    admin_user.is_staff = True
    admin_user.save()
    for url in (
        "/admin/focal_points/focalpoint/",
        f"/admin/focal_points/focalpoint/{person.pk}/change/",
        "/admin/focal_points/network/",
        "/admin/focal_points/proposedchange/",
        "/admin/focal_points/confirmationrequest/",
    ):
        assert client.get(url).status_code == 200, url
    assert FocalPoint.objects.count() == 1
