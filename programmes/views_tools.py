"""Pieces every app's HTML views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from programmes.forms import add_service_errors
from programmes.versioning import VersionConflict


def handle_service_form(
    request: HttpRequest,
    form: BaseForm,
    service_call: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    context: dict[str, Any] | None = None,
    success_url: Any = None,
    success_message: str = "",
    field_map: dict[str, str] | None = None,
    invalid_status: int = 400,
    form_name: str = "form",
) -> HttpResponse:
    """The one shape of a page that edits through a service.

    A valid POST calls ``service_call(form.cleaned_data)``; a ``ValidationError`` from the service goes next to the
    field it names (``add_service_errors``) and the form is shown again with ``invalid_status``. On success the
    message is shown and the browser goes to ``success_url``: a URL, a view name or an object with
    ``get_absolute_url``, or a callable given the service's result; left out, to the result itself.
    A stale save (the service's ``VersionConflict``) re-shows the form with the other person's values and 409.
    A GET (or an invalid POST) renders ``template`` with the form (named ``form_name``) and ``context``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = service_call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=field_map)
        except VersionConflict as exc:
            show_version_conflict = getattr(form, "show_version_conflict", None)
            if show_version_conflict is None:
                raise
            show_version_conflict(exc)
            invalid_status = 409
        else:
            if success_message:
                messages.success(request, success_message)
            target = success_url(result) if callable(success_url) else success_url
            return redirect(result if target is None else target)
    status = invalid_status if form.is_bound and form.errors else 200
    return render(request, template, {form_name: form, **(context or {})}, status=status)
