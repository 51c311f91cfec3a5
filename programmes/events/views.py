"""Calendar pages. Thin: validate, call a service or selector, render."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programmes import choice_cache
from programmes.events import duplicates, feeds, html, selectors, services
from programmes.events.filtersets import CoordinationAlertFilterSet, EventFilterSet
from programmes.events.forms import AlertResolveForm, BundleRequestForm, EventForm, EventOutcomeForm
from programmes.events.models import EARLIEST_YEAR, LATEST_YEAR, CalendarBundle, CoordinationAlert, Event
from programmes.events.permissions import can_edit_event, can_record_event_outcome
from programmes.forms import add_service_errors
from programmes.permissions import ADD, CHANGE, EXPORT, VIEW, can, role_required
from programmes.security.permissions import PUBLIC, TOKEN, declare_view_as
from programmes.versioning import VersionConflict
from programmes.views import paginate
from programmes.views_tools import handle_service_form

MAX_PER_DAY = 4
AGENDA_PAGE = 50
FEED_MAX_EVENTS = 5000
_FEED_SESSION_KEY = "events_new_feed_secret"


def _month_from(request) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-")[:2])
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValueError(raw)  # the grid's previous/next month would overflow at year 1 or 9999
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _filter_query(request, *, drop=("month", "page", "mode")) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _filtered(request, queryset):
    filterset = EventFilterSet(request.GET or None, queryset=queryset)
    # The form's structure/State/area selects: cached option lists (issue 14; programmes/choice_cache.py).
    choice_cache.use_cached_choices(filterset.form)
    events = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return filterset, events


def _month_nav(month: date) -> dict:
    return {
        "month": month,
        "prev_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": selectors.add_months(month, 1),
        "this_month": timezone.localdate().replace(day=1),
    }


@role_required("event", VIEW)
def calendar_month(request):
    if request.GET.get("mode") == "agenda":
        return agenda(request)
    month = _month_from(request)
    weeks = pycalendar.Calendar(firstweekday=pycalendar.MONDAY).monthdatescalendar(month.year, month.month)
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    filterset, events = _filtered(request, selectors.events_between(user=request.user, start=grid_start, end=grid_end))
    # Issue 14: the busiest month has thousands of events but a day shows MAX_PER_DAY. Sort and place plain
    # (pk, first day, last day) rows, then load only the events shown, without the areas and co-organisers the grid
    # never displays.
    by_day: dict[date, list[int]] = defaultdict(list)
    rows = selectors.month_grid_rows(events, start=grid_start, end=grid_end)
    one_day = timedelta(days=1)
    for pk, start, end in rows:
        day, last = max(start, grid_start), min(end, grid_end)
        while day <= last:
            by_day[day].append(pk)
            day += one_day
    shown = selectors.calendar_chips(pks={pk for day_ids in by_day.values() for pk in day_ids[:MAX_PER_DAY]})
    today = timezone.localdate()
    filter_query = _filter_query(request)
    # The chips and "+N more" links are written in Python (events/html.py): an include per chip was most of the
    # page's time.
    markup = html.EventMarkup()
    agenda_url = reverse("events:agenda")
    grid = []
    for week in weeks:
        cells = []
        for day in week:
            day_events = [shown[pk] for pk in by_day[day][:MAX_PER_DAY]]
            more = max(0, len(by_day[day]) - MAX_PER_DAY)
            cells.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "events": day_events,
                    "more": more,
                    "events_html": html.calendar_cell_events(
                        markup,
                        day=day,
                        events=day_events,
                        more=more,
                        agenda_url=agenda_url,
                        filter_query=filter_query,
                    ),
                }
            )
        grid.append(cells)
    event_count = len({pk for day_ids in by_day.values() for pk in day_ids})
    nearest = {}
    if event_count == 0:
        # An empty month should not be a dead end: point to the closest months that do have matching events.
        _unused, matching = _filtered(request, selectors.visible_events(user=request.user))
        nearest = selectors.nearest_event_months(events=matching, before=grid_start, after=grid_end)
    return render(
        request,
        "events/calendar.html",
        {
            "filter": filterset,
            "weeks": grid,
            "grid_html": html.calendar_grid(grid),
            "weekdays": weeks[0],
            "filter_query": filter_query,
            **nearest,
            "grid_start": grid_start,
            "grid_end": grid_end,
            "can_add": can(request.user, "event", ADD),
            "can_bundles": can(request.user, "calendar_bundle", VIEW),
            "event_count": event_count,
            **_month_nav(month),
        },
    )


def _parse_day(raw: str | None) -> date | None:
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def _shift_range(start: date | None, end: date | None, step: int) -> tuple[date | None, date | None]:
    """The chosen dates moved one span earlier (step -1) or later (+1): whole months by months, else by days."""
    if start and end and start.day == 1 and (end + timedelta(days=1)).day == 1 and end >= start:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        new_start = selectors.add_months(start, step * months)
        return new_start, selectors.add_months(new_start, months) - timedelta(days=1)
    if start and end and end >= start:
        span = timedelta(days=(end - start).days + 1)
        return start + step * span, end + step * span
    # One bound only: it moves by a month.
    return (
        selectors.add_months(start, step) if start else None,
        selectors.add_months(end, step) if end else None,
    )


def _range_nav(request) -> dict | None:
    """Earlier/later links for an agenda on chosen dates: the same span moved, every other filter kept."""
    start, end = _parse_day(request.GET.get("date_from")), _parse_day(request.GET.get("date_to"))
    if start is None and end is None:
        return None
    links = {}
    for name, step in (("earlier", -1), ("later", 1)):
        try:
            new_start, new_end = _shift_range(start, end, step)
        except (ValueError, OverflowError):  # beyond the calendar's years
            continue
        if any(d is not None and not EARLIEST_YEAR <= d.year <= LATEST_YEAR for d in (new_start, new_end)):
            continue
        params = request.GET.copy()
        for key in ("page", "month"):
            params.pop(key, None)
        for key, day in (("date_from", new_start), ("date_to", new_end)):
            if day is not None:
                params[key] = day.isoformat()
        links[name] = {"query": params.urlencode(), "start": new_start, "end": new_end}
    return {"start": start, "end": end, **links}


@role_required("event", VIEW)
def agenda(request):
    month = _month_from(request)
    explicit_range = request.GET.get("date_from") or request.GET.get("date_to")
    chosen_start = _parse_day(request.GET.get("date_from"))
    if chosen_start and not request.GET.get("month"):
        month = chosen_start.replace(day=1)  # the month buttons start from the chosen dates
    if explicit_range:
        base = selectors.visible_events(user=request.user)
    else:
        base = selectors.events_between(
            user=request.user, start=month, end=selectors.add_months(month, 1) - timedelta(days=1)
        )
    filterset, events = _filtered(request, base)
    page, query = paginate(
        request, selectors.agenda_rows(events).order_by("start_date", "start_at", "title", "pk"), AGENDA_PAGE
    )
    markup = html.EventMarkup()  # the rows are written in Python (events/html.py): an include per row was slow
    return render(
        request,
        "events/agenda.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [markup.agenda_row(event) for event in page],
            "query": query,
            "filter_query": _filter_query(request),
            "explicit_range": bool(explicit_range),
            "range_nav": _range_nav(request) if explicit_range else None,
            # The month buttons leave the chosen dates for a month, keeping the other filters.
            "month_filter_query": _filter_query(request, drop=("month", "page", "mode", "date_from", "date_to")),
            "can_add": can(request.user, "event", ADD),
            "can_bundles": can(request.user, "calendar_bundle", VIEW),
            **_month_nav(month),
        },
    )


@role_required("event", VIEW)
def event_detail(request, pk: int):
    try:
        event = selectors.event_detail(user=request.user, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    show_duplicates = can(request.user, "event_duplicates", VIEW)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "duplicates": selectors.event_duplicates(event=event, user=request.user) if show_duplicates else None,
            "can_edit": can_edit_event(user=request.user, event=event),
            "can_record_outcome": can_record_event_outcome(user=request.user, obj=event),
            "outcome": getattr(event, "outcome", None) if can(request.user, "event_outcome", VIEW) else None,
            "needs_outcome": (
                event.end_date < timezone.localdate()
                and event.status in selectors.UPCOMING_STATUSES
                and not hasattr(event, "outcome")
            ),
            "can_resolve": can(request.user, "coordination_alert", CHANGE),
            "resolve_form": AlertResolveForm(),
        },
    )


# The service speaks of model fields; the form splits dates and times.
SERVICE_FIELD_MAP = {"start": "start_date", "end": "end_date", "start_at": "start_time", "end_at": "end_time"}


@role_required("event", ADD)
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    matches = None
    if request.method == "POST" and form.is_valid():
        try:
            # Check before saving: a strong match (a double entry, or a near-certain overlap) needs a confirmation.
            matches = services.event_precheck(actor=request.user, **form.service_data())
            if any(m.strong for m in matches) and not request.POST.get("confirm_duplicates"):
                return render(
                    request,
                    "events/event_form.html",
                    {
                        "form": form,
                        "event": None,
                        "matches": matches,
                        "needs_confirmation": True,
                    },
                    status=409,
                )
            event = services.event_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=SERVICE_FIELD_MAP)
        else:
            if matches:
                messages.warning(
                    request,
                    _("The event was added, but it looks like %(titles)s: please check the possible duplicates below.")
                    % {"titles": "; ".join(f"“{m.event.title}”" for m in matches[:3])},
                )
            else:
                messages.success(request, _("The event was added to the calendar."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None, "matches": matches})


@role_required("event", CHANGE)
def event_edit(request, pk: int):
    event = get_object_or_404(selectors.visible_events(user=request.user), pk=pk)
    if not can_edit_event(user=request.user, event=event):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(
                event=event, data=form.service_data(), actor=request.user, expected_version=form.expected_version
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=SERVICE_FIELD_MAP)
        except VersionConflict as exc:
            form.show_version_conflict(exc)
            return render(request, "events/event_form.html", {"form": form, "event": event}, status=409)
        else:
            # A change can make the event look like another one: say so as a warning, never as a plain success.
            matches = selectors.event_duplicates(event=event, user=request.user)
            if matches:
                messages.warning(
                    request,
                    _("The event was saved, but it looks like %(titles)s: please check the possible duplicates below.")
                    % {"titles": "; ".join(f"“{m.event.title}”" for m in matches[:3])},
                )
            else:
                messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_POST
@role_required("event", CHANGE)
def event_cancel(request, pk: int):
    event = get_object_or_404(selectors.visible_events(user=request.user), pk=pk)
    if not can_edit_event(user=request.user, event=event):
        raise PermissionDenied
    services.event_cancel(event=event, actor=request.user)
    messages.success(request, _("The event was marked as cancelled."))
    return redirect(event)


@role_required("event_outcome", CHANGE)
def event_outcome(request, pk: int):
    event = get_object_or_404(selectors.visible_events(user=request.user), pk=pk)
    if not can_record_event_outcome(user=request.user, obj=event):
        raise PermissionDenied
    form = EventOutcomeForm(request.POST or None, instance=getattr(event, "outcome", None))
    return handle_service_form(
        request,
        form,
        lambda data: services.event_outcome_record(event=event, actor=request.user, **data),
        template="events/event_outcome_form.html",
        context={"event": event},
        success_url=lambda _outcome: event.get_absolute_url(),
        success_message=_("The outcome was recorded."),
    )


@role_required("event_outcome", VIEW)
def awaiting_outcome(request):
    """Past events with no outcome yet: a field user's own operation's, or every structure's for staff."""
    events = selectors.events_awaiting_outcome(user=request.user, today=timezone.localdate())
    page, query = paginate(request, events)
    return render(request, "events/awaiting_outcome.html", {"page": page, "query": query})


