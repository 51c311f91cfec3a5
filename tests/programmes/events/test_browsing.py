"""The calendar pages a reader moves through: the agenda on chosen dates, month chips with whole titles, and the
event form's defaults and checkbox groups."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

AGENDA = reverse("events:agenda")


def _links(html: str, rel: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(rf'rel="{rel}" href="\?([^"]+)"', html)]


def test_the_agenda_on_chosen_days_moves_by_the_same_span_and_keeps_the_filters(client_as, world, secretariat_user):
    query = {"date_from": "2010-05-10", "date_to": "2010-05-16", "state": world.tajikistan.pk}

    html = client_as(secretariat_user).get(AGENDA, query).content.decode()

    earlier, later = _links(html, "prev"), _links(html, "next")
    assert earlier == [urlencode({"date_from": "2010-05-03", "date_to": "2010-05-09", "state": world.tajikistan.pk})]
    assert later == [urlencode({"date_from": "2010-05-17", "date_to": "2010-05-23", "state": world.tajikistan.pk})]


def test_the_agenda_on_whole_months_moves_by_months(client_as, world, secretariat_user):
    html = client_as(secretariat_user).get(AGENDA, {"date_from": "2010-01-01", "date_to": "2010-02-28"}).content
    assert _links(html.decode(), "next") == ["date_from=2010-03-01&date_to=2010-04-30"]
    assert _links(html.decode(), "prev") == ["date_from=2009-11-01&date_to=2009-12-31"]


def test_the_moved_agenda_lists_the_events_of_the_new_span(client_as, world, secretariat_user):
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 20), title="Third-week seminar")
    client = client_as(secretariat_user)
    first = client.get(AGENDA, {"date_from": "2010-05-10", "date_to": "2010-05-16"}).content.decode()
    assert "Third-week seminar" not in first
    moved = client.get(AGENDA + "?" + _links(first, "next")[0]).content.decode()
    assert "Third-week seminar" in moved


def test_the_agenda_by_month_keeps_the_filters_in_its_month_buttons(client_as, world, secretariat_user):
    html = client_as(secretariat_user).get(AGENDA, {"month": "2010-05", "state": world.tajikistan.pk}).content
    assert _links(html.decode(), "next") == [f"month=2010-06&mode=agenda&state={world.tajikistan.pk}"]


def test_a_month_chip_carries_the_whole_title(client_as, world, secretariat_user):
    title = "Regional workshop on the identification and referral of victims of trafficking along the routes"
    world.event(lead=world.oit, areas=[world.thb], start=date(2010, 5, 12), title=title)
    html = client_as(secretariat_user).get(reverse("events:calendar"), {"month": "2010-05"}).content.decode()
    assert f'<span class="chip-title">{title}</span>' in html
    assert f'title="{title} · OiT"' in html


def test_the_event_form_preselects_the_authors_structure_and_shows_checkbox_groups(client_as, world):
    author = make_user(Role.SECRETARIAT, structure=world.atu)
    html = client_as(author).get(reverse("events:event_create")).content.decode()
    lead = html[html.index('id="id_lead_structure"') : html.index("</select>", html.index('id="id_lead_structure"'))]
    assert re.search(rf'<option value="{world.atu.pk}" selected>', lead)
    assert '<select name="co_organisers"' not in html and 'name="co_organisers" value=' in html
    assert '<select name="partner_organisations"' not in html
    assert '<select name="project" id="id_project"' in html and 'name="project__q"' in html
