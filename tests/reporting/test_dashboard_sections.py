"""The dashboard in sections (templates/reporting/dashboard.html): a nav of sections, every chart in exactly one
section with its table and CSV link."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from osce_tnt.reporting.views import CHART_SECTIONS
from programmes.models import ThematicArea
from programmes.permissions import Role
from tests.factories import make_user
from tests.reporting.factories import build_dataset

pytestmark = pytest.mark.django_db

Q1_QUERY = {"start": "2010-01-01", "end": "2010-03-31"}
SECTIONS = ["overview", "activities", "funding", "reporting", "gaps", "results"]


@pytest.fixture
def data():
    return build_dataset()


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section class="dashboard-section" id="{section_id}"')
    return html[start : html.index('<p class="to-sections">', start)]


@pytest.mark.parametrize("view", ["reporting:dashboard", "reporting:my_state"])
def test_every_chart_sits_in_one_section_with_its_table_and_csv(client_as, data, view):
    delegate = make_user(Role.DELEGATION, state=data.s1)
    response = client_as(delegate).get(reverse(view), Q1_QUERY)
    html = response.content.decode()
    charts = response.context["data"]["charts"]

    nav = html[html.index('<nav class="section-nav"') : html.index("</nav>", html.index('<nav class="section-nav"'))]
    assert re.findall(r'href="#([\w-]+)"', nav) == [*SECTIONS, "dashboard-sections"]
    assert "other" not in response.context["section_charts"]  # no chart fell outside the named sections
    for name in charts:
        homes = [s for s in SECTIONS if f'id="{name}"' in _section(html, s)]
        assert homes == [CHART_SECTIONS[name]], name
        block = _section(html, homes[0])
        chart = block[block.index(f'id="{name}"') :]
        assert "<table" in chart.split("</section>")[0], name
        assert reverse("reporting:dashboard_csv", args=[name]) in chart.split("</section>")[0], name


def test_a_chart_no_section_names_is_shown_under_more_figures(client_as, data, monkeypatch):
    monkeypatch.delitem(CHART_SECTIONS, "linkage")
    delegate = make_user(Role.DELEGATION, state=data.s1)
    html = client_as(delegate).get(reverse("reporting:dashboard"), Q1_QUERY).content.decode()
    assert 'href="#other"' in html
    assert 'id="linkage"' in _section(html, "other")


def test_dashboard_area_labels_follow_the_language(client_as, data):
    area = ThematicArea.objects.get(pk=data.terrorism.pk)
    area.short_name_ru = "Терроризм"
    area.save()
    delegate = make_user(Role.DELEGATION, state=data.s1)
    with translation.override("ru"):
        html = client_as(delegate).get(reverse("reporting:dashboard"), {**Q1_QUERY}, HTTP_ACCEPT_LANGUAGE="ru")
    charts = _section(html.content.decode(), "activities") + _section(html.content.decode(), "funding")
    assert "Терроризм" in charts  # in the charts' own labels, not only in the filter's list
    english = client_as(delegate).get(reverse("reporting:dashboard"), Q1_QUERY).content.decode()
    english_charts = _section(english, "activities") + _section(english, "funding")
    assert "Терроризм" not in english_charts and area.short_name in english_charts
