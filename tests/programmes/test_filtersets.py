"""Each filter of the shared FilterSets, used by the HTML list pages and the API alike."""

import contextlib
from datetime import date

import django_filters
import pytest
from django.core.exceptions import ValidationError

from programmes.filtersets import (
    ExecutiveStructureFilterSet,
    MandateFilterSet,
    ParticipatingStateFilterSet,
    PartnerOrganisationFilterSet,
    ProjectFilterSet,
    ReferenceChoiceField,
    ThematicAreaFilterSet,
)
from programmes.models import (
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)
from programmes.permissions import Role
from tests.factories import (
    ExecutiveStructureFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def codes(data: dict) -> list[str]:
    filterset = ProjectFilterSet(data, queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("code", flat=True))


@pytest.fixture
def world():
    crime = ThematicAreaFactory(name="Fighting organised crime")
    thb = ThematicAreaFactory(name="Trafficking in human beings", parent=crime)
    cyber = ThematicAreaFactory(name="Promoting cyber security")
    spmu = ExecutiveStructureFactory(acronym="SPMU")
    oit = FieldOperationFactory(acronym="OiT", region=Region.CENTRAL_ASIA)
    mts = FieldOperationFactory(acronym="MtS", region=Region.SOUTH_EASTERN_EUROPE)
    tj, rs = ParticipatingStateFactory(iso_code="TJ"), ParticipatingStateFactory(iso_code="RS")
    mc, pc = MandateFactory(code="MC.DEC/5/06"), MandateFactory(code="PC.DEC/813", body=Mandate.Body.PC)
    p1 = ProjectFactory(
        code="THB-OIT",
        title="Anti-trafficking in GBAO",
        summary="Police training",
        lead_structure=oit,
        thematic_areas=[thb],
        beneficiary_states=[tj],
        status=Project.Status.ONGOING,
        funding_source="exb",
        start=date(2010, 3, 1),
    )
    p1.mandates.set([mc])
    p2 = ProjectFactory(
        code="CRIME-SPMU",
        title="Organised crime assessment",
        summary="Threat assessment",
        lead_structure=spmu,
        partner_structures=[oit],
        thematic_areas=[crime],
        beneficiary_states=[tj, rs],
        status=Project.Status.PROPOSAL,
        funding_source="ub",
        start=date(2011, 1, 1),
        end=date(2011, 12, 31),
    )
    p2.mandates.set([pc])
    ProjectFactory(
        code="CYBER-MTS",
        title="Cyber workshop",
        summary="Belgrade workshop on cyber threats",
        lead_structure=mts,
        thematic_areas=[cyber],
        beneficiary_states=[rs],
        status=Project.Status.COMPLETED,
        funding_source="ub",
        start=date(2009, 12, 1),
    )
    return {
        "crime": crime,
        "thb": thb,
        "cyber": cyber,
        "spmu": spmu,
        "oit": oit,
        "mts": mts,
        "tj": tj,
        "rs": rs,
        "mc": mc,
        "pc": pc,
    }


def test_no_filter_returns_everything(world):
    assert codes({}) == ["CRIME-SPMU", "CYBER-MTS", "THB-OIT"]


def test_top_thematic_area_matches_its_sub_areas(world):
    assert codes({"thematic_area": world["crime"].pk}) == ["CRIME-SPMU", "THB-OIT"]


def test_sub_area_matches_only_itself(world):
    assert codes({"thematic_area": world["thb"].pk}) == ["THB-OIT"]


def test_sub_area_filter_looks_up_no_sub_areas_of_its_own(world, django_assert_num_queries):
    # The chosen area (form validation), then the projects; a top area adds the query for its sub-areas.
    with django_assert_num_queries(2):
        assert codes({"thematic_area": world["thb"].pk}) == ["THB-OIT"]
    with django_assert_num_queries(3):
        assert codes({"thematic_area": world["crime"].pk}) == ["CRIME-SPMU", "THB-OIT"]


def test_project_in_a_top_area_and_its_sub_area_is_listed_once(world):
    both = ProjectFactory(code="BOTH", thematic_areas=[world["crime"], world["thb"]])
    assert codes({"thematic_area": world["crime"].pk}).count("BOTH") == 1
    assert Project.objects.get(pk=both.pk).thematic_areas.count() == 2


def test_structure_matches_lead_or_partner(world):
    assert codes({"structure": world["oit"].pk}) == ["CRIME-SPMU", "THB-OIT"]


def test_lead_structure_matches_only_the_lead(world):
    assert codes({"lead_structure": world["oit"].pk}) == ["THB-OIT"]


def test_state_matches_beneficiary_states(world):
    assert codes({"state": world["rs"].pk}) == ["CRIME-SPMU", "CYBER-MTS"]


def test_region_of_the_lead_structure(world):
    assert codes({"region": Region.SOUTH_EASTERN_EUROPE}) == ["CYBER-MTS"]


def test_mandate(world):
    assert codes({"mandate": world["pc"].pk}) == ["CRIME-SPMU"]


def test_status_takes_several_values(world):
    assert codes({"status": ["proposal", "completed"]}) == ["CRIME-SPMU", "CYBER-MTS"]


def test_funding_source(world):
    assert codes({"funding_source": "exb"}) == ["THB-OIT"]


def test_start_range(world):
    assert codes({"start_after": "2010-01-01"}) == ["CRIME-SPMU", "THB-OIT"]
    assert codes({"start_before": "2010-12-31"}) == ["CYBER-MTS", "THB-OIT"]
    assert codes({"start_after": "2010-01-01", "start_before": "2010-12-31"}) == ["THB-OIT"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("thb-oit", ["THB-OIT"]),
        ("ORGANISED", ["CRIME-SPMU"]),
        ("belgrade", ["CYBER-MTS"]),
        ("  ", None),
        ("nothing-like-this", []),
    ],
)
def test_q_searches_code_title_and_summary_case_insensitively(world, q, expected):
    assert codes({"q": q}) == (expected if expected is not None else ["CRIME-SPMU", "CYBER-MTS", "THB-OIT"])


