"""Duplicate and overlap detection on a hand-made set of events."""

from datetime import date, timedelta

import pytest

from programmes.events import duplicates, selectors, services
from programmes.events.models import CoordinationAlert, Event
from tests.factories import EventFactory, ExecutiveStructureFactory, ThematicAreaFactory
from tests.programmes.events.factories import SUBJECT_A, SUBJECT_B

pytestmark = pytest.mark.django_db


def _alert_pairs():
    return {(a.event_a_id, a.event_b_id): a for a in CoordinationAlert.objects.all()}


def _pair(x, y):
    return (min(x.pk, y.pk), max(x.pk, y.pk))


def test_field_operation_and_thematic_unit_on_same_theme_place_and_week_are_flagged(world):
    field_event = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        end=date(2010, 5, 19),
        title="Regional workshop on identifying victims of trafficking",
    )
    unit_event = world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 22),
        title="Workshop on identification of trafficking victims in Tajikistan",
    )

    services.duplicates_check_event(event_id=unit_event.pk)

    alert = CoordinationAlert.objects.get()
    assert (alert.event_a_id, alert.event_b_id) == _pair(field_event, unit_event)
    assert alert.status == CoordinationAlert.Status.OPEN
    assert alert.score >= 0.8
    assert alert.reasons[:3] == ["same area: THB", "both in Tajikistan", "3 days apart"]
    assert any(r.startswith("similar titles") for r in alert.reasons)


def test_parent_area_matches_its_sub_area_and_a_neighbouring_state_alone_is_no_longer_an_alert(world):
    first = world.event(
        lead=world.oit,
        areas=[world.crime],
        state=world.tajikistan,
        start=date(2010, 6, 1),
        end=date(2010, 6, 3),
        title=SUBJECT_A,
    )
    second = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 6, 2), title=SUBJECT_B
    )
    # Same region but another State: below the threshold since issue 11 (too many alerts nobody could act on).
    world.event(lead=world.cthb, areas=[world.thb], state=world.kyrgyzstan, start=date(2010, 6, 2), title=SUBJECT_B)

    matches = selectors.duplicate_matches(event=first)

    assert [(m.other_id, m.reasons) for m in matches] == [
        (
            second.pk,
            [
                "same area: THB (within Organised crime)",
                "both in Tajikistan",
                "dates overlap",
                "similar titles (60% shared words)",
            ],
        )
    ]
    services.duplicates_check_event(event_id=first.pk)
    assert set(_alert_pairs()) == {_pair(first, second)}


def test_same_place_theme_and_week_without_a_shared_subject_is_not_an_alert(world):
    """The tuning of issue 11 (bench/README.md, "Alert density"): area + State + overlapping dates weigh 0.70 at most,
    below the 0.82 threshold; the titles must share a subject too."""
    base = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A
    )
    other = world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Round table with civil society",
    )

    assert selectors.duplicate_matches(event=base) == []
    [match] = duplicates.score_candidates(
        selectors._facts(base, [world.thb.pk]),
        [selectors._facts(other, [world.thb.pk])],
        areas={world.thb.pk: duplicates.AreaInfo(world.thb.pk, None, "THB")},
        window_days=14,
        threshold=0.0,
    )
    # 0.25 (area) + 0.30 (State) + 0.15 (dates overlap) + 0.30 × 0 (no term in common).
    assert match.score == pytest.approx(0.70)


def test_unrelated_events_are_not_flagged(world):
    base = world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A
    )
    world.event(lead=world.atu, areas=[world.cyber], state=world.tajikistan, start=date(2010, 5, 18))  # other theme
    world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 7, 30), title=SUBJECT_B
    )  # too far
    world.event(
        lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_A
    )  # same structure
    world.event(lead=world.cthb, areas=[world.drugs], state=world.tajikistan, start=date(2010, 5, 18))  # sibling area
    world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        status=Event.Status.CANCELLED,
    )  # cancelled
    world.event(lead=world.mts, areas=[world.thb], state=world.serbia, start=date(2010, 5, 30))  # elsewhere, later

    services.duplicates_check_event(event_id=base.pk)

    assert selectors.duplicate_matches(event=base) == []
    assert CoordinationAlert.objects.count() == 0


