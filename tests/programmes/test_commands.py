"""``create_demo_accounts``: one account per role, linked right, password printed, a rerun changes nothing."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from programmes.permissions import Role, role_of

pytestmark = pytest.mark.django_db

EXPECTED = {
    "admin": (Role.ADMIN, None, None),
    "coordinator": (Role.COORDINATOR, "TNT-D", None),
    "secretariat": (Role.SECRETARIAT, "ATU", None),
    "field": (Role.FIELD, "OiT", None),
    "delegation": (Role.DELEGATION, None, "AT"),
}


def run(password_file) -> str:
    out = StringIO()
    call_command("create_demo_accounts", password_file=str(password_file), stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"Demo password for all of them: (\S+)", output)
    assert match, output
    return match.group(1)


def test_creates_one_account_per_role_linked_to_its_structure_or_state(tmp_path):
    call_command("load_reference_data", stdout=StringIO())

    output = run(tmp_path / "pw")

    password = printed_password(output)
    assert (tmp_path / "pw").read_text().strip() == password
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) == set(EXPECTED)
    for username, (role, acronym, iso) in EXPECTED.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert role_of(user) == role
        assert user.groups.count() == 1
        profile = user.profile
        assert (profile.structure.acronym if profile.structure else None) == acronym
        assert (profile.state.iso_code if profile.state else None) == iso
        assert username in output
    assert User.objects.get(username="admin").is_superuser


def test_rerun_keeps_the_password_and_changes_nothing(tmp_path):
    call_command("load_reference_data", stdout=StringIO())
    first = printed_password(run(tmp_path / "pw"))
    User = get_user_model()
    before = {
        u.username: (u.password, u.profile.structure_id, u.profile.state_id, tuple(u.groups.values_list("pk")))
        for u in User.objects.select_related("profile")
    }

    second = printed_password(run(tmp_path / "pw"))

    assert second == first
    after = {
        u.username: (u.password, u.profile.structure_id, u.profile.state_id, tuple(u.groups.values_list("pk")))
        for u in User.objects.select_related("profile")
    }
    assert after == before


def test_refuses_to_run_before_the_reference_data(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "pw")

    assert get_user_model().objects.count() == 0