def test_q_matches_inside_one_field_never_across_two():
    ProjectFactory(code="ALPHA-1", title="Border management", summary="Beta training")

    assert codes({"q": "alpha-1"}) == ["ALPHA-1"]
    assert codes({"q": "management"}) == ["ALPHA-1"]
    assert codes({"q": "ALPHA-1 Border"}) == []  # code then title: two fields, not one text
    assert codes({"q": "management beta"}) == []


def test_q_reads_the_stored_search_text_after_an_edit():
    project = ProjectFactory(code="OLD-1", title="Old title", summary="")
    assert codes({"q": "old title"}) == ["OLD-1"]

    Project.objects.filter(pk=project.pk).update(title="Новое название")

    assert codes({"q": "old title"}) == []
    assert codes({"q": "НОВОЕ"}) == ["OLD-1"]  # upper-cased by the database on both sides, Cyrillic too


@pytest.mark.parametrize("q", ["100%", "a_b", "back\\slash"])
def test_q_takes_like_wildcards_literally(q):
    ProjectFactory(code="LIT-1", title=f"Reached {q} of the target", summary="")
    ProjectFactory(code="LIT-2", title="Reached 1000 of the target, ab, backslash", summary="")

    assert codes({"q": q}) == ["LIT-1"]


def test_q_with_the_separator_character_is_searched_field_by_field():
    ProjectFactory(code="SEP-1", title="Unit\x1fseparator in a title", summary="")
    ProjectFactory(code="SEP-2", title="Unit", summary="separator")

    assert codes({"q": "unit\x1fseparator"}) == ["SEP-1"]


def test_filters_combine(world):
    assert codes({"thematic_area": world["crime"].pk, "state": world["rs"].pk, "q": "assessment"}) == ["CRIME-SPMU"]


def test_invalid_values_make_the_filterset_invalid(world):
    filterset = ProjectFilterSet({"status": "archived", "start_after": "soon"}, queryset=Project.objects.all())
    assert not filterset.is_valid()
    assert {"status", "start_after"} <= set(filterset.errors)


