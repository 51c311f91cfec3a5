"""Cached figures live in the real Redis cache (settings_test uses REDIS_URL) and follow the data."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from osce_tnt.reporting import selectors
from osce_tnt.reporting.cache import GENERATION_KEY, current_generation, invalidate
from osce_tnt.reporting.figures import PUBLIC, STAFF
from programmes.services import pledge_add, project_update
from tests.factories import EventFactory
from tests.reporting.factories import Q1, TODAY, build_dataset

pytestmark = pytest.mark.django_db


def _key_figure(result, key):
    return next(item["value"] for item in result["key_figures"] if item["key"] == key)


def test_cache_backend_is_redis():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    cache.set("reporting:probe", 1)
    assert cache.get("reporting:probe") == 1


def test_second_read_comes_from_the_cache_without_queries():
    build_dataset()
    first = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        second = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert second == first
    assert len(queries.captured_queries) == 0


def test_audiences_never_share_a_cache_entry():
    build_dataset()
    public = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    staff = selectors.dashboard_figures(filters=Q1, audience=STAFF, today=TODAY)
    assert _key_figure(public, "projects") == 3
    assert _key_figure(staff, "projects") == 4
    assert selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)["audience"] == PUBLIC


def test_changing_a_project_invalidates_cached_figures():
    data = build_dataset()
    before = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(before, "exb_budget") == 125000.0
    generation = current_generation()
    project_update(project=data.p3, data={"budget": Decimal("75000")})
    assert current_generation() > generation
    after = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(after, "exb_budget") == 175000.0


def test_new_pledge_event_and_area_change_invalidate_cached_figures():
    data = build_dataset()
    selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    pledge_add(project=data.p1, donor_state=data.s3, amount=Decimal("1000"), pledged_on=Q1.start)
    result = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(result, "pledged") == 66000.0

    EventFactory(title="New", status="held", thematic_areas=[data.cyber], start_date=Q1.start)
    result = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(result, "events_held") == 2

    # An M2M change alone (P2 now also serves cyber security) changes the linkage matrix.
    data.p2.thematic_areas.add(data.cyber)
    linkage = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)["charts"]["linkage"]
    assert {row[0]: row[1:] for row in linkage["rows"]}["OC"] == [2, 4, 1]


def test_accepting_an_activity_report_invalidates_cached_figures():
    data = build_dataset()
    before = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(before, "activities") == 2
    data.r2.status = "accepted"
    data.r2.first_submitted_at = data.r1.first_submitted_at
    data.r2.save()
    after = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(after, "activities") == 3
    assert cache.get(GENERATION_KEY) == current_generation()


def test_figures_and_writes_survive_redis_being_away(settings):
    data = build_dataset()
    # A Redis server nobody listens on: reads compute afresh and writes still succeed.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    result = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    project_update(project=data.p2, data={"budget": Decimal("41000")})
    assert _key_figure(result, "projects") == 3
    data.p2.refresh_from_db()
    assert data.p2.budget == Decimal("41000")


def test_a_focal_point_confirming_their_details_invalidates_cached_vacancies():
    """Confirmation marks memberships with one UPDATE (no post_save), yet the vacancy table must follow it."""
    from datetime import date

    from focal_points.models import ConfirmationRequest
    from focal_points.services import focal_point_confirm
    from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory

    data = build_dataset()
    network = NetworkFactory(name="Counter-Terrorism Network")
    focal_point = FocalPointFactory(state=data.s1)
    MembershipFactory(network=network, focal_point=focal_point, start=date(2009, 1, 1), last_confirmed=date(2000, 1, 1))

    def vacant_states():
        result = selectors.dashboard_figures(filters=Q1, audience=STAFF, today=TODAY)
        table = next(t for t in result["gap_tables"] if t["name"] == "gap_networks")
        return {row[0]: row[1] for row in table["rows"]}[network.name]

    request = ConfirmationRequest.objects.create(focal_point=focal_point, year=TODAY.year)
    # The primary for Kazakhstan was last confirmed ten years ago: stale, so listed as a vacancy.
    assert "Kazakhstan" in vacant_states()
    assert focal_point_confirm(confirmation_request=request, today=TODAY) == 1
    assert "Kazakhstan" not in vacant_states()
    assert focal_point.memberships.get().last_confirmed == TODAY


def test_concurrent_miss_while_another_process_computes_gets_the_previous_figures_without_computing():
    from osce_tnt.reporting import cache as figure_cache

    figure_cache.cached("probe", PUBLIC, "k", lambda: {"v": 1})
    figure_cache.bump_generation()  # a write: the figures are stale now
    cache.add(figure_cache.compute_lock_key("probe", PUBLIC, "k"), 1, 30)  # another worker is recomputing
    computed = []

    value = figure_cache.cached("probe", PUBLIC, "k", lambda: computed.append(1) or {"v": 2})

    assert value == {"v": 1}
    assert computed == []


def test_concurrent_cold_requests_compute_the_figures_once():
    import threading

    from osce_tnt.reporting import cache as figure_cache

    calls = []
    started = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        threading.Event().wait(0.5)
        return {"v": 3}

    results = []
    first = threading.Thread(target=lambda: results.append(figure_cache.cached("cold", STAFF, "k2", slow)))
    first.start()
    started.wait(5)
    second = figure_cache.cached("cold", STAFF, "k2", slow)  # arrives while the first computes
    first.join()

    assert calls == [1]
    assert second == {"v": 3} and results == [{"v": 3}]


def test_recording_a_legal_commitment_invalidates_cached_figures_but_a_library_document_does_not():
    from tests.factories import ParticipatingStateFactory
    from tests.knowledge.factories import CommitmentFactory, DocumentFactory, InstrumentFactory

    state, instrument = ParticipatingStateFactory(), InstrumentFactory()
    selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)  # figures read: the next write bumps
    generation = current_generation()
    CommitmentFactory(state=state, instrument=instrument)
    after_commitment = current_generation()
    selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    DocumentFactory()

    assert after_commitment > generation
    assert current_generation() == after_commitment


def test_a_computation_running_for_an_older_generation_serves_the_previous_figures_after_another_write():
    from osce_tnt.reporting import cache as figure_cache

    figure_cache.cached("series", STAFF, "k", lambda: {"v": 1})
    figure_cache.bump_generation()
    cache.add(figure_cache.compute_lock_key("series", STAFF, "k"), 1, 30)  # a worker recomputes after that write
    figure_cache.bump_generation()  # and another write lands meanwhile
    computed = []

    value = figure_cache.cached("series", STAFF, "k", lambda: computed.append(1) or {"v": 2})

    assert value == {"v": 1}
    assert computed == []


def test_a_read_after_a_write_with_no_computation_running_sees_the_write():
    from osce_tnt.reporting import cache as figure_cache

    assert figure_cache.cached("fresh", STAFF, "k", lambda: {"v": 1}) == {"v": 1}
    figure_cache.bump_generation()

    assert figure_cache.cached("fresh", STAFF, "k", lambda: {"v": 2}) == {"v": 2}
    assert cache.get(figure_cache.compute_lock_key("fresh", STAFF, "k")) is None


def test_a_hit_is_one_read_of_the_cache(monkeypatch):
    from osce_tnt.reporting import cache as figure_cache

    figure_cache.cached("hit", STAFF, "k", lambda: {"v": 1})
    reads = []
    for method in ("get", "get_many"):
        original = getattr(cache, method)
        monkeypatch.setattr(cache, method, lambda *a, _m=method, _o=original, **k: reads.append(_m) or _o(*a, **k))

    assert figure_cache.cached("hit", STAFF, "k", lambda: {"v": 2}) == {"v": 1}
    assert reads == ["get_many"]


def test_figures_older_than_the_timeout_are_computed_again_without_a_write(monkeypatch):
    import time

    from osce_tnt.reporting import cache as figure_cache

    assert figure_cache.cached("aged", STAFF, "k", lambda: {"v": 1}) == {"v": 1}
    assert figure_cache.cached("aged", STAFF, "k", lambda: {"v": 2}) == {"v": 1}
    later = time.time() + figure_cache.FIGURE_TIMEOUT + 1
    monkeypatch.setattr(figure_cache.time, "time", lambda: later)

    assert figure_cache.cached("aged", STAFF, "k", lambda: {"v": 3}) == {"v": 3}


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_rows_bumps_the_generation_once_now_and_once_after_commit():
    data = build_dataset()
    generation = current_generation()
    with transaction.atomic():
        # The event, its history row and its area links: three writes the figures read.
        EventFactory(title="New", status="held", thematic_areas=[data.cyber], start_date=Q1.start)
        assert current_generation() == generation + 1
    assert current_generation() == generation + 2


def test_figures_read_between_two_writes_of_a_transaction_do_not_hide_the_second():
    data = build_dataset()
    with transaction.atomic():
        EventFactory(title="First", status="held", thematic_areas=[data.cyber], start_date=Q1.start)
        between = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
        EventFactory(title="Second", status="held", thematic_areas=[data.cyber], start_date=Q1.start)
        after = selectors.dashboard_figures(filters=Q1, audience=PUBLIC, today=TODAY)
    assert _key_figure(after, "events_held") == _key_figure(between, "events_held") + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_take_the_after_commit_bump_of_the_writes_before_it():
    data = build_dataset()
    generation = current_generation()
    with transaction.atomic():
        with transaction.atomic():
            EventFactory(title="Kept", status="held", thematic_areas=[data.cyber], start_date=Q1.start)
        try:
            with transaction.atomic():
                EventFactory(title="Undone", status="held", start_date=Q1.start)
                raise RuntimeError
        except RuntimeError:
            pass
        assert current_generation() == generation + 1
    assert current_generation() == generation + 2


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_bumps_the_generation_once():
    generation = current_generation()
    invalidate()  # as a receiver calls it after a write committed on its own
    assert current_generation() == generation + 1


def test_a_warm_rendered_page_is_served_from_this_process_reading_only_its_stamp(monkeypatch):
    from osce_tnt.reporting import cache as figure_cache

    assert figure_cache.cached("page", STAFF, "k", lambda: "<p>42</p>") == "<p>42</p>"
    asked = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: asked.append(list(keys)) or original(keys, *a, **k))

    assert figure_cache.cached("page", STAFF, "k", lambda: "<p>recomputed</p>") == "<p>42</p>"
    latest_key = figure_cache._latest_key("page", STAFF, "k")
    assert asked == [[GENERATION_KEY, f"{latest_key}:stamp"]]


def test_a_page_another_worker_computed_replaces_this_processs_copy():
    from osce_tnt.reporting import cache as figure_cache

    figure_cache.cached("page", STAFF, "k", lambda: "<p>old</p>")
    this_process = dict(figure_cache._local)
    figure_cache.bump_generation()
    figure_cache._local.clear()  # another worker, with no copy, computes after the write
    assert figure_cache.cached("page", STAFF, "k", lambda: "<p>new</p>") == "<p>new</p>"
    figure_cache._local.update(this_process)  # back in this worker, which still holds the old page

    assert figure_cache.cached("page", STAFF, "k", lambda: "<p>third</p>") == "<p>new</p>"


def test_a_copy_kept_in_the_process_is_not_served_once_the_cache_has_lost_its_entry():
    from osce_tnt.reporting import cache as figure_cache

    figure_cache.cached("page", STAFF, "k", lambda: "<p>before restart</p>")
    cache.clear()  # Redis restarted: the generation starts again at 1, as when the copy was made

    assert figure_cache.cached("page", STAFF, "k", lambda: "<p>after</p>") == "<p>after</p>"


def test_figure_dicts_are_not_shared_between_reads_in_one_process():
    from osce_tnt.reporting import cache as figure_cache

    first = figure_cache.cached("dict", STAFF, "k", lambda: {"rows": [1, 2]})
    first["rows"].append(3)  # a caller changing what it was given

    assert figure_cache.cached("dict", STAFF, "k", lambda: {"rows": []}) == {"rows": [1, 2]}
