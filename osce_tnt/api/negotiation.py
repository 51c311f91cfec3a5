"""Content negotiation for an endpoint whose own filter is named ``format``."""

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class _WithoutFormatOverride:
    """DRF's settings with no ``?format=`` parameter: what the negotiation below reads (``select_renderer``) and
    what the browsable API's template is given on such an endpoint (``renderers.PortalBrowsableAPIRenderer``)."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name: str) -> Any:
        return getattr(api_settings, name)


class FormatFilterNegotiation(DefaultContentNegotiation):
    """The renderer from the Accept header alone. DRF reads ``?format=`` as a choice of renderer (``?format=json``);
    on the events endpoint it is the events' own filter (an event's format: workshop, conference, …), which DRF's
    reading made unusable: ``?format=workshop`` answered 404 (no such renderer) and ``?format=json`` 400."""

    settings = _WithoutFormatOverride()  # type: ignore[assignment]
