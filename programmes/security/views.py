"""The user's own API token: see when it expires, create a new one, revoke it (page and API)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.permissions import ADD, DELETE, VIEW, role_required
from programmes.security import selectors, services


@role_required("api_token", VIEW)
def api_token(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if not _can(request, DELETE):
                return redirect("security:api_token")
            services.api_token_revoke(user=request.user)
            messages.success(request, _("Your API token was revoked."))
            return redirect("security:api_token")
        if not _can(request, ADD):
            return redirect("security:api_token")
        token = services.api_token_create(user=request.user)
        # The key is shown once, on this response only.
        return render(
            request,
            "security/api_token.html",
            {"token": selectors.api_token_info(user=request.user), "new_key": token.key},
        )
    return render(request, "security/api_token.html", {"token": selectors.api_token_info(user=request.user)})


def _can(request, action: str) -> bool:
    from programmes.permissions import can

    return can(request.user, "api_token", action)


_TOKEN_INFO = inline_serializer(
    "ApiTokenInfo",
    fields={
        "exists": serializers.BooleanField(),
        "created": serializers.DateTimeField(allow_null=True),
        "expires": serializers.DateTimeField(allow_null=True),
        "expired": serializers.BooleanField(),
    },
)
_NEW_TOKEN = inline_serializer(
    "ApiTokenCreated",
    fields={
        "key": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "expires": serializers.DateTimeField(),
    },
)


class ApiTokenView(APIView):
    """The caller's own token. POST replaces it (the key is returned once); DELETE revokes it."""

    permission_resource = "api_token"

    @extend_schema(responses={200: _TOKEN_INFO})
    def get(self, request):
        return Response(selectors.api_token_info(user=request.user))

    @extend_schema(request=None, responses={201: _NEW_TOKEN})
    def post(self, request):
        token = services.api_token_create(user=request.user)
        info = selectors.api_token_info(user=request.user)
        return Response(
            {"key": token.key, "created": info["created"], "expires": info["expires"]}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Revoked."),
            404: OpenApiResponse(description="There was no token to revoke."),
        }
    )
    def delete(self, request):
        if services.api_token_revoke(user=request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"detail": _("You have no API token.")}, status=status.HTTP_404_NOT_FOUND)
