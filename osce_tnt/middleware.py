"""Request-level reliability: database outages answered with 503, idempotent API POSTs, one-time HTML forms."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = "5"
IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
FORM_TOKEN_FIELD = "form_token"

# Served while the database is unreachable: no template (a context processor could query the database), no
# traceback, no internal detail.
_OUTAGE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto;">
<h1>{title}</h1><p>{body}</p></body></html>"""


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": _("The service is temporarily unavailable. Try again in a moment."),
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(
            _OUTAGE_PAGE.format(
                title=_("The portal is unavailable for a moment"),
                body=_(
                    "The database cannot be reached. Nothing you saved before this page appeared is lost; "
                    "try again in a minute. If you were submitting a form, check whether it was saved before "
                    "sending it again."
                ),
            ),
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into 503 (JSON under /api/, a plain page for people) instead of a 500.

    Django's ``CONN_HEALTH_CHECKS`` replaces a broken persistent connection at the start of the next request, so
    the portal recovers by itself once PostgreSQL is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Errors raised in another middleware (outside any view) reach ``osce_tnt.views.server_error`` instead.
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable during %s %s", request.method, request.path, exc_info=True)
            return database_unavailable_response(request)
        return None


# --- Idempotency-Key on API POSTs -------------------------------------------------------------------------------


def _api_user(request: HttpRequest):
    """The user DRF will see: a token, else the session user. Authentication errors mean "no user": the view
    answers them itself."""
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import APIException

    try:
        result = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]  # reads only the Authorization header, which an HttpRequest has
    except APIException:
        return None
    if result is not None:
        return result[0]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(b"\0" + request.get_full_path().encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or "application/json"
    )
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyKeyMiddleware:
    """``Idempotency-Key`` on API POSTs: the first response to a key is stored for the user for
    PORTAL_IDEMPOTENCY_HOURS; the same key with the same request gets that response again (header
    ``Idempotent-Replayed: true``) without doing the write twice; the same key with another request gets 422; a key
    whose first request is still running gets 409. Server errors and authentication failures are not stored, so
    the client may retry them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(IDEMPOTENCY_HEADER, "").strip()
        if request.method != "POST" or not key or not is_api_request(request):
            return self.get_response(request)
        if len(key) > 255:
            return JsonResponse({"detail": _("The Idempotency-Key header may be at most 255 characters.")}, status=400)
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        return self._handle(request, user, key)

    def _handle(self, request, user, key):
        from programmes.models import IdempotencyRecord

        fingerprint = _fingerprint(request)
        cutoff = timezone.now() - timedelta(hours=settings.PORTAL_IDEMPOTENCY_HOURS)
        IdempotencyRecord.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()
        try:
            # Its own statement, committed at once: a concurrent request with the same key sees it and waits.
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is None:  # deleted meanwhile (its first request failed): treat this one as new
                return self.get_response(request)
            if existing.fingerprint != fingerprint:
                return JsonResponse(
                    {
                        "detail": _("This Idempotency-Key was already used for a different request."),
                        "code": "idempotency_key_reused",
                    },
                    status=422,
                )
            if existing.status_code is None:
                response = JsonResponse(
                    {
                        "detail": _("A request with this Idempotency-Key is still being processed."),
                        "code": "idempotency_key_in_progress",
                    },
                    status=409,
                )
                response["Retry-After"] = "1"
                return response
            return _replay(existing)

        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        storable = (
            response.status_code < 500
            and response.status_code not in (401, 403, 409, 429)
            and not getattr(response, "streaming", False)
        )
        try:
            if storable:
                IdempotencyRecord.objects.filter(pk=record.pk).update(
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "")[:100],
                    body=bytes(response.content),
                    location=response.get("Location", "")[:500],
                )
            else:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
        except DatabaseError:
            logger.warning("Could not store the response to Idempotency-Key %r", key, exc_info=True)
        return response


# --- One-time tokens on HTML create forms -------------------------------------------------------------------------


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class OneTimeFormMiddleware:
    """A create form carries a hidden ``form_token`` (``{% form_token %}``). The first POST with a token is
    processed; a second POST with the same token (a double click that got through, a page resubmitted after the
    browser's back button or a reload) does not create the object again: it is sent where the first one went, or
    told that the first one is still being saved. A submission the view answered with the form again (invalid
    input) releases its token so the corrected form can be sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or is_api_request(request):
            return self.get_response(request)
        token = request.POST.get(FORM_TOKEN_FIELD, "").strip() if self._is_form(request) else ""
        if not token or len(token) > 64:
            return self.get_response(request)
        return self._handle(request, token)

    @staticmethod
    def _is_form(request) -> bool:
        content_type = request.content_type or ""
        return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")

    def _handle(self, request, token):
        from programmes.models import FormSubmission

        user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, user=user, path=request.path[:500])
        except IntegrityError:
            first = FormSubmission.objects.filter(token=token).first()
            if first is not None and first.redirect_to:
                messages.info(request, _("This form had already been sent; it was saved once."))
                return HttpResponseRedirect(first.redirect_to)
            response = HttpResponse(
                _OUTAGE_PAGE.format(
                    title=_("Already being saved"),
                    body=_(
                        "This form was sent twice; the first copy is still being saved. "
                        "Go back and reload the page to see it."
                    ),
                ),
                status=409,
                content_type="text/html; charset=utf-8",
            )
            return response
        try:
            response = self.get_response(request)
        except BaseException:
            FormSubmission.objects.filter(pk=submission.pk).delete()
            raise
        try:
            if response.status_code in (301, 302, 303) and response.get("Location"):
                FormSubmission.objects.filter(pk=submission.pk).update(redirect_to=response["Location"][:500])
            else:
                FormSubmission.objects.filter(pk=submission.pk).delete()
        except DatabaseError:
            logger.warning("Could not record the outcome of form token %s", token, exc_info=True)
        return response