@role_required("coordination_alert", VIEW)
def alert_list(request):
    data = request.GET.copy()
    data.setdefault("status", CoordinationAlert.Status.OPEN)
    filterset = CoordinationAlertFilterSet(data, queryset=selectors.alert_list())
    alerts = filterset.qs if filterset.is_valid() else filterset.queryset
    page, query = paginate(request, alerts.order_by("-score", "pk"))
    return render(
        request,
        "events/alert_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "resolve_form": AlertResolveForm(),
            "can_resolve": can(request.user, "coordination_alert", CHANGE),
        },
    )


@require_POST
@role_required("coordination_alert", CHANGE)
def alert_resolve(request, pk: int):
    alert = get_object_or_404(CoordinationAlert, pk=pk)
    form = AlertResolveForm(request.POST)
    if form.is_valid():
        try:
            result = services.alert_resolve(alert=alert, resolution=form.cleaned_data["resolution"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if form.cleaned_data["resolution"] == services.MERGE:
                messages.success(request, _("The two entries were merged into this event."))
                assert isinstance(result, Event)  # a merge returns the event kept
                return redirect(result)
            messages.success(request, _("The alert was resolved and will not be raised again."))
    else:
        messages.error(request, _("Choose how the alert was resolved."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("events:alert_list")


@role_required("coordination_alert", VIEW)
def scoring(request):
    """How duplicate scores are made: the weights and the bilingual glossary, read from the data files."""
    return render(
        request,
        "events/scoring.html",
        {
            "weights": duplicates.scoring(),
            "glossary": duplicates.glossary_table(),
        },
    )


# --- feeds ----------------------------------------------------------------------------------------------------------


def _feed_response(request, queryset, *, name: str, private: bool) -> HttpResponse:
    params = request.GET.copy()
    if not params.get("date_from"):
        past_days = settings.PORTAL_FEED_PAST_DAYS
        params["date_from"] = (timezone.localdate() - timedelta(days=past_days)).isoformat()
    filterset = EventFilterSet(params, queryset=queryset)
    if not filterset.is_valid():
        return HttpResponse(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    # Rows saved before the year check existed must not break every subscriber's feed (DTEND would overflow).
    events = filterset.qs.filter(start_date__gte=date(EARLIEST_YEAR, 1, 1), end_date__lte=date(LATEST_YEAR, 12, 31))
    # The feed shows areas but no co-organisers or project: load only what it shows.
    events = feeds.feed_events(events)
    events = events.order_by("start_date", "start_at", "pk")
    # The ETag comes from a cheap fingerprint, so a conditional request is answered without rendering anything, and
    # an unconditional one renders only when the events changed (issue 14: a year of events took seconds).
    fingerprint = feeds.feed_fingerprint(events, name=name, limit=FEED_MAX_EVENTS)
    events = events[:FEED_MAX_EVENTS]
    etag = fingerprint.etag
    cache = "private, max-age=300" if private else "public, max-age=300"
    response: HttpResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        body = feeds.cached_calendar(events, name=name, fingerprint=fingerprint)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="tnt-calendar.ics"'
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response


@declare_view_as(PUBLIC)
@require_safe
def feed(request):
    """The public feed: public events only, open to calendar clients (which cannot sign in)."""
    return _feed_response(request, selectors.public_events(), name=_("OSCE TNT joint calendar (public)"), private=False)


@declare_view_as(TOKEN)
@require_safe
def private_feed(request, token: str):
    """A personal feed: internal events too, for whoever holds the (revocable) secret URL."""
    row = selectors.feed_token_owner(token=token)
    if row is None or not can(row.user, "event", EXPORT):
        raise Http404
    services.feed_token_touch(token=row)
    return _feed_response(
        request, selectors.visible_events(user=row.user), name=_("OSCE TNT joint calendar"), private=True
    )


@role_required("event", EXPORT)
def feed_tokens(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
            except ValueError:
                token_id = 0
            if services.feed_token_revoke(actor=request.user, token_id=token_id):
                messages.success(request, _("The feed URL was revoked; calendars using it stop updating."))
            else:
                messages.error(request, _("That feed URL does not exist or is already revoked."))
        else:
            _row, secret = services.feed_token_create(actor=request.user)
            request.session[_FEED_SESSION_KEY] = secret
            messages.success(request, _("A new personal feed URL was created. Copy it now: it is shown only once."))
        return redirect("events:feed_tokens")
    secret = request.session.pop(_FEED_SESSION_KEY, None)
    new_url = request.build_absolute_uri(reverse("events:private_feed", args=[secret])) if secret else None
    return render(
        request,
        "events/feed_tokens.html",
        {
            "tokens": selectors.user_feed_tokens(user=request.user),
            "new_url": new_url,
            "public_url": request.build_absolute_uri(reverse("events:feed")),
        },
    )


# --- calendar bundles -----------------------------------------------------------------------------------------------


@role_required("calendar_bundle", VIEW)
def bundle_list(request):
    can_add = can(request.user, "calendar_bundle", ADD)
    form = BundleRequestForm(request.POST or None, initial={"first_month": timezone.localdate().replace(day=1)})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.calendar_bundle_request(first_month=form.cleaned_data["first_month"], actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc, field_map={"period_start": "first_month"})
            else:
                messages.success(request, _("The calendar bundle was queued; this page shows when it is ready."))
                return redirect("events:bundle_list")
    page, query = paginate(request, selectors.bundle_list())
    return render(request, "events/bundle_list.html", {"page": page, "query": query, "form": form, "can_add": can_add})


@require_POST
@role_required("calendar_bundle", ADD)
def bundle_retry(request, pk: int):
    bundle = get_object_or_404(CalendarBundle, pk=pk)
    if services.calendar_bundle_retry(bundle=bundle):
        messages.success(request, _("The bundle was queued again."))
    else:
        messages.error(request, _("Only a failed bundle can be retried."))
    return redirect("events:bundle_list")


_BUNDLE_FILES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar",
}


@role_required("calendar_bundle", VIEW)
def bundle_download(request, pk: int, kind: str):
    bundle = get_object_or_404(CalendarBundle, pk=pk, status=CalendarBundle.Status.DONE)
    if kind not in _BUNDLE_FILES:
        raise Http404
    file = getattr(bundle, kind)
    if not file:
        raise Http404
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1], content_type=_BUNDLE_FILES[kind]
    )
