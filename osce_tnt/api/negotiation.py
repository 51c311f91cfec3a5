"""Content negotiation for an endpoint whose own filter is named ``format``."""

from rest_framework.negotiation import DefaultContentNegotiation


class _NoFormatOverride:
    # The one setting DefaultContentNegotiation reads (``select_renderer``): no query parameter picks the renderer.
    URL_FORMAT_OVERRIDE = None


class FormatFilterNegotiation(DefaultContentNegotiation):
    """The renderer from the Accept header alone. DRF reads ``?format=`` as a choice of renderer (``?format=json``);
    on the events endpoint it is the events' own filter (an event's format: workshop, conference, …), which DRF's
    reading made unusable: ``?format=workshop`` answered 404 (no such renderer) and ``?format=json`` 400."""

    settings = _NoFormatOverride()  # type: ignore[assignment]  # the negotiation reads only URL_FORMAT_OVERRIDE
