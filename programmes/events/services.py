"""Writes to the calendar. Functions other apps call: ``event_create``, ``event_update``, ``event_cancel``.

Every save queues the duplicate check for after the commit, so a request never waits for it and a rolled-back save
never produces alerts.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone as djtz
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from programmes.events import selectors, text_search
from programmes.events.models import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    CalendarBundle,
    CalendarFeedToken,
    CoordinationAlert,
    Event,
    EventOutcome,
    iana_timezones,
    year_out_of_range,
)
from programmes.events.permissions import can_edit_event, can_record_event_outcome
from programmes.events.signals import calendar_bundle_ready
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure
from programmes.permissions import is_field, user_structure_id
from programmes.service_tools import acting_user, protected_delete, validated_save
from programmes.types import PortalUser
from programmes.versioning import check_version

logger = logging.getLogger(__name__)

EVENT_RELATIONS = ("co_organisers", "thematic_areas", "partner_organisations")
# A change to any of these changes what a subscribed calendar shows, so SEQUENCE must grow (RFC 5545 §3.8.7.4).
CALENDAR_FIELDS = (
    "title",
    "description",
    "all_day",
    "start_date",
    "end_date",
    "start_at",
    "end_at",
    "timezone",
    "status",
    "city",
    "state_id",
    "online",
)
_SCHEDULE_KEYS = {"all_day", "start", "end", "start_date", "end_date", "start_at", "end_at", "timezone"}


# --- schedule -------------------------------------------------------------------------------------------------------


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed


def _as_datetime(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        raise ValueError(value)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed


def _check_years(errors: dict[str, str], **values: date | None) -> None:
    for key, value in values.items():
        if year_out_of_range(value):
            errors.setdefault(
                key,
                _("Give a date between the years %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )


def schedule_fields(*, all_day: bool, start: object, end: object, timezone: str = "") -> dict[str, Any]:
    """Turn the API/form notion of an event's time (``start``/``end``: days for all-day events, the last day
    inclusive; date-times in ``timezone`` for timed ones) into the model's columns. Errors are keyed start/end/
    timezone, the names of the API contract."""
    errors: dict[str, str] = {}
    timezone = (timezone or "").strip()
    if timezone and timezone not in iana_timezones():
        errors["timezone"] = _("Choose a time zone from the IANA list, e.g. Europe/Vienna.")
    if all_day:
        try:
            first, last = _as_date(start), _as_date(end)
        except ValueError:
            raise ValidationError({"start": _("Give the first and last day as dates (YYYY-MM-DD).")})
        _check_years(errors, start=first, end=last)
        if first is None:
            errors["start"] = _("Give the first day.")
        if last is None:
            errors["end"] = _("Give the last day.")
        elif first is not None and last < first and "end" not in errors:
            errors["end"] = _("The last day cannot be before the first day.")
        if errors:
            raise ValidationError(errors)
        return {
            "all_day": True,
            "start_date": first,
            "end_date": last,
            "start_at": None,
            "end_at": None,
            "timezone": timezone,
        }
    if not timezone and "timezone" not in errors:
        errors["timezone"] = _("A timed event needs a time zone.")
    try:
        start_at = _as_datetime(start)
    except ValueError:
        errors["start"] = _("Give the start as a date and time (YYYY-MM-DDTHH:MM).")
        start_at = None
    try:
        end_at = _as_datetime(end)
    except ValueError:
        errors["end"] = _("Give the end as a date and time (YYYY-MM-DDTHH:MM).")
        end_at = None
    _check_years(errors, start=start_at, end=end_at)
    if start_at is None:
        errors.setdefault("start", _("Give the start date and time."))
    if end_at is None:
        errors.setdefault("end", _("Give the end date and time."))
    if errors or start_at is None or end_at is None:  # a missing value has its error already
        raise ValidationError(errors)
    zone = ZoneInfo(timezone)
    # Naive input means wall-clock time where the event happens.
    start_at = start_at if djtz.is_aware(start_at) else start_at.replace(tzinfo=zone)
    end_at = end_at if djtz.is_aware(end_at) else end_at.replace(tzinfo=zone)
    if end_at <= start_at:
        raise ValidationError({"end": _("The event must end after it starts.")})
    # The end instant is exclusive: an event ending at midnight does not occupy the next day.
    return {
        "all_day": False,
        "start_at": start_at.astimezone(ZoneInfo("UTC")),
        "end_at": end_at.astimezone(ZoneInfo("UTC")),
        "start_date": start_at.astimezone(zone).date(),
        "end_date": (end_at.astimezone(zone) - timedelta(microseconds=1)).date(),
        "timezone": timezone,
    }


def _resolve_schedule(fields: dict[str, Any], current: Event | None) -> dict[str, Any]:
    """Accept either the API's ``start``/``end`` or the model's columns; what is not given keeps its current value."""
    if not _SCHEDULE_KEYS & fields.keys():
        return fields
    fields = dict(fields)
    all_day = fields.pop("all_day", current.all_day if current else True)
    tz = fields.pop("timezone", current.timezone if current else "")
    if all_day:
        given = (fields.get("start_date"), fields.get("end_date"))
        existing = (current.start_date, current.end_date) if current else (None, None)
    else:
        given = (fields.get("start_at"), fields.get("end_at"))
        existing = (current.local_start, current.local_end) if current else (None, None)
    start = next((v for v in (fields.pop("start", None), given[0], existing[0]) if v not in (None, "")), None)
    end = next((v for v in (fields.pop("end", None), given[1], existing[1]) if v not in (None, "")), None)
    for key in ("start_date", "end_date", "start_at", "end_at"):
        fields.pop(key, None)
    fields.update(schedule_fields(all_day=all_day, start=start, end=end, timezone=tz))
    return fields


# --- events ---------------------------------------------------------------------------------------------------------


def _check_lead(actor: PortalUser | None, lead_structure: ExecutiveStructure | int | None) -> None:
    if actor is None or not is_field(actor):
        return
    lead_id = getattr(lead_structure, "pk", lead_structure)
    if lead_id is None or lead_id != user_structure_id(actor):
        raise ValidationError(
            {"lead_structure": _("Field-operation staff can add and change events of their own operation only.")}
        )


def _set_relations(event: Event, relations: dict[str, Iterable[Any] | None]) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(event, name).set(list(values))


def _require_editor(actor: PortalUser | None, event: Event) -> None:
    if actor is not None and not can_edit_event(user=actor, event=event):
        raise PermissionDenied(_("You may change events of your own operation only."))


def _queue_duplicate_check(event_id: int) -> None:
    # A broker outage must not fail a saved event; the nightly rescan catches up.
    from programmes.events import tasks  # tasks import services

    enqueue_on_commit(tasks.check_event_duplicates, event_id)


def _set_title_terms(event: Event) -> None:
    """The title as the duplicate check compares it, saved with the row (PostgreSQL only: one SELECT)."""
    if text_search.uses_postgres():
        event.title_terms = " ".join(sorted(text_search.title_terms(event.title)))


@transaction.atomic
def event_create(*, actor: PortalUser | None = None, **fields: Any) -> Event:
    """Create an event. ``fields`` are Event fields (relations as lists of objects or ids); ``start``/``end`` with
    ``all_day`` and ``timezone`` may replace the date/time columns, as in the API. ``actor`` is recorded as the
    creator; a field-operation user may only create events led by their own operation."""
    relations = {name: fields.pop(name) for name in EVENT_RELATIONS if name in fields}
    if not list(relations.get("thematic_areas") or []):
        raise ValidationError({"thematic_areas": _("Choose at least one thematic area.")})
    fields = _resolve_schedule(fields, None)
    _check_lead(actor, fields.get("lead_structure", fields.get("lead_structure_id")))
    event = Event(created_by=acting_user(actor), **fields)
    _set_title_terms(event)
    validated_save(event)
    _set_relations(event, relations)
    _queue_duplicate_check(event.pk)
    return event


def event_precheck(*, actor: PortalUser | None = None, **fields: Any) -> list[selectors.DuplicateMatch]:
    """The likely duplicates and overlaps of an event before it is created (same fields as ``event_create``).
    Writes nothing: the form and ``POST /api/events/check/`` show the result and let the user decide."""
    relations = {name: list(fields.pop(name) or []) for name in EVENT_RELATIONS if name in fields}
    areas = relations.get("thematic_areas") or []
    if not areas:
        raise ValidationError({"thematic_areas": _("Choose at least one thematic area.")})
    fields = _resolve_schedule(fields, None)
    event = Event(**fields)
    event.full_clean(validate_unique=False, validate_constraints=False)
    matches = selectors.duplicate_matches(
        event=event,
        area_ids=[getattr(a, "pk", a) for a in areas],
        co_organiser_ids=[getattr(s, "pk", s) for s in relations.get("co_organisers") or []],
    )
    return selectors.visible_matches(event=event, matches=matches, user=actor)


def _calendar_state(event: Event) -> tuple[Any, ...]:
    return tuple(getattr(event, name) for name in CALENDAR_FIELDS)


@transaction.atomic
def event_update(
    *, event: Event, data: dict[str, Any], actor: PortalUser | None = None, expected_version: int | None = None
) -> Event:
    """Update fields and relations; any change a calendar client would show raises the iCalendar SEQUENCE.
    ``actor`` None is the portal itself (a task-force meeting keeping its calendar entry in step).
    ``expected_version`` (the version the editor read) refuses a stale save with ``VersionConflict``."""
    data = dict(data)
    relations = {name: data.pop(name) for name in EVENT_RELATIONS if name in data}
    if "thematic_areas" in relations and not list(relations["thematic_areas"] or []):
        raise ValidationError({"thematic_areas": _("Choose at least one thematic area.")})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    _require_editor(actor, locked)
    if actor is not None:
        _check_lead(actor, locked.lead_structure_id)
    check_version(locked, expected_version)
    data = _resolve_schedule(data, locked)
    if "lead_structure" in data or "lead_structure_id" in data:
        _check_lead(actor, data.get("lead_structure", data.get("lead_structure_id")))
    before = _calendar_state(locked)
    old_title = locked.title
    for name, value in data.items():
        setattr(locked, name, value)
    if locked.title != old_title or locked.title_terms is None:
        _set_title_terms(locked)
    if _calendar_state(locked) != before:
        locked.sequence += 1
    validated_save(locked)
    _set_relations(locked, relations)
    _queue_duplicate_check(locked.pk)
    return locked


@transaction.atomic
def event_cancel(*, event: Event, actor: PortalUser | None = None) -> Event:
    """Cancelled events stay on the calendar (subscribers must see STATUS:CANCELLED) but stop alerting."""
    return event_update(event=event, data={"status": Event.Status.CANCELLED}, actor=actor)


@transaction.atomic
def event_delete(*, event: Event, actor: PortalUser | None = None) -> None:
    """Remove an event from the calendar (its co-ordination alerts go with it)."""
    _require_editor(actor, event)
    protected_delete(event)


# --- outcomes -------------------------------------------------------------------------------------------------------

_STATUS_FOR_OUTCOME = {
    EventOutcome.Outcome.HELD: Event.Status.HELD,
    EventOutcome.Outcome.CANCELLED: Event.Status.CANCELLED,
    EventOutcome.Outcome.POSTPONED: Event.Status.POSTPONED,
}


@transaction.atomic
def event_outcome_record(
    *,
    event: Event,
    outcome: str,
    participants_women: int | None = None,
    participants_men: int | None = None,
    participants_afghan: int | None = None,
    results: str = "",
    follow_up: str = "",
    actor: PortalUser | None = None,
) -> EventOutcome:
    """Record (or correct) what happened at a past event; the event's status follows the outcome, so only a held
    outcome counts the event as held. ``actor=None`` is the loaders' path."""
    if actor is not None and not can_record_event_outcome(user=actor, obj=event):
        raise PermissionDenied(_("Only the lead structure records the outcome, once the last day has passed."))
    if outcome not in _STATUS_FOR_OUTCOME:
        raise ValidationError({"outcome": _("Choose held, cancelled or postponed.")})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    record = EventOutcome.objects.filter(event=locked).first() or EventOutcome(event=locked)
    record.outcome = outcome
    record.participants_women = participants_women
    record.participants_men = participants_men
    record.participants_afghan = participants_afghan
    record.results = results
    record.follow_up = follow_up
    if actor is not None:
        record.recorded_by = acting_user(actor)
    validated_save(record)
    status = _STATUS_FOR_OUTCOME[EventOutcome.Outcome(outcome)]
    if locked.status != status:
        locked.status = status
        locked.sequence += 1
        validated_save(locked)
    return record


