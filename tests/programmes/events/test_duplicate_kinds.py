"""Overlap alerts a co-ordinator trusts: co-organised pairs, double entries, Russian/English titles, merge, and the
check before saving (service, API, form)."""

from datetime import date

import pytest
from django.urls import reverse

from programmes.activity.models import ActivityReport, ReportedActivity
from programmes.events import duplicates, selectors, services
from programmes.events.models import CoordinationAlert, Event
from programmes.permissions import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TITLE = "Workshop on identifying victims of trafficking"


def _check(event):
    return services.duplicates_check_event(event_id=event.pk)


def test_co_organised_pair_is_already_coordinated_and_raises_no_alert(world):
    led_by_unit = world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Referral mechanisms for trafficked persons",
    )
    led_by_unit.co_organisers.set([world.oit])
    own = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 20),
        title="Training of labour inspectors on forced labour",
    )

    _check(own)
    _check(led_by_unit)

    assert CoordinationAlert.objects.count() == 0
    assert selectors.duplicate_matches(event=own) == []


def test_same_event_entered_twice_by_one_structure_is_a_possible_double_entry(world):
    first = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        end=date(2010, 5, 19),
        title=TITLE,
    )
    second = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        end=date(2010, 5, 19),
        title=TITLE,
    )
    assert CoordinationAlert.objects.count() == 0

    _check(second)

    alert = CoordinationAlert.objects.get()
    assert (alert.event_a_id, alert.event_b_id) == (first.pk, second.pk)
    assert alert.kind == CoordinationAlert.Kind.DOUBLE_ENTRY
    assert alert.reasons[0].startswith("possible double entry")
    assert alert.score == 1.0


def test_lead_and_co_organiser_entering_the_same_event_is_a_double_entry(world):
    lead_entry = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    lead_entry.co_organisers.set([world.oit])
    co_entry = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE + " in Dushanbe"
    )

    _check(co_entry)

    assert CoordinationAlert.objects.get().kind == CoordinationAlert.Kind.DOUBLE_ENTRY


def test_russian_and_english_titles_of_the_same_event_match_through_the_glossary(world):
    english = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    english.co_organisers.set([world.oit])
    russian = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Семинар по выявлению жертв торговли людьми",
    )

    assert duplicates.jaccard(duplicates.title_tokens(english.title), duplicates.title_tokens(russian.title)) >= 0.5
    _check(russian)

    alert = CoordinationAlert.objects.get()
    assert alert.kind == CoordinationAlert.Kind.DOUBLE_ENTRY


def test_russian_and_english_overlap_between_structures_scores_the_title_too(world):
    english = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    russian = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 20),
        title="Семинар по выявлению жертв торговли людьми",
    )
    [match] = selectors.duplicate_matches(event=russian)
    assert match.other_id == english.pk and match.kind == duplicates.OVERLAP
    assert any(r.startswith("similar titles") for r in match.reasons)


def test_without_postgresql_the_python_tokens_still_match_russian_and_english(world, monkeypatch):
    """The SQLite demo has no text search configurations nor pg_trgm: the glossary stems in Python stand in."""
    from programmes.events import text_search

    english = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    russian = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Семинар по выявлению жертв торговли людьми",
    )
    monkeypatch.setattr(text_search, "uses_postgres", lambda: False)

    [match] = selectors.duplicate_matches(event=russian)

    assert match.other_id == english.pk and match.kind == duplicates.OVERLAP
    assert any(r.startswith("similar titles") for r in match.reasons)


def test_not_the_same_double_entry_never_comes_back(world, coordinator):
    first = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE)
    second = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    _check(second)
    alert = CoordinationAlert.objects.get()
    services.alert_resolve(alert=alert, resolution="not_duplicate", actor=coordinator)

    _check(first)
    _check(second)
    # Nor after the nightly rescan, nor after one of the two is edited.
    services.duplicates_rescan_period(start=date(2010, 5, 1), end=date(2010, 6, 1))
    services.event_update(event=second, data={"city": "Khujand", "description": "Changed"})
    _check(second)

    alert.refresh_from_db()
    assert alert.status == CoordinationAlert.Status.NOT_DUPLICATE
    assert CoordinationAlert.objects.count() == 1
    assert not selectors.open_alerts().exists()
    assert selectors.event_duplicates(event=first, user=coordinator) == []


