import io
from datetime import date

import pytest
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from focal_points import services
from focal_points.models import ConfirmationRequest, FocalPoint, Membership, ProposedChange
from programmes.permissions import Role
from tests.factories import ParticipatingStateFactory, ThematicAreaFactory, make_user
from tests.focal_points.factories import (
    FocalPointFactory,
    MembershipFactory,
    NetworkFactory,
    StructureFocalPointFactory,
)

pytestmark = pytest.mark.django_db


def _many(count: int, network=None):
    network = network or NetworkFactory()
    area = ThematicAreaFactory()
    for _ in range(count):
        person = FocalPointFactory(thematic_areas=[area])
        MembershipFactory(focal_point=person, network=network)
        StructureFocalPointFactory(thematic_areas=[area])
    return network


# --- directory -------------------------------------------------------------------------------------------------


def test_directory_keeps_filters_in_the_url_and_pages(client_as, secretariat_user):
    network = _many(3)
    FocalPointFactory(first_name="Zelda", last_name="Unique")
    client = client_as(secretariat_user)
    response = client.get(reverse("focal_points:directory"), {"q": "zelda"})
    assert response.status_code == 200
    assert [fp.first_name for fp in response.context["page"]] == ["Zelda"]
    response = client.get(reverse("focal_points:directory"), {"network": network.pk})
    assert response.context["page"].paginator.count == 3
    assert f"network={network.pk}" in response.context["query"]
    # Export links carry the same filters.
    assert f"export.csv?network={network.pk}" in response.content.decode()


def test_directory_rows_link_each_person_with_networks_areas_and_staff_only_contacts(client_as, secretariat_user):
    state = ParticipatingStateFactory(name="Austria", iso_code="AT")
    area = ThematicAreaFactory(name="Trafficking in human beings", short_name="THB")
    person = FocalPointFactory(
        first_name="Anna",
        last_name="O'Brien <Test>",
        job_title="Head & deputy",
        state=state,
        authority="Ministry of the Interior",
        email="anna@example.org",
        phone="+43 1 555",
        is_sample=True,
        thematic_areas=[area],
    )
    network = NetworkFactory(name="Border security network")
    MembershipFactory(focal_point=person, network=network, role=Membership.Role.ALTERNATE)
    row = (
        "\n        <tr>\n"
        f'          <td><a href="/focal-points/{person.pk}/">O&#x27;Brien &lt;Test&gt;, Anna</a>'
        ' <span class="tag sample-badge">sample</span></td>\n'
        "          <td>Head &amp; deputy</td>\n"
        "          <td>Austria – Ministry of the Interior</td>\n"
        '          <td><span class="tag" title="Alternate">Border security network</span> </td>\n'
        '          <td><span class="tag">THB</span> </td>\n'
    )

    staff = client_as(secretariat_user).get(reverse("focal_points:directory")).content.decode()
    assert (
        row + '          <td><a href="mailto:anna@example.org">anna@example.org</a></td><td>+43 1 555</td>\n'
        "        </tr>\n"
    ) in staff
    delegation = make_user(Role.DELEGATION, state=state)
    public = client_as(delegation).get(reverse("focal_points:directory")).content.decode()
    assert row + "          \n        </tr>\n" in public
    assert "anna@example.org" not in public