# --- duplicates -----------------------------------------------------------------------------------------------------


@transaction.atomic
def duplicates_check_event(*, event_id: int) -> list[CoordinationAlert]:
    """Record the event's likely duplicates as alerts. Pairs already resolved keep their status; open alerts whose pair
    no longer matches (the event moved or was cancelled) are removed. A fixed number of queries per event."""
    event = Event.objects.select_related("lead_structure", "state").filter(pk=event_id).first()
    if event is None:
        return []
    matches = selectors.duplicate_matches(event=event)
    rows = [
        CoordinationAlert(
            event_a_id=min(event.pk, match.other_id),
            event_b_id=max(event.pk, match.other_id),
            score=match.score,
            reasons=match.reasons,
            kind=match.kind,
        )
        for match in matches
    ]
    if rows:
        # A resolved pair keeps its status: "not a duplicate" never comes back as open.
        CoordinationAlert.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["event_a", "event_b"],
            update_fields=["score", "reasons", "kind", "updated_at"],
        )
    other_ids = [match.other_id for match in matches]
    CoordinationAlert.objects.filter(status=CoordinationAlert.Status.OPEN).filter(
        (Q(event_a=event) & ~Q(event_b_id__in=other_ids)) | (Q(event_b=event) & ~Q(event_a_id__in=other_ids))
    ).delete()
    return rows