def test_merge_keeps_one_event_and_moves_the_others_links(world, coordinator):
    first = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE)
    second = world.event(
        lead=world.oit, areas=[world.thb, world.crime], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    second.co_organisers.set([world.cthb])
    report = ActivityReport.objects.create(
        structure=world.oit, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30), due_on=date(2010, 7, 30)
    )
    activity = ReportedActivity.objects.create(
        report=report,
        title="Workshop",
        activity_type="training",
        start=date(2010, 5, 18),
        end=date(2010, 5, 18),
        event=second,
        state=world.tajikistan,
    )
    _check(second)
    alert = CoordinationAlert.objects.get()

    kept = services.alert_resolve(alert=alert, resolution="merge", actor=coordinator)

    assert kept.pk == first.pk
    assert not Event.objects.filter(pk=second.pk).exists()
    assert not CoordinationAlert.objects.exists()
    activity.refresh_from_db()
    assert activity.event_id == first.pk
    assert set(first.thematic_areas.values_list("pk", flat=True)) == {world.thb.pk, world.crime.pk}
    assert list(first.co_organisers.values_list("pk", flat=True)) == [world.cthb.pk]


def test_an_overlap_cannot_be_merged(world, coordinator):
    from django.core.exceptions import ValidationError

    world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE)
    other = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=TITLE)
    _check(other)
    alert = CoordinationAlert.objects.get()
    assert alert.kind == CoordinationAlert.Kind.OVERLAP
    with pytest.raises(ValidationError):
        services.alert_resolve(alert=alert, resolution="merge", actor=coordinator)
    assert Event.objects.count() == 2


def _payload(world, **overrides):
    data = {
        "title": TITLE,
        "description": "",
        "format": "workshop",
        "lead_structure": world.oit.pk,
        "co_organisers": [],
        "thematic_areas": [world.thb.pk],
        "state": world.tajikistan.pk,
        "city": "Dushanbe",
        "online": False,
        "all_day": True,
        "start": "2010-05-18",
        "end": "2010-05-18",
        "timezone": "",
        "status": "planned",
        "visibility": "public",
        "partner_organisations": [],
        "project": None,
        "expected_participants": 30,
    }
    data.update(overrides)
    return data


def test_api_check_returns_duplicates_without_saving(world, api_as, secretariat_user):
    existing = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    before = Event.objects.count()

    response = api_as(secretariat_user).post(reverse("api:event-check"), _payload(world), format="json")

    assert response.status_code == 200, response.content
    [match] = response.json()
    assert (match["event"]["id"], match["kind"], match["strong"]) == (existing.pk, "double_entry", True)
    assert Event.objects.count() == before
    assert CoordinationAlert.objects.count() == 0


def test_api_check_answers_400_with_field_messages(world, api_as, secretariat_user):
    response = api_as(secretariat_user).post(
        reverse("api:event-check"), _payload(world, thematic_areas=[]), format="json"
    )
    assert response.status_code == 400
    assert "thematic_areas" in response.json()


def _form_data(world, **overrides):
    data = {
        "title": TITLE,
        "description": "",
        "format": "workshop",
        "lead_structure": str(world.oit.pk),
        "thematic_areas": [str(world.thb.pk)],
        "state": str(world.tajikistan.pk),
        "city": "Dushanbe",
        "all_day": "on",
        "start_date": "2010-05-18",
        "end_date": "2010-05-18",
        "timezone": "",
        "status": "planned",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_form_asks_for_confirmation_on_a_strong_match_then_saves_with_a_warning(world, client_as):
    user = make_user(Role.FIELD, structure=world.oit)
    existing = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE
    )
    client = client_as(user)
    url = reverse("events:event_create")

    first = client.post(url, _form_data(world))
    assert first.status_code == 409, first.content.decode()[:2000]
    page = first.content.decode()
    assert "Possible double entry" in page and existing.get_absolute_url() in page
    assert Event.objects.count() == 1

    second = client.post(url, _form_data(world, confirm_duplicates="1"), follow=True)
    assert Event.objects.count() == 2
    messages = [str(m) for m in second.context["messages"]]
    assert any("please check the possible duplicates" in m for m in messages)
    assert any(m.level_tag == "warning" for m in second.context["messages"])
    assert not any(m.level_tag == "success" for m in second.context["messages"])


def test_editing_an_event_into_a_duplicate_saves_with_a_warning_not_a_success(world, client_as):
    user = make_user(Role.FIELD, structure=world.oit)
    world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=TITLE)
    mine = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 9, 1), title="Something else"
    )
    client = client_as(user)

    response = client.post(reverse("events:event_edit", args=[mine.pk]), _form_data(world), follow=True)

    mine.refresh_from_db()
    assert (mine.title, mine.start_date) == (TITLE, date(2010, 5, 18))
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["warning"]
    assert "please check the possible duplicates" in str(next(iter(response.context["messages"])))


def test_scoring_page_shows_the_weights_and_the_glossary(client_as, coordinator):
    page = client_as(coordinator).get(reverse("events:scoring")).content.decode()
    assert str(duplicates.scoring()["overlap"]["same_state"]) in page
    assert str(duplicates.scoring()["overlap"]["trigram_min_similarity"]) in page
    assert "торговл" in page
