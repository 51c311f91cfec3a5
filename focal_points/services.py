"""Writes: focal points, memberships, networks, yearly confirmation and approval of proposed changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from focal_points import selectors
from focal_points.models import ConfirmationRequest, FocalPoint, Membership, Network, ProposedChange
from focal_points.permissions import can_decide_change
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, ThematicArea
from programmes.service_tools import acting_user, protected_delete, validated_save
from programmes.signals import rows_updated
from programmes.types import PortalUser
from programmes.versioning import check_version

CONFIRMATION_SALT = "focal_points.confirmation"
# How long a yearly confirmation link stays valid.
CONFIRMATION_MAX_AGE = settings.PORTAL_FOCAL_POINT_CONFIRM_DAYS * 24 * 3600

FOCAL_POINT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "structure",
    "state",
    "authority",
    "partner_organisation",
    "email",
    "phone",
    "working_languages",
    "is_sample",
    "user",
)
# What a focal point may propose to change about themselves through the confirmation link.
SELF_SERVICE_FIELDS = ("first_name", "last_name", "job_title", "authority", "email", "phone", "working_languages")


def _check_duplicate_person(focal_point: FocalPoint) -> None:
    """Same name in the same organisation is the same person; e-mail uniqueness is a DB constraint."""
    same = FocalPoint.objects.filter(
        first_name__iexact=focal_point.first_name.strip(),
        last_name__iexact=focal_point.last_name.strip(),
        structure_id=focal_point.structure_id,
        state_id=focal_point.state_id,
        partner_organisation_id=focal_point.partner_organisation_id,
    )
    if focal_point.state_id:
        same = same.filter(authority__iexact=focal_point.authority.strip())
    if focal_point.pk:
        same = same.exclude(pk=focal_point.pk)
    if same.exists():
        raise ValidationError({"last_name": _("This person is already in the directory for this organisation.")})


def _sync_membership_states(focal_point: FocalPoint) -> None:
    # Memberships carry the focal point's State for the one-primary-per-State constraint and coverage.
    focal_point.memberships.exclude(state_id=focal_point.state_id).update(state_id=focal_point.state_id)


@transaction.atomic
def focal_point_create(
    *,
    first_name: str,
    last_name: str,
    job_title: str = "",
    structure: ExecutiveStructure | None = None,
    state: ParticipatingState | None = None,
    authority: str = "",
    partner_organisation: PartnerOrganisation | None = None,
    email: str = "",
    phone: str = "",
    working_languages: list[str] | None = None,
    thematic_areas: Iterable[ThematicArea] = (),
    is_sample: bool = False,
    user: User | None = None,
) -> FocalPoint:
    focal_point = FocalPoint(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        job_title=job_title,
        structure=structure,
        state=state,
        authority=authority.strip(),
        partner_organisation=partner_organisation,
        email=email.strip(),
        phone=phone.strip(),
        working_languages=list(working_languages or []),
        is_sample=is_sample,
        user=user,
    )
    focal_point.full_clean()
    _check_duplicate_person(focal_point)
    focal_point.save()
    focal_point.thematic_areas.set(list(thematic_areas))
    return focal_point


@transaction.atomic
def focal_point_update(
    *, focal_point: FocalPoint, data: dict[str, Any], expected_version: int | None = None
) -> FocalPoint:
    """``expected_version`` (the version the editor read) refuses a stale save with ``VersionConflict``."""
    data = dict(data)
    areas = data.pop("thematic_areas", None)
    locked = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    check_version(locked, expected_version)
    previous_state_id = locked.state_id
    for name, value in data.items():
        if name not in FOCAL_POINT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    _check_duplicate_person(locked)
    if locked.state_id != previous_state_id:
        _check_memberships_fit_state(locked)
    locked.save()
    if areas is not None:
        locked.thematic_areas.set(list(areas))
    _sync_membership_states(locked)
    return locked


def _check_memberships_fit_state(focal_point: FocalPoint) -> None:
    """A primary membership moves with its person to the new State, where the network may already have one."""
    for membership in focal_point.memberships.filter(role=Membership.Role.PRIMARY).select_related("network"):
        membership.state_id = focal_point.state_id
        try:
            _check_primary_overlap(membership)
        except ValidationError:
            raise ValidationError(
                {
                    "state": _(
                        "%(network)s already has a primary focal point for this State; end one of the two memberships "
                        "first."
                    )
                    % {"network": membership.network.name}
                }
            ) from None


@transaction.atomic
def focal_point_delete(*, focal_point: FocalPoint, actor: PortalUser | None) -> None:
    """Remove a person from the directory with their memberships, requests and proposals (they cascade)."""
    protected_delete(focal_point)


def _check_primary_overlap(membership: Membership) -> None:
    if membership.role != Membership.Role.PRIMARY or membership.state_id is None:
        return
    overlapping = Membership.objects.filter(
        network_id=membership.network_id, state_id=membership.state_id, role=Membership.Role.PRIMARY
    ).filter(Q(end__isnull=True) | Q(end__gte=membership.start))
    if membership.end is not None:
        overlapping = overlapping.filter(start__lte=membership.end)
    if membership.pk:
        overlapping = overlapping.exclude(pk=membership.pk)
    if overlapping.exists():
        raise ValidationError(
            {"role": _("This network already has a primary focal point for this State in that period.")}
        )


@transaction.atomic
def membership_create(
    *,
    focal_point: FocalPoint,
    network: Network,
    role: str = Membership.Role.PRIMARY,
    start: date | None = None,
    end: date | None = None,
    last_confirmed: date | None = None,
) -> Membership:
    membership = Membership(
        focal_point=focal_point,
        network=network,
        state_id=focal_point.state_id,
        role=role,
        start=start or timezone.localdate(),
        end=end,
        last_confirmed=last_confirmed,
    )
    membership.full_clean()
    _check_primary_overlap(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, data: dict[str, Any]) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    for name in ("role", "start", "end", "last_confirmed"):
        if name in data:
            setattr(locked, name, data[name])
    locked.state_id = locked.focal_point.state_id
    locked.full_clean()
    _check_primary_overlap(locked)
    locked.save()
    return locked


@transaction.atomic
def membership_end(*, membership: Membership, end: date | None = None) -> Membership:
    return membership_update(membership=membership, data={"end": end or timezone.localdate()})


@transaction.atomic
def network_save(*, network: Network, data: dict[str, Any]) -> Network:
    data = dict(data)
    areas = data.pop("thematic_areas", None)
    for name, value in data.items():
        setattr(network, name, value)
    validated_save(network)
    if areas is not None:
        network.thematic_areas.set(list(areas))
    return network


@transaction.atomic
def network_delete(*, network: Network, actor: PortalUser | None) -> None:
    """A network with memberships, past ones included, is refused (``DeleteRefused``): its history would go."""
    protected_delete(network)


# --- yearly confirmation ---------------------------------------------------------------------------------------


def confirmation_token(*, confirmation_request: ConfirmationRequest) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(str(confirmation_request.pk))


def confirmation_request_from_token(*, token: str, max_age: int | None = None) -> ConfirmationRequest:
    """The request a link points to. Raises ``signing.SignatureExpired`` for an old link and
    ``signing.BadSignature`` for a tampered one (or one whose request no longer exists)."""
    value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(
        token, max_age=CONFIRMATION_MAX_AGE if max_age is None else max_age
    )
    try:
        return ConfirmationRequest.objects.select_related(
            "focal_point", "focal_point__structure", "focal_point__state", "focal_point__partner_organisation"
        ).get(pk=int(value))
    except (ValueError, ConfirmationRequest.DoesNotExist):
        raise signing.BadSignature("unknown confirmation request") from None


@transaction.atomic
def confirmation_requests_create(*, year: int, focal_point_ids: Iterable[int]) -> list[int]:
    """Record this year's request for each focal point (a rerun adds nothing) and return the ids not yet sent."""
    ids = list(focal_point_ids)
    ConfirmationRequest.objects.bulk_create(
        [ConfirmationRequest(focal_point_id=pk, year=year) for pk in ids], ignore_conflicts=True
    )
    return list(
        ConfirmationRequest.objects.filter(year=year, focal_point_id__in=ids, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def confirmation_request_send(*, confirmation_request_id: int) -> bool:
    """E-mail the signed link once: the conditional UPDATE claims the request, so a rerun or a duplicate task
    delivery sends nothing. If the mail server refuses, the claim is released for the next run."""
    claimed = ConfirmationRequest.objects.filter(pk=confirmation_request_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if claimed != 1:
        return False
    request = ConfirmationRequest.objects.select_related("focal_point").get(pk=confirmation_request_id)
    focal_point = request.focal_point
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "focal_points:confirm", args=[confirmation_token(confirmation_request=request)]
    )
    context = {
        "focal_point": focal_point,
        "link": link,
        "year": request.year,
        "days": CONFIRMATION_MAX_AGE // (24 * 3600),
    }
    try:
        send_mail(
            subject=_("Please confirm your details as an OSCE focal point"),
            message=render_to_string("focal_points/email/confirmation_request.txt", context),
            from_email=None,
            recipient_list=[focal_point.email],
        )
    except Exception:
        ConfirmationRequest.objects.filter(pk=confirmation_request_id).update(sent_at=None)
        raise
    return True


@transaction.atomic
def focal_point_confirm(*, confirmation_request: ConfirmationRequest, today: date | None = None) -> int:
    """The person says their details are right: every current membership counts as confirmed today."""
    today = today or timezone.localdate()
    updated = (
        Membership.objects.filter(focal_point_id=confirmation_request.focal_point_id)
        .filter(start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .update(last_confirmed=today)
    )
    ConfirmationRequest.objects.filter(pk=confirmation_request.pk).update(confirmed_at=timezone.now())
    rows_updated.send(sender=Membership)
    return updated


def _normalise_proposal(focal_point: FocalPoint, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name in SELF_SERVICE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        value = value.strip() if isinstance(value, str) else list(value) if name == "working_languages" else value
        if value != getattr(focal_point, name):
            changes[name] = value
    return changes


@transaction.atomic
def proposed_change_submit(
    *, focal_point: FocalPoint, data: dict[str, Any], confirmation_request: ConfirmationRequest | None = None
) -> ProposedChange | None:
    """Store what the person wants changed for their network co-ordinator to approve; nothing if nothing changed.
    The proposal is validated now so the co-ordinator never receives one that cannot be applied."""
    changes = _normalise_proposal(focal_point, data)
    if not changes:
        return None
    trial = FocalPoint.objects.get(pk=focal_point.pk)
    for name, value in changes.items():
        setattr(trial, name, value)
    trial.full_clean()
    change = ProposedChange.objects.create(
        focal_point=focal_point, confirmation_request=confirmation_request, data=changes
    )
    from focal_points.tasks import notify_proposed_change

    enqueue_on_commit(notify_proposed_change, change.pk)
    return change


def proposed_change_notify(*, change_id: int) -> int:
    change = ProposedChange.objects.select_related("focal_point").get(pk=change_id)
    recipients = selectors.network_coordinator_emails(focal_point=change.focal_point)
    if not recipients or change.status != ProposedChange.Status.PENDING:
        return 0
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("focal_points:change_queue")
    return send_mail(
        subject=_("A focal point proposed changes to their details"),
        message=render_to_string("focal_points/email/proposed_change.txt", {"change": change, "link": link}),
        from_email=None,
        recipient_list=recipients,
    )


@transaction.atomic
def proposed_change_decide(*, change: ProposedChange, actor: PortalUser, approve: bool) -> ProposedChange:
    if not can_decide_change(user=actor, change=change):
        raise PermissionDenied
    status = ProposedChange.Status.APPROVED if approve else ProposedChange.Status.REJECTED
    # Claim the decision: two co-ordinators clicking at once cannot both apply it.
    claimed = ProposedChange.objects.filter(pk=change.pk, status=ProposedChange.Status.PENDING).update(
        status=status, decided_by=acting_user(actor), decided_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError({"status": _("This change has already been decided.")})
    if approve:
        data = {k: v for k, v in change.data.items() if k in SELF_SERVICE_FIELDS}
        focal_point_update(focal_point=change.focal_point, data=data)
    change.refresh_from_db()
    return change
