"""The benchmark's data generator (issue 14): sizes follow N, a second run reuses the data, series recur."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from programmes.activity.models import ActivityReport, ReportTransition
from programmes.events import text_search
from programmes.events.models import Event
from programmes.management.commands.generate_scale_data import (
    BENCH_EVENT_PREFIX,
    GENERATOR_VERSION,
    MARKER_TABLE,
    SEED_PREFIX,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the generator loads with PostgreSQL COPY"),
]


def _generate(capsys, scale="0.002") -> str:
    call_command("generate_scale_data", "--scale", scale)
    return capsys.readouterr().out


def test_generates_the_sizes_of_the_scale_and_records_them(capsys):
    assert not Event.objects.filter(title__startswith=SEED_PREFIX).exists()

    out = _generate(capsys)

    assert Event.objects.filter(title__startswith=SEED_PREFIX).count() == 400
    with connection.cursor() as cursor:
        cursor.execute("SELECT scale, counts->>'events', counts->>'generator' FROM bench_scale_marker")
        assert cursor.fetchone() == (0.002, "400", str(GENERATOR_VERSION))
    assert "Loaded scale 0.002" in out


def test_every_report_has_the_history_the_services_would_have_written(capsys):
    assert not ReportTransition.objects.exists()

    _generate(capsys)

    reports = ActivityReport.objects.filter(structure__acronym__startswith=SEED_PREFIX)
    histories = {
        report.pk: [(t.from_status, t.to_status) for t in report.transitions.all()]
        for report in reports.prefetch_related("transitions")
    }
    opened = [("", "draft")]
    expected = {
        "draft": opened,
        "submitted": [*opened, ("draft", "submitted")],
        "accepted": [*opened, ("draft", "submitted"), ("submitted", "accepted")],
        "returned": [*opened, ("draft", "submitted"), ("submitted", "returned")],
    }
    assert set(reports.values_list("status", flat=True)) == set(expected)
    for report in reports:
        assert histories[report.pk] == expected[report.status]
        moments = [t.at for t in ReportTransition.objects.filter(report=report)]
        assert moments[1:] == [moment for moment in (report.submitted_at, report.reviewed_at) if moment is not None]
        assert moments[0].date() == report.period_start
        returned = ReportTransition.objects.filter(report=report, to_status="returned").first()
        assert report.review_comment == (returned.comment if returned else "")
    assert reports.filter(status="returned").exclude(review_comment="").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT (counts->>'transitions')::int FROM bench_scale_marker")
        assert cursor.fetchone()[0] == ReportTransition.objects.filter(report__in=reports).count() > 0


def test_second_run_reuses_the_data_and_removes_what_the_benchmark_posted(capsys):
    _generate(capsys)
    generated = Event.objects.filter(title__startswith=SEED_PREFIX).exclude(title__startswith=BENCH_EVENT_PREFIX)
    kept = set(generated.values_list("pk", flat=True))
    template = generated.first()
    for i in range(3):
        Event.objects.create(
            title=f"{BENCH_EVENT_PREFIX} workshop number {i}",
            format="workshop",
            lead_structure=template.lead_structure,
            start_date=template.start_date,
            end_date=template.end_date,
        )

    out = _generate(capsys)

    assert "removed 3 events an earlier benchmark run posted" in out
    assert not Event.objects.filter(title__startswith=BENCH_EVENT_PREFIX).exists()
    assert set(Event.objects.filter(title__startswith=SEED_PREFIX).values_list("pk", flat=True)) == kept


def test_events_of_one_series_share_their_title_and_other_series_share_little(capsys):
    _generate(capsys)
    titles = Counter(Event.objects.filter(title__startswith=SEED_PREFIX).values_list("title", flat=True))

    assert max(titles.values()) > 1  # a series recurs
    topics = {title.split(" on ", 1)[1] for title in titles}
    words = Counter(word for topic in topics for word in topic.split())
    assert all(len(topic.split()) == 3 for topic in topics)
    # Topics draw three words from a large vocabulary: few words are used by more than two topics.
    assert sum(1 for n in words.values() if n > 2) < len(words) * 0.05


def test_stored_title_terms_are_the_terms_postgresql_gives_each_title(capsys):
    _generate(capsys)
    stored = dict(Event.objects.filter(title__startswith=SEED_PREFIX).values_list("title", "title_terms").distinct())

    assert len(stored) > 20
    for title, terms in list(stored.items())[:40]:
        assert text_search.split_terms(terms) == text_search.title_terms(title), title


@pytest.fixture
def no_scale_marker():
    # The marker table is not a model: the flush after a transactional test leaves it behind, and with
    # --reuse-db a later run would find "already loaded" over emptied tables.
    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")

    drop()
    yield
    drop()


@pytest.mark.django_db(transaction=True)
def test_a_fresh_data_set_is_vacuumed_so_index_only_scans_skip_the_heap(capsys, no_scale_marker):
    _generate(capsys, scale="0.001")

    with connection.cursor() as cursor:
        cursor.execute("SELECT relpages, pg_relation_size(oid, 'vm') FROM pg_class WHERE relname = 'programmes_event'")
        pages, visibility_map_bytes = cursor.fetchone()

    # VACUUM writes the visibility map (ANALYZE alone leaves none). How many pages it may mark all-visible depends
    # on every open snapshot in the database, such as a connection an earlier test's thread left in this one.
    assert pages > 0 and visibility_map_bytes > 0
