from datetime import date

import pytest
from celery.exceptions import Retry
from django.core import mail

from focal_points import services, tasks
from focal_points.models import ConfirmationRequest
from tests.focal_points.factories import FocalPointFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_request_confirmations_mails_each_current_focal_point_once_per_year(django_capture_on_commit_callbacks):
    current = MembershipFactory()
    MembershipFactory(start=date(2001, 1, 1), end=date(2002, 1, 1))  # no longer a member
    MembershipFactory(focal_point=FocalPointFactory(email=""))  # nobody to write to
    FocalPointFactory()  # in no network
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_confirmations.delay().get() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [current.focal_point.email]
    assert "/focal-points/confirm/" in mail.outbox[0].body
    request = ConfirmationRequest.objects.get()
    assert request.focal_point == current.focal_point
    assert request.sent_at is not None
    # A rerun the same year sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_confirmations.delay().get() == 0
    assert len(mail.outbox) == 1
    assert ConfirmationRequest.objects.count() == 1


def test_requests_are_made_in_batches(django_capture_on_commit_callbacks):
    members = [MembershipFactory() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_confirmations.delay(batch_size=2).get() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.focal_point.email for m in members)
    assert ConfirmationRequest.objects.filter(sent_at__isnull=False).count() == 5


def test_sending_the_same_request_twice_mails_once():
    membership = MembershipFactory()
    request = ConfirmationRequest.objects.create(focal_point=membership.focal_point, year=2024)
    assert tasks.send_confirmation_request.delay(request.pk).get() is True
    assert tasks.send_confirmation_request.delay(request.pk).get() is False
    assert len(mail.outbox) == 1
    request.refresh_from_db()
    assert request.sent_at is not None


def test_failed_mail_releases_the_claim(settings):
    settings.EMAIL_BACKEND = "tests.focal_points.failing_backend.FailingBackend"
    membership = MembershipFactory()
    request = ConfirmationRequest.objects.create(focal_point=membership.focal_point, year=2024)
    with pytest.raises(OSError):
        services.confirmation_request_send(confirmation_request_id=request.pk)
    request.refresh_from_db()
    assert request.sent_at is None
    # The task asks Celery to retry later rather than losing the request.
    with pytest.raises(Retry):
        tasks.send_confirmation_request.apply(args=[request.pk], throw=True)
    request.refresh_from_db()
    assert request.sent_at is None
