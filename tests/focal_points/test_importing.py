import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from focal_points import importing
from focal_points.models import FocalPoint, Membership, Network
from programmes.documents import workbook_bytes
from tests.factories import ExecutiveStructureFactory, ParticipatingStateFactory, ThematicAreaFactory
from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,job_title,state,authority,structure,email,network,role,start,thematic_areas"


@pytest.fixture
def world():
    ParticipatingStateFactory(name="Austria", iso_code="AT")
    ParticipatingStateFactory(name="Belgium", iso_code="BE")
    ExecutiveStructureFactory(acronym="ATU")
    ThematicAreaFactory(code="terrorism")
    NetworkFactory(name="Counter-Terrorism Network", slug="ct-network")


def csv_file(*rows, header=HEADER, name="people.csv"):
    return SimpleUploadedFile(name, ("\n".join([header, *rows]) + "\n").encode(), content_type="text/csv")


GOOD_ROWS = [
    "Ada,Kern,Officer,AT,Ministry of the Interior,,ada@example.org,ct-network,primary,2020-01-01,terrorism",
    "Bo,Lund,Adviser,Belgium,Federal Police,,bo@example.org,Counter-Terrorism Network,,,",
    "Cy,Moss,Programme officer,,,ATU,cy@example.org,ct-network,member,,",
]


def test_clean_csv_previews_and_imports(world):
    result = importing.preview(csv_file(*GOOD_ROWS))
    assert result.is_valid, [(r.number, r.errors) for r in result.rows]
    assert FocalPoint.objects.count() == 0  # the preview writes nothing
    created = importing.import_rows(raw_rows=result.raw_rows())
    assert len(created) == 3
    ada = FocalPoint.objects.get(email="ada@example.org")
    assert ada.state.iso_code == "AT"
    assert [a.code for a in ada.thematic_areas.all()] == ["terrorism"]
    assert Membership.objects.get(focal_point=ada).role == "primary"
    bo = Membership.objects.get(focal_point__email="bo@example.org")
    assert bo.role == "primary"  # the default for a per-State network
    assert Membership.objects.get(focal_point__email="cy@example.org").state is None


def test_xlsx_is_read_like_csv(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in GOOD_ROWS:
        sheet.append(row.split(","))
    upload = SimpleUploadedFile("people.xlsx", workbook_bytes(workbook))
    result = importing.preview(upload)
    assert result.is_valid
    assert [r.raw["email"] for r in result.rows] == ["ada@example.org", "bo@example.org", "cy@example.org"]
    assert FocalPoint.objects.count() == 0


@pytest.mark.parametrize(
    "bad_row,message",
    [
        ("Dan,Roe,,Atlantis,Ministry,,dan@example.org,,,,", "Unknown State"),
        ("Dan,Roe,,AT,Ministry,,not-an-email,,,,", "not a valid e-mail"),
        ("Dan,Roe,,AT,Ministry,,ADA@example.org,,,,", "same e-mail as row 2"),
        ("Ada,Kern,,AT,Ministry of the Interior,,other@example.org,,,,", "same name and organisation as row 2"),
        ("Dan,Roe,,AT,,ATU,dan@example.org,,,,", "exactly one organisation"),
        ("Dan,Roe,,AT,,,dan@example.org,no-such-network,,,", "Unknown network"),
        ("Dan,Roe,,AT,,,dan@example.org,,,2020-13-45,", "not a date"),
        ("Dan,Roe,,BE,,,dan@example.org,ct-network,primary,,", "Row 3 is already the primary"),
    ],
)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(world, bad_row, message):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], bad_row]
    result = importing.preview(csv_file(*rows))
    assert not result.is_valid
    errors = {row.number: row.errors for row in result.rows}
    assert errors[2] == [] and errors[3] == []
    assert any(message in e for e in errors[4]), errors[4]
    with pytest.raises(importing.ValidationError):
        importing.import_rows(raw_rows=result.raw_rows())
    assert FocalPoint.objects.count() == 0
    assert Membership.objects.count() == 0


def test_values_too_long_for_the_directory_are_row_errors_in_the_preview(world):
    too_long = "Dan,Roe," + "x" * 201 + ",AT,Ministry,,dan@example.org,,,,"
    result = importing.preview(csv_file(GOOD_ROWS[0], too_long))
    assert not result.is_valid
    assert result.rows[0].errors == []
    assert any("job title" in e and "at most 200 characters" in e for e in result.rows[1].errors), result.rows[1].errors
    with pytest.raises(importing.ValidationError) as error:
        importing.import_rows(raw_rows=result.raw_rows())
    assert "Row 3" in error.value.messages[0]
    assert FocalPoint.objects.count() == 0


