import pytest

from focal_points import selectors
from focal_points.models import FocalPoint, Membership, Network
from focal_points.reference_data import NETWORKS, load_focal_points, load_on_signal
from programmes.reference_data import load_core
from programmes.signals import reference_data_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_core()
    load_focal_points()


def test_networks_sample_people_and_a_meaningful_coverage_matrix(loaded):
    assert Network.objects.count() == len(NETWORKS) == 9
    ct = Network.objects.get(slug="ct-network")
    assert ct.founding_mandate.code == "MC.DEC/6/03"
    assert ct.coordinating_structure.acronym == "ATU"
    assert ct.expects_one_per_state
    assert Network.objects.get(slug="prosecutors").proposed
    assert ct.thematic_areas.filter(code="terrorism").exists()
    # Every person is fictional and marked as such.
    assert FocalPoint.objects.exists()
    assert not FocalPoint.objects.filter(is_sample=False).exists()
    assert not FocalPoint.objects.exclude(job_title__endswith="(sample)").exists()
    assert not FocalPoint.objects.exclude(email__endswith="@example.org").exists()
    statuses = [cell.status for cell in selectors.network_coverage(network=ct)]
    assert len(statuses) == 57
    assert 35 <= statuses.count("covered") <= 45
    assert statuses.count("stale") >= 3
    assert statuses.count("vacant") >= 5


def test_loading_twice_changes_nothing(loaded):
    before = (
        list(FocalPoint.objects.order_by("pk").values_list("pk", "email", "updated_at")),
        list(Membership.objects.order_by("pk").values_list("pk", "last_confirmed")),
        list(Network.objects.order_by("pk").values_list("pk", "name")),
    )
    load_focal_points()
    after = (
        list(FocalPoint.objects.order_by("pk").values_list("pk", "email", "updated_at")),
        list(Membership.objects.order_by("pk").values_list("pk", "last_confirmed")),
        list(Network.objects.order_by("pk").values_list("pk", "name")),
    )
    assert before == after
    # A rerun does not undo what happened since (here: a confirmation cleared by hand).
    membership = Membership.objects.filter(last_confirmed__isnull=False).first()
    Membership.objects.filter(pk=membership.pk).update(last_confirmed=None)
    load_focal_points()
    membership.refresh_from_db()
    assert membership.last_confirmed is None


def test_loader_is_connected_to_the_reference_data_signal():
    receivers = [r[1]() for r in reference_data_loaded.receivers]
    assert load_on_signal in receivers
    assert Network.objects.count() == 0


PROPOSED_BY_THE_REPORT = ["tnt-institutions", "tnt-field", "partner-organisations", "afghan-liaison"]


def test_networks_the_report_only_proposes_are_proposed_without_a_founding_mandate(loaded):
    for slug in PROPOSED_BY_THE_REPORT:
        network = Network.objects.get(slug=slug)
        assert network.proposed, slug
        assert network.founding_mandate is None, slug
    assert not Network.objects.filter(founding_mandate__code="MC.DEC/2/09").exists()
    assert not Network.objects.get(slug="ct-network").proposed


def test_no_field_operation_is_given_a_tnt_adviser(loaded):
    assert not Membership.objects.filter(network__slug__in=PROPOSED_BY_THE_REPORT).exists()
    assert not FocalPoint.objects.filter(job_title__startswith="TNT Adviser").exists()


def test_vacancies_for_2010_leave_out_mongolia(loaded):
    from datetime import date

    Membership.objects.filter(state__iso_code="MN").delete()  # Mongolia vacant today
    listed_2010 = {
        s.iso_code for _n, states in selectors.network_vacancies(joined_by=date(2010, 12, 31)) for s in states
    }
    listed_now = {s.iso_code for _n, states in selectors.network_vacancies() for s in states}
    assert "MN" in listed_now
    assert "MN" not in listed_2010
    assert listed_2010 == listed_now - {"MN"}