def test_resolved_pair_stays_silent_on_rescan_and_in_duplicates(world, coordinator):
    a = world.event(
        lead=world.oit,
        areas=[world.border],
        state=world.tajikistan,
        start=date(2010, 6, 7),
        end=date(2010, 6, 11),
        title=SUBJECT_A,
    )
    b = world.event(
        lead=world.borders_team,
        areas=[world.border],
        state=world.tajikistan,
        start=date(2010, 6, 14),
        end=date(2010, 6, 18),
        title=SUBJECT_B,
    )
    services.duplicates_check_event(event_id=a.pk)
    alert = CoordinationAlert.objects.get()

    services.alert_resolve(alert=alert, resolution=CoordinationAlert.Status.NOT_DUPLICATE, actor=coordinator)
    services.duplicates_check_event(event_id=a.pk)
    services.duplicates_check_event(event_id=b.pk)
    services.duplicates_rescan_range(first_pk=0, last_pk=10**9)

    alert.refresh_from_db()
    assert CoordinationAlert.objects.count() == 1
    assert alert.status == CoordinationAlert.Status.NOT_DUPLICATE
    assert alert.resolved_by == coordinator
    assert selectors.open_alerts().count() == 0
    assert selectors.event_duplicates(event=a, user=coordinator) == []


def test_open_alert_disappears_when_the_event_moves_away(world, django_capture_on_commit_callbacks):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    b = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 20), title=SUBJECT_B
    )
    services.duplicates_check_event(event_id=a.pk)
    assert CoordinationAlert.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=b, data={"start": date(2010, 9, 1), "end": date(2010, 9, 2)})

    assert CoordinationAlert.objects.count() == 0


def test_saving_an_event_through_the_service_queues_the_check_on_commit(world, django_capture_on_commit_callbacks):
    world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.event_create(
            title=SUBJECT_B,
            format=Event.Format.SEMINAR,
            lead_structure=world.cthb,
            thematic_areas=[world.thb],
            state=world.tajikistan,
            all_day=True,
            start=date(2010, 5, 19),
            end=date(2010, 5, 19),
        )
    assert CoordinationAlert.objects.count() == 0  # nothing is checked before the save is committed
    for callback in callbacks:
        callback()
    alert = CoordinationAlert.objects.get()
    assert created.pk in (alert.event_a_id, alert.event_b_id)


def _crowd(world, n: int, start: date) -> Event:
    """``n`` similar events of other structures around ``start``, and the event to check."""
    leads = [ExecutiveStructureFactory() for _ in range(5)]
    for i in range(n):
        EventFactory(
            lead_structure=leads[i % 5],
            thematic_areas=[world.thb],
            state=world.tajikistan,
            start_date=start + timedelta(days=i % 10),
            title=f"Anti-trafficking workshop {i}",
        )
    # Noise outside the window and on other themes, which the database must leave out.
    for i in range(n):
        EventFactory(
            lead_structure=leads[i % 5],
            thematic_areas=[ThematicAreaFactory()],
            start_date=start + timedelta(days=i % 10),
        )
        EventFactory(lead_structure=leads[i % 5], thematic_areas=[world.thb], start_date=start + timedelta(days=200))
    return world.event(
        lead=world.oit,
        areas=[world.thb, world.crime],
        state=world.tajikistan,
        start=start,
        end=start + timedelta(days=2),
        title="Anti-trafficking workshop in Dushanbe",
    )


@pytest.mark.parametrize("n", [5, 50])
def test_duplicate_check_query_count_is_constant(world, django_assert_num_queries, n):
    event = _crowd(world, n, date(2010, 5, 10))

    # One more than before issue 11: the co-organisers, which tell double entries and co-organised pairs apart.
    with django_assert_num_queries(10):
        alerts = services.duplicates_check_event(event_id=event.pk)

    assert len(alerts) == n
    assert CoordinationAlert.objects.filter(status="open").count() == n


def test_gist_and_btree_window_filters_agree(world, monkeypatch):
    """PostgreSQL answers the window with the GiST range expression; SQLite with the B-tree columns. Same rows."""
    from types import SimpleNamespace

    for start, end in [
        (date(2010, 4, 1), date(2010, 4, 30)),
        (date(2010, 5, 1), date(2010, 5, 1)),
        (date(2010, 5, 31), date(2010, 6, 2)),
        (date(2010, 6, 3), date(2010, 6, 3)),
    ]:
        world.event(lead=world.oit, areas=[world.thb], start=start, end=end)
    low, high = date(2010, 5, 1), date(2010, 6, 1)
    native = set(selectors._window_filter(Event.objects.all(), low, high).values_list("start_date", flat=True))
    monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))
    generic = set(selectors._window_filter(Event.objects.all(), low, high).values_list("start_date", flat=True))
    assert native == generic == {date(2010, 5, 1), date(2010, 5, 31)}


