"""The API lists' read side (issue 14): ``ReadPlanMixin`` and the relation ids attached per page must give what DRF
and the relations themselves give — same values, same keys in the same order, relation ids in the related model's
order — for every role that reads them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.urls import set_script_prefix
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from focal_points.api.serializers import FocalPointSerializer, MembershipSerializer, RestrictedFocalPointSerializer
from focal_points.models import FocalPoint, Membership, Network
from programmes.activity.api.serializers import (
    ActivityReportSerializer,
    PublishedActivityReportSerializer,
    ReportedActivitySerializer,
)
from programmes.activity.models import ActivityReport, ReportAttachment, ReportedActivity, ReportTransition
from programmes.api import representation
from programmes.api.representation import ReadPlanMixin
from programmes.api.serializers import DonorPledgeSerializer, ProjectSerializer
from programmes.events.api.serializers import EventSerializer
from programmes.events.models import Event
from programmes.models import DonorPledge, Project
from programmes.permissions import Role
from programmes.selectors import (
    PROJECT_RELATION_COLUMNS,
    ValueRows,
    grouped_by,
    instances_by,
    instances_in_order,
    linked_ids,
    many_to_many_ids,
    project_attach_relation_ids,
    rows_with_linked_ids,
    select_related_only,
)
from taskforces.api.serializers import ActionItemSerializer, PublicActionItemSerializer
from taskforces.selectors import action_item_api_list, action_item_list
from tests.factories import (
    DonorPledgeFactory,
    EventFactory,
    ExecutiveStructureFactory,
    FieldOperationFactory,
    MandateFactory,
    ParticipatingStateFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    ThematicAreaFactory,
    UserFactory,
    make_user,
)
from tests.focal_points.factories import FocalPointFactory, MembershipFactory, NetworkFactory
from tests.programmes.activity.factories import ActivityReportFactory, ReportedActivityFactory
from tests.taskforces.factories import ActionItemFactory, MeetingFactory, TaskForceFactory

pytestmark = pytest.mark.django_db


def _drf(serializer, instance) -> dict:
    """DRF's own ``Serializer.to_representation`` (the library's, not a copy of ours) for the same serializer."""
    return serializers.Serializer.to_representation(serializer, instance)


def _bytes(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def areas():
    # Created out of their display order, so "in the related model's order" is not "in pk order".
    third = ThematicAreaFactory(name="Cyber", position=3)
    first = ThematicAreaFactory(name="Border", position=1)
    second = ThematicAreaFactory(name="Anti-terrorism", position=2)
    return [first, second, third]


def test_project_read_plan_gives_drfs_representation_key_for_key(areas):
    project = ProjectFactory(
        thematic_areas=areas,
        budget=Decimal("1234.50"),
        summary="Ünïcode – «quoted» \u2028",
        partner_organisations=[PartnerOrganisationFactory(acronym="WCO")],
    )
    DonorPledgeFactory(project=project, amount=Decimal("10.00"))
    project = Project.objects.prefetch_related("pledges").get(pk=project.pk)
    serializer = ProjectSerializer(project)
    ours = serializer.to_representation(project)
    assert _bytes(ours) == _bytes(_drf(ProjectSerializer(project), project))
    assert ours["budget"] == "1234.50"  # DRF's decimal as a string, through the field's own formatting
    assert ours["lead_structure"] == project.lead_structure_id
    assert ours["thematic_areas"] == [a.pk for a in areas]
    assert list(ours)[:3] == ["id", "code", "title"] and list(ours)[-1] == "version"
    assert ours["pledges"] == [_drf(DonorPledgeSerializer(p), p) for p in project.pledges.all()]


def test_reported_activity_read_plan_gives_drfs_representation(areas):
    project = ProjectFactory()
    item = ReportedActivityFactory(project=project, event=None, thematic_areas=areas[:2])
    item.partner_organisations.set([PartnerOrganisationFactory()])
    ours = ReportedActivitySerializer(item).data
    assert _bytes(ours) == _bytes(_drf(ReportedActivitySerializer(item), item))
    assert ours["project"] == project.pk and ours["event"] is None
    assert ours["start"] == item.start.isoformat()
    assert ours["participants_total"] == 20


def test_action_item_read_plan_gives_drfs_representation_for_staff_and_delegations():
    owner = UserFactory(first_name="Ada", last_name="Lovelace")
    action = ActionItemFactory(owner=owner, meeting=MeetingFactory(), due_date=date(2010, 1, 1))
    listed = action_item_api_list(user=make_user(Role.SECRETARIAT)).get(pk=action.pk)
    for serializer_class in (ActionItemSerializer, PublicActionItemSerializer):
        ours = serializer_class(listed).data
        assert _bytes(ours) == _bytes(_drf(serializer_class(listed), listed))
    staff = ActionItemSerializer(listed).data
    assert staff["owner_name"] == "Ada Lovelace"
    assert staff["task_force_acronym"] == action.task_force.acronym
    assert staff["meeting"] == action.meeting_id
    assert staff["overdue"] is True


def test_focal_point_read_plan_gives_drfs_representation(areas):
    person = FocalPointFactory(thematic_areas=areas, working_languages=["en", "ru"])
    MembershipFactory(focal_point=person, network=NetworkFactory(name="Border security"))
    ours = FocalPointSerializer(person).data
    assert _bytes(ours) == _bytes(_drf(FocalPointSerializer(person), person))
    membership = person.memberships.get()
    assert ours["memberships"] == [_drf(MembershipSerializer(membership), membership)]
    assert ours["memberships"][0]["network_name"] == "Border security"


def test_read_plan_leaves_validated_data_to_drf():
    # DRF represents validated data (a dict, not a model instance) after is_valid() without a save.
    serializer = DonorPledgeSerializer(data={"donor_state": None, "amount": "5.00", "pledged_on": "2010-01-02"})
    serializer.is_valid()
    assert serializer.data["amount"] == "5.00"


def test_many_to_many_ids_follow_the_related_models_order_per_row(areas):
    first, second = ProjectFactory(thematic_areas=[areas[2], areas[0]]), ProjectFactory(thematic_areas=[])
    ids = many_to_many_ids(model=Project, relation="thematic_areas", pk__in=[first.pk, second.pk])
    assert ids == {first.pk: [areas[0].pk, areas[2].pk]}
    assert ids[first.pk] == list(first.thematic_areas.values_list("pk", flat=True))


def _project_with_every_relation(areas):
    # Orders that are not pk orders, a descending key (mandates: newest year first) and ties broken by the id.
    project = ProjectFactory(
        thematic_areas=[areas[2], areas[0], areas[1]],
        partner_structures=[ExecutiveStructureFactory(name="Zeta"), ExecutiveStructureFactory(name="Alpha")],
        beneficiary_states=[ParticipatingStateFactory(name="Sweden"), ParticipatingStateFactory(name="Austria")],
        partner_organisations=[PartnerOrganisationFactory(acronym="WCO"), PartnerOrganisationFactory(acronym="EU")],
    )
    project.mandates.set(
        [MandateFactory(year=2004, code="B"), MandateFactory(year=2019, code="C"), MandateFactory(year=2019, code="A")]
    )
    DonorPledgeFactory(project=project, amount=Decimal("10.00"), pledged_on=date(2011, 1, 1))
    DonorPledgeFactory(project=project, amount=Decimal("2.50"), pledged_on=date(2010, 1, 1))
    return project


def test_linked_ids_give_what_each_relation_gives_in_one_query(areas, django_assert_num_queries):
    project, bare = _project_with_every_relation(areas), ProjectFactory(thematic_areas=[])
    relations = tuple(PROJECT_RELATION_COLUMNS)

    with django_assert_num_queries(1):
        ids = linked_ids(model=Project, relations=relations, pks=[project.pk, bare.pk])

    for relation in relations:
        assert ids[relation] == dict(many_to_many_ids(model=Project, relation=relation, pk__in=[project.pk, bare.pk]))
        assert ids[relation][project.pk] == [related.pk for related in getattr(project, relation).all()]
        assert bare.pk not in ids[relation]
    assert [m.year for m in project.mandates.all()] == [2019, 2019, 2004]
    assert linked_ids(model=Project, relations=relations, pks=[]) == {relation: {} for relation in relations}


def test_linked_ids_fall_back_to_one_orm_query_per_relation_where_the_statement_cannot_be_written(areas, monkeypatch):
    from programmes import selectors

    project = _project_with_every_relation(areas)
    relations = ("mandates", "thematic_areas")
    fast = linked_ids(model=Project, relations=relations, pks=[project.pk])
    monkeypatch.setattr(selectors, "_LINKED_IDS_SQL", {})
    monkeypatch.setattr(selectors, "_linked_ids_sql", lambda *args: None)
    assert linked_ids(model=Project, relations=relations, pks=[project.pk]) == fast


def test_a_page_of_projects_gets_its_relation_ids_and_its_pledges_as_rows_in_two_queries(
    areas, django_assert_num_queries
):
    project, bare = _project_with_every_relation(areas), ProjectFactory(thematic_areas=[])
    page = list(Project.objects.filter(pk__in=[project.pk, bare.pk]).order_by("pk"))
    columns = [field.attname for field in DonorPledge._meta.concrete_fields]

    with django_assert_num_queries(2):
        project_attach_relation_ids(projects=page)

    listed, empty = page
    assert isinstance(listed.listed_pledges, ValueRows)
    assert listed.listed_pledges == list(project.pledges.order_by("pledged_on", "pk").values(*columns))
    assert [row["amount"] for row in listed.listed_pledges] == [Decimal("2.50"), Decimal("10.00")]
    assert listed.relation_ids["thematic_areas"] == [area.pk for area in project.thematic_areas.all()]
    assert (empty.listed_pledges, empty.relation_ids["thematic_areas"]) == ([], [])


def test_project_detail_api_gives_what_the_prefetched_relations_give(api_as, areas):
    project = _project_with_every_relation(areas)
    prefetched = Project.objects.prefetch_related(*PROJECT_RELATION_COLUMNS, "pledges").get(pk=project.pk)

    response = api_as(make_user(Role.COORDINATOR)).get(f"/api/projects/{project.pk}/")

    assert response.status_code == 200
    assert response.content == _bytes(_drf(ProjectSerializer(prefetched), prefetched))
    assert response["ETag"] == f'"v{project.version}"'
    assert [p["amount"] for p in response.json()["pledges"]] == ["2.50", "10.00"]
    listed = api_as(make_user(Role.COORDINATOR)).get("/api/projects/").json()["results"]
    assert [row for row in listed if row["id"] == project.pk] == [response.json()]


SHARED_PLAN_SERIALIZERS = [
    ProjectSerializer,
    EventSerializer,
    FocalPointSerializer,
    RestrictedFocalPointSerializer,
    ActivityReportSerializer,
    PublishedActivityReportSerializer,
    ActionItemSerializer,
    PublicActionItemSerializer,
]


@pytest.mark.parametrize("serializer_class", SHARED_PLAN_SERIALIZERS, ids=lambda c: c.__name__)
def test_shared_read_plan_serializers_pass_the_context_check_and_build_no_fields_per_instance(serializer_class):
    assert serializer_class.shared_read_plan is True
    representation._check_context_free(serializer_class(), serializer_class.__name__)  # raises if not


def test_shared_read_plan_writes_what_drf_writes_with_a_request_and_builds_no_fields(areas, rf):
    project = _project_with_every_relation(areas)
    project = Project.objects.prefetch_related(*PROJECT_RELATION_COLUMNS, "pledges").get(pk=project.pk)
    context = {"request": rf.get("/api/projects/")}
    first = ProjectSerializer(project, context=context)
    assert _bytes(first.data) == _bytes(_drf(ProjectSerializer(project, context=context), project))
    second = ProjectSerializer(project, context=context)
    assert second.data == first.data
    # The fields DRF would build from the model for every new serializer were built once for the class.
    assert "fields" not in second.__dict__


def test_event_url_in_a_shared_plan_follows_the_script_prefix():
    event = EventFactory()
    plain = EventSerializer(event).data["url"]
    set_script_prefix("/portal/")
    try:
        prefixed = EventSerializer(event).data["url"]
    finally:
        set_script_prefix("/")
    assert plain == event.get_absolute_url()
    assert prefixed == "/portal" + plain


def test_a_serializer_reading_the_request_cannot_share_a_read_plan():
    class AttachmentFileSerializer(ReadPlanMixin, serializers.ModelSerializer):
        shared_read_plan = True

        class Meta:
            model = ReportAttachment
            fields = ["id", "file"]

    with pytest.raises(ImproperlyConfigured, match="file reads the request"):
        representation._shared_plan(AttachmentFileSerializer)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATION])
def test_event_list_shows_the_relations_the_detail_shows(role, api_as, areas):
    # Structures are ordered by name.
    co_organisers = [ExecutiveStructureFactory(name="Zeta office"), ExecutiveStructureFactory(name="Alpha office")]
    event = EventFactory(
        thematic_areas=[areas[2], areas[0]],
        all_day=False,
        start_at=datetime(2010, 5, 10, 7, tzinfo=UTC),
        end_at=datetime(2010, 5, 10, 15, tzinfo=UTC),
        timezone="Asia/Dushanbe",
    )
    event.co_organisers.set(co_organisers)
    event.partner_organisations.set([PartnerOrganisationFactory()])
    EventFactory(thematic_areas=[areas[1]])
    client = api_as(make_user(role))
    listed = {row["id"]: row for row in client.get("/api/events/").json()["results"]}
    detail = client.get(f"/api/events/{event.pk}/").json()
    assert listed[event.pk] == detail
    assert detail["thematic_areas"] == [areas[0].pk, areas[2].pk]
    assert detail["co_organisers"] == [co_organisers[1].pk, co_organisers[0].pk]
    assert detail["start"] == "2010-05-10T12:00:00+05:00"
    assert [listed[pk]["url"] for pk in listed] == [Event.objects.get(pk=pk).get_absolute_url() for pk in listed]
    assert len(listed) == Event.objects.count()


def test_focal_point_list_shows_the_areas_the_detail_shows(api_as, areas):
    person = FocalPointFactory(thematic_areas=[areas[2], areas[1]])
    # Memberships in network-name order, not creation order.
    MembershipFactory(focal_point=person, network=NetworkFactory(name="Zeta network"))
    MembershipFactory(focal_point=person, network=NetworkFactory(name="Alpha network"))
    FocalPointFactory()
    client = api_as(make_user(Role.SECRETARIAT))
    listed = {row["id"]: row for row in client.get("/api/focal-points/").json()["results"]}
    assert listed[person.pk]["thematic_areas"] == [areas[1].pk, areas[2].pk]
    assert [m["network_name"] for m in listed[person.pk]["memberships"]] == ["Alpha network", "Zeta network"]
    assert listed[person.pk] == client.get(f"/api/focal-points/{person.pk}/").json()
    assert len(listed) == 2


def test_action_item_list_names_task_force_owner_and_links(api_as):
    task_force = TaskForceFactory(acronym="TF-B")
    owner = UserFactory(first_name="", last_name="", username="owner7")
    action = ActionItemFactory(task_force=task_force, owner=owner, meeting=MeetingFactory(task_force=task_force))
    client = api_as(make_user(Role.SECRETARIAT))
    row = client.get("/api/action-items/").json()["results"][0]
    assert row == client.get(f"/api/action-items/{action.pk}/").json()
    assert (row["task_force_acronym"], row["owner_name"], row["meeting"]) == ("TF-B", "owner7", action.meeting_id)
    assert row["owner_structure_acronym"] == action.owner_structure.acronym


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATION])
def test_activity_report_list_items_match_the_detail_with_links_and_ordered_areas(role, api_as, areas):
    report = ActivityReportFactory(
        structure=FieldOperationFactory(),
        status=ActivityReport.Status.ACCEPTED,
        first_submitted_at=datetime(2010, 7, 2, tzinfo=UTC),
    )
    internal = EventFactory(visibility=Event.Visibility.INTERNAL)
    item = ReportedActivityFactory(report=report, thematic_areas=[areas[2], areas[0]], event=internal)
    reviewer = UserFactory(first_name="Rita", last_name="Review")
    for day, (old, new, by) in enumerate([("", "submitted", None), ("submitted", "accepted", reviewer)], start=2):
        at = datetime(2010, 7, day, tzinfo=UTC)
        ReportTransition.objects.create(report=report, from_status=old, to_status=new, by=by, at=at)
    for name, published, day in (("later.pdf", True, 9), ("earlier.pdf", False, 3), ("public.pdf", True, 5)):
        attachment = ReportAttachment.objects.create(
            report=report, file=name, original_name=name, content_type="application/pdf", size=3, published=published
        )
        ReportAttachment.objects.filter(pk=attachment.pk).update(uploaded_at=datetime(2010, 7, day, tzinfo=UTC))
    client = api_as(make_user(role))
    listed = client.get("/api/activity-reports/").json()["results"][0]
    detail = client.get(f"/api/activity-reports/{report.pk}/").json()
    assert listed == detail
    shown = ["public.pdf", "later.pdf"] if role == Role.DELEGATION else ["earlier.pdf", "public.pdf", "later.pdf"]
    assert [a["original_name"] for a in listed["attachments"]] == shown
    if role != Role.DELEGATION:
        assert [(t["to_status"], t["by_name"]) for t in listed["transitions"]] == [
            ("submitted", ""),
            ("accepted", "Rita Review"),
        ]
    assert listed["items"][0]["thematic_areas"] == [areas[0].pk, areas[2].pk]
    # A delegation is not shown the internal event the item links to; staff are.
    assert listed["items"][0]["event"] == (None if role == Role.DELEGATION else internal.pk)
    assert ReportedActivity.objects.get(pk=item.pk).event_id == internal.pk


def test_list_json_is_valid_utf8_json_with_the_same_keys_as_the_detail(api_as, areas):
    ProjectFactory(thematic_areas=areas)
    client = api_as(make_user(Role.SECRETARIAT))
    body = client.get("/api/projects/").content
    row = json.loads(body)["results"][0]
    assert list(row) == list(client.get(f"/api/projects/{row['id']}/").json())


def test_detail_without_parameters_skips_filters_but_a_filter_in_the_url_still_applies(api_as):
    project = ProjectFactory(status=Project.Status.ONGOING)
    client = api_as(make_user(Role.SECRETARIAT))
    assert client.get(f"/api/projects/{project.pk}/").json()["id"] == project.pk
    assert client.get(f"/api/projects/{project.pk}/?status={Project.Status.ONGOING}").status_code == 200
    assert client.get(f"/api/projects/{project.pk}/?status={Project.Status.PROPOSAL}").status_code == 404


VIENNA_DATETIMES = [
    datetime(2026, 1, 15, 23, 30, tzinfo=UTC),  # another local day in Vienna
    datetime(2026, 7, 1, 8, 0, 0, 123456, tzinfo=UTC),  # summer time, microseconds
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the hour the clocks change
]


@pytest.mark.parametrize(
    ("field", "column", "values"),
    [
        (serializers.BooleanField(), Event._meta.get_field("online"), [True, False]),
        (serializers.CharField(), Event._meta.get_field("title"), ["", "Ünïcode", "x" * 300]),
        (serializers.CharField(), Event._meta.get_field("description"), ["line\nbreak"]),
        (serializers.DateField(), Event._meta.get_field("start_date"), [date(2010, 1, 1), date(2026, 12, 31)]),
        (serializers.IntegerField(), Event._meta.get_field("expected_participants"), [0, 7, 2**40]),
        (serializers.DateTimeField(), ActivityReport._meta.get_field("submitted_at"), VIENNA_DATETIMES),
    ],
)
def test_column_conversion_gives_the_fields_own_representation(field, column, values):
    convert = representation.column_conversion(field, column)
    assert convert != field.to_representation  # a cheaper function was chosen
    for value in values:
        assert convert(value) == field.to_representation(value)


def test_column_conversion_of_a_naive_datetime_is_drfs():
    field = serializers.DateTimeField()
    convert = representation.column_conversion(field, ActivityReport._meta.get_field("submitted_at"))
    naive = datetime(2026, 7, 1, 8, 0)
    assert convert(naive) == field.to_representation(naive)


def test_column_conversion_keeps_a_format_or_a_subclass_of_its_own():
    class Shouting(serializers.CharField):
        def to_representation(self, value):
            return str(value).upper()

    title = Event._meta.get_field("title")
    shouting = Shouting()
    assert representation.column_conversion(shouting, title) == shouting.to_representation
    formatted = serializers.DateField(format="%d.%m.%Y")
    assert representation.column_conversion(formatted, Event._meta.get_field("start_date"))(date(2026, 1, 2)) == (
        "02.01.2026"
    )
    # A boolean field over a column that is not a boolean keeps DRF's parsing of "false".
    loose = serializers.BooleanField()
    assert representation.column_conversion(loose, title)("false") is False


@pytest.mark.parametrize(
    ("owner_names", "owner_name"),
    [
        ({"first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace"),
        ({"first_name": "", "last_name": ""}, "alovelace"),
        (None, ""),
    ],
    ids=["named owner", "owner without names", "no owner"],
)
def test_listed_action_items_read_as_the_joined_rows_give_them(owner_names, owner_name):
    owner = UserFactory(username="alovelace", **owner_names) if owner_names is not None else None
    action = ActionItemFactory(owner=owner, meeting=MeetingFactory())
    secretariat = make_user(Role.SECRETARIAT)
    listed = action_item_api_list(user=secretariat).get(pk=action.pk)
    joined = action_item_list(user=secretariat).get(pk=action.pk)
    assert "task_force" not in listed._state.fields_cache  # the list brings columns, not the related rows
    for serializer_class in (ActionItemSerializer, PublicActionItemSerializer):
        assert serializer_class(listed).data == serializer_class(joined).data
    staff = ActionItemSerializer(listed).data
    assert (
        staff["owner_name"] == {"Ada": "Ada Lovelace", "": "alovelace", None: ""}[(owner_names or {}).get("first_name")]
    )
    assert staff["task_force_acronym"] == action.task_force.acronym
    assert staff["owner_structure_acronym"] == action.owner_structure.acronym


def _items_with_links(areas):
    first, second = ActivityReportFactory(), ActivityReportFactory()
    partners = [PartnerOrganisationFactory(acronym="WCO"), PartnerOrganisationFactory(acronym="EU")]
    # Positions out of pk order; links out of the related models' order; one item with no links at all.
    late = ReportedActivityFactory(report=first, position=2, thematic_areas=[areas[2], areas[0]])
    late.partner_organisations.set(partners)
    ReportedActivityFactory(report=first, position=1, thematic_areas=[areas[1]])
    ReportedActivityFactory(report=second, position=0, thematic_areas=[])
    return [first.pk, second.pk]


def _item_rows_arguments(report_ids, *, order_by=("report_id", "position", "start", "pk")) -> dict:
    return {
        "model": ReportedActivity,
        "by": "report_id",
        "values": report_ids,
        "relations": ("thematic_areas", "partner_organisations"),
        "order_by": order_by,
    }


def test_rows_with_linked_ids_give_the_orms_rows_and_each_relations_ids_in_one_query(areas, django_assert_num_queries):
    report_ids = _items_with_links(areas)
    order = ("report_id", "position", "start", "pk")
    relations = ("thematic_areas", "partner_organisations")

    # One statement on PostgreSQL; elsewhere (the SQLite demo) values() and one query per relation.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 1 + len(relations)):
        rows = rows_with_linked_ids(
            model=ReportedActivity, by="report_id", values=report_ids, relations=relations, order_by=order
        )

    expected = list(
        ReportedActivity.objects.filter(report_id__in=report_ids)
        .order_by(*order)
        .values(*(field.attname for field in ReportedActivity._meta.concrete_fields))
    )
    assert [{key: row[key] for key in expected[0]} for row in rows] == expected
    for row in rows:
        item = ReportedActivity.objects.get(pk=row["id"])
        assert row["thematic_areas"] == [area.pk for area in item.thematic_areas.all()]
        assert row["partner_organisations"] == [partner.pk for partner in item.partner_organisations.all()]
        assert list(row) == [*expected[0], *relations]
    assert [len(row["thematic_areas"]) for row in rows] == [1, 2, 0]
    assert [ReportedActivity.objects.get(pk=row["id"]).partner_organisations.count() for row in rows] == [0, 2, 0]


def test_rows_with_linked_ids_fall_back_to_the_orm_where_the_statement_cannot_be_written(areas, monkeypatch):
    from programmes import selectors

    report_ids = _items_with_links(areas)
    arguments = _item_rows_arguments(report_ids)
    fast = rows_with_linked_ids(**arguments)
    newest_first = rows_with_linked_ids(**{**arguments, "order_by": ("-position", "pk")})
    monkeypatch.setattr(selectors, "_ROWS_WITH_LINKS_SQL", {})
    monkeypatch.setattr(selectors, "_rows_with_links_sql", lambda *args: None)
    assert rows_with_linked_ids(**arguments) == fast
    assert rows_with_linked_ids(**{**arguments, "order_by": ("-position", "pk")}) == newest_first
    assert [row["position"] for row in newest_first] == [2, 1, 0]
    assert rows_with_linked_ids(**{**arguments, "values": []}) == []


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vienna", "Asia/Tokyo"])
def test_read_plan_writes_datetimes_in_the_current_time_zone_as_drf_does(zone):
    report = ActivityReportFactory(first_submitted_at=datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    ActivityReport.objects.filter(pk=report.pk).update(submitted_at=datetime(2026, 7, 1, 8, 0, 0, 123456, tzinfo=UTC))
    report = ActivityReport.objects.get(pk=report.pk)
    with timezone.override(zone):
        ours = ActivityReportSerializer(report).data
        drf = _drf(ActivityReportSerializer(report), report)
    assert ours["submitted_at"] == drf["submitted_at"]
    assert ours["created_at"] == drf["created_at"]
    assert ours["submitted_at"].startswith("2026-07-01T")
    assert ours["submitted_at"].endswith({"UTC": ".123456Z", "Europe/Vienna": "+02:00", "Asia/Tokyo": "+09:00"}[zone])


def test_read_plan_writes_nested_datetimes_in_the_zone_of_the_pass_and_forgets_it_after():
    report = ActivityReportFactory()
    ReportTransition.objects.create(report=report, to_status="submitted", at=datetime(2026, 7, 1, 8, tzinfo=UTC))
    report = ActivityReport.objects.get(pk=report.pk)

    with timezone.override("Asia/Tokyo"):
        tokyo = ActivityReportSerializer(report).data
    with timezone.override("UTC"):
        utc = ActivityReportSerializer(report).data

    assert [t["at"] for t in tokyo["transitions"]] == ["2026-07-01T17:00:00+09:00"]
    assert [t["at"] for t in utc["transitions"]] == ["2026-07-01T08:00:00Z"]
    assert representation._zone_of_pass.get() is None


def test_read_plan_looks_the_time_zone_up_once_per_report_not_once_per_transition(monkeypatch):
    reports = [ActivityReportFactory(), ActivityReportFactory()]
    for report in reports:
        for hour in (1, 2, 3):
            ReportTransition.objects.create(
                report=report, to_status="submitted", at=datetime(2026, 7, 1, hour, tzinfo=UTC)
            )
    listed = list(ActivityReport.objects.filter(pk__in=[r.pk for r in reports]).prefetch_related("transitions"))
    lookups = []
    real = timezone.get_current_timezone

    def counted():
        lookups.append(1)
        return real()

    monkeypatch.setattr(representation.timezone, "get_current_timezone", counted)
    data = ActivityReportSerializer(listed, many=True).data

    assert [len(report["transitions"]) for report in data] == [3, 3]
    assert len(lookups) == len(reports)


@pytest.mark.parametrize(
    "order_by",
    [
        ("state", "pk"),  # a foreign key by name: the ORM orders by the State's own ordering
        ("-state", "pk"),
        ("state__name", "pk"),  # across a relation
        ("report__period_start", "-pk"),
        (),  # the model's default ordering
    ],
)
def test_rows_with_linked_ids_leave_orders_the_statement_cannot_write_to_the_orm(areas, order_by):
    from programmes import selectors

    report_ids = _items_with_links(areas)
    arguments = _item_rows_arguments(report_ids, order_by=order_by)
    expected = [
        row["id"] for row in ReportedActivity.objects.filter(report_id__in=report_ids).order_by(*order_by).values("id")
    ]
    assert [row["id"] for row in rows_with_linked_ids(**arguments)] == expected
    key = ("default", ReportedActivity, "report_id", arguments["relations"], tuple(order_by), ())
    assert key in selectors._ROWS_WITH_LINKS_SQL or connection.vendor != "postgresql"
    assert selectors._ROWS_WITH_LINKS_SQL.get(key) is None


def test_rows_with_linked_ids_read_converted_columns_as_the_orm_does(areas):
    # A focal point's working languages are a JSON column: on PostgreSQL the one statement's rows go through the
    # ORM's converters, so they come out as the lists values() gives, not as the database's text.
    state = ParticipatingStateFactory()
    both = FocalPointFactory(state=state, last_name="Berg", working_languages=["ru", "en"])
    both.thematic_areas.set([areas[2], areas[0]])
    FocalPointFactory(state=state, last_name="Adler", working_languages=[])
    FocalPointFactory(last_name="Elsewhere")

    rows = rows_with_linked_ids(
        model=FocalPoint, by="state_id", values=[state.pk], relations=("thematic_areas",), order_by=("last_name", "pk")
    )

    expected = list(
        FocalPoint.objects.filter(state=state)
        .order_by("last_name", "pk")
        .values(*(field.attname for field in FocalPoint._meta.concrete_fields))
    )
    assert [{key: row[key] for key in expected[0]} for row in rows] == expected
    assert [row["working_languages"] for row in rows] == [[], ["ru", "en"]]
    assert [row["thematic_areas"] for row in rows] == [[], [areas[0].pk, areas[2].pk]]


def _memberships_in_two_networks():
    focal_point, other = FocalPointFactory(), FocalPointFactory()
    later, earlier = NetworkFactory(name="Water Network"), NetworkFactory(name="Border Network")
    for person, network, role in (
        (focal_point, later, "primary"),
        (focal_point, earlier, "primary"),
        (other, later, "member"),
        (focal_point, earlier, "member"),
    ):
        MembershipFactory(focal_point=person, network=network, role=role)
    return focal_point, other


def test_rows_with_linked_ids_read_a_joined_column_as_values_does_and_order_by_it(django_assert_num_queries):
    focal_point, other = _memberships_in_two_networks()
    order = ("network__name", "pk")

    with django_assert_num_queries(1):
        rows = rows_with_linked_ids(
            model=Membership,
            by="focal_point",
            values=[focal_point.pk, other.pk],
            relations=(),
            joined=("network__name",),
            order_by=order,
        )

    expected = list(
        Membership.objects.filter(focal_point__in=[focal_point, other])
        .order_by(*order)
        .values(*(field.attname for field in Membership._meta.concrete_fields), "network__name")
    )
    assert rows == expected
    names = [row["network__name"] for row in rows]
    assert names == ["Border Network", "Border Network", "Water Network", "Water Network"]
    assert list(rows[0]) == list(expected[0])


def test_rows_with_linked_ids_read_a_joined_column_across_a_nullable_key_as_none():
    structure = ExecutiveStructureFactory(acronym="ATUX")
    coordinated, uncoordinated = NetworkFactory(coordinating_structure=structure), NetworkFactory()
    pks = [coordinated.pk, uncoordinated.pk]

    rows = rows_with_linked_ids(
        model=Network, by="id", values=pks, relations=(), joined=("coordinating_structure__acronym",), order_by=("pk",)
    )

    assert [(row["id"], row["coordinating_structure__acronym"]) for row in rows] == [
        (coordinated.pk, "ATUX"),
        (uncoordinated.pk, None),
    ]


@pytest.mark.parametrize(
    "joined", [("network__coordinating_structure__acronym",), ("network__thematic_areas",), ("network__nothing",)]
)
def test_rows_with_linked_ids_leave_a_joined_column_the_statement_cannot_read_to_the_orm(joined):
    from programmes import selectors

    focal_point, other = _memberships_in_two_networks()
    arguments = {
        "model": Membership,
        "by": "focal_point",
        "values": [focal_point.pk, other.pk],
        "relations": (),
        "joined": joined,
        "order_by": ("pk",),
    }
    if joined == ("network__nothing",):
        with pytest.raises(FieldError):
            rows_with_linked_ids(**arguments)
    else:
        rows = rows_with_linked_ids(**arguments)
        expected = Membership.objects.filter(focal_point__in=[focal_point, other]).order_by("pk")
        assert [row["id"] for row in rows] == [membership.pk for membership in expected]
        assert all(joined[0] in row for row in rows)
    key = ("default", Membership, "focal_point", (), ("pk",), joined)
    assert key in selectors._ROWS_WITH_LINKS_SQL or connection.vendor != "postgresql"
    assert selectors._ROWS_WITH_LINKS_SQL.get(key) is None


def test_rows_with_linked_ids_leave_the_other_side_of_a_one_to_one_to_the_orm():
    from programmes import selectors

    first, second = _transitions_of_two_reports()
    arguments = {
        "model": ReportTransition,
        "by": "report",
        "values": [first.pk, second.pk],
        "relations": (),
        "joined": ("by__profile",),  # the profile's side of UserProfile.user: no column on the user's table
        "order_by": ("pk",),
    }

    rows = rows_with_linked_ids(**arguments)

    expected = ReportTransition.objects.filter(report__in=[first, second]).order_by("pk").values("id", "by__profile")
    assert [(row["id"], row["by__profile"]) for row in rows] == [(row["id"], row["by__profile"]) for row in expected]
    key = ("default", ReportTransition, "report", (), ("pk",), ("by__profile",))
    assert key in selectors._ROWS_WITH_LINKS_SQL or connection.vendor != "postgresql"
    assert selectors._ROWS_WITH_LINKS_SQL.get(key) is None


def test_select_related_only_names_the_joins_of_a_queryset_that_reads_nothing_else():
    base = FocalPoint.objects.all()

    assert select_related_only(base) == ()
    assert select_related_only(base.select_related("state", "structure")) == ("state", "structure")
    # What instances_by does not build: the ORM reads these.
    assert select_related_only(base.select_related("structure__host_state")) is None
    assert select_related_only(base.select_related()) is None
    assert select_related_only(base.defer("email")) is None
    assert select_related_only(base.only("last_name")) is None
    assert select_related_only(base.annotate(n=Count("memberships"))) is None
    assert select_related_only(base.extra(select={"one": "1"})) is None
    assert select_related_only(base.prefetch_related("thematic_areas")) is None
    assert select_related_only(base.values("pk")) is None
    # A related manager's rows carry their known parent, which the ORM sets on each of them.
    network = NetworkFactory()
    assert select_related_only(network.memberships.all()) is None


def test_instances_in_order_give_the_rows_in_the_order_of_their_ids_with_their_joins(django_assert_num_queries):
    state = ParticipatingStateFactory(name="Ownland")
    first, second, third = (FocalPointFactory(state=state, last_name=name) for name in ("Adler", "Berg", "Cohen"))
    gone = FocalPointFactory()
    gone_pk = gone.pk
    gone.delete()

    with django_assert_num_queries(1):
        found = instances_in_order(
            model=FocalPoint, pks=[third.pk, gone_pk, first.pk, second.pk], related=("state",), using="default"
        )
        states = [focal_point.state.name for focal_point in found]

    assert found == [third, first, second]
    assert [_columns(row) for row in found] == [_columns(FocalPoint.objects.get(pk=row.pk)) for row in found]
    assert states == ["Ownland"] * 3


def _transitions_of_two_reports():
    author = UserFactory(first_name="Ines", last_name="Berg")
    first, second, other = ActivityReportFactory(), ActivityReportFactory(), ActivityReportFactory()
    at = datetime(2011, 3, 1, 9, tzinfo=UTC)
    for report, hours, by in ((second, 2, author), (first, 5, None), (second, 1, None), (other, 0, author)):
        ReportTransition.objects.create(report=report, to_status="submitted", at=at.replace(hour=hours), by=by)
    return first, second


def test_instances_by_give_what_the_orm_gives_with_the_related_rows_in_one_query(django_assert_num_queries):
    first, second = _transitions_of_two_reports()
    order = ("report_id", "at", "pk")
    expected = list(ReportTransition.objects.filter(report__in=[first, second]).select_related("by").order_by(*order))

    with django_assert_num_queries(1):
        found = instances_by(
            model=ReportTransition, by="report", values=[first.pk, second.pk], order_by=order, related=("by",)
        )
        authors = [transition.by and transition.by.get_full_name() for transition in found]

    assert found == expected
    assert [_columns(t) for t in found] == [_columns(t) for t in expected]
    assert authors == [None, None, "Ines Berg"]
    assert [t.at.hour for t in found] == [5, 1, 2]
    with django_assert_num_queries(0):
        assert instances_by(model=ReportTransition, by="report", values=[], order_by=order) == []


def _columns(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_instances_by_fall_back_to_the_orm_where_the_statement_cannot_be_written(monkeypatch):
    from programmes import selectors

    first, second = _transitions_of_two_reports()
    order, pks = ("report_id", "at"), [first.pk, second.pk]
    fast = instances_by(model=ReportTransition, by="report", values=pks, order_by=order, related=("by",))
    monkeypatch.setattr(selectors, "_INSTANCES_BY_SQL", {})
    monkeypatch.setattr(selectors, "_instances_by_sql", lambda *args: None)

    slow = instances_by(model=ReportTransition, by="report", values=pks, order_by=order, related=("by",))

    assert slow == fast and [t.by for t in slow] == [t.by for t in fast]


@pytest.mark.parametrize("order_by", [("report__period_start",), ("?",), ()])
def test_instances_by_leave_orders_the_statement_cannot_write_to_the_orm(order_by):
    first, second = _transitions_of_two_reports()

    found = instances_by(model=ReportTransition, by="report", values=[first.pk, second.pk], order_by=order_by)

    assert sorted(t.pk for t in found) == sorted(
        ReportTransition.objects.filter(report__in=[first, second]).values_list("pk", flat=True)
    )


def test_instances_by_leave_a_relation_of_a_relation_to_the_orm(django_assert_num_queries):
    first, second = _transitions_of_two_reports()
    pks = [first.pk, second.pk]

    with django_assert_num_queries(1):
        found = instances_by(
            model=ReportTransition, by="report", values=pks, order_by=("at",), related=("report__structure",)
        )
        structures = [t.report.structure.pk for t in found]

    assert structures == [second.structure_id, second.structure_id, first.structure_id]  # at 01:00, 02:00, 05:00


def test_grouped_by_gives_every_key_its_children_in_order_and_an_empty_group_to_the_others():
    rows = [{"parent": 2, "n": "a"}, {"parent": 1, "n": "b"}, {"parent": 2, "n": "c"}]

    groups = grouped_by([1, 2, 3], rows, key=lambda row: row["parent"], group=ValueRows)

    assert {k: [row["n"] for row in v] for k, v in groups.items()} == {1: ["b"], 2: ["a", "c"], 3: []}
    assert all(type(group) is ValueRows for group in groups.values())


def test_linked_ids_of_no_relation_send_no_query(django_assert_num_queries):
    project = ProjectFactory()

    with django_assert_num_queries(0):
        assert linked_ids(model=Project, relations=(), pks=[project.pk]) == {}
