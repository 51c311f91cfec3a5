"""The permission table tested as a matrix.

Every URL pattern and API route (walked by ``tests/walker.py``) is opened by every role (anonymous, delegation A and
B, field A and B, Secretariat, co-ordinator, administrator), and each answer must be the one status that the role ×
resource table (``programmes.permissions.PERMISSIONS``, through the ``permission_resource`` each view declares) and
the route's entry in ``tests/security/routes.py`` give; the rule that decides 302, 403, 404 and 405 is that module's
docstring. No forbidden object (another operation's draft activity report or indicator actual, an unpublished
report, meeting, project, result or transaction, contact data, internal events, staff-only or participating-States
library documents) may appear in any page, export, feed, file, dashboard or published generated report of a role
that may not see it."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, reverse

from programmes.permissions import PERMISSIONS, VIEW, Role
from programmes.security.permissions import OPEN_RESOURCES, PUBLIC, TOKEN
from tests import walker
from tests.security.routes import (
    ADMIN,
    ANON,
    ANON_API,
    ANON_PAGE,
    COORDINATOR,
    DEL_A,
    DEL_B,
    FIELD_A,
    FIELD_B,
    REFUSED,
    ROLES,
    SECRETARIAT,
    R,
    expected_status,
)

ROLE_OF = {
    DEL_A: Role.DELEGATION,
    DEL_B: Role.DELEGATION,
    FIELD_A: Role.FIELD,
    FIELD_B: Role.FIELD,
    SECRETARIAT: Role.SECRETARIAT,
    COORDINATOR: Role.COORDINATOR,
    ADMIN: Role.ADMIN,
}

DRAFT_A = "Sentinel draft of operation A"
UNPUBLISHED_REPORT = "Sentinel unpublished report"
CONTACT_EMAIL = "sentinel.contact@example.org"
CONTACT_PHONE = "+43 1 999 4242"
INTERNAL_EVENT = "Sentinel internal event"
UNPUBLISHED_MEETING = "Sentinel unpublished meeting place"
ACTUAL_DRAFT_A = "Sentinel actual draft of operation A"
ACTUAL_SUBMITTED_A = "Sentinel submitted actual of operation A"
UNPUBLISHED_PROJECT = "Sentinel unpublished project"
UNPUBLISHED_RESULT = "Sentinel result of an unpublished project"
UNPUBLISHED_MONEY = "Sentinel money of an unpublished project"
UNPUBLISHED_ACTUAL = "Sentinel approved actual of an unpublished project"
STAFF_DOCUMENT = "Sentinel staff-only document"
STATES_DOCUMENT = "Sentinel participating-States document"
INTERNAL_OUTCOME = "Sentinel outcome of the internal event"

UNPUBLISHED = {UNPUBLISHED_REPORT, UNPUBLISHED_MEETING, UNPUBLISHED_PROJECT, UNPUBLISHED_RESULT}
UNPUBLISHED |= {UNPUBLISHED_MONEY, UNPUBLISHED_ACTUAL}
# What delegations may never see: drafts, anything unpublished, contact data, internal events, staff documents.
NOT_FOR_DELEGATIONS = {DRAFT_A, ACTUAL_DRAFT_A, ACTUAL_SUBMITTED_A, CONTACT_EMAIL, CONTACT_PHONE, INTERNAL_EVENT}
NOT_FOR_DELEGATIONS |= {INTERNAL_OUTCOME}
NOT_FOR_DELEGATIONS |= UNPUBLISHED | {STAFF_DOCUMENT}

SENTINELS = NOT_FOR_DELEGATIONS | {STATES_DOCUMENT}

# Which sentinels each role must never receive, in any body. Operation A's draft actual is its own until submitted:
# even reviewers see it only then; another operation never sees A's actuals before they are approved.
FORBIDDEN = {
    ANON: NOT_FOR_DELEGATIONS | {STATES_DOCUMENT},
    DEL_A: NOT_FOR_DELEGATIONS,
    DEL_B: NOT_FOR_DELEGATIONS,
    FIELD_B: {DRAFT_A, ACTUAL_DRAFT_A, ACTUAL_SUBMITTED_A},
    FIELD_A: set(),
    SECRETARIAT: {ACTUAL_DRAFT_A},
    COORDINATOR: {ACTUAL_DRAFT_A},
    ADMIN: set(),
}


def _routes() -> list[walker.Pattern]:
    """Every route outside the Django admin (which has its own permissions), named or not; DRF's format-suffix
    variants are left out, they repeat the plain route."""
    return [p for p in walker.patterns() if not p.in_admin and not p.is_format_variant]


def _table_gaps(patterns: list[walker.Pattern]) -> dict[str, list[str]]:
    """What the route table lacks or holds in excess for ``patterns``; empty lists when it matches."""
    names = {p.name for p in patterns if p.name}
    return {
        # An unnamed route cannot have an entry, so it is a gap too.
        "unnamed": sorted(p.raw for p in patterns if p.name is None),
        "without_entry": sorted(names - set(R)),
        "entry_without_route": sorted(set(R) - names),
    }


def _declaration(entry: URLPattern) -> tuple[str | None, str]:
    callback = entry.callback
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    resource = getattr(callback, "permission_resource", None) or getattr(cls, "permission_resource", None)
    action = getattr(callback, "permission_action", None) or VIEW
    actions = getattr(callback, "actions", None)  # DRF viewsets: {"get": "list"}
    if cls is not None and actions:
        explicit = getattr(cls, "action_permissions", {}).get(actions.get("get", ""))
        action = explicit or VIEW
        resource = getattr(cls, "action_resources", {}).get(actions.get("get", ""), resource)
    elif cls is not None and getattr(cls, "permission_action", None):
        action = cls.permission_action
    if isinstance(resource, property):
        # Declared per action at run time (the calendar viewset): an instance tells.
        view = cls()
        view.action = (actions or {}).get("get", "list")
        resource = view.permission_resource
    return resource, action


def test_every_route_has_a_table_entry():
    assert _table_gaps(_routes()) == {"unnamed": [], "without_entry": [], "entry_without_route": []}


def test_a_new_route_without_an_entry_is_reported():
    from django.http import HttpResponse
    from django.urls import path

    def new_view(request):
        return HttpResponse("new")

    new = walker.Pattern(raw="new/", name="new:page", pattern=path("new/", new_view, name="page"), in_admin=False)
    unnamed = walker.Pattern(raw="nameless/", name=None, pattern=path("nameless/", new_view), in_admin=False)

    gaps = _table_gaps([*_routes(), new, unnamed])

    assert gaps == {"unnamed": ["nameless/"], "without_entry": ["new:page"], "entry_without_route": []}


def test_every_view_declares_a_known_resource():
    undeclared = {}
    for route in _routes():
        resource, _action = _declaration(route.pattern)
        if resource not in PERMISSIONS and resource not in OPEN_RESOURCES:
            undeclared[route.name] = resource
    assert undeclared == {}


# --- the world ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    from django.core.management import call_command

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            yield _build_world() | {"media": media}
        finally:
            # The world is committed (module scope), so it is removed even when building it failed half-way.
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _world_media(request, settings):
    # The stored files of the module's world, instead of each test's empty media folder; tests that need no
    # database (the route table's checks) do not build the world.
    if request.node.get_closest_marker("django_db") is not None:
        settings.MEDIA_ROOT = request.getfixturevalue("world")["media"]


def _build_world() -> dict:
    from focal_points.models import ConfirmationRequest, ProposedChange
    from focal_points.services import confirmation_token
    from osce_tnt.reporting.models import GeneratedReport
    from programmes.activity.models import ActivityReport, ReportAttachment
    from programmes.events.models import CalendarBundle, Event, EventOutcome
    from programmes.events.services import event_outcome_record, feed_token_create
    from taskforces.models import Meeting, MeetingPack
    from tests.factories import (
        EventFactory,
        ExecutiveStructureFactory,
        FieldOperationFactory,
        MandateFactory,
        ParticipatingStateFactory,
        PartnerOrganisationFactory,
        ProjectFactory,
        ThematicAreaFactory,
        make_user,
    )
    from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory
    from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
    from tests.programmes.events.factories import CoordinationAlertFactory
    from tests.taskforces.factories import (
        ActionItemFactory,
        AgendaItemFactory,
        DecisionFactory,
        MeetingFactory,
        TaskForceFactory,
        TaskForceMemberFactory,
    )

    state_a, state_b = ParticipatingStateFactory(), ParticipatingStateFactory()
    op_a, op_b = FieldOperationFactory(host_state=state_a), FieldOperationFactory(host_state=state_b)
    unit = ExecutiveStructureFactory()
    area = ThematicAreaFactory()
    users = {
        DEL_A: make_user(Role.DELEGATION, state=state_a),
        DEL_B: make_user(Role.DELEGATION, state=state_b),
        FIELD_A: make_user(Role.FIELD, structure=op_a),
        FIELD_B: make_user(Role.FIELD, structure=op_b),
        SECRETARIAT: make_user(Role.SECRETARIAT, structure=unit),
        COORDINATOR: make_user(Role.COORDINATOR),
        ADMIN: make_user(Role.ADMIN),
    }
    project = ProjectFactory(lead_structure=op_a, thematic_areas=[area], beneficiary_states=[state_a])
    internal_event = EventFactory(
        title=INTERNAL_EVENT,
        lead_structure=op_a,
        state=state_a,
        thematic_areas=[area],
        visibility=Event.Visibility.INTERNAL,
        start_date=date(2010, 5, 10),
    )
    other_event = EventFactory(lead_structure=unit, state=state_a, thematic_areas=[area], start_date=date(2010, 5, 11))
    alert = CoordinationAlertFactory(event_a=internal_event, event_b=other_event)
    # Held, through the service, so that the event's status follows as it does in the portal.
    event_outcome_record(
        event=internal_event, outcome=EventOutcome.Outcome.HELD, results=INTERNAL_OUTCOME, actor=users[FIELD_A]
    )
    draft = ActivityReportFactory(structure=op_a, summary=DRAFT_A, status=ActivityReport.Status.DRAFT)
    ReportedActivityFactory(report=draft, title=DRAFT_A)
    attachment = ReportAttachment(
        report=draft,
        original_name="notes.pdf",
        content_type="application/pdf",
        size=8,
        checksum="a" * 64,
        uploaded_by=users[FIELD_A],
    )
    attachment.file.save("notes.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    network = NetworkFactory()
    focal_point = FocalPointFactory(state=state_a, email=CONTACT_EMAIL, phone=CONTACT_PHONE)
    membership = MembershipFactory(network=network, focal_point=focal_point)
    request = ConfirmationRequest.objects.create(focal_point=focal_point, year=2010)
    change = ProposedChange.objects.create(
        focal_point=focal_point, confirmation_request=request, data={"email": CONTACT_EMAIL}
    )
    task_force = TaskForceFactory(publishes_to_delegations=True)
    member = TaskForceMemberFactory(task_force=task_force, structure=op_a)
    meeting = MeetingFactory(
        task_force=task_force,
        place=UNPUBLISHED_MEETING,
        published=False,
        status=Meeting.Status.PLANNED,
        starts_at=datetime(2010, 5, 12, 8, tzinfo=UTC),
    )
    agenda_item = AgendaItemFactory(meeting=meeting)
    decision = DecisionFactory(meeting=meeting)
    action = ActionItemFactory(task_force=task_force, owner_structure=op_a)
    pack = MeetingPack.objects.create(meeting=meeting, status=MeetingPack.Status.DONE)
    pack.pdf.save("pack.pdf", ContentFile(b"%PDF-1.4"), save=True)
    report = GeneratedReport.objects.create(
        title=UNPUBLISHED_REPORT,
        period_start=date(2010, 1, 1),
        period_end=date(2010, 3, 31),
        status=GeneratedReport.Status.DONE,
        figures={},
    )
    report.csv_file.save("r.csv", ContentFile(UNPUBLISHED_REPORT.encode()), save=True)
    bundle = CalendarBundle.objects.create(
        period_start=date(2010, 5, 1), period_end=date(2010, 7, 31), status=CalendarBundle.Status.DONE
    )
    bundle.xlsx.save("b.xlsx", ContentFile(b"PK"), save=True)
    _token, feed_secret = feed_token_create(actor=users[FIELD_A])
    results = _build_results_world(users=users, op_a=op_a, state_a=state_a, project=project, draft=draft)
    knowledge = _build_knowledge_world(
        op_a=op_a, state_a=state_a, project=project, internal_event=internal_event, area=area
    )
    objects = {
        "field_a_structure": op_a.pk,
        "state_a": state_a.pk,
        "partner": PartnerOrganisationFactory().pk,
        "area": area.pk,
        "mandate": MandateFactory().pk,
        "project": project.pk,
        "internal_event": internal_event.pk,
        "alert": alert.pk,
        "bundle": bundle.pk,
        "draft_report_a": draft.pk,
        "attachment": attachment.pk,
        "network": network.pk,
        "focal_point": focal_point.pk,
        "membership": membership.pk,
        "proposed_change": change.pk,
        "confirm_secret": confirmation_token(confirmation_request=request),
        "feed_secret": feed_secret,
        "task_force": task_force.pk,
        "task_force_slug": task_force.slug,
        "member": member.pk,
        "unpublished_meeting": meeting.pk,
        "agenda_item": agenda_item.pk,
        "decision": decision.pk,
        "action": action.pk,
        "pack": pack.pk,
        "unpublished_report": report.pk,
        **results,
        **knowledge,
    }
    return {"users": users, "objects": objects}


def _build_results_world(*, users, op_a, state_a, project, draft) -> dict:
    """A published project with operation A's draft and submitted actuals, and an unpublished project whose results,
    money and approved actual delegations must never see."""
    from programmes.models import Project
    from results.models import ActivityContribution, ActualStatus, FinancialTransaction
    from tests.programmes.activity.factories import ReportedActivityFactory
    from tests.results.factories import (
        IndicatorActualFactory,
        IndicatorFactory,
        IndicatorPeriodFactory,
        ProgrammeFactory,
        ResultFactory,
        TransactionFactory,
    )

    programme = ProgrammeFactory(lead_structure=op_a)
    project.programme = programme
    project.save(update_fields=["programme"])
    indicator = IndicatorFactory(result=ResultFactory(project=project))
    period = IndicatorPeriodFactory(indicator=indicator)
    later = IndicatorPeriodFactory(indicator=indicator, period_start=date(2010, 4, 1), period_end=date(2010, 6, 30))
    actual_draft = IndicatorActualFactory(
        period=period, structure=op_a, status=ActualStatus.DRAFT, narrative=ACTUAL_DRAFT_A
    )
    IndicatorActualFactory(
        period=later,
        structure=op_a,
        status=ActualStatus.SUBMITTED,
        narrative=ACTUAL_SUBMITTED_A,
        submitted_by=users[FIELD_A],
    )
    hidden = _unpublished_project(op_a=op_a, programme=programme, status=Project.Status.PROPOSAL)
    hidden_indicator = IndicatorFactory(result=ResultFactory(project=hidden, title=UNPUBLISHED_RESULT))
    IndicatorActualFactory(
        period=IndicatorPeriodFactory(indicator=hidden_indicator),
        structure=op_a,
        status=ActualStatus.APPROVED,
        narrative=UNPUBLISHED_ACTUAL,
    )
    TransactionFactory(
        project=hidden,
        donor_state=state_a,
        kind=FinancialTransaction.Kind.COMMITMENT,
        description=UNPUBLISHED_MONEY,
    )
    TransactionFactory(project=project, donor_state=state_a)
    activity = ReportedActivityFactory(report=draft, project=project)
    contribution = ActivityContribution.objects.create(activity=activity, indicator=indicator, value=3)
    return {
        "programme": programme.pk,
        "indicator": indicator.pk,
        "result": indicator.result_id,
        "period": period.pk,
        "actual_draft_a": actual_draft.pk,
        "hidden_project": hidden.pk,
        "hidden_result": hidden_indicator.result_id,
        "hidden_indicator": hidden_indicator.pk,
        "hidden_period": hidden_indicator.periods.get().pk,
        "contribution": contribution.pk,
        "transaction": hidden.transactions.get().pk,
        "draft_activity_a": activity.pk,
    }


def _unpublished_project(*, op_a, programme, status):
    from tests.factories import ProjectFactory

    return ProjectFactory(lead_structure=op_a, programme=programme, status=status, title=UNPUBLISHED_PROJECT)


def _build_knowledge_world(*, op_a, state_a, project, internal_event, area) -> dict:
    """A staff-only document (with a stored file) and a participating-States one, linked to pages delegations and
    the public reach; a training centre hosting the internal event; a suggested decision."""
    from knowledge.models import Document
    from programmes.models import Mandate
    from tests.factories import MandateFactory
    from tests.knowledge.factories import CommitmentFactory, DocumentFactory, InstrumentFactory, TrainingCentreFactory

    instrument = InstrumentFactory(thematic_areas=[area])
    commitment = CommitmentFactory(instrument=instrument, state=state_a)
    staff_document = DocumentFactory.build(title=STAFF_DOCUMENT, visibility=Document.Visibility.STAFF, link="")
    staff_document.file.save("staff.txt", ContentFile(STAFF_DOCUMENT.encode()), save=True)
    states_document = DocumentFactory(title=STATES_DOCUMENT, visibility=Document.Visibility.PARTICIPATING_STATES)
    for document in (staff_document, states_document):
        document.structures.set([op_a])
        document.states.set([state_a])
        document.projects.set([project])
        document.events.set([internal_event])
    centre = TrainingCentreFactory(state=state_a)
    internal_event.training_centre = centre
    internal_event.save(update_fields=["training_centre"])
    proposal = MandateFactory(code="PROPOSAL/2010/1", status=Mandate.Status.PROPOSED, year=2010)
    for document in (staff_document, states_document):
        document.mandates.add(proposal)
    project.mandates.add(proposal)
    return {
        "instrument_code": instrument.code,
        "commitment": commitment.pk,
        "staff_document": staff_document.pk,
        "training_centre": centre.pk,
        "proposal": proposal.pk,
    }


def _url(name: str, world: dict) -> str:
    # A value naming a world object is replaced by its key; any other ("csv", a dashboard's name) is literal.
    kwargs = {key: world["objects"].get(value, value) for key, value in R[name].kwargs.items()}
    return reverse(name, kwargs=kwargs)


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    return raw.decode("utf-8", errors="replace")


def _allowed(role: str, resource: str, action: str) -> bool:
    if resource in (PUBLIC, TOKEN):
        return True
    if role == ANON:
        return False
    if resource in OPEN_RESOURCES:
        return True
    return ROLE_OF[role] in PERMISSIONS.get(resource, {}).get(action, frozenset())


def _client(role: str, world: dict) -> Client:
    client = Client()
    if role != ANON:
        client.force_login(world["users"][role])
    return client


def _get_matrix(role: str, world: dict) -> tuple[dict, dict, set]:
    """Every route opened by ``role``: {name: (status, expected)} where they differ, {name: [sentinels]} leaked,
    and every sentinel the role received anywhere."""
    client = _client(role, world)
    wrong, leaks, seen = {}, {}, set()
    for route in _routes():
        name = route.name
        resource, action = _declaration(route.pattern)
        url = _url(name, world)
        response = client.get(url)
        want = expected_status(
            R[name],
            role=role,
            allowed=_allowed(role, resource, action),
            is_api=url.startswith("/api/"),
            open_to_anonymous=resource in (PUBLIC, TOKEN),
        )
        if response.status_code != want:
            wrong[name] = (response.status_code, want)
        # A secret link shows its holder their own data (the yearly confirmation form): not a leak.
        if response.status_code == 200 and resource != TOKEN:
            body = _body(response)
            seen |= {s for s in SENTINELS if s in body}
            found = {s for s in FORBIDDEN[role] if s in body}
            if found:
                leaks[name] = sorted(found)
    return wrong, leaks, seen


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_permission_table_says(world, role):
    wrong, leaks, _seen = _get_matrix(role, world)

    assert wrong == {}
    assert leaks == {}


@pytest.mark.django_db
def test_the_leak_check_can_fail_every_sentinel_is_on_some_page_for_an_administrator(world):
    """The forbidden objects really are in the world and shown somewhere to one who may see them all, so their
    absence from the other roles' answers means the rules hid them."""
    _wrong, _leaks, seen = _get_matrix(ADMIN, world)

    assert SENTINELS - seen == set()


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    # History tables included: every update of a tracked row adds one, so updates show here too.
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in ("sessions", "axes", "security")
    }