def _facts(pk, *, areas, state=None, online=False, region="", lead=None, co=(), start=date(2010, 5, 10), terms=()):
    return duplicates.EventFacts(
        pk=pk,
        title=" ".join(sorted(terms)),
        start_date=start,
        end_date=start,
        state_id=state,
        state_name="Somewhere" if state else "",
        region=region,
        online=online,
        area_ids=frozenset(areas),
        lead_id=lead,
        co_organiser_ids=frozenset(co),
        terms=frozenset(terms),
    )


def test_a_candidate_the_filter_drops_could_never_reach_the_threshold_and_one_it_keeps_could():
    """``may_match`` decides before the candidate cap without looking at titles. Over every area relation, place,
    lead relation and day gap: when it says no, ``score_pair`` finds nothing whatever the titles (identical ones and
    the best trigram included); when it says yes, identical titles are a match. So the filter never loses an alert."""
    from itertools import product

    areas = {
        1: duplicates.AreaInfo(1, None, "Top"),
        2: duplicates.AreaInfo(2, 1, "Sub"),
        3: duplicates.AreaInfo(3, None, "Other"),
    }
    area_pairs = {"same": ({2}, {2}), "parent": ({1}, {2}), "child": ({2}, {1}), "none": ({2}, {3})}
    places = {
        "same State": ({"state": 7, "region": "ca"}, {"state": 7, "region": "ca"}),
        "both online": ({"online": True}, {"online": True, "state": 8}),
        "same region": ({"state": 7, "region": "ca"}, {"state": 8, "region": "ca"}),
        "nothing": ({"state": 7, "region": "ca"}, {"state": 9, "region": "see"}),
    }
    leads = {"others": (10, 20, ()), "same lead": (10, 10, ()), "co-organised": (10, 20, (10,))}
    titles = [({"victim", "traffick", "workshop"}, {"victim", "traffick", "workshop"})]
    titles += [({"victim", "traffick", "workshop"}, {"victim", "polic"}), ({"a"}, {"b"})]
    window = 14
    dropped = kept = 0
    for (a_areas, b_areas), (a_place, b_place), (a_lead, b_lead, co), gap, (a_terms, b_terms) in product(
        area_pairs.values(), places.values(), leads.values(), [0, 1, 3, 4, 10, 14, 15], titles
    ):
        a = _facts(1, areas=a_areas, lead=a_lead, terms=a_terms, **a_place)
        b = _facts(
            2,
            areas=b_areas,
            lead=b_lead,
            co=co,
            start=date(2010, 5, 10) + timedelta(days=gap),
            terms=b_terms,
            **b_place,
        )
        possible = duplicates.may_match(a, b, areas=areas, window_days=window)
        match = duplicates.score_pair(
            a, b, areas=areas, window_days=window, threshold=duplicates.ALERT_THRESHOLD, trigram=1.0
        )
        if not possible:
            dropped += 1
            assert match is None, (a, b, match)
        elif a_terms == b_terms:
            kept += 1
            assert match is not None, (a, b)
    assert dropped > 100 and kept > 10  # both answers really occur


def test_places_a_candidate_must_share_follow_the_weights(monkeypatch):
    # scoring.json: area 0.25, dates 0.15, title 0.30 leave 0.12 to the place for the 0.82 threshold.
    assert duplicates.places_that_may_match() == {"state", "online"}
    monkeypatch.setitem(duplicates.PLACE_WEIGHTS, "region", 0.15)
    assert duplicates.places_that_may_match() == {"state", "online", "region"}
    monkeypatch.setitem(duplicates.PLACE_WEIGHTS, "online", 0.0)
    # A possible double entry of an online event still needs online candidates.
    assert duplicates.places_that_may_match() == {"state", "online", "region"}


def test_candidates_that_cannot_match_do_not_use_up_the_candidate_cap(world, monkeypatch):
    """A crowded fortnight: the cap applies to the candidates that could match only, in both checks."""
    monkeypatch.setattr(selectors, "MAX_DUPLICATE_CANDIDATES", 3)
    start = date(2010, 5, 10)
    for _ in range(4):  # earlier (smaller pks), same theme and days, another State: never above the threshold
        world.event(lead=world.cthb, areas=[world.thb], state=world.kyrgyzstan, start=start, title=SUBJECT_B)
    twin = world.event(lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=start, title=SUBJECT_B)
    event = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=start, title=SUBJECT_A)

    per_event = selectors.duplicate_matches(event=event)
    nightly = selectors.duplicate_matches_starting_between(start=start, end=start + timedelta(days=1))[event.pk]

    assert [m.other_id for m in per_event] == [twin.pk]
    assert [(m.other_id, m.score, m.reasons) for m in nightly] == [(m.other_id, m.score, m.reasons) for m in per_event]