@pytest.mark.parametrize("role", [Role.DELEGATION])
def test_directory_query_count_is_constant_in_rows(role, client_as, django_assert_max_num_queries):
    state = ParticipatingStateFactory()
    user = make_user(role, state=state) if role == Role.DELEGATION else make_user(role)
    client = client_as(user)
    network = NetworkFactory()
    # The first request of a session also writes its sliding expiry, once per session, whatever the rows.
    client.get(reverse("focal_points:directory"))

    def count_queries():
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # The filter's option lists are cached until their reference rows change (programmes/choice_cache.py);
        # both counts start from an empty cache, so they compare the rows' queries alone.
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("focal_points:directory"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    for _ in range(2):
        MembershipFactory(focal_point=FocalPointFactory(state=state), network=network, role=Membership.Role.MEMBER)
        StructureFocalPointFactory()
    few, _ = count_queries()
    for _ in range(15):
        MembershipFactory(
            focal_point=FocalPointFactory(state=state, thematic_areas=[ThematicAreaFactory()]), network=NetworkFactory()
        )
        StructureFocalPointFactory()
    many, response = count_queries()
    assert many == few
    assert response.context["page"].paginator.count == 34
    with django_assert_max_num_queries(few):
        client.get(reverse("focal_points:directory"))


def test_directory_csv_export_of_filtered_list(client_as, coordinator):
    network = _many(3)
    FocalPointFactory(first_name="Outside")
    response = client_as(coordinator).get(reverse("focal_points:directory_csv"), {"network": network.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("first_name,last_name")
    assert len(lines) == 4
    assert "Outside" not in "".join(lines)


def test_vcard_export_parses(client_as, field_user):
    person = FocalPointFactory(
        first_name="Ada", last_name="Kern", job_title="Adviser", email="ada@example.org", phone="+43 1 234"
    )
    MembershipFactory(focal_point=person)
    StructureFocalPointFactory(first_name="Bo", last_name="Lund", email="", phone="")
    client = client_as(field_user)
    single = client.get(reverse("focal_points:focal_point_vcard", args=[person.pk]))
    assert single.status_code == 200
    card = vobject.readOne(single.content.decode())
    assert card.fn.value == "Ada Kern"
    assert card.email.value == "ada@example.org"
    assert card.tel.value == "+43 1 234"
    assert card.n.value.family == "Kern"
    whole = client.get(reverse("focal_points:directory_vcard"))
    cards = list(vobject.readComponents(b"".join(whole.streaming_content).decode()))
    assert sorted(c.fn.value for c in cards) == ["Ada Kern", "Bo Lund"]
    csv_single = client.get(reverse("focal_points:focal_point_csv", args=[person.pk])).content.decode()
    assert "ada@example.org" in csv_single


def test_directory_export_query_count_constant(client_as, secretariat_user, django_assert_max_num_queries):
    client = client_as(secretariat_user)
    # The first request of a session also writes its sliding expiry, once per session, whatever the rows.
    client.get(reverse("focal_points:directory"))
    _many(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(reverse("focal_points:directory_csv")).streaming_content)
    _many(20)
    with CaptureQueriesContext(connection) as many:
        body = b"".join(client.get(reverse("focal_points:directory_csv")).streaming_content)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert body.decode().count("\n") == 45


# --- profile and editing ---------------------------------------------------------------------------------------


def test_profile_lists_memberships_and_sample_badge(client_as, secretariat_user):
    person = FocalPointFactory(is_sample=True, job_title="Officer (sample)")
    MembershipFactory(focal_point=person, network=NetworkFactory(name="Border Network"))
    response = client_as(secretariat_user).get(reverse("focal_points:focal_point_detail", args=[person.pk]))
    html = response.content.decode()
    assert "Border Network" in html
    assert "sample-badge" in html
    assert response.context["focal_point"].memberships.count() == 1


def test_staff_creates_and_edits_a_focal_point(client_as, secretariat_user):
    state = ParticipatingStateFactory()
    client = client_as(secretariat_user)
    response = client.post(
        reverse("focal_points:focal_point_create"),
        {
            "first_name": "Ada",
            "last_name": "Kern",
            "state": state.pk,
            "authority": "Ministry",
            "email": "ada@example.org",
            "working_languages": ["en"],
        },
    )
    person = FocalPoint.objects.get(email="ada@example.org")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    response = client.post(
        reverse("focal_points:focal_point_edit", args=[person.pk]),
        {
            "first_name": "Ada",
            "last_name": "Kern-Berg",
            "state": state.pk,
            "authority": "Ministry",
            "email": "ada@example.org",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Kern-Berg"


def test_create_form_shows_errors_for_two_organisations(client_as, secretariat_user):
    structure = StructureFocalPointFactory().structure
    response = client_as(secretariat_user).post(
        reverse("focal_points:focal_point_create"),
        {
            "first_name": "Ada",
            "last_name": "Kern",
            "state": ParticipatingStateFactory().pk,
            "structure": structure.pk,
        },
    )
    assert response.status_code == 200
    assert "exactly one organisation" in response.content.decode()
    assert not FocalPoint.objects.filter(first_name="Ada").exists()


def test_delegation_cannot_open_the_create_form(client_as, delegation_user):
    assert client_as(delegation_user).get(reverse("focal_points:focal_point_create")).status_code == 403
    assert FocalPoint.objects.count() == 0


def test_membership_add_and_end(client_as, secretariat_user):
    person = FocalPointFactory()
    network = NetworkFactory()
    client = client_as(secretariat_user)
    response = client.post(
        reverse("focal_points:membership_add", args=[person.pk]),
        {
            "network": network.pk,
            "role": "primary",
            "start": "2020-01-01",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(focal_point=person)
    assert membership.state == person.state
    response = client.post(reverse("focal_points:membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end == timezone.localdate()


def test_membership_form_reports_overlapping_primary(client_as, secretariat_user):
    existing = MembershipFactory()
    rival = FocalPointFactory(state=existing.state)
    response = client_as(secretariat_user).post(
        reverse("focal_points:membership_add", args=[rival.pk]),
        {
            "network": existing.network.pk,
            "role": "primary",
            "start": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert "already has a primary focal point" in response.content.decode()
    assert not Membership.objects.filter(focal_point=rival).exists()


# --- networks and coverage -------------------------------------------------------------------------------------


def test_network_page_groups_members_by_state(client_as, secretariat_user):
    network = NetworkFactory()
    a, b = ParticipatingStateFactory(name="Alpha"), ParticipatingStateFactory(name="Beta")
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=b, last_name="Bperson"))
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=a, last_name="Aperson"))
    MembershipFactory(
        network=network, focal_point=FocalPointFactory(state=a, last_name="Alternate"), role=Membership.Role.ALTERNATE
    )
    response = client_as(secretariat_user).get(reverse("focal_points:network_detail", args=[network.pk]))
    html = response.content.decode()
    assert html.index("<h3>Alpha</h3>") < html.index("Aperson") < html.index("<h3>Beta</h3>") < html.index("Bperson")
    assert html.count("<h3>Alpha</h3>") == 1
    assert network.memberships.count() == 3


def test_network_list_counts_current_members(client_as, delegation_user):
    network = _many(2)
    response = client_as(delegation_user).get(reverse("focal_points:network_list"))
    assert response.status_code == 200
    assert [n.current_member_count for n in response.context["networks"]] == [2]
    assert network.name in response.content.decode()


def test_coverage_page_and_exports(client_as, coordinator, settings):
    settings.PORTAL_FOCAL_POINT_STALE_MONTHS = 12
    network = NetworkFactory(name="CT")
    today = timezone.localdate()
    covered, stale, _vacant = (ParticipatingStateFactory(name=n) for n in ("Covered", "Stale", "Vacant"))
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=covered), last_confirmed=today)
    MembershipFactory(network=network, focal_point=FocalPointFactory(state=stale), last_confirmed=date(2000, 1, 1))
    client = client_as(coordinator)
    response = client.get(reverse("focal_points:coverage"))
    assert response.status_code == 200
    assert response.context["matrix"].totals[0] == {"network": network, "covered": 1, "stale": 1, "vacant": 1}
    html = response.content.decode()
    assert html.count("status-covered") == 1 and html.count("status-vacant") == 1
    lines = client.get(reverse("focal_points:coverage_csv")).content.decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "State,ISO code,CT"
    assert sorted(lines[1:]) == sorted(
        [f"Covered,{covered.iso_code},covered", f"Stale,{stale.iso_code},stale", f"Vacant,{_vacant.iso_code},vacant"]
    )
    workbook = load_workbook(io.BytesIO(client.get(reverse("focal_points:coverage_xlsx")).content))
    assert [c.value for c in workbook.worksheets[1][2]] == ["CT", 1, 1, 1]
    vacancies = client.get(reverse("focal_points:vacancies"))
    assert [r["state"].name for r in vacancies.context["rows"]] == ["Stale", "Vacant"]
    csv_lines = client.get(reverse("focal_points:vacancies_csv")).content.decode().lstrip("\ufeff").splitlines()
    assert csv_lines[0] == "network,state,iso_code,status,focal_point,last_confirmed"
    assert csv_lines[1].startswith("CT,Stale,") and csv_lines[1].endswith(",2000-01-01")
    sheet = load_workbook(io.BytesIO(client.get(reverse("focal_points:vacancies_xlsx")).content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["stale", "vacant"]


# --- yearly confirmation link ----------------------------------------------------------------------------------


@pytest.fixture
def confirmation():
    membership = MembershipFactory(start=date(2020, 1, 1), last_confirmed=date(2020, 1, 1))
    request = ConfirmationRequest.objects.create(focal_point=membership.focal_point, year=2024)
    return membership, request, services.confirmation_token(confirmation_request=request)


def test_valid_link_confirms_without_login(client, confirmation):
    membership, request, token = confirmation
    url = reverse("focal_points:confirm", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert membership.focal_point.email in page.content.decode()
    person = membership.focal_point
    response = client.post(
        url,
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "authority": person.authority,
            "email": person.email,
            "phone": person.phone,
            "working_languages": ["en"],
        },
    )
    assert response.status_code == 200
    assert response.context["change"] is None
    membership.refresh_from_db()
    request.refresh_from_db()
    assert membership.last_confirmed == timezone.localdate()
    assert request.confirmed_at is not None
    assert not ProposedChange.objects.exists()


def test_link_with_changes_creates_a_pending_change_for_the_coordinator(
    client, confirmation, django_capture_on_commit_callbacks
):
    membership, _request, token = confirmation
    coordinator_user = make_user(Role.SECRETARIAT)
    membership.network.coordinator = coordinator_user
    membership.network.save()
    person = membership.focal_point
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("focal_points:confirm", args=[token]),
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "job_title": "New title",
                "authority": person.authority,
                "email": person.email,
                "phone": person.phone,
                "working_languages": ["en", "ru"],
            },
        )
    assert response.status_code == 200
    change = ProposedChange.objects.get()
    assert change.data == {"job_title": "New title", "working_languages": ["en", "ru"]}
    person.refresh_from_db()
    assert person.job_title != "New title"
    assert [m.to for m in mail.outbox] == [[coordinator_user.email]]
    # The co-ordinator sees it in the queue and approves it.
    queue = make_client_for(coordinator_user)
    listing = queue.get(reverse("focal_points:change_queue"))
    assert list(listing.context["page"]) == [change]
    decided = queue.post(reverse("focal_points:change_decide", args=[change.pk]), {"decision": "approve"})
    assert decided.status_code == 302
    person.refresh_from_db()
    change.refresh_from_db()
    assert person.job_title == "New title"
    assert change.status == ProposedChange.Status.APPROVED


def make_client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_expired_link_is_refused(client, confirmation, monkeypatch):
    membership, _request, token = confirmation
    monkeypatch.setattr(services, "CONFIRMATION_MAX_AGE", -1)
    response = client.get(reverse("focal_points:confirm", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    response = client.post(reverse("focal_points:confirm", args=[token]), {"first_name": "X"})
    assert response.status_code == 410
    membership.refresh_from_db()
    assert membership.last_confirmed == date(2020, 1, 1)


def test_tampered_link_is_refused(client, confirmation):
    membership, request, token = confirmation
    other = ConfirmationRequest.objects.create(focal_point=FocalPointFactory(), year=2024)
    forged = token.replace(f"{request.pk}:", f"{other.pk}:", 1)
    for bad in (forged, token + "x", "nonsense"):
        response = client.get(reverse("focal_points:confirm", args=[bad]))
        assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.last_confirmed == date(2020, 1, 1)


def test_secretariat_user_sees_only_changes_of_networks_they_coordinate(client_as):
    mine = MembershipFactory(network=NetworkFactory())
    user = make_user(Role.SECRETARIAT)
    mine.network.coordinator = user
    mine.network.save()
    theirs = MembershipFactory()
    own_change = ProposedChange.objects.create(focal_point=mine.focal_point, data={"phone": "1"})
    other_change = ProposedChange.objects.create(focal_point=theirs.focal_point, data={"phone": "2"})
    client = client_as(user)
    assert list(client.get(reverse("focal_points:change_queue")).context["page"]) == [own_change]
    response = client.post(reverse("focal_points:change_decide", args=[other_change.pk]), {"decision": "approve"})
    assert response.status_code == 403
    other_change.refresh_from_db()
    assert other_change.status == ProposedChange.Status.PENDING


def test_vcard_export_of_too_many_contacts_asks_to_narrow_the_filters(client_as, secretariat_user, monkeypatch):
    from focal_points import views

    monkeypatch.setattr(views, "VCARD_EXPORT_MAX", 2)
    area = ThematicAreaFactory()
    for _ in range(3):
        FocalPointFactory(thematic_areas=[area])
    client = client_as(secretariat_user)
    response = client.get(reverse("focal_points:directory_vcard"), {"thematic_area": area.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("focal_points:directory") + f"?thematic_area={area.pk}"
    narrowed = client.get(reverse("focal_points:directory_vcard"), {"q": FocalPoint.objects.first().last_name})
    assert narrowed.status_code == 200
    assert len(list(vobject.readComponents(b"".join(narrowed.streaming_content).decode()))) == 1


@pytest.mark.parametrize("url_name", ["focal_points:network_detail", "focal_points:network_list"])
def test_network_pages_query_count_constant_in_rows(url_name, client_as, secretariat_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    network = _many(2)
    client = client_as(secretariat_user)
    url = reverse(url_name, args=[network.pk]) if url_name.endswith("detail") else reverse(url_name)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many(10, network=network)
    NetworkFactory(thematic_areas=[ThematicAreaFactory()])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert network.memberships.count() == 12