def test_reference_filtersets_search_and_filter():
    oit = FieldOperationFactory(name="OSCE Office in Tajikistan", acronym="OiT")
    ExecutiveStructureFactory(name="Strategic Police Matters Unit", acronym="SPMU")
    at = ParticipatingStateFactory(name="Austria", iso_code="AT")
    ParticipatingStateFactory(name="Afghanistan", iso_code="AF", is_partner=True)
    un = PartnerOrganisationFactory(name="United Nations", acronym="UN", kind=PartnerOrganisation.Kind.UN_BODY)
    unodc = PartnerOrganisationFactory(name="UN Office on Drugs and Crime", acronym="UNODC", parent=un)
    top = ThematicAreaFactory(name="Promoting cyber security", short_name="Cyber")
    sub = ThematicAreaFactory(name="Critical information infrastructure", parent=top)
    mandate = MandateFactory(code="FSC.DEC/7/09", body=Mandate.Body.FSC, year=2009)

    structures = ExecutiveStructureFilterSet(
        {"q": "tajik", "kind": "field_operation"}, queryset=ExecutiveStructure.objects.all()
    ).qs
    states = ParticipatingStateFilterSet(
        {"is_partner": "false", "q": "aus"}, queryset=ParticipatingState.objects.all()
    ).qs
    orgs = PartnerOrganisationFilterSet({"parent": un.pk}, queryset=PartnerOrganisation.objects.all()).qs
    tops = ThematicAreaFilterSet({"top_level": "true", "q": "cyber"}, queryset=ThematicArea.objects.all()).qs
    subs = ThematicAreaFilterSet({"parent": top.pk}, queryset=ThematicArea.objects.all()).qs
    mandates = MandateFilterSet({"body": "FSC", "year": 2009}, queryset=Mandate.objects.all()).qs

    assert list(structures) == [oit]
    assert list(states) == [at]
    assert list(orgs) == [unodc]
    assert list(tops) == [top]
    assert list(subs) == [sub]
    assert list(mandates) == [mandate]


def _portal_filtersets():
    """Every FilterSet of the portal built on PortalFilterSet (imported through the apps' own filterset modules)."""
    import importlib

    from django.apps import apps

    from programmes.filtersets import PortalFilterSet

    for config in apps.get_app_configs():
        if config.name.startswith(("programmes", "focal_points", "taskforces", "osce_tnt", "knowledge", "results")):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{config.name}.filtersets")
    found, pending = [], [PortalFilterSet]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if getattr(sub._meta, "model", None) is not None:
                found.append(sub)
    return found


def _as_django_filter_builds_it(filterset_class, data):
    """The same FilterSet as django-filter itself builds it: deep-copied filters and a form class of its own."""
    import django_filters

    theirs = filterset_class.__new__(filterset_class)
    django_filters.FilterSet.__init__(theirs, data, queryset=filterset_class._meta.model._default_manager.all())
    theirs._form = django_filters.FilterSet.get_form_class(theirs)(data)
    return theirs


@pytest.mark.parametrize("data", [None, {"q": "border"}, {"q": "", "unknown": "1"}])
def test_every_portal_filterset_gives_the_form_and_query_django_filter_gives(world, data):
    classes = _portal_filtersets()
    assert len(classes) >= 12

    for filterset_class in classes:
        ours = filterset_class(data, queryset=filterset_class._meta.model._default_manager.all())
        theirs = _as_django_filter_builds_it(filterset_class, data)

        assert str(ours.form) == str(theirs.form), filterset_class
        assert ours.is_valid() == theirs.is_valid()
        if ours.is_valid():
            assert str(ours.qs.query) == str(theirs.qs.query), filterset_class


def test_two_instances_of_a_filterset_never_share_a_filter_or_a_form_field(world):
    first, second = ProjectFilterSet({"q": "a"}), ProjectFilterSet({"q": "b"})

    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    assert first.form.fields["q"] is not second.form.fields["q"]
    assert type(first.form) is type(second.form)  # one form class per FilterSet class
    # each filters by its own value
    assert first.qs.query.sql_with_params()[1] == ("a",) and second.qs.query.sql_with_params()[1] == ("b",)


@pytest.mark.parametrize("data", [None, {"q": "border"}, {"thematic_area": "0"}, {"status": ["ongoing", "x"]}])
def test_an_api_filterset_validates_and_filters_as_a_page_filterset_does(world, data):
    for filterset_class in _portal_filtersets():
        page = filterset_class(data, queryset=filterset_class._meta.model._default_manager.all())
        api = filterset_class(data, queryset=filterset_class._meta.model._default_manager.all())
        api.form_fields_shared = True  # as the API's filter backend builds it

        assert api.is_valid() == page.is_valid(), filterset_class
        assert api.errors == page.errors
        if api.is_valid():
            assert str(api.qs.query) == str(page.qs.query), filterset_class


