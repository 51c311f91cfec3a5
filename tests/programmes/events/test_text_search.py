"""PostgreSQL's language tools in the duplicate check (issue 11 §3): stored title terms from the english/russian
full-text configurations through the bilingual glossary, and pg_trgm for near-identical titles."""

from datetime import date

import pytest
from django.db import connection

from programmes.events import duplicates, selectors, services, text_search
from programmes.events.models import CoordinationAlert, Event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search and pg_trgm"),
]

ENGLISH = "Workshop on identifying victims of trafficking"
RUSSIAN = "Семинар по выявлению жертв торговли людьми"


def _alert_state():
    return sorted(
        (a.event_a_id, a.event_b_id, a.status, a.score, a.kind, tuple(a.reasons))
        for a in CoordinationAlert.objects.all()
    )


def test_title_terms_come_from_the_language_configuration_chosen_by_script():
    # Glossary words become concepts; the rest are the stemmer's lexemes (not the Python fallback's 6-letter prefix),
    # and the configurations' stop words ("по", "for", "in") and "OSCE" are gone.
    assert text_search.title_terms("Конференция ОБСЕ по приватизации") == {"conference", "приватизац"}
    assert "по" not in text_search.title_terms("Конференция по радикализации")
    assert text_search.title_terms("OSCE seminar for prosecutors in Osh") == {"workshop", "prosecutor", "osh"}


def test_russian_and_english_titles_share_their_concepts():
    english, russian = text_search.title_terms(ENGLISH), text_search.title_terms(RUSSIAN)

    assert {"workshop", "identification", "victim", "trafficking"} <= english & russian
    assert duplicates.jaccard(english, russian) >= 0.5


def test_event_services_store_the_terms_and_follow_title_changes(world):
    event = services.event_create(
        title=ENGLISH,
        format=Event.Format.WORKSHOP,
        lead_structure=world.oit,
        thematic_areas=[world.thb],
        state=world.tajikistan,
        start_date=date(2010, 5, 18),
        end_date=date(2010, 5, 18),
    )
    assert text_search.split_terms(Event.objects.get(pk=event.pk).title_terms) == text_search.title_terms(ENGLISH)

    services.event_update(event=event, data={"title": RUSSIAN})

    stored = Event.objects.get(pk=event.pk).title_terms
    assert text_search.split_terms(stored) == text_search.title_terms(RUSSIAN)
    assert "людьм" not in stored.split()  # a glossary word is stored as its concept
    assert "human-beings" in stored.split()


def test_refresh_fills_rows_loaded_without_terms(world):
    event = world.event(lead=world.oit, areas=[world.thb], title=RUSSIAN)
    Event.objects.filter(pk=event.pk).update(title_terms=None)

    assert text_search.refresh_title_terms(event_ids=[event.pk]) == 1

    assert text_search.split_terms(Event.objects.get(pk=event.pk).title_terms) == text_search.title_terms(RUSSIAN)


def test_refresh_of_events_sharing_a_title_fills_only_the_events_named(world):
    named = [world.event(lead=world.oit, areas=[world.thb], title=RUSSIAN) for _ in range(3)]
    other = world.event(lead=world.oit, areas=[world.thb], title=RUSSIAN)
    english = world.event(lead=world.oit, areas=[world.thb], title=ENGLISH)
    Event.objects.update(title_terms=None)

    assert text_search.refresh_title_terms(event_ids=[e.pk for e in named] + [english.pk]) == 4

    expected = {e.pk: text_search.title_terms(RUSSIAN) for e in named} | {english.pk: text_search.title_terms(ENGLISH)}
    stored = dict(Event.objects.filter(pk__in=expected).values_list("pk", "title_terms"))
    assert {pk: text_search.split_terms(terms) for pk, terms in stored.items()} == expected
    assert Event.objects.get(pk=other.pk).title_terms is None


def test_refresh_of_all_events_fills_every_row(world):
    events = [world.event(lead=world.oit, areas=[world.thb], title=t) for t in (RUSSIAN, ENGLISH, ENGLISH)]
    Event.objects.update(title_terms=None)

    assert text_search.refresh_title_terms() == Event.objects.count()

    assert not Event.objects.filter(title_terms__isnull=True).exists()
    assert text_search.split_terms(Event.objects.get(pk=events[2].pk).title_terms) == text_search.title_terms(ENGLISH)


