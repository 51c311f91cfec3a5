"""The filter forms' cached option lists (programmes/choice_cache.py, issue 14): same markup, fewer queries, and a
change to the reference data shows on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from focal_points.filtersets import FocalPointFilterSet
from programmes import choice_cache
from programmes.events.filtersets import EventFilterSet
from programmes.events.models import Event
from programmes.filtersets import ProjectFilterSet
from programmes.models import ExecutiveStructure, ParticipatingState, Project, ThematicArea
from programmes.permissions import Role
from tests.factories import (
    ExecutiveStructureFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ThematicAreaFactory,
    make_user,
)
from tests.focal_points.factories import NetworkFactory

pytestmark = pytest.mark.django_db

PROJECTS = reverse("programmes:project_list")


@pytest.fixture
def reference_data():
    parent = ThematicAreaFactory(name="Fighting organised crime", short_name="Organised crime")
    ThematicAreaFactory(name="Trafficking in human beings", short_name="THB", parent=parent)
    for i in range(3):
        ExecutiveStructureFactory(name=f"Office <{i}> & co", acronym=f"O{i}")
        ParticipatingStateFactory(name=f"State {i}", iso_code="X" + "ABC"[i])
        MandateFactory()
        PartnerOrganisationFactory()
    NetworkFactory()


def _forms(request_factory):
    request = request_factory.get("/")
    request.user = make_user(Role.SECRETARIAT)
    return [
        lambda data: EventFilterSet(data, queryset=Event.objects.all()).form,
        lambda data: ProjectFilterSet(data, queryset=Project.objects.all()).form,
        lambda data: FocalPointFilterSet(data, queryset=None, request=request).form,
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_cached_options_render_the_same_selects_selected_values_included(reference_data, rf, language):
    structure = ExecutiveStructure.objects.order_by("pk").last()
    area = ThematicArea.objects.filter(parent__isnull=False).get()
    data = {"structure": str(structure.pk), "thematic_area": [str(area.pk)], "state": "999999"}

    with translation.override(language):
        for make in _forms(rf):
            for bound in (None, data):
                plain = make(bound)
                expected = [str(field) for field in plain]
                first, second = make(bound), make(bound)
                choice_cache.use_cached_choices(first)  # a miss: computed and stored
                choice_cache.use_cached_choices(second)  # a hit
                assert [str(field) for field in first] == expected
                assert [str(field) for field in second] == expected
                if bound:
                    # Validation still runs against the queryset: an unknown State is refused.
                    assert "state" in second.errors or "state" not in second.fields
                    assert f'<option value="{structure.pk}" selected>' in str(second["structure"])


def test_a_cached_form_runs_no_query_for_its_options(reference_data, rf):
    make = _forms(rf)[1]
    choice_cache.use_cached_choices(make(None))
    form = make(None)

    with CaptureQueriesContext(connection) as queries:
        choice_cache.use_cached_choices(form)
        html = "".join(str(field) for field in form)

    assert len(queries) == 0
    assert "Office &lt;0&gt; &amp; co (O0)" in html


def test_renamed_added_and_deleted_reference_rows_show_on_the_next_page(client_as, reference_data):
    client = client_as(make_user(Role.COORDINATOR))
    client.get(PROJECTS)  # fills the cache
    structure = ExecutiveStructure.objects.get(acronym="O1")

    structure.name = "Renamed office"
    structure.save()
    ExecutiveStructureFactory(name="Brand-new unit", acronym="BNU")
    ParticipatingState.objects.get(iso_code="XC").delete()
    body = client.get(PROJECTS).content.decode()

    assert "Renamed office (O1)" in body and "Office &lt;1&gt; &amp; co" not in body
    assert "Brand-new unit (BNU)" in body
    assert "State 2" not in body


def test_a_bulk_update_through_a_service_signal_shows_on_the_next_page(client_as, reference_data):
    from programmes.signals import rows_updated

    client = client_as(make_user(Role.COORDINATOR))
    client.get(PROJECTS)
    ExecutiveStructure.objects.filter(acronym="O2").update(name="Bulk-renamed office")
    rows_updated.send(sender=ExecutiveStructure)

    assert "Bulk-renamed office (O2)" in client.get(PROJECTS).content.decode()


def test_each_language_has_its_own_list(client_as, reference_data):
    structure = ExecutiveStructure.objects.get(acronym="O0")
    structure.name_ru = "Офис номер ноль"
    structure.save()
    client = client_as(make_user(Role.COORDINATOR))

    english = client.get(PROJECTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(PROJECTS, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Office &lt;0&gt; &amp; co (O0)" in english and "Офис номер ноль" not in english
    assert "Офис номер ноль (O0)" in russian
