"""The row-level half of the permission matrix for writes: the actions of results and knowledge that a GET cannot
reach (a GET of them is 405), posted by each role, answer with the one status the rule in tests/security/routes.py
gives and change nothing.

Table first (403 to a role that may never do it), then the row: 404 for an object the user may not see, 403 for one
they see but whose action is not theirs. A step the object's state does not allow (approving what is already
approved) is not a permission matter: the API answers 400 with the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from knowledge.models import Document
from programmes.models import Mandate
from programmes.permissions import Role
from results.models import ActualStatus, IndicatorActual
from tests.factories import FieldOperationFactory, MandateFactory, ProjectFactory, make_user
from tests.knowledge.factories import DocumentFactory
from tests.results.factories import IndicatorActualFactory, IndicatorFactory, IndicatorPeriodFactory, ResultFactory

HIDDEN, NOT_YOURS, REFUSED, STATE_FORBIDS = 404, 403, 403, 400


@pytest.fixture
def rows(db):
    op_a, op_b = FieldOperationFactory(), FieldOperationFactory()
    project = ProjectFactory(lead_structure=op_a)
    indicator = IndicatorFactory(result=ResultFactory(project=project))
    field_a = make_user(Role.FIELD, structure=op_a)
    users = {
        "field_a": field_a,
        "field_b": make_user(Role.FIELD, structure=op_b),
        "delegation": make_user(Role.DELEGATION),
        "secretariat": make_user(Role.SECRETARIAT),
        "coordinator": make_user(Role.COORDINATOR),
    }

    quarters = iter(range(1, 13, 3))

    def actual(status, **extra):
        month = next(quarters)
        period = IndicatorPeriodFactory(
            indicator=indicator, period_start=date(2010, month, 1), period_end=date(2010, month + 2, 28)
        )
        return IndicatorActualFactory(
            period=period, structure=op_a, status=status, narrative="Done.", value=Decimal("5"), **extra
        )

    document = DocumentFactory(title="Operation A's staff note", visibility=Document.Visibility.STAFF)
    document.structures.set([op_a])
    return {
        "users": users,
        "draft": actual(ActualStatus.DRAFT),
        "submitted": actual(ActualStatus.SUBMITTED, submitted_by=field_a),
        "submitted_by_reviewer": actual(ActualStatus.SUBMITTED, submitted_by=users["secretariat"]),
        "approved": actual(ActualStatus.APPROVED),
        "document": document,
        "adopted": MandateFactory(),
        "proposal": MandateFactory(code="PROPOSAL/2010/7", status=Mandate.Status.PROPOSED, year=2010),
    }


def _actual_state(actual: IndicatorActual) -> tuple:
    actual.refresh_from_db()
    return actual.status, actual.value, actual.reviewed_by_id


# (role, object, API action, expected status): each row names the rule that decides it.
ACTUAL_ACTIONS = [
    ("field_b", "draft", "submit", HIDDEN),  # another operation's draft
    ("secretariat", "draft", "submit", HIDDEN),  # drafts are their operation's own until submitted
    ("delegation", "submitted", "approve", REFUSED),  # the table: delegations review nothing
    ("field_a", "submitted", "approve", REFUSED),  # the table: field staff review nothing
    ("field_b", "approved", "submit", STATE_FORBIDS),  # B sees approved actuals; nothing approved is resubmitted
    ("secretariat", "submitted_by_reviewer", "approve", NOT_YOURS),  # nobody approves what they submitted
    ("coordinator", "approved", "approve", STATE_FORBIDS),
]


@pytest.mark.parametrize(("role", "obj", "action", "expected"), ACTUAL_ACTIONS)
def test_actual_actions_answer_by_the_rule_and_change_nothing(api_as, rows, role, obj, action, expected):
    actual = rows[obj]
    before = _actual_state(actual)

    response = api_as(rows["users"][role]).post(
        reverse(f"api:indicator-actual-{action}", args=[actual.pk]), {"comment": "Checked."}, format="json"
    )

    assert response.status_code == expected
    assert _actual_state(actual) == before


def test_a_reviewer_approves_another_staff_members_submission(api_as, rows):
    actual = rows["submitted"]

    response = api_as(rows["users"]["coordinator"]).post(
        reverse("api:indicator-actual-approve", args=[actual.pk]), {"comment": ""}, format="json"
    )

    assert response.status_code == 200
    actual.refresh_from_db()
    assert actual.status == ActualStatus.APPROVED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("field_b", NOT_YOURS), ("delegation", REFUSED)],
)
def test_a_page_edit_of_an_actual_that_is_not_the_users_is_refused(client_as, rows, role, expected):
    approved = rows["approved"]
    before = _actual_state(approved)

    response = client_as(rows["users"][role]).post(
        reverse("results:actual_detail", args=[approved.pk]), {"value": "99", "narrative": "Changed."}
    )

    assert response.status_code == expected
    assert _actual_state(approved) == before


def test_reporting_on_another_operations_project_is_not_yours(client_as, rows):
    period = rows["draft"].period

    response = client_as(rows["users"]["field_b"]).post(
        reverse("results:actual_create", args=[period.pk]), {"value": "3", "narrative": "Ours."}
    )

    assert response.status_code == NOT_YOURS
    assert not IndicatorActual.objects.filter(period=period).exclude(pk=rows["draft"].pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("field_b", NOT_YOURS), ("delegation", REFUSED)],
)
def test_changing_a_document_of_another_operation_is_refused(api_as, client_as, rows, role, expected):
    document = rows["document"]
    user = rows["users"][role]

    api = api_as(user).patch(
        reverse("api:library-document-detail", args=[document.pk]), {"title": "Renamed"}, format="json"
    )
    page = client_as(user).post(reverse("knowledge:document_edit", args=[document.pk]), {"title": "Renamed"})

    assert (api.status_code, page.status_code) == (expected, expected)
    document.refresh_from_db()
    assert document.title == "Operation A's staff note"


def test_only_managers_delete_documents(client_as, rows):
    document = rows["document"]

    response = client_as(rows["users"]["secretariat"]).post(reverse("knowledge:document_delete", args=[document.pk]))

    assert response.status_code == REFUSED
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_decision_status_is_the_managers_and_only_a_suggestions(api_as, rows):
    proposal, adopted = rows["proposal"], rows["adopted"]
    payload = {"status": Mandate.Status.NOT_TAKEN_UP}

    by_field = api_as(rows["users"]["field_a"]).post(
        reverse("api:decision-status", args=[proposal.pk]), payload, format="json"
    )
    on_adopted = api_as(rows["users"]["coordinator"]).post(
        reverse("api:decision-status", args=[adopted.pk]), payload, format="json"
    )

    assert by_field.status_code == REFUSED
    assert on_adopted.status_code == STATE_FORBIDS
    assert "status" in on_adopted.json()
    proposal.refresh_from_db()
    adopted.refresh_from_db()
    assert (proposal.status, adopted.status) == (Mandate.Status.PROPOSED, Mandate.Status.ADOPTED)
