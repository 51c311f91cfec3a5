"""Model rules of the core: status transitions, date order, budget, mandate codes, the two-level area tree."""

from datetime import date
from decimal import Decimal
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Mandate, Project, ThematicArea, validate_mandate_code
from programmes.services import project_change_status, project_update
from tests.factories import MandateFactory, ProjectFactory, ThematicAreaFactory

S = Project.Status
ALLOWED = {
    (S.PROPOSAL, S.APPROVED),
    (S.PROPOSAL, S.CANCELLED),
    (S.APPROVED, S.ONGOING),
    (S.APPROVED, S.CANCELLED),
    (S.ONGOING, S.COMPLETED),
    (S.ONGOING, S.CANCELLED),
}
ALL_PAIRS = [(a, b) for a, b in product(S.values, S.values) if a != b]
REFUSED = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def test_transition_table_matches_the_lifecycle():
    assert {(a, b) for a, targets in Project.TRANSITIONS.items() for b in targets} == ALLOWED
    assert len(REFUSED) == 20 - len(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_allowed_status_transition_is_saved(old, new):
    project = ProjectFactory(status=old)
    assert project.can_transition_to(new)
    assert new in project.allowed_transitions()

    result = project_change_status(project=project, status=new)

    assert result.status == new
    project.refresh_from_db()
    assert project.status == new


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_refused_status_transition_leaves_the_project_unchanged(old, new):
    project = ProjectFactory(status=old)
    assert not project.can_transition_to(new)

    with pytest.raises(ValidationError) as exc:
        project_change_status(project=project, status=new)

    assert "status" in exc.value.message_dict
    project.refresh_from_db()
    assert project.status == old


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_refused_status_transition_through_update_is_refused_too(old, new):
    project = ProjectFactory(status=old, title="Before")

    with pytest.raises(ValidationError) as exc:
        project_update(project=project, data={"status": new, "title": "After"})

    assert "status" in exc.value.message_dict
    project.refresh_from_db()
    assert (project.status, project.title) == (old, "Before")


@pytest.mark.django_db
def test_unknown_status_is_refused_with_a_message_not_a_crash():
    project = ProjectFactory(status=S.PROPOSAL)

    with pytest.raises(ValidationError) as exc:
        project_change_status(project=project, status="archived")

    assert "status" in exc.value.message_dict
    project.refresh_from_db()
    assert project.status == S.PROPOSAL


@pytest.mark.parametrize("final", [S.COMPLETED, S.CANCELLED])
def test_final_statuses_allow_no_move(final):
    assert Project(status=final).allowed_transitions() == []


@pytest.mark.django_db
def test_end_before_start_is_reported_on_the_end_field():
    project = ProjectFactory.build(
        lead_structure=ProjectFactory().lead_structure, code="DATES-1", start=date(2010, 5, 1), end=date(2010, 4, 30)
    )

    with pytest.raises(ValidationError) as exc:
        project.full_clean()

    assert "end" in exc.value.message_dict
    assert not Project.objects.filter(code="DATES-1").exists()


@pytest.mark.django_db
def test_end_on_start_day_and_open_end_are_valid():
    same_day = ProjectFactory(start=date(2010, 5, 1), end=date(2010, 5, 1))
    open_end = ProjectFactory(start=date(2010, 5, 1), end=None)

    same_day.full_clean()
    open_end.full_clean()
    assert Project.objects.filter(pk__in=[same_day.pk, open_end.pk]).count() == 2


@pytest.mark.django_db
def test_database_refuses_end_before_start_even_without_validation():
    project = ProjectFactory(start=date(2010, 5, 1), end=date(2010, 6, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(end=date(2010, 1, 1))

    project.refresh_from_db()
    assert project.end == date(2010, 6, 1)


@pytest.mark.django_db
def test_negative_budget_is_refused_by_full_clean():
    project = ProjectFactory()
    project.budget = Decimal("-0.01")

    with pytest.raises(ValidationError) as exc:
        project.full_clean()

    assert "budget" in exc.value.message_dict
    project.refresh_from_db()
    assert project.budget == Decimal("100000.00")


@pytest.mark.django_db
def test_database_refuses_negative_budget_even_without_validation():
    project = ProjectFactory(budget=Decimal("10"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget=Decimal("-1"))

    project.refresh_from_db()
    assert project.budget == Decimal("10.00")


@pytest.mark.django_db
def test_zero_budget_is_valid():
    project = ProjectFactory(budget=Decimal("0"))
    project.full_clean()
    assert Project.objects.get(pk=project.pk).budget == Decimal("0")


@pytest.mark.parametrize(
    "code", ["MC.DEC/4/07", "MC.DEC/18/06", "PC.DEC/813", "FSC.DEC/7/09", "FSC.DEC/10/08", "UNSCR 1540"]
)
def test_valid_mandate_codes_pass(code):
    validate_mandate_code(code)


@pytest.mark.parametrize(
    "code", ["MC/DEC/4/07", "mc.dec/4/07", "MC.DEC/4/2007", "MC.DEC/4", "FSC.DEC/7", "UNSCR1540", "DEC 4", ""]
)
def test_malformed_mandate_codes_fail(code):
    with pytest.raises(ValidationError):
        validate_mandate_code(code)


@pytest.mark.django_db
def test_mandate_with_malformed_code_is_not_saved_through_full_clean():
    mandate = Mandate(code="MC-DEC-4-07", title="Bad", year=2007, body=Mandate.Body.MC)

    with pytest.raises(ValidationError) as exc:
        mandate.full_clean()

    assert "code" in exc.value.message_dict
    assert not Mandate.objects.filter(code="MC-DEC-4-07").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "body"), [("MC.DEC/4/07", "FSC"), ("FSC.DEC/7/09", "MC"), ("UNSCR 1540", "PC"), ("PC.DEC/813", "UNSC")]
)
def test_mandate_code_must_match_its_body(code, body):
    mandate = Mandate(code=code, title="Mismatch", year=2009, body=body)

    with pytest.raises(ValidationError) as exc:
        mandate.full_clean()

    assert "code" in exc.value.message_dict
    assert not Mandate.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_mandate_code_matching_its_body_is_valid():
    mandate = MandateFactory.build(code="FSC.DEC/7/09", body=Mandate.Body.FSC)
    mandate.full_clean()
    mandate.save()
    assert Mandate.objects.get(code="FSC.DEC/7/09").body == "FSC"


@pytest.mark.django_db
def test_sub_area_under_top_area_is_valid():
    top = ThematicAreaFactory()
    sub = ThematicArea(name="Sub", code="sub", short_name="Sub", parent=top)
    sub.full_clean()
    sub.save()
    assert top.children.get() == sub
    assert not sub.is_top_level and top.is_top_level
    assert str(sub) == f"{top.short_name} › Sub"


@pytest.mark.django_db
def test_third_level_area_is_refused():
    top = ThematicAreaFactory()
    sub = ThematicAreaFactory(parent=top)
    third = ThematicArea(name="Third", code="third", short_name="Third", parent=sub)

    with pytest.raises(ValidationError) as exc:
        third.full_clean()

    assert "parent" in exc.value.message_dict
    assert not ThematicArea.objects.filter(code="third").exists()


@pytest.mark.django_db
def test_top_area_with_sub_areas_cannot_become_a_sub_area():
    top, other = ThematicAreaFactory(), ThematicAreaFactory()
    ThematicAreaFactory(parent=top)
    top.parent = other

    with pytest.raises(ValidationError) as exc:
        top.full_clean()

    assert "parent" in exc.value.message_dict
    top.refresh_from_db()
    assert top.parent_id is None


@pytest.mark.django_db
def test_area_cannot_be_its_own_parent():
    area = ThematicAreaFactory()
    area.parent = area

    with pytest.raises(ValidationError):
        area.full_clean()

    area.refresh_from_db()
    assert area.parent_id is None


def test_thematic_areas_in_tree_order_put_each_sub_area_under_its_parent(db):
    from programmes.models import ThematicArea
    from tests.factories import ThematicAreaFactory

    second = ThematicAreaFactory(code="b", name="B", short_name="B", position=2)
    first = ThematicAreaFactory(code="a", name="A", short_name="A", position=1)
    b1 = ThematicAreaFactory(code="b1", name="B one", short_name="B1", parent=second, position=1)
    a2 = ThematicAreaFactory(code="a2", name="A two", short_name="A2", parent=first, position=2)
    a1 = ThematicAreaFactory(code="a1", name="A one", short_name="A1", parent=first, position=1)

    assert list(ThematicArea.objects.in_tree_order()) == [first, a1, a2, second, b1]
