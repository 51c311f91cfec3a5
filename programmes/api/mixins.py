"""Behaviour every API viewset shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import status
from rest_framework.exceptions import APIException

from programmes.service_tools import DeleteRefused


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
