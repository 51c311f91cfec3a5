"""Types shared by every app's services, selectors and row-level rules."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Whoever makes a request: the portal's user model (Django's own ``User``) once signed in, ``AnonymousUser`` before.
# ``request.user`` has this type in views and API views, so every ``user``/``actor`` parameter takes it.
PortalUser: TypeAlias = User | AnonymousUser