def _post_matrix(role: str, world: dict) -> dict:
    """POST (empty) to every route a role may not write through: {name: (status, expected)} where they differ."""
    from programmes.permissions import ADD, CHANGE, DELETE, EXPORT, PUBLISH, REVIEW

    client = _client(role, world)
    wrong = {}
    for route in _routes():
        name = route.name
        resource, _action = _declaration(route.pattern)
        if resource in OPEN_RESOURCES or resource == "api_token":
            continue
        if role != ANON and any(_allowed(role, resource, a) for a in (ADD, CHANGE, DELETE, PUBLISH, REVIEW, EXPORT)):
            continue
        url = _url(name, world)
        status = client.post(url, {}).status_code
        if status >= 500:
            wrong[name] = (status, "server error")
        elif not _allowed(role, resource, VIEW):
            # Not even readable: refused as a GET is (rule 1), whatever the method.
            want = (ANON_API if url.startswith("/api/") else ANON_PAGE) if role == ANON else REFUSED
            if status != want:
                wrong[name] = (status, want)
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, DEL_A, DEL_B, FIELD_B])
def test_no_refused_role_can_write_through_any_route(world, role):
    """POST (empty) to every route: roles that may not even read a resource are refused exactly as a GET is, and
    nothing anywhere is created, changed or deleted by a role the table does not allow to write."""
    before = _row_counts()

    wrong = _post_matrix(role, world)

    assert wrong == {}
    assert _row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, DEL_A, DEL_B])
