"""Behaviour every API viewset shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.response import Response

from programmes.service_tools import DeleteRefused
from programmes.versioning import VersionConflict, etag_for, version_from_etag


class DeleteConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


if TYPE_CHECKING:
    # Mixed into generic viewsets: lets mypy see the viewset's ``request`` and ``action``.
    from rest_framework.generics import GenericAPIView

    _ViewSetBase = GenericAPIView
else:
    _ViewSetBase = object


class ServiceDeleteMixin(_ViewSetBase):
    """``DELETE`` calls the resource's delete service, never ``Model.delete`` directly, so the service's side effects
    (calendar entries, feeds, history) happen; a refused delete is a 409 with the reason.

    A viewset names its service in ``delete_service``: a callable taking ``instance=`` (named as the service names
    it, see ``delete_service_argument``) and ``actor=``."""

    delete_service: Any = None
    delete_service_argument: str = "instance"

    def perform_destroy(self, instance: Any) -> None:
        if self.delete_service is None:
            raise NotImplementedError(f"{type(self).__name__} must name its delete_service")
        try:
            type(self).delete_service(**{self.delete_service_argument: instance}, actor=self.request.user)
        except DeleteRefused as exc:
            raise DeleteConflict(exc.message) from exc


class VersionedSerializerMixin(serializers.ModelSerializer):
    """Adds the row's read-only ``version`` to a serializer of a ``Versioned`` model (the ETag carries it too)."""

    version = serializers.IntegerField(read_only=True)

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        names = list(super().get_field_names(declared_fields, info))
        return names if "version" in names else [*names, "version"]


class VersionedViewSetMixin(_ViewSetBase):
    """The API side of "no lost update" for a ``Versioned`` resource.

    A detail ``GET``, ``PUT`` or ``PATCH`` answers an ``ETag`` naming the row's version. A ``PUT`` or ``PATCH``
    with ``If-Match`` writes only if that is still the row's version: the viewset passes :attr:`expected_version`
    to its update service, which compares under the row lock, and a stale write is answered 412 with a JSON body
    (and the current ``ETag``). Without ``If-Match`` a write goes through as before, so existing clients keep
    working; ``If-Match: *`` means any version."""

    etag_actions = frozenset({"retrieve", "update", "partial_update"})

    @property
    def expected_version(self) -> int | None:
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            return None
        tags = [tag.strip() for tag in header.split(",") if tag.strip()]
        if "*" in tags:
            return None
        if len(tags) != 1:
            raise ParseError(_("Send one ETag in If-Match: the one the last read of this record answered."))
        return version_from_etag(tags[0])

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, VersionConflict):
            current = exc.current.version
            return Response(
                {
                    "detail": _(
                        "This record was changed by someone else since you read it; nothing was saved. Read it "
                        "again, apply your change and send it with the new ETag."
                    ),
                    "code": "precondition_failed",
                    "current_version": current,
                    "your_version": exc.expected,
                },
                status=status.HTTP_412_PRECONDITION_FAILED,
                headers={"ETag": etag_for(current)},
            )
        return super().handle_exception(exc)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in self.etag_actions
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag_for(data["version"])
        return response


class UnfilteredRetrieveMixin(_ViewSetBase):
    # A detail ``GET`` without query parameters skips the filter backends. (A comment, not a docstring: drf-spectacular
    # describes operations by the first docstring along the viewset's MRO, and the schema must stay what it was.)
    #
    # DRF runs the list's filter backends in ``get_object`` too, so every detail request built the whole FilterSet
    # (deep copies of its filters and their querysets, the form, its validation) to apply filters that all do nothing
    # without parameters (django-filter skips empty values; ordering does not matter for one row): about a fifth of
    # the project detail's CPU in the profile at N=1 (issue 14). With parameters the backends run as before, so a
    # detail URL with a filter that excludes the row still answers 404.

    def filter_queryset(self, queryset: Any) -> Any:
        if getattr(self, "action", None) == "retrieve" and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)
