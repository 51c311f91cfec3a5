"""The portal's own per-request statements run as statements prepared once per PostgreSQL connection."""

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext, isolate_apps

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


def _compilers_converters(model) -> dict[int, list]:
    columns = [field.get_col(model._meta.db_table) for field in model._meta.concrete_fields]
    compiler = model._base_manager.all().query.get_compiler(connection=connection)
    return {position: list(converters) for position, (converters, _col) in compiler.get_converters(columns).items()}


def _model_columns_converters(model) -> dict[int, list]:
    columns = prepared.ModelColumns(model, alias="t")
    return {position: converters for position, converters, _col in columns._conversions}


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if not m._meta.proxy], ids=lambda m: m._meta.label_lower
)
def test_model_columns_convert_every_column_as_the_orms_compiler_does(model):
    assert _model_columns_converters(model) == _compilers_converters(model)


class _CodeField(models.CharField):
    # A key whose stored value is not what Python reads: the ORM converts it, and so must a foreign key to it.
    def from_db_value(self, value, expression, connection):
        return None if value is None else value.upper()


@isolate_apps("programmes")
def test_a_foreign_key_column_is_converted_by_its_target_fields_converters():
    class Coded(models.Model):
        code = _CodeField(primary_key=True, max_length=8)

        class Meta:
            app_label = "programmes"

        def __str__(self):
            return self.code

    class Referring(models.Model):
        coded = models.ForeignKey(Coded, on_delete=models.CASCADE)

        class Meta:
            app_label = "programmes"

        def __str__(self):
            return str(self.pk)

    columns = prepared.ModelColumns(Referring, alias="t")

    assert _model_columns_converters(Referring) == _compilers_converters(Referring) != {}
    assert columns.convert([1, "ab"])[1] == "AB"
