import pytest

from programmes.permissions import Role
from tests.factories import ExecutiveStructureFactory, ParticipatingStateFactory, PartnerOrganisationFactory, make_user
from tests.focal_points.factories import (
    FocalPointFactory,
    MembershipFactory,
    NetworkFactory,
    StructureFocalPointFactory,
)


@pytest.fixture
def directory_people(db):
    """One person each: the delegation's own State, another State, a structure and a partner organisation."""
    own_state = ParticipatingStateFactory(name="Ownland")
    other_state = ParticipatingStateFactory(name="Otherland")
    network = NetworkFactory(name="Counter-Terrorism Network")
    own = FocalPointFactory(
        first_name="Olga", last_name="Ownperson", state=own_state, email="olga@own.example", phone="+11 111"
    )
    other = FocalPointFactory(
        first_name="Otto", last_name="Otherperson", state=other_state, email="otto@other.example", phone="+22 222"
    )
    structure = StructureFocalPointFactory(
        first_name="Sara",
        last_name="Structure",
        structure=ExecutiveStructureFactory(acronym="ATUX"),
        email="sara@osce.example",
        phone="+33 333",
    )
    partner = FocalPointFactory(
        first_name="Paul",
        last_name="Partner",
        state=None,
        authority="",
        partner_organisation=PartnerOrganisationFactory(acronym="UNXX"),
        email="paul@un.example",
        phone="+44 444",
    )
    for person in (own, other):
        MembershipFactory(focal_point=person, network=network)
    MembershipFactory(focal_point=structure, network=network, role="member")
    return {
        "own": own,
        "other": other,
        "structure": structure,
        "partner": partner,
        "network": network,
        "own_state": own_state,
    }


@pytest.fixture
def own_delegation(directory_people):
    return make_user(Role.DELEGATION, state=directory_people["own_state"])


@pytest.fixture
def users_by_role(db, own_delegation):
    return {
        Role.ADMIN: make_user(Role.ADMIN),
        Role.COORDINATOR: make_user(Role.COORDINATOR),
        Role.SECRETARIAT: make_user(Role.SECRETARIAT),
        Role.FIELD: make_user(Role.FIELD),
        Role.DELEGATION: own_delegation,
    }