def duplicates_rescan_range(*, first_pk: int, last_pk: int) -> int:
    """Re-check every event with ``first_pk <= pk <= last_pk``; one short transaction per event."""
    ids = list(Event.objects.filter(pk__gte=first_pk, pk__lte=last_pk).order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        duplicates_check_event(event_id=pk)
    return len(ids)


MERGE = "merge"


@transaction.atomic
def events_merge(*, keep: Event, remove: Event, actor: PortalUser | None = None) -> Event:
    """One event entered twice: ``keep`` stays and takes over the other's co-organisers, areas, partners and every
    row that points at it (reported activities, task-force actions, a meeting's calendar entry, an outcome); then
    ``remove`` is deleted, and with it the pair's alert."""
    if keep.pk == remove.pk:
        raise ValidationError({"keep": _("Choose two different events.")})
    if actor is not None:
        _require_editor(actor, keep)
        _require_editor(actor, remove)
    keep = Event.objects.select_for_update().get(pk=keep.pk)
    remove = Event.objects.select_for_update().get(pk=remove.pk)
    for name in EVENT_RELATIONS:
        getattr(keep, name).add(*getattr(remove, name).all())
    keep.co_organisers.remove(keep.lead_structure_id)
    # Introspection rather than imports: the apps above the calendar own these links.
    for relation in Event._meta.related_objects:
        if relation.many_to_many or relation.related_model is CoordinationAlert:
            continue
        related_model = cast(type[models.Model], relation.related_model)  # never 'self' for a reverse relation
        manager = related_model._base_manager
        field = relation.field.name
        if relation.one_to_one:
            if not manager.filter(**{field: keep}).exists():
                manager.filter(**{field: remove}).update(**{field: keep})
            continue
        manager.filter(**{field: remove}).update(**{field: keep})
    if keep.expected_participants is None and remove.expected_participants is not None:
        keep.expected_participants = remove.expected_participants
    keep.sequence += 1
    validated_save(keep)
    remove.delete()
    _queue_duplicate_check(keep.pk)
    return keep


@transaction.atomic
def duplicates_rescan_period(*, start: date, end: date) -> int:
    """Re-check every event whose first day is in [start, end) in one go (the nightly rescan, issue 14).

    Leaves the alerts exactly as running ``duplicates_check_event`` on every event in pk order would: a pair's alert
    is decided by the check of its later event (``event_b``, the larger pk): found, it is upserted with that check's
    score and reasons; not found, an open alert goes. A resolved alert the later check does not find keeps the
    values of the earlier event's check when that one found it (the per-event order would have written them)."""
    results = selectors.duplicate_matches_starting_between(start=start, end=end)
    if not results:
        return 0
    owned = [
        CoordinationAlert(
            event_a_id=other.other_id, event_b_id=pk, score=other.score, reasons=other.reasons, kind=other.kind
        )
        for pk, matches in results.items()
        for other in matches
        if other.other_id < pk
    ]
    found = {(row.event_a_id, row.event_b_id) for row in owned}
    for i in range(0, len(owned), 1000):
        CoordinationAlert.objects.bulk_create(
            owned[i : i + 1000],
            update_conflicts=True,
            unique_fields=["event_a", "event_b"],
            update_fields=["score", "reasons", "kind", "updated_at"],
        )
    ids = list(results)
    stale = [
        pk
        for pk, a, b in CoordinationAlert.objects.filter(
            status=CoordinationAlert.Status.OPEN, event_b_id__in=ids
        ).values_list("pk", "event_a_id", "event_b_id")
        if (a, b) not in found
    ]
    if stale:
        CoordinationAlert.objects.filter(pk__in=stale).delete()
    # Pairs found only from their earlier event: they matter only where a resolved alert exists.
    earlier = {(pk, m.other_id): m for pk, matches in results.items() for m in matches if m.other_id > pk}
    if earlier:
        resolved = CoordinationAlert.objects.exclude(status=CoordinationAlert.Status.OPEN).filter(
            event_a_id__in={a for a, _b in earlier}, event_b_id__in={b for _a, b in earlier}
        )
        for alert in resolved:
            match = earlier.get((alert.event_a_id, alert.event_b_id))
            if match is None:
                continue
            later = results.get(alert.event_b_id)
            if later is None:  # the later event is outside this period: ask the per-event check (rare)
                other = Event.objects.select_related("lead_structure", "state").get(pk=alert.event_b_id)
                later = selectors.duplicate_matches(event=other)
            if any(m.other_id == alert.event_a_id for m in later):
                continue
            alert.score, alert.reasons, alert.kind = match.score, match.reasons, match.kind
            alert.save(update_fields=["score", "reasons", "kind", "updated_at"])
    return len(results)


@transaction.atomic
def alert_resolve(
    *, alert: CoordinationAlert, resolution: str, actor: PortalUser, keep: Event | None = None
) -> CoordinationAlert | Event:
    """Co-ordinated / not a duplicate keep the pair and its status for good; "merge" (double entries) keeps one event
    (``keep``, else the older) and moves the other's links to it."""
    if resolution == MERGE:
        locked = CoordinationAlert.objects.select_for_update().select_related("event_a", "event_b").get(pk=alert.pk)
        if locked.kind != CoordinationAlert.Kind.DOUBLE_ENTRY:
            raise ValidationError({"resolution": _("Only a possible double entry can be merged.")})
        keep = keep or locked.event_a
        if keep.pk not in (locked.event_a_id, locked.event_b_id):
            raise ValidationError({"keep": _("Keep one of the two events of the alert.")})
        remove = locked.event_b if keep.pk == locked.event_a_id else locked.event_a
        return events_merge(keep=keep, remove=remove)
    allowed = (CoordinationAlert.Status.COORDINATED, CoordinationAlert.Status.NOT_DUPLICATE)
    if resolution not in allowed:
        raise ValidationError({"resolution": _("Choose “coordinated”, “not_duplicate” or “merge”.")})
    locked = CoordinationAlert.objects.select_for_update().get(pk=alert.pk)
    locked.status = resolution
    locked.resolved_by = acting_user(actor)
    locked.resolved_at = djtz.now()
    return validated_save(locked)


# --- private feed tokens --------------------------------------------------------------------------------------------


@transaction.atomic
def feed_token_create(*, actor: PortalUser) -> tuple[CalendarFeedToken, str]:
    """A new personal feed token of ``actor``. The secret is returned once and only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    row = CalendarFeedToken(user=acting_user(actor), token_hash=selectors.hash_feed_token(secret), hint=secret[:6])
    validated_save(row)
    return row, secret


@transaction.atomic
def feed_token_revoke(*, actor: PortalUser, token_id: int) -> bool:
    """Revoke one of ``actor``'s own tokens; someone else's token id changes nothing."""
    return (
        CalendarFeedToken.objects.filter(pk=token_id, user=acting_user(actor), revoked_at__isnull=True).update(
            revoked_at=djtz.now()
        )
        == 1
    )


def feed_token_touch(*, token: CalendarFeedToken) -> None:
    # At most one write an hour per token: calendar clients poll often.
    cutoff = djtz.now() - timedelta(hours=1)
    CalendarFeedToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=cutoff)
    ).update(last_used_at=djtz.now())


# --- calendar bundle ------------------------------------------------------------------------------------------------

BUNDLE_MONTHS = 3


def bundle_period(first_month: date) -> tuple[date, date]:
    start = first_month.replace(day=1)
    return start, selectors.add_months(start, BUNDLE_MONTHS) - timedelta(days=1)


def _queue_bundle(bundle_id: int) -> None:
    # If the broker is down the bundle stays queued and can be retried from its page.
    from programmes.events import tasks  # tasks import services

    enqueue_on_commit(tasks.build_calendar_bundle, bundle_id)


@transaction.atomic
def calendar_bundle_request(
    *, first_month: date, actor: PortalUser | None = None, scheduled: bool = False
) -> CalendarBundle:
    """Queue a bundle for the three months from ``first_month``. A scheduled bundle exists once per period: a repeated
    beat returns the existing row instead of building it twice."""
    start, end = bundle_period(first_month)
    if scheduled:
        existing = CalendarBundle.objects.filter(scheduled=True, period_start=start).first()
        if existing is not None:
            return existing
    bundle = CalendarBundle(period_start=start, period_end=end, scheduled=scheduled, requested_by=acting_user(actor))
    try:
        with transaction.atomic():
            validated_save(bundle)
    except (IntegrityError, ValidationError):
        if scheduled:
            return CalendarBundle.objects.get(scheduled=True, period_start=start)
        raise
    _queue_bundle(bundle.pk)
    return bundle


@transaction.atomic
def calendar_bundle_retry(*, bundle: CalendarBundle) -> bool:
    if CalendarBundle.requeue(bundle.pk):
        _queue_bundle(bundle.pk)
        return True
    return False


def calendar_bundle_build(*, bundle_id: int) -> CalendarBundle | None:
    """Build the PDF, XLSX and ICS of a queued bundle. Only the worker that claims the row builds it; a duplicate
    delivery of the task returns without doing anything."""
    from programmes.events import exports, feeds

    if not CalendarBundle.claim(bundle_id):
        return None
    bundle = CalendarBundle.objects.get(pk=bundle_id)
    try:
        events = list(selectors.bundle_events(start=bundle.period_start, end=bundle.period_end))
        alerts = list(selectors.alerts_between(start=bundle.period_start, end=bundle.period_end))
        CalendarBundle.report_progress(bundle_id, 10, _("Events loaded"))
        groups = exports.group_by_area(events)
        pdf = exports.bundle_pdf(exports.pdf_context(bundle=bundle, groups=groups, alerts=alerts))
        CalendarBundle.report_progress(bundle_id, 60, _("PDF written"))
        xlsx = exports.bundle_workbook(bundle=bundle, groups=groups, alerts=alerts)
        CalendarBundle.report_progress(bundle_id, 80, _("Spreadsheet written"))
        ics = feeds.render_calendar(
            events,
            name=_("TNT joint calendar %(start)s – %(end)s")
            % {"start": bundle.period_start.isoformat(), "end": bundle.period_end.isoformat()},
        )
        stem = f"tnt-calendar-{bundle.period_start:%Y-%m}"
        with transaction.atomic():
            bundle = CalendarBundle.objects.select_for_update().get(pk=bundle_id)
            bundle.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            bundle.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
            bundle.ics.save(f"{stem}.ics", ContentFile(ics), save=False)
            bundle.event_count = len(events)
            bundle.alert_count = len(alerts)
            bundle.status = CalendarBundle.Status.DONE
            bundle.progress = 100
            bundle.progress_message = _("Done")
            bundle.finished_at = djtz.now()
            bundle.save()
            transaction.on_commit(lambda: calendar_bundle_announce(bundle_id=bundle_id))
    except Exception as exc:  # any failure is recorded on the job so it can be seen and retried
        logger.exception("Calendar bundle %s failed", bundle_id)
        CalendarBundle.mark_failed(bundle_id, f"{type(exc).__name__}: {exc}")
        return CalendarBundle.objects.get(pk=bundle_id)
    return bundle


def calendar_bundle_announce(*, bundle_id: int) -> list[str]:
    """Tell the apps above (the Task Force e-mails its members) that a bundle is ready; record who was e-mailed if a
    receiver says so. Receivers' failures are logged, never raised into the build."""
    bundle = CalendarBundle.objects.get(pk=bundle_id)
    recipients: list[str] = []
    for receiver, response in calendar_bundle_ready.send_robust(sender=CalendarBundle, bundle=bundle):
        if isinstance(response, Exception):
            logger.error("calendar_bundle_ready receiver %r failed: %s", receiver, response)
        elif isinstance(response, list | tuple | set):
            recipients.extend(str(r) for r in response)
    if recipients:
        CalendarBundle.objects.filter(pk=bundle_id).update(emailed_to=sorted(set(recipients)), emailed_at=djtz.now())
    return recipients