def test_russian_and_english_overlap_between_structures_alerts_on_postgres(world):
    english = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=ENGLISH
    )
    russian = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=RUSSIAN
    )

    services.duplicates_check_event(event_id=russian.pk)

    alert = CoordinationAlert.objects.get()
    assert (alert.event_a_id, alert.event_b_id) == (english.pk, russian.pk)
    assert alert.kind == CoordinationAlert.Kind.OVERLAP
    assert any(r.startswith("similar titles") for r in alert.reasons)


def test_a_row_without_stored_terms_is_compared_on_the_fly(world):
    english = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=ENGLISH
    )
    russian = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=RUSSIAN
    )
    with_terms = selectors.duplicate_matches(event=russian)
    Event.objects.filter(pk=english.pk).update(title_terms=None)

    without_terms = selectors.duplicate_matches(event=russian)

    assert [(m.other_id, m.score) for m in without_terms] == [(m.other_id, m.score) for m in with_terms] != []


def test_typo_in_a_double_entry_is_caught_by_trigram_similarity(world):
    first = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.kyrgyzstan,
        start=date(2010, 6, 7),
        title="Seminar for prosecutors in Osh",
    )
    typo = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.kyrgyzstan,
        start=date(2010, 6, 7),
        title="Seminr for prosecuters in Osh",
    )
    # The stems alone do not make them the same title: one shared term of five.
    shared = duplicates.jaccard(text_search.split_terms(first.title_terms), text_search.split_terms(typo.title_terms))
    assert shared < duplicates.DOUBLE_ENTRY_TITLE

    services.duplicates_check_event(event_id=typo.pk)

    alert = CoordinationAlert.objects.get()
    assert alert.kind == CoordinationAlert.Kind.DOUBLE_ENTRY
    assert any(r.startswith("nearly identical titles") for r in alert.reasons)
    # pg_trgm's similarity is 0.694; a double entry scores 0.5 + half of it.
    assert alert.score == pytest.approx(0.847, abs=0.001)


def test_nightly_rescan_agrees_with_the_per_event_check_on_bilingual_and_misspelt_pairs(
    world, django_capture_on_commit_callbacks
):
    rows = [
        (world.cthb, ENGLISH, date(2010, 5, 18)),
        (world.oit, RUSSIAN, date(2010, 5, 19)),
        (world.oit, "Seminar for prosecutors in Osh", date(2010, 6, 7)),
        (world.oit, "Seminr for prosecuters in Osh", date(2010, 6, 7)),
        (world.mts, "Border guards training", date(2010, 6, 8)),
        (world.borders_team, "Тренинг для пограничников", date(2010, 6, 9)),
        (world.atu, "Unrelated round table", date(2010, 6, 9)),
    ]
    for lead, title, start in rows:
        world.event(lead=lead, areas=[world.thb], state=world.kyrgyzstan, start=start, title=title)

    services.duplicates_rescan_period(start=date(2010, 5, 1), end=date(2010, 7, 1))
    set_based = _alert_state()
    CoordinationAlert.objects.all().delete()
    services.duplicates_rescan_range(first_pk=0, last_pk=10**9)
    per_event = _alert_state()

    assert set_based == per_event
    kinds = {row[4] for row in per_event}
    assert kinds == {CoordinationAlert.Kind.OVERLAP, CoordinationAlert.Kind.DOUBLE_ENTRY}


def test_an_admin_edit_of_the_title_refreshes_the_stored_terms(world, rf, admin_user):
    from django.contrib.admin.sites import site

    event = world.event(lead=world.oit, areas=[world.thb], title=ENGLISH)
    request = rf.post("/")
    request.user = admin_user
    event.title = RUSSIAN

    site._registry[Event].save_model(request, event, form=None, change=True)

    assert text_search.split_terms(Event.objects.get(pk=event.pk).title_terms) == text_search.title_terms(RUSSIAN)