def test_duplicates_of_people_already_in_the_directory(world):
    existing = FocalPointFactory(
        first_name="Ada",
        last_name="Kern",
        state=ParticipatingStateFactory(iso_code="AT"),
        authority="Ministry of the Interior",
        email="old@example.org",
    )
    result = importing.preview(
        csv_file(
            "Ada,Kern,,AT,Ministry of the Interior,,new@example.org,,,,",
            "Zed,Zee,,BE,,,OLD@example.org,,,,",
        )
    )
    assert "already in the directory" in result.rows[0].errors[0]
    assert "already in the directory" in result.rows[1].errors[0]
    assert FocalPoint.objects.get() == existing


def test_existing_open_primary_is_a_row_error(world):
    state = ParticipatingStateFactory(iso_code="AT")
    MembershipFactory(network=Network.objects.get(slug="ct-network"), focal_point=FocalPointFactory(state=state))
    result = importing.preview(csv_file(GOOD_ROWS[0]))
    assert "already has a primary focal point for Austria" in result.rows[0].errors[0]
    assert FocalPoint.objects.count() == 1


def test_file_level_errors(world):
    missing = importing.preview(csv_file("someone@example.org", header="email"))
    assert not missing.is_valid and "Missing columns" in missing.file_errors[0]
    empty = importing.preview(SimpleUploadedFile("empty.csv", b""))
    assert not empty.is_valid and empty.file_errors
    broken = importing.preview(SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 not really a zip"))
    assert not broken.is_valid and "XLSX" in broken.file_errors[0]
    assert FocalPoint.objects.count() == 0


def test_import_views_preview_then_confirm(world, client_as, coordinator):
    client = client_as(coordinator)
    response = client.post(reverse("focal_points:import"), {"file": csv_file(*GOOD_ROWS)})
    assert response.status_code == 200
    assert response.context["result"].is_valid
    assert FocalPoint.objects.count() == 0
    payload = response.context["confirm_form"].initial["payload"]
    response = client.post(reverse("focal_points:import_confirm"), {"payload": payload})
    assert response.status_code == 302
    assert FocalPoint.objects.count() == 3


def test_import_view_shows_row_errors_and_offers_no_confirm(world, client_as, coordinator):
    response = client_as(coordinator).post(
        reverse("focal_points:import"), {"file": csv_file(GOOD_ROWS[0], "Dan,Roe,,Atlantis,,,bad-email,,,,")}
    )
    html = response.content.decode()
    assert response.context["confirm_form"] is None
    assert "Unknown State" in html and "not a valid e-mail" in html
    assert "import_confirm" not in html and 'action="/focal-points/import/confirm/"' not in html
    assert FocalPoint.objects.count() == 0


def test_confirm_is_atomic_when_the_directory_changed_since_the_preview(world, client_as, coordinator):
    client = client_as(coordinator)
    response = client.post(reverse("focal_points:import"), {"file": csv_file(*GOOD_ROWS)})
    payload = response.context["confirm_form"].initial["payload"]
    FocalPointFactory(email="cy@example.org")  # someone else took the third row's address meanwhile
    response = client.post(reverse("focal_points:import_confirm"), {"payload": payload})
    assert response.status_code == 400
    assert FocalPoint.objects.count() == 1
    assert Membership.objects.count() == 0


def test_tampered_payload_is_refused(world, client_as, coordinator):
    client = client_as(coordinator)
    response = client.post(reverse("focal_points:import"), {"file": csv_file(*GOOD_ROWS)})
    payload = response.context["confirm_form"].initial["payload"]
    response = client.post(reverse("focal_points:import_confirm"), {"payload": payload[:-3] + "abc"})
    assert response.status_code == 302
    assert response["Location"] == reverse("focal_points:import")
    assert FocalPoint.objects.count() == 0


def test_upload_form_refuses_other_file_types(client_as, coordinator):
    response = client_as(coordinator).post(
        reverse("focal_points:import"), {"file": SimpleUploadedFile("people.txt", b"first_name,last_name\nA,B\n")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["result"] is None
    assert FocalPoint.objects.count() == 0


def test_secretariat_cannot_confirm_an_import(world, client_as, secretariat_user):
    payload = importing.sign_rows([dict.fromkeys(importing.COLUMNS, "")])
    response = client_as(secretariat_user).post(reverse("focal_points:import_confirm"), {"payload": payload})
    assert response.status_code == 403
    assert FocalPoint.objects.count() == 0
