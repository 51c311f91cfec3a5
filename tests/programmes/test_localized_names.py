"""Reference-data names in the page's language: structures, thematic areas and networks carry their Russian name
in the database (``name_ru``), filled in by the reference data, and pages and forms show it in Russian."""

import pytest
from django.urls import reverse
from django.utils import translation

from focal_points.models import Network
from focal_points.reference_data import load_networks
from programmes.events.forms import EventForm
from programmes.models import ExecutiveStructure, ThematicArea
from programmes.permissions import Role
from programmes.reference_data import load_core
from tests.factories import ExecutiveStructureFactory, ThematicAreaFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_reference_data_gives_every_structure_area_and_network_a_russian_name():
    load_core()
    load_networks()
    assert ExecutiveStructure.objects.count() > 20
    assert list(ExecutiveStructure.objects.filter(name_ru="").values_list("acronym", flat=True)) == []
    assert list(ThematicArea.objects.filter(name_ru="").values_list("code", flat=True)) == []
    assert list(ThematicArea.objects.filter(short_name_ru="").values_list("code", flat=True)) == []
    assert list(Network.objects.filter(name_ru="").values_list("slug", flat=True)) == []
    oit = ExecutiveStructure.objects.get(acronym="OiT")
    with translation.override("ru"):
        assert str(oit) == "Офис ОБСЕ в Таджикистане (OiT)"
        assert oit.osce_name == "Офис ОБСЕ в Таджикистане"
    with translation.override("en"):
        assert str(oit) == "OSCE Office in Tajikistan (OiT)"
        assert oit.osce_name == "Office in Tajikistan"


def test_a_name_without_its_russian_form_falls_back_to_english():
    area = ThematicAreaFactory(name="Cyber security", short_name="Cyber", name_ru="")
    child = ThematicAreaFactory(name="Cybercrime", short_name="Cybercrime", parent=area, name_ru="Киберпреступность")
    with translation.override("ru"):
        assert str(area) == "Cyber security"
        assert str(child) == "Cyber › Киберпреступность"
    with translation.override("fr"):
        assert str(child) == "Cyber › Cybercrime"


def test_pages_and_forms_show_the_russian_names_in_russian(client_as):
    unit = ExecutiveStructureFactory(
        name="Action against Terrorism Unit", name_ru="Группа по борьбе с терроризмом", acronym="ATU"
    )
    ThematicAreaFactory(name="Border security and management", name_ru="Безопасность и управление границами")
    author = make_user(Role.SECRETARIAT, structure=unit)
    client = client_as(author)

    russian = client.get(reverse("programmes:structure_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    english = client.get(reverse("programmes:structure_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Группа по борьбе с терроризмом" in russian and "Action against Terrorism Unit" not in russian
    assert "Action against Terrorism Unit" in english and "Группа по борьбе с терроризмом" not in english

    with translation.override("ru"):
        form = str(EventForm(user=author))
    assert "Группа по борьбе с терроризмом (ATU)" in form
    assert "Безопасность и управление границами" in form
