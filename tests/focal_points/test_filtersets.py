from datetime import date

import pytest

from focal_points.filtersets import FocalPointFilterSet
from focal_points.models import FocalPoint, Membership
from tests.factories import (
    ExecutiveStructureFactory,
    FieldOperationFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ThematicAreaFactory,
)
from tests.focal_points.factories import (
    FocalPointFactory,
    MembershipFactory,
    NetworkFactory,
    StructureFocalPointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    terrorism = ThematicAreaFactory(name="Terrorism")
    travel = ThematicAreaFactory(name="Travel documents", parent=terrorism)
    crime = ThematicAreaFactory(name="Crime")
    austria = ParticipatingStateFactory(name="Austria")
    ct = NetworkFactory(name="CT")
    bsm = NetworkFactory(name="BSM")
    anna = FocalPointFactory(
        first_name="Anna",
        last_name="Berg",
        state=austria,
        authority="Federal Police",
        thematic_areas=[travel],
        working_languages=["de", "en"],
        email="anna@example.org",
    )
    boris = StructureFocalPointFactory(
        first_name="Boris",
        last_name="Berg",
        job_title="Adviser",
        structure=ExecutiveStructureFactory(acronym="SPMU", name="Police Unit"),
        thematic_areas=[crime],
        working_languages=["ru"],
    )
    clara = FocalPointFactory(
        first_name="Clara",
        last_name="Diaz",
        state=None,
        authority="",
        partner_organisation=PartnerOrganisationFactory(acronym="UNODC"),
    )
    field = StructureFocalPointFactory(
        first_name="Dmitri", last_name="Egorov", structure=FieldOperationFactory(host_state=austria)
    )
    MembershipFactory(focal_point=anna, network=ct)
    MembershipFactory(focal_point=boris, network=ct, role=Membership.Role.MEMBER)
    MembershipFactory(focal_point=clara, network=bsm, role=Membership.Role.MEMBER)
    MembershipFactory(
        focal_point=field, network=bsm, role=Membership.Role.MEMBER, start=date(2001, 1, 1), end=date(2002, 1, 1)
    )
    return {
        "anna": anna,
        "boris": boris,
        "clara": clara,
        "field": field,
        "ct": ct,
        "bsm": bsm,
        "terrorism": terrorism,
        "austria": austria,
    }


def names(params):
    filterset = FocalPointFilterSet(params, queryset=FocalPoint.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(fp.first_name for fp in filterset.qs)


def test_search_by_name_matches_every_word(people):
    assert names({"q": "berg"}) == ["Anna", "Boris"]
    assert names({"q": "anna berg"}) == ["Anna"]
    assert names({"q": "adviser"}) == ["Boris"]


def test_search_by_email_only_for_those_who_may_see_it(people, rf, secretariat_user, delegation_user):
    request = rf.get("/")
    request.user = secretariat_user
    assert [
        fp.first_name
        for fp in FocalPointFilterSet({"q": "anna@"}, queryset=FocalPoint.objects.all(), request=request).qs
    ] == ["Anna"]
    request.user = delegation_user
    assert list(FocalPointFilterSet({"q": "anna@"}, queryset=FocalPoint.objects.all(), request=request).qs) == []


def test_search_word_matches_inside_one_field_never_across_two():
    FocalPointFactory(first_name="Anna", last_name="Berg", job_title="Adviser")

    assert names({"q": "nna"}) == ["Anna"]
    assert names({"q": "annaberg"}) == []
    assert names({"q": "bergadviser"}) == []


def test_search_reads_the_stored_columns_after_an_edit(rf, secretariat_user):
    person = FocalPointFactory(first_name="Anna", last_name="Berg", email="anna@example.org")
    assert names({"q": "berg"}) == ["Anna"]

    FocalPoint.objects.filter(pk=person.pk).update(last_name="Соколова", email="sokolova@example.org")

    assert names({"q": "berg"}) == []
    assert names({"q": "СОКОЛ"}) == ["Anna"]  # upper-cased by the database on both sides, Cyrillic too
    request = rf.get("/")
    request.user = secretariat_user
    found = FocalPointFilterSet({"q": "sokolova@"}, queryset=FocalPoint.objects.all(), request=request).qs
    assert [fp.first_name for fp in found] == ["Anna"]


def test_search_without_contact_rights_ignores_a_word_found_only_in_the_email(rf, delegation_user):
    FocalPointFactory(first_name="Anna", last_name="Berg", email="secret.desk@example.org")
    request = rf.get("/")
    request.user = delegation_user

    found = FocalPointFilterSet({"q": "anna secret"}, queryset=FocalPoint.objects.all(), request=request).qs

    assert list(found) == []


@pytest.mark.parametrize("q", ["100%", "a_b"])
def test_search_takes_like_wildcards_literally(q):
    FocalPointFactory(first_name="Anna", job_title=f"Head of {q}")
    FocalPointFactory(first_name="Boris", job_title="Head of 1000 and ab")

    assert names({"q": q}) == ["Anna"]


def test_filter_by_organisation_text(people):
    assert names({"organisation": "spmu"}) == ["Boris"]
    assert names({"organisation": "police"}) == ["Anna", "Boris"]
    assert names({"organisation": "UNODC"}) == ["Clara"]
    assert names({"organisation_kind": "partner"}) == ["Clara"]


def test_filter_by_state_includes_hosted_field_operation(people):
    assert names({"state": people["austria"].pk}) == ["Anna", "Dmitri"]


def test_filter_by_top_thematic_area_includes_sub_areas(people):
    assert names({"thematic_area": people["terrorism"].pk}) == ["Anna"]


def test_filter_by_network_counts_current_members_only(people):
    assert names({"network": people["ct"].pk}) == ["Anna", "Boris"]
    assert names({"network": people["bsm"].pk}) == ["Clara"]
    assert names({"network": people["ct"].pk, "role": "primary"}) == ["Anna"]
    assert names({"role": "member"}) == ["Boris", "Clara"]


def test_filter_by_language(people):
    assert names({"language": "de"}) == ["Anna"]
    assert names({"language": "ru"}) == ["Boris"]
