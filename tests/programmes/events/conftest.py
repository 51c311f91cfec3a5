import pytest

from tests.programmes.events.factories import make_world


@pytest.fixture
def world(db):
    return make_world()
