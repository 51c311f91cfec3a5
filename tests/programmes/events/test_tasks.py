"""The monthly calendar bundle and the nightly rescan."""

import io
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from programmes.events import services, tasks
from programmes.events.models import CalendarBundle, CoordinationAlert, Event
from programmes.events.signals import calendar_bundle_ready
from tests.programmes.events.factories import SUBJECT_A, SUBJECT_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_2010(world):
    thb_a = world.event(
        lead=world.oit,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 18),
        title="Workshop on trafficking victims",
    )
    world.event(
        lead=world.cthb,
        areas=[world.thb],
        state=world.tajikistan,
        start=date(2010, 5, 20),
        title="Seminar on victim referral",
    )
    world.event(
        lead=world.borders_team,
        areas=[world.border, world.thb],
        state=world.tajikistan,
        start=date(2010, 6, 7),
        end=date(2010, 6, 11),
        title="Patrol course",
        expected_participants=16,
        visibility=Event.Visibility.INTERNAL,
    )
    world.event(lead=world.atu, areas=[world.cyber], start=date(2010, 9, 1), title="Outside the period")
    services.duplicates_check_event(event_id=thb_a.pk)
    return world


def test_bundle_builds_pdf_xlsx_and_ics_grouped_by_area(calendar_2010, coordinator, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, bundle, **kwargs):
        received.append(bundle.pk)
        mail.send_mail("Calendar bundle", "Attached", None, ["tf-member@example.org"])
        return ["tf-member@example.org"]

    calendar_bundle_ready.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            bundle = services.calendar_bundle_request(first_month=date(2010, 5, 15), actor=coordinator)
    finally:
        calendar_bundle_ready.disconnect(receiver)

    bundle.refresh_from_db()
    assert bundle.status == CalendarBundle.Status.DONE, bundle.error
    assert (bundle.period_start, bundle.period_end) == (date(2010, 5, 1), date(2010, 7, 31))
    assert (bundle.event_count, bundle.alert_count) == (3, 1)
    assert received == [bundle.pk]
    assert "tf-member@example.org" in bundle.emailed_to and bundle.emailed_at is not None
    assert any("tf-member@example.org" in m.to for m in mail.outbox)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bundle.pdf.read())).pages)
    assert "Fighting organised crime" in text and "Afghanistan" in text
    assert "Workshop on trafficking victims" in text and "Outside the period" not in text
    assert "same area: THB" in text

    workbook = load_workbook(io.BytesIO(bundle.xlsx.read()))
    rows = list(workbook["Events"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[2]) for r in rows} == {
        ("Fighting organised crime", "Workshop on trafficking victims"),
        ("Fighting organised crime", "Seminar on victim referral"),
        ("Fighting organised crime", "Patrol course"),
        ("Afghanistan", "Patrol course"),
    }
    patrol = next(r for r in rows if r[2] == "Patrol course")
    assert patrol[9].date() == date(2010, 6, 7) and patrol[16] == 16
    alerts = list(workbook["Alerts"].iter_rows(min_row=2, values_only=True))
    assert len(alerts) == 1 and isinstance(alerts[0][0], float)
    ics = bundle.ics.read()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith(b"END:VCALENDAR\r\n")
    vevents = {str(v["SUMMARY"]): v for v in Calendar.from_ical(ics).walk("VEVENT")}
    # One VEVENT per event, however many area groups it is in; internal events too (the bundle is for the TF).
    assert sorted(vevents) == ["Patrol course", "Seminar on victim referral", "Workshop on trafficking victims"]
    patrol = vevents["Patrol course"]
    assert (patrol.decoded("DTSTART"), patrol.decoded("DTEND")) == (date(2010, 6, 7), date(2010, 6, 12))
    assert str(patrol["CLASS"]) == "CONFIDENTIAL"


