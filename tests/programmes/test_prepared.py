"""The portal's own per-request statements run as statements prepared once per PostgreSQL connection."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programmes import prepared
from programmes.models import Project
from programmes.permissions import role_group_of
from programmes.selectors import linked_ids
from tests.factories import ProjectFactory, ThematicAreaFactory

pytestmark = pytest.mark.django_db

_LINKED = ("thematic_areas", "beneficiary_states")


def _prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'portal\\_%%'")
        return [row[0] for row in cursor.fetchall()]


def _forget_prepared_statements():
    # What a new connection holds: nothing prepared on the server, nothing remembered for it here.
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    prepared._prepared.pop(connection.connection, None)


def _project():
    return ProjectFactory(thematic_areas=[ThematicAreaFactory(position=2), ThematicAreaFactory(position=1)])


def test_a_statement_is_prepared_once_on_a_new_connection_and_gives_the_rows_the_plain_sql_gives(settings):
    project = _project()
    settings.DATABASE_PREPARED_STATEMENTS = False
    plain = linked_ids(model=Project, relations=_LINKED, pks=[project.pk])
    settings.DATABASE_PREPARED_STATEMENTS = True
    _forget_prepared_statements()
    before = _prepared_here()

    first = linked_ids(model=Project, relations=_LINKED, pks=[project.pk])
    second = linked_ids(model=Project, relations=_LINKED, pks=[project.pk])

    after = _prepared_here()
    assert before == []
    assert len(after) == 1 and "ANY($1)" in after[0]
    assert first == second == plain
    assert plain["thematic_areas"][project.pk] == [area.pk for area in project.thematic_areas.all()]


def test_the_prepare_is_not_counted_as_a_query_of_the_request():
    _forget_prepared_statements()
    with CaptureQueriesContext(connection) as queries:
        role_group_of(_project().pk)  # any id: what matters is the statements sent
    sent = [query["sql"] for query in queries.captured_queries if "portal_" in query["sql"]]
    assert len(sent) == 1 and sent[0].startswith("EXECUTE portal_")


def test_a_statement_prepared_in_a_rolled_back_transaction_still_runs_afterwards():
    project = _project()
    _forget_prepared_statements()
    try:
        with transaction.atomic():
            linked_ids(model=Project, relations=_LINKED, pks=[project.pk])
            raise RuntimeError("undo")
    except RuntimeError:
        pass

    assert linked_ids(model=Project, relations=_LINKED, pks=[project.pk])["thematic_areas"][project.pk]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_to_the_database_prepares_again():
    project = _project()
    assert linked_ids(model=Project, relations=_LINKED, pks=[project.pk])["thematic_areas"][project.pk]
    connection.close()  # PostgreSQL restarted, or the connection's age ran out

    assert _prepared_here() == []
    assert linked_ids(model=Project, relations=_LINKED, pks=[project.pk])["thematic_areas"][project.pk]
    assert len(_prepared_here()) == 1


def test_switched_off_the_sql_runs_as_written(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    assert prepared.statement("SELECT %s") == "SELECT %s"


def test_a_statement_with_a_percent_sign_other_than_a_placeholder_is_refused():
    with pytest.raises(ValueError, match="placeholders"):
        prepared.statement("SELECT 'a%' || %s")
