"""Input that used to cause 500s: deeply nested JSON and out-of-range dates."""

from datetime import date

import pytest
from django.apps import apps
from django.db import models

from programmes.activity.models import ActivityReport
from programmes.security.validators import validate_portal_date
from tests.factories import FieldOperationFactory

pytestmark = pytest.mark.django_db

NESTED = '{"a":' * 2000 + "1" + "}" * 2000


def _api_write_routes() -> list[str]:
    """Every collection route of the API router (one per registered viewset), as a concrete path."""
    from osce_tnt.api.urls import router

    return [f"/api/{prefix}/" for prefix, _viewset, _basename in router.registry]


def test_deeply_nested_json_is_a_400_on_every_json_endpoint(api_as, admin_user):
    client = api_as(admin_user)
    statuses = {
        path: client.post(path, NESTED, content_type="application/json").status_code for path in _api_write_routes()
    }
    # 403/405 where the administrator may not add or the collection takes no POST: the body is never parsed.
    assert set(statuses.values()) <= {400, 403, 405}, statuses
    assert sum(code == 400 for code in statuses.values()) >= 10, statuses


def test_deeply_nested_json_on_detail_and_action_endpoints_is_a_400(api_as, admin_user):
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    client = api_as(admin_user)
    for method, path in (("patch", f"/api/projects/{project.pk}/"), ("put", f"/api/projects/{project.pk}/")):
        response = getattr(client, method)(path, NESTED, content_type="application/json")
        assert response.status_code == 400 and "nested" in response.json()["detail"], (method, path)


def test_every_api_view_parses_json_with_the_bounded_parser():
    from django.urls import get_resolver
    from rest_framework.parsers import JSONParser

    from programmes.api.parsers import BoundedJSONParser

    def views(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns)
            else:
                yield getattr(p.callback, "cls", None)

    unbounded = {
        cls.__name__
        for cls in views(get_resolver().url_patterns)
        if cls is not None
        for parser in getattr(cls, "parser_classes", [])
        if issubclass(parser, JSONParser) and not issubclass(parser, BoundedJSONParser)
    }
    assert unbounded == set()


def test_ordinary_json_still_parses(api_as, admin_user):
    response = api_as(admin_user).post("/api/thematic-areas/", {"name": ""}, format="json")
    assert response.status_code == 400 and "name" in response.json()


@pytest.mark.parametrize("end", ["9999-12-31", "0001-03-31"])
def test_an_activity_report_period_at_the_end_of_the_calendar_is_a_400(api_as, admin_user, end):
    structure = FieldOperationFactory()
    start = end[:4] + "-01-01"
    before = ActivityReport.objects.count()
    response = api_as(admin_user).post(
        "/api/activity-reports/", {"structure": structure.pk, "period_start": start, "period_end": end}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "period_end" in response.json() or "period_start" in response.json()
    assert ActivityReport.objects.count() == before


def test_every_date_field_of_every_model_has_the_one_bound():
    fields = [
        (m._meta.label, f.name)
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.DateField)
    ]
    missing = [
        (label, name)
        for label, name in fields
        if validate_portal_date not in apps.get_model(label)._meta.get_field(name).validators
    ]
    assert len(fields) > 40 and missing == []


@pytest.mark.parametrize(
    "day,ok",
    [
        (date(1899, 12, 31), False),
        (date(1900, 1, 1), True),
        (date(2100, 12, 31), True),
        (date(2101, 1, 1), False),
        (date(1, 1, 1), False),
    ],
)
def test_the_bound_is_1900_to_2100(day, ok):
    from django.core.exceptions import ValidationError

    if ok:
        validate_portal_date(day)
    else:
        with pytest.raises(ValidationError):
            validate_portal_date(day)


def test_a_project_ending_in_year_9999_is_refused_by_the_api(api_as, admin_user):
    from programmes.models import Project
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    response = api_as(admin_user).patch(f"/api/projects/{project.pk}/", {"end": "9999-12-31"}, format="json")
    assert response.status_code == 400 and "end" in response.json()
    assert Project.objects.get(pk=project.pk).end == project.end