def test_bundle_pdf_over_the_cap_lists_each_areas_soonest_events_and_the_top_alerts_but_the_files_keep_all(
    calendar_2010, monkeypatch
):
    from programmes.events import exports

    world = calendar_2010
    for day in range(1, 6):
        world.event(lead=world.atu, areas=[world.cyber], start=date(2010, 7, day), title=f"Cyber drill {day}")
    monkeypatch.setattr(exports, "BUNDLE_PDF_EVENT_ROWS", 6)  # 9 rows (8 events, one in two areas), 3 areas
    monkeypatch.setattr(exports, "BUNDLE_PDF_ALERT_ROWS", 0)
    bundle = CalendarBundle.objects.create(period_start=date(2010, 5, 1), period_end=date(2010, 7, 31))

    services.calendar_bundle_build(bundle_id=bundle.pk)

    bundle.refresh_from_db()
    assert bundle.status == CalendarBundle.Status.DONE, bundle.error
    assert (bundle.event_count, bundle.alert_count) == (8, 1)
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(bundle.pdf.read())).pages).split())
    assert "8 events · 1 open co-ordination alert" in text
    assert "Cyber security 0 0 5 5" in text  # the summary: per month, then in all
    assert "Fighting organised crime 2 1 0 3" in text
    assert "Cyber drill 1" in text and "Cyber drill 2" in text and "Cyber drill 3" not in text
    assert "3 more events in this area: see the spreadsheet." in text
    assert "Workshop on trafficking victims" in text and "Seminar on victim referral" in text
    assert "1 more event in this area" in text  # organised crime: the soonest two of three listed
    assert "The 0 highest-scoring are listed; the spreadsheet has all of them." in text
    assert "same area: THB" not in text
    workbook = load_workbook(io.BytesIO(bundle.xlsx.read()))
    titles = {r[2] for r in workbook["Events"].iter_rows(min_row=2, values_only=True)}
    assert {f"Cyber drill {day}" for day in range(1, 6)} | {"Patrol course"} <= titles
    assert len(list(workbook["Alerts"].iter_rows(min_row=2))) == 1
    assert len(Calendar.from_ical(bundle.ics.read()).walk("VEVENT")) == 8