def test_a_published_generated_report_holds_nothing_its_readers_may_not_see(world, role, settings):
    """A report the Secretariat generates over the world's whole year and publishes: its page and its CSV and XLSX
    files, as each reader of published reports receives them, hold none of the sentinels forbidden to that reader."""
    from osce_tnt.reporting import services
    from programmes.models import ThematicArea

    settings.CELERY_TASK_ALWAYS_EAGER = False  # the report is generated below, in the test, not on commit
    secretariat = world["users"][SECRETARIAT]
    report = services.report_request(actor=secretariat, period_start=date(2010, 1, 1), period_end=date(2010, 12, 31))
    try:
        assert services.report_generate(report_id=report.pk, today=date(2011, 1, 15))
        services.report_publish(report=report, actor=secretariat)
        client = _client(role, world)
        answers = {
            url: client.get(url)
            for url in (
                reverse("reporting:report_detail", args=[report.pk]),
                reverse("reporting:report_download", args=[report.pk, "csv"]),
                reverse("reporting:report_download", args=[report.pk, "xlsx"]),
                reverse("api:report-detail", args=[report.pk]),
            )
        }
        received = {url: response.status_code for url, response in answers.items()}
        # Files are streamed: each body is read once.
        bodies = {url: _body(response) for url, response in answers.items() if response.status_code == 200}
        csv_url = reverse("reporting:report_download", args=[report.pk, "csv"])
    finally:
        report.delete()

    expected = 302 if role == ANON else 200
    assert received == {url: (403 if url.startswith("/api/") and role == ANON else expected) for url in answers}
    assert {url: sorted(s for s in FORBIDDEN[role] if s in body) for url, body in bodies.items()} == {
        url: [] for url in bodies
    }
    if role == ANON:
        assert bodies == {}
        return
    # The scan read the files' real content: the world's thematic area heads the report's sections (the API
    # names areas by id).
    area = ThematicArea.objects.get(pk=world["objects"]["area"]).short_name
    assert all(area in body for url, body in bodies.items() if not url.startswith("/api/"))
    # Nor is a forbidden object in its figures: of the world's two projects and two past events, the unpublished
    # project and the internal event (held) are not counted, only the public one still waiting for its outcome.
    csv_body = bodies[csv_url].lstrip("\ufeff")
    key_figures = {tuple(row[2:]) for row in csv.reader(io.StringIO(csv_body)) if row[:1] == ["Key figures"]}
    assert {("Projects", "1"), ("Events held", "0"), ("Past events with no outcome yet", "1")} <= key_figures
