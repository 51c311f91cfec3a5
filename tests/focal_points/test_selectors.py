from datetime import date

import pytest

from focal_points import selectors
from focal_points.models import Membership
from programmes.models import ParticipatingState
from programmes.permissions import Role
from tests.factories import ParticipatingStateFactory, ThematicAreaFactory, make_user
from tests.focal_points.factories import (
    FocalPointFactory,
    MembershipFactory,
    NetworkFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 15)


@pytest.fixture
def known_set(settings):
    """Four States: covered, stale (13 months), vacant, and one whose only primary left last year."""
    settings.PORTAL_FOCAL_POINT_STALE_MONTHS = 12
    network = NetworkFactory(name="CT")
    other = NetworkFactory(name="Not per State", expects_one_per_state=False)
    covered, stale, vacant, left = (ParticipatingStateFactory(name=n) for n in ("Covered", "Stale", "Vacant", "Left"))
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=covered), last_confirmed=date(2024, 1, 1))
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=stale), last_confirmed=date(2023, 5, 14))
    MembershipFactory(
        network=network,
        focal_point=FocalPointFactory(state=left),
        end=date(2023, 12, 31),
        last_confirmed=date(2023, 12, 1),
    )
    # An alternate does not cover a State.
    MembershipFactory(
        network=network,
        focal_point=FocalPointFactory(state=vacant),
        role=Membership.Role.ALTERNATE,
        last_confirmed=date(2024, 6, 1),
    )
    MembershipFactory(network=other, focal_point=FocalPointFactory(state=vacant), last_confirmed=date(2024, 6, 1))
    # Partners for Co-operation are not in the matrix.
    ParticipatingStateFactory(name="Partner", is_partner=True)
    return network, other, {"covered": covered, "stale": stale, "vacant": vacant, "left": left}


def test_network_coverage_on_a_known_set(known_set):
    network, _, states = known_set
    cells = {cell.state.name: cell for cell in selectors.network_coverage(network=network, today=TODAY)}
    assert set(cells) == {"Covered", "Stale", "Vacant", "Left"}
    assert cells["Covered"].status == selectors.COVERED
    assert cells["Covered"].focal_point.state == states["covered"]
    assert cells["Stale"].status == selectors.STALE
    assert cells["Stale"].focal_point is not None
    assert cells["Vacant"].status == selectors.VACANT
    assert cells["Vacant"].focal_point is None
    assert cells["Left"].status == selectors.VACANT


def test_stale_threshold_follows_the_setting(known_set, settings):
    network, _, _ = known_set
    settings.PORTAL_FOCAL_POINT_STALE_MONTHS = 3
    cells = {cell.state.name: cell.status for cell in selectors.network_coverage(network=network, today=TODAY)}
    assert cells["Covered"] == selectors.STALE
    assert Membership.objects.filter(network=network).count() == 4


def test_unconfirmed_primary_is_stale(settings):
    network = NetworkFactory()
    state = ParticipatingStateFactory()
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=state), last_confirmed=None)
    cells = selectors.network_coverage(network=network, today=TODAY)
    assert [c.status for c in cells if c.state == state] == [selectors.STALE]


def test_state_not_yet_joined_is_left_out():
    network = NetworkFactory()
    ParticipatingStateFactory(name="Later", joined=date(2030, 1, 1))
    assert selectors.network_coverage(network=network, today=TODAY) == []
    assert ParticipatingState.objects.count() == 1


def test_network_vacancies_lists_vacant_and_stale_states_of_per_state_networks(known_set):
    network, _other, _states = known_set
    result = selectors.network_vacancies(today=TODAY)
    assert [n for n, _ in result] == [network]
    assert {s.name for s in result[0][1]} == {"Stale", "Vacant", "Left"}


def test_coverage_matrix_totals_and_constant_queries(known_set, django_assert_num_queries):
    network, _, _ = known_set
    with django_assert_num_queries(3):
        matrix = selectors.coverage_matrix(today=TODAY)
    assert matrix.totals[0] == {"network": network, "covered": 1, "stale": 1, "vacant": 2}
    for _index in range(30):
        MembershipFactory(
            network=network,
            focal_point=FocalPointFactory(state=ParticipatingStateFactory()),
            last_confirmed=date(2024, 1, 1),
        )
    with django_assert_num_queries(3):
        matrix = selectors.coverage_matrix(today=TODAY)
    assert matrix.totals[0]["covered"] == 31


def test_attach_listing_gives_an_api_page_its_areas_and_memberships_by_network_name_in_two_queries(
    django_assert_num_queries,
):
    border, cyber = ThematicAreaFactory(short_name="Border"), ThematicAreaFactory(short_name="Cyber")
    anna = FocalPointFactory(last_name="Anna", thematic_areas=[cyber, border])
    boris = FocalPointFactory(last_name="Boris", thematic_areas=[])
    zeta, alpha = NetworkFactory(name="Zeta network"), NetworkFactory(name="Alpha network")
    first = MembershipFactory(focal_point=anna, network=zeta)
    second = MembershipFactory(focal_point=anna, network=alpha)
    page = [anna, boris]

    with django_assert_num_queries(2):  # the areas' ids, the memberships with their networks' names
        selectors.focal_point_attach_listing(focal_points=page)

    assert [row["id"] for row in anna.listed_memberships] == [second.pk, first.pk]
    assert [row["network__name"] for row in anna.listed_memberships] == ["Alpha network", "Zeta network"]
    assert anna.listed_memberships[0]["start"] == second.start and anna.listed_memberships[0]["role"] == second.role
    assert boris.listed_memberships == []
    assert anna.relation_ids == {"thematic_areas": [a.pk for a in anna.thematic_areas.all()]}
    assert boris.relation_ids == {"thematic_areas": []}


def test_directory_page_rows_list_each_persons_areas_and_memberships_by_network_name(django_assert_num_queries):
    user = make_user(Role.SECRETARIAT)
    # Named, not numbered: areas are listed by name, and "Area 10" sorts before "Area 9".
    border = ThematicAreaFactory(short_name="Border", name="Border security")
    cyber = ThematicAreaFactory(short_name="Cyber", name="Cyber security")
    anna = FocalPointFactory(last_name="Anna", thematic_areas=[border, cyber])
    FocalPointFactory(last_name="Boris", thematic_areas=[])
    zeta, alpha = NetworkFactory(name="Zeta network"), NetworkFactory(name="Alpha network")
    MembershipFactory(focal_point=anna, network=zeta)
    MembershipFactory(focal_point=anna, network=alpha)

    with django_assert_num_queries(3):  # the people, their areas, their memberships with networks
        rows = list(selectors.directory_page_rows(selectors.focal_point_list(user=user)))
        listed = {
            fp.last_name: ([a.short_name for a in fp.listed_areas], [m.network.name for m in fp.listed_memberships])
            for fp in rows
        }

    assert listed == {"Anna": (["Border", "Cyber"], ["Alpha network", "Zeta network"]), "Boris": ([], [])}
    assert listed["Anna"][0] == [a.short_name for a in anna.thematic_areas.all()]