def test_scheduled_bundle_is_built_once_per_period(calendar_2010, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.build_scheduled_calendar_bundle()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.build_scheduled_calendar_bundle()

    assert first == second
    bundle = CalendarBundle.objects.get()
    assert bundle.scheduled and bundle.status == CalendarBundle.Status.DONE
    assert services.calendar_bundle_build(bundle_id=bundle.pk) is None  # a repeated delivery does nothing


def test_bundle_pages_for_staff_only(
    client_as, calendar_2010, coordinator, secretariat_user, delegation_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = client_as(coordinator).post(reverse("events:bundle_list"), {"first_month": "2010-05"})
    bundle = CalendarBundle.objects.get()

    listed = client_as(secretariat_user).get(reverse("events:bundle_list"))
    download = client_as(secretariat_user).get(reverse("events:bundle_download", args=[bundle.pk, "xlsx"]))
    refused_add = client_as(secretariat_user).post(reverse("events:bundle_list"), {"first_month": "2010-06"})
    refused_view = client_as(delegation_user).get(reverse("events:bundle_download", args=[bundle.pk, "pdf"]))

    assert created.status_code == 302
    assert list(listed.context["page"]) == [bundle]
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert refused_add.status_code == 403 and refused_view.status_code == 403
    assert CalendarBundle.objects.count() == 1


@pytest.mark.parametrize("first_month", ["9999-12", "0001-01"])
def test_a_bundle_for_a_month_out_of_range_is_a_form_error(
    client_as, coordinator, first_month, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(coordinator).post(reverse("events:bundle_list"), {"first_month": first_month})

    assert response.status_code == 200
    assert response.context["form"].errors["first_month"] == ["Choose a month between the years 1900 and 2099."]
    assert not CalendarBundle.objects.exists()


def test_failed_bundle_is_recorded_and_can_be_retried(calendar_2010, monkeypatch, django_capture_on_commit_callbacks):
    from programmes.events import exports

    def boom(context):
        raise RuntimeError("renderer unavailable")

    monkeypatch.setattr(exports, "bundle_pdf", boom)
    with django_capture_on_commit_callbacks(execute=True):
        bundle = services.calendar_bundle_request(first_month=date(2010, 5, 1))
    bundle.refresh_from_db()
    assert bundle.status == "failed" and "renderer unavailable" in bundle.error

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.calendar_bundle_retry(bundle=bundle)
    bundle.refresh_from_db()
    assert bundle.status == "done" and bundle.attempts == 2


def test_nightly_rescan_finds_pairs_saved_without_the_service(world, django_capture_on_commit_callbacks):
    a = world.event(lead=world.oit, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 18), title=SUBJECT_A)
    b = world.event(
        lead=world.cthb, areas=[world.thb], state=world.tajikistan, start=date(2010, 5, 19), title=SUBJECT_B
    )
    assert CoordinationAlert.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):  # a worker runs outside a transaction
        batches = tasks.rescan_duplicates()

    assert batches >= 1
    alert = CoordinationAlert.objects.get()
    assert (alert.event_a_id, alert.event_b_id) == (min(a.pk, b.pk), max(a.pk, b.pk))


def _alert_state():
    return sorted(
        (a.event_a_id, a.event_b_id, a.status, a.score, tuple(a.reasons)) for a in CoordinationAlert.objects.all()
    )


# The weights decide which places a candidate must share (duplicates.places_that_may_match) and the cap cuts the
# candidates that remain: both paths must agree however the weights are set and wherever the cap bites.
RESCAN_SETUPS = {
    "as configured": {},
    "a cap of 1 candidate": {"cap": 1},
    "a shared region may match": {"place": ("region", 0.20)},
    "any place may match": {"place": ("", 0.15), "cap": 2},
}


@pytest.mark.parametrize("setup", list(RESCAN_SETUPS))
def test_set_based_nightly_rescan_leaves_the_same_alerts_as_checking_every_event(
    world, django_capture_on_commit_callbacks, monkeypatch, setup
):
    import random
    from datetime import timedelta

    from django.utils import timezone

    from programmes.events import duplicates, selectors

    options = RESCAN_SETUPS[setup]
    if "cap" in options:
        monkeypatch.setattr(selectors, "MAX_DUPLICATE_CANDIDATES", options["cap"])
    if "place" in options:
        place, weight = options["place"]
        monkeypatch.setitem(duplicates.PLACE_WEIGHTS, place, weight)
        assert place in duplicates.places_that_may_match()

    rng = random.Random(7)
    leads = [world.oit, world.mts, world.cthb, world.borders_team, world.atu]
    areas = [world.crime, world.thb, world.drugs, world.afghanistan, world.border, world.cyber]
    states = [world.tajikistan, world.kyrgyzstan, world.serbia, world.austria, None]
    words = ["workshop", "trafficking", "victims", "border", "training", "cyber", "drugs", "regional", "police"]
    events = []
    for _ in range(90):
        start = date(2010, 3, 1) + timedelta(days=rng.randrange(120))
        state = rng.choice(states)
        events.append(
            world.event(
                lead=rng.choice(leads),
                areas=rng.sample(areas, rng.randint(1, 2)),
                state=state,
                online=state is None,
                start=start,
                end=start + timedelta(days=rng.choice([0, 0, 1, 3, 20])),
                title=" ".join(rng.sample(words, 4)),
                status=rng.choice([Event.Status.PLANNED] * 5 + [Event.Status.CANCELLED]),
            )
        )
    # Alerts from an earlier night: resolved ones (kept whatever happens), open ones that are stale now.
    before = []
    for i in range(30):
        a, b = sorted(rng.sample(events, 2), key=lambda e: e.pk)
        resolved = i % 3 == 0
        before.append(
            {
                "event_a_id": a.pk,
                "event_b_id": b.pk,
                "score": 0.5,
                "reasons": ["old"],
                "status": (CoordinationAlert.Status.NOT_DUPLICATE if resolved else CoordinationAlert.Status.OPEN),
                "resolved_at": timezone.now() if resolved else None,
            }
        )

    def reset():
        CoordinationAlert.objects.all().delete()
        seen = set()
        for row in before:
            if (row["event_a_id"], row["event_b_id"]) not in seen:
                seen.add((row["event_a_id"], row["event_b_id"]))
                CoordinationAlert.objects.create(**row)

    reset()
    services.duplicates_rescan_range(first_pk=0, last_pk=10**9)  # the per-event check, every event in pk order
    per_event = _alert_state()
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        batches = tasks.rescan_duplicates()
    set_based = _alert_state()

    assert batches == 4  # one per month of first days: March to June
    # The data set really has duplicates (fewer where a cap of one or two candidates cuts some).
    assert len([row for row in per_event if row[2] == "open"]) >= (5 if "cap" in options else 10)
    assert set_based == per_event
    if "cap" in options:  # the cap really cuts candidates that could match here
        monkeypatch.setattr(selectors, "MAX_DUPLICATE_CANDIDATES", 500)
        reset()
        services.duplicates_rescan_range(first_pk=0, last_pk=10**9)
        assert _alert_state() != per_event
