"""Pieces every app's services share: validated saves and deletes that refuse with a reason."""

from __future__ import annotations

from typing import TypeVar, overload

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from programmes.types import PortalUser

ModelT = TypeVar("ModelT", bound=models.Model)


class DeleteRefused(Exception):
    """A delete the portal will not do, with a message for the person who asked (the API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@overload
def acting_user(user: PortalUser) -> User: ...
@overload
def acting_user(user: None) -> None: ...
def acting_user(user: PortalUser | None) -> User | None:
    """The signed-in user a write records (``created_by``, ``requested_by`` …) or looks up rows by. Every write is
    behind sign-in, so an anonymous user here is refused rather than stored as nobody."""
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user


def validated_save(instance: ModelT, *, update_fields: list[str] | None = None) -> ModelT:
    """Validate the whole row (fields, choices, constraints) before writing it, so every write path agrees."""
    instance.full_clean()
    instance.save(update_fields=update_fields)
    return instance


def protected_delete(instance: models.Model) -> None:
    """Delete a row, turning the database's refusal (rows still pointing at it) into a :class:`DeleteRefused`."""
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        names = sorted(
            {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects if hasattr(obj, "_meta")}
            if isinstance(exc, ProtectedError)
            else {str(obj._meta.verbose_name_plural) for obj in exc.restricted_objects}
        )
        raise DeleteRefused(
            _("%(object)s cannot be deleted while %(others)s still refer to it.")
            % {"object": instance, "others": ", ".join(str(n) for n in names) or _("other records")}
        ) from exc