def test_a_page_changing_its_filter_form_leaves_the_api_forms_alone(world):
    page = ProjectFilterSet({"thematic_area": str(world["cyber"].pk)})
    page.form.fields["thematic_area"].queryset = ThematicArea.objects.none()  # as a page may narrow a select
    page.form.fields["thematic_area"].widget.attrs["data-page"] = "projects"

    api = ProjectFilterSet({"thematic_area": str(world["cyber"].pk)})
    api.form_fields_shared = True

    assert not page.is_valid()
    assert api.is_valid() and list(api.qs.values_list("code", flat=True)) == ["CYBER-MTS"]
    assert "data-page" not in api.form.fields["thematic_area"].widget.attrs


def test_the_api_backend_builds_filtersets_whose_forms_share_the_classs_fields(rf):
    from rest_framework.request import Request

    from osce_tnt.api.filters import PortalFilterBackend
    from programmes.api.views import ProjectViewSet

    view = ProjectViewSet()
    view.filterset_class = ProjectFilterSet
    request = Request(rf.get("/api/projects/", {"q": "cyber"}))
    filterset = PortalFilterBackend().get_filterset(request, Project.objects.all(), view)

    assert filterset.form_fields_shared
    assert filterset.form.fields["q"] is ProjectFilterSet.shared_form_class().base_fields["q"]


# --- ReferenceChoiceField: the chosen row by a prepared statement, the ORM's answer and errors ---------------------


def _orm_field(queryset):
    return django_filters.fields.ModelChoiceField(queryset=queryset, required=False)


def _error(field, value) -> list[str] | None:
    try:
        field.clean(value)
    except ValidationError as exc:
        return exc.messages
    return None


def test_reference_choice_finds_the_row_the_orm_finds_in_one_query(django_assert_num_queries):
    structure = ExecutiveStructureFactory(name="Border Management Staff College")
    field = ReferenceChoiceField(queryset=ExecutiveStructure.objects.all(), required=False)

    with django_assert_num_queries(1):
        found = field.clean(str(structure.pk))

    expected = ExecutiveStructure.objects.get(pk=structure.pk)
    assert type(found) is ExecutiveStructure
    assert {f.attname: getattr(found, f.attname) for f in ExecutiveStructure._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in ExecutiveStructure._meta.concrete_fields
    }


@pytest.mark.parametrize("value", ["999999", "abc", "1.5", "-3", str(2**70), "1\x00"])
def test_reference_choice_refuses_what_the_orm_refuses_with_its_message(value):
    ExecutiveStructureFactory()
    field = ReferenceChoiceField(queryset=ExecutiveStructure.objects.all(), required=False)
    expected = _error(_orm_field(ExecutiveStructure.objects.all()), value)
    assert expected is not None
    assert _error(field, value) == expected


def test_reference_choice_within_a_narrowed_queryset_is_the_orms():
    inside, outside = ExecutiveStructureFactory(name="Inside"), ExecutiveStructureFactory(name="Outside")
    field = ReferenceChoiceField(queryset=ExecutiveStructure.objects.filter(name="Inside"), required=False)
    assert field.clean(str(inside.pk)) == inside
    assert _error(field, str(outside.pk)) == _error(
        _orm_field(ExecutiveStructure.objects.filter(name="Inside")), str(outside.pk)
    )
    assert field.clean("") is None


def test_api_list_answers_an_unknown_structure_with_a_field_message(api_as):
    response = api_as(make_user(Role.SECRETARIAT)).get("/api/activity-reports/?structure=999999")
    assert response.status_code == 400
    assert list(response.json()) == ["structure"]


def test_area_filter_validates_the_chosen_area_without_joining_its_parent(world, django_assert_num_queries):
    filterset = ProjectFilterSet({"thematic_area": str(world["thb"].pk)}, queryset=Project.objects.all())

    with django_assert_num_queries(1):
        assert filterset.is_valid()
    chosen = filterset.form.cleaned_data["thematic_area"]
    assert (chosen.pk, chosen.parent_id) == (world["thb"].pk, world["crime"].pk)

    with django_assert_num_queries(1):  # the parent, which only the option labels read, loads when asked for
        assert chosen.parent.name == "Fighting organised crime"
