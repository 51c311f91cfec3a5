"""Stored files: no /media/ route in any mode, downloads only through permission-checked views, random names."""

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.views.static import serve

from knowledge.models import document_upload_to
from osce_tnt.reporting.models import _report_upload_to
from programmes.activity.models import attachment_upload_to
from programmes.events.models import _bundle_path
from taskforces.models import meeting_pack_upload_to


def _callbacks(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _callbacks(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p.callback


@pytest.mark.parametrize("debug", [False, True])
def test_no_url_serves_the_media_folder_directly(settings, debug):
    import osce_tnt.urls

    settings.DEBUG = debug
    module = importlib.reload(osce_tnt.urls)
    try:
        assert serve not in set(_callbacks(module.urlpatterns))
    finally:
        settings.DEBUG = False
        importlib.reload(osce_tnt.urls)


@pytest.mark.parametrize(
    "upload_to,instance",
    [
        (_bundle_path, SimpleNamespace(period_start=date(2010, 5, 1), pk=3)),
        (attachment_upload_to, SimpleNamespace(report_id=7, checksum="0" * 64)),
        (meeting_pack_upload_to, SimpleNamespace()),
        (_report_upload_to, SimpleNamespace(period_start=date(2010, 1, 1))),
        # Staff-only library documents: a year and a file name must not be enough to find one.
        (document_upload_to, SimpleNamespace(published_on=date(2010, 5, 1))),
    ],
)
def test_stored_names_are_unguessable(upload_to, instance):
    first, second = upload_to(instance, "file.pdf"), upload_to(instance, "file.pdf")
    assert first != second
    assert len(set(first.split("/")) - set(second.split("/"))) >= 1
    assert "0000000000000000" not in first


@pytest.mark.django_db
def test_a_calendar_bundle_is_not_served_to_anonymous_users_or_delegations(
    client, client_as, delegation_user, coordinator, django_capture_on_commit_callbacks
):
    from programmes.events import services
    from tests.factories import EventFactory

    EventFactory(start_date=date(2010, 5, 10))
    with django_capture_on_commit_callbacks(execute=True):
        bundle = services.calendar_bundle_request(first_month=date(2010, 5, 1), actor=coordinator)
    url = reverse("events:bundle_download", args=[bundle.pk, "xlsx"])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client_as(delegation_user).get(url).status_code == 403
    assert client_as(coordinator).get(url).status_code == 200
