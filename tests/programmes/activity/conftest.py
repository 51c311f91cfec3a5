from datetime import date

import pytest

from programmes.permissions import Role
from tests.factories import FieldOperationFactory, ParticipatingStateFactory, ThematicAreaFactory, make_user
from tests.programmes.activity.factories import ReportingObligationFactory


@pytest.fixture
def tajikistan(db):
    return ParticipatingStateFactory(name="Tajikistan", iso_code="TJ")


@pytest.fixture
def office_tj(db, tajikistan):
    """OSCE Office in Tajikistan, reporting quarterly."""
    structure = FieldOperationFactory(acronym="OiT", name="OSCE Office in Tajikistan", host_state=tajikistan)
    ReportingObligationFactory(structure=structure)
    return structure


@pytest.fixture
def centre_bishkek(db):
    structure = FieldOperationFactory(acronym="CiBishkek", name="OSCE Centre in Bishkek")
    ReportingObligationFactory(structure=structure)
    return structure


@pytest.fixture
def oit_user(office_tj):
    return make_user(Role.FIELD, structure=office_tj, email="oit@example.org")


@pytest.fixture
def bishkek_user(centre_bishkek):
    return make_user(Role.FIELD, structure=centre_bishkek, email="bishkek@example.org")


@pytest.fixture
def area(db):
    return ThematicAreaFactory(name="Police and customs training", code="police-customs-training")


@pytest.fixture
def q2_2010():
    return date(2010, 4, 1), date(2010, 6, 30)
