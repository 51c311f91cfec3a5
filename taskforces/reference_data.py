"""The three task forces named in the 2010 report, and a sample series of monthly meetings of the proposed
Task Force on Transnational Threats in the second half of 2010.

Membership follows the report (our wording). The meetings, their agendas, decisions and actions are
illustrative SAMPLE DATA written for the portal, not records of real meetings. Idempotent: rows are matched
by natural keys and only written when something differs; a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction

from focal_points.models import FocalPoint
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, Mandate, Project, ThematicArea
from programmes.reference_data import set_m2m, upsert
from taskforces import services
from taskforces.models import ActionItem, AgendaItem, Decision, Meeting, TaskForce, TaskForceMember

VIENNA = ZoneInfo("Europe/Vienna")
SAMPLE_NOTE = "Sample data: an illustrative meeting record, not an official document."

K = ExecutiveStructure.Kind
R = TaskForceMember.Role

TASK_FORCES = [
    {
        "slug": "organized-crime",
        "acronym": "TF-OC",
        "name": "Task Force on Organized Crime",
        "description": "Set up in 2006 after MC.DEC/5/06 to co-ordinate the Organization's work against organised "
        "crime across the Secretariat, ODIHR and the field operations. The Strategic Police Matters "
        "Unit is its central contact point.",
        "mandate": "MC.DEC/5/06",
        "chair": "SPMU",
        "frequency": TaskForce.Frequency.AS_NEEDED,
        "areas": ["organised-crime"],
        "publishes": False,
        "bundle": False,
        "members": [
            ("OSG", R.MEMBER),
            ("SPMU", R.CONTACT_POINT),
            ("OSR/CTHB", R.MEMBER),
            ("OCEEA", R.MEMBER),
            ("ATU", R.MEMBER),
            ("CPC", R.MEMBER),
            ("ODIHR", R.MEMBER),
        ],
        "all_field_operations": True,
        "all_thematic_units": False,
        "all_institutions": False,
    },
    {
        "slug": "afghan",
        "acronym": "SATF",
        "name": "Secretariat Afghan Task Force",
        "description": "Led by the Secretary General; brings the Secretariat units working with and for Afghanistan "
        "together around the projects under MC.DEC/4/07.",
        "mandate": "MC.DEC/4/07",
        "chair": "OSG",
        "frequency": TaskForce.Frequency.AS_NEEDED,
        "areas": ["afghanistan"],
        "publishes": False,
        "bundle": False,
        "members": [
            ("OSG", R.CHAIR),
            ("CPC", R.MEMBER),
            ("CPC/BT", R.MEMBER),
            ("SPMU", R.MEMBER),
            ("ATU", R.MEMBER),
            ("OCEEA", R.MEMBER),
            ("EXTCO", R.MEMBER),
        ],
        "all_field_operations": False,
        "all_thematic_units": False,
        "all_institutions": False,
    },
    {
        "slug": "transnational-threats",
        "acronym": "TF-TNT",
        "name": "Task Force on Transnational Threats",
        "description": "Proposed in the Secretary General's 2010 report: the thematic units, the Conflict Prevention "
        "Centre, the field operations and the Institutions, through their TNT focal points, meet "
        "monthly or when needed to review TNT work, agree common approaches and plans, plan the joint "
        "calendar of events and report to participating States through the Security Committee.",
        "mandate": "MC.DEC/2/09",
        "chair": "OSG",
        "frequency": TaskForce.Frequency.MONTHLY,
        "areas": ["terrorism", "organised-crime", "cyber-security", "afghanistan", "wmd"],
        "publishes": True,
        "bundle": True,
        "members": [("OSG", R.CHAIR), ("CPC", R.MEMBER)],
        "all_field_operations": True,
        "all_thematic_units": True,
        "all_institutions": True,
    },
]

# Networks whose focal point in a structure represents it on a task force (see focal_points.reference_data).
REPRESENTATIVE_NETWORKS = ["tnt-institutions", "tnt-field"]

DONE = "done"
OPEN = "open"
DROPPED = "dropped"

# Monthly TNT meetings: (local date, place, agenda titles, decisions [(text, area codes)],
# actions [(what, owner acronym, due date, status, decision index or None, project code, event title)],
# minutes, published)
MEETINGS = [
    (
        date(2010, 7, 14),
        "OSCE Secretariat, Wallnerstrasse 6, Vienna",
        [
            "Adoption of the agenda",
            "Terms of reference of the Task Force",
            "Inventory of planned TNT events for the second half of 2010",
            "Reporting of activities to the central point",
            "Any other business",
        ],
        [
            ("The Task Force adopts its terms of reference and will meet on the second Wednesday of each month.", []),
            (
                "Each member structure nominates a TNT focal point to represent it on the Task Force.",
                ["terrorism", "organised-crime"],
            ),
        ],
        [
            (
                "Nominate the structure's TNT focal point to the Task Force secretary.",
                "MtS",
                date(2010, 8, 1),
                DONE,
                1,
                None,
                None,
            ),
            ("Circulate a template for the monthly activity reports.", "OSG", date(2010, 8, 6), DONE, None, None, None),
            (
                "List all TNT events planned until December 2010 for the first joint calendar.",
                "SPMU",
                date(2010, 8, 31),
                DONE,
                None,
                None,
                None,
            ),
        ],
        "## Summary\n\nThe Task Force met for the first time. Members agreed the **terms of reference** and the "
        "monthly rhythm.\n\n- Focal points to be nominated by 1 August.\n- The secretariat will circulate a reporting "
        "template.",
        True,
    ),
    (
        date(2010, 8, 11),
        "OSCE Secretariat, Wallnerstrasse 6, Vienna",
        [
            "Adoption of the agenda",
            "Review of actions",
            "First draft of the joint calendar",
            "Afghanistan: border and customs projects",
            "Any other business",
        ],
        [("The draft joint calendar is adopted as the working calendar for the autumn.", ["afghanistan"])],
        [
            (
                "Check the Bishkek customs training dates against the Tajik border project.",
                "CiBishkek",
                date(2010, 9, 15),
                DONE,
                1,
                "AFG-06",
                "Joint customs training with the Kabul Customs Academy",
            ),
            (
                "Report progress of the Tactical Patrolling and Surveillance project preparation.",
                "CPC/BT",
                date(2010, 9, 30),
                OPEN,
                None,
                "AFG-03",
                None,
            ),
        ],
        "## Summary\n\nMembers reviewed the first joint calendar. Two border-related activities in Central Asia "
        "overlap in September; the centres concerned will align dates.",
        True,
    ),
    (
        date(2010, 9, 8),
        "OSCE Secretariat, Wallnerstrasse 6, Vienna",
        [
            "Adoption of the agenda",
            "Review of actions",
            "Cyber security: follow-up to the 2009 workshop",
            "Trafficking in human beings: joint activities with field operations",
            "Any other business",
        ],
        [
            (
                "ATU and SPMU prepare a joint concept note on cyber security follow-up.",
                ["cyber-security", "cybercrime"],
            ),
            ("Field operations report THB activities through the common activity report only.", ["thb"]),
        ],
        [
            (
                "Draft the joint concept note on cyber security follow-up.",
                "ATU",
                date(2010, 10, 29),
                OPEN,
                1,
                None,
                None,
            ),
            (
                "Map anti-trafficking activities of South-Eastern European field operations.",
                "OSR/CTHB",
                date(2010, 10, 15),
                DONE,
                2,
                None,
                None,
            ),
            (
                "Propose a common training module on cybercrime investigations.",
                "SPMU",
                date(2010, 11, 30),
                DROPPED,
                1,
                None,
                None,
            ),
        ],
        "## Summary\n\nDiscussion of the follow-up to the March 2009 cyber security workshop. Members asked for one "
        "concept note rather than separate proposals.",
        True,
    ),
    (
        date(2010, 10, 13),
        "Online",
        [
            "Adoption of the agenda",
            "Review of actions",
            "UNSCR 1540: preparation of the FSC event",
            "Report to the Security Committee",
            "Any other business",
        ],
        [
            ("The Task Force's first progress report goes to the Security Committee in November.", []),
            ("CPC co-ordinates field input for the UNSCR 1540 event.", ["wmd", "export-controls"]),
        ],
        [
            (
                "Collect field operations' contributions for the UNSCR 1540 event.",
                "CPC",
                date(2010, 10, 22),
                DONE,
                2,
                None,
                "FSC event on the implementation of UNSCR 1540",
            ),
            ("Draft the progress report to the Security Committee.", "OSG", date(2010, 11, 5), DONE, 1, None, None),
            (
                "Provide figures on police training in Central Asia for the progress report.",
                "OiT",
                date(2010, 10, 29),
                OPEN,
                1,
                None,
                None,
            ),
        ],
        "## Summary\n\nHeld online. Preparations for the FSC event on UNSCR 1540 are on track.",
        True,
    ),
    (
        date(2010, 11, 10),
        "OSCE Secretariat, Wallnerstrasse 6, Vienna",
        [
            "Adoption of the agenda",
            "Review of actions",
            "Joint calendar for the first quarter of 2011",
            "Gaps in activity reporting",
            "Any other business",
        ],
        [("Structures that have not reported for two periods are raised with their heads of mission.", [])],
        [
            (
                "Submit the missing activity reports for September and October.",
                "OiBaku",
                date(2010, 11, 30),
                OPEN,
                1,
                None,
                None,
            ),
            ("Add first-quarter 2011 events to the joint calendar.", "MtSk", date(2010, 12, 3), DONE, None, None, None),
            (
                "Keep the counter-narcotics training for Afghan police on the calendar and report changes.",
                "SPMU",
                date(2010, 12, 31),
                OPEN,
                None,
                "SPMU-CN-AFG",
                None,
            ),
        ],
        "## Summary\n\nSeveral structures are late with their activity reports. The chair will follow up.",
        True,
    ),
    (
        date(2010, 12, 8),
        "OSCE Secretariat, Wallnerstrasse 6, Vienna",
        ["Adoption of the agenda", "Review of actions", "Work plan for 2011", "Any other business"],
        [("The draft 2011 work plan is circulated for comments until mid-January.", [])],
        [
            ("Comment on the draft 2011 work plan.", "ODIHR", date(2011, 1, 14), OPEN, 1, None, None),
            ("Propose two joint events for the 2011 calendar.", "CiAstana", date(2011, 1, 31), OPEN, None, None, None),
        ],
        "## Draft minutes\n\n_Draft for comments; not yet approved._\n\nMembers discussed the 2011 work plan.",
        False,
    ),
]


def _member_structures(spec: dict, structures: dict[str, ExecutiveStructure]) -> list[tuple[ExecutiveStructure, str]]:
    wanted: dict[int, tuple[ExecutiveStructure, str]] = {}
    for acronym, role in spec["members"]:
        if acronym in structures:
            wanted[structures[acronym].pk] = (structures[acronym], role)
    active = [s for s in structures.values() if s.active and not s.proposed]
    kinds = []
    if spec["all_field_operations"]:
        kinds.append(K.FIELD_OPERATION)
    if spec["all_thematic_units"]:
        kinds.append(K.THEMATIC_UNIT)
    if spec["all_institutions"]:
        kinds.append(K.INSTITUTION)
    for structure in active:
        if structure.kind in kinds and structure.pk not in wanted:
            wanted[structure.pk] = (structure, R.MEMBER)
    return list(wanted.values())


def _focal_point_for(structure: ExecutiveStructure) -> FocalPoint | None:
    # The TNT networks are only proposed in 2010 and have no members, so any focal point of the structure in an
    # existing network may represent it; a TNT focal point is preferred once one exists.
    people = FocalPoint.objects.filter(structure=structure, memberships__network__proposed=False)
    preferred = people.filter(memberships__network__slug__in=REPRESENTATIVE_NETWORKS).order_by("pk").first()
    return preferred or people.order_by("pk").first()


def load_task_force(spec: dict, structures, areas, mandates) -> TaskForce:
    task_force, _ = upsert(
        TaskForce,
        {"slug": spec["slug"]},
        {
            "name": spec["name"],
            "acronym": spec["acronym"],
            "description": spec["description"],
            "mandate": mandates.get(spec["mandate"]),
            "chair_structure": structures[spec["chair"]],
            "meeting_frequency": spec["frequency"],
            "active": True,
            "publishes_to_delegations": spec["publishes"],
            "receives_calendar_bundle": spec["bundle"],
        },
    )
    set_m2m(task_force.thematic_areas, [areas[c] for c in spec["areas"] if c in areas])
    for structure, role in _member_structures(spec, structures):
        member, _created = upsert(TaskForceMember, {"task_force": task_force, "structure": structure}, {"role": role})
        # A representative chosen by hand is kept; the focal point is only filled in when empty.
        if member.focal_point_id is None and member.representative_id is None:
            focal_point = _focal_point_for(structure)
            if focal_point is not None:
                member.focal_point = focal_point
                member.full_clean()
                member.save(update_fields=["focal_point"])
    return task_force


def _load_meeting(task_force: TaskForce, spec, structures, areas, projects, events, today: date) -> None:
    day, place, agenda, decisions, actions, minutes, published = spec
    starts_at = datetime.combine(day, time(10, 0), tzinfo=VIENNA)
    online = place == "Online"
    meeting = Meeting.objects.filter(task_force=task_force, starts_at=starts_at).first()
    fields = {
        "title": f"{task_force.acronym} monthly meeting, {day:%B %Y}",
        "place": "" if online else place,
        "online": online,
        "status": Meeting.Status.HELD,
        "minutes_markdown": f"{minutes}\n\n*{SAMPLE_NOTE}*",
        "published": published,
        "timezone": "Europe/Vienna",
        "duration_minutes": 150,
    }
    if meeting is None:
        meeting = services.meeting_create(task_force=task_force, starts_at=starts_at, actor=None, **fields)
    elif any(getattr(meeting, k) != v for k, v in fields.items()):
        meeting = services.meeting_update(meeting=meeting, data=fields, actor=None)
    for position, title in enumerate(agenda, start=1):
        upsert(AgendaItem, {"meeting": meeting, "position": position}, {"title": title})
    for member in task_force.members.filter(role__in=[R.CHAIR, R.MEMBER]).select_related("structure")[:12]:
        if not meeting.attendance.filter(member=member).exists():
            services.attendance_record(meeting=meeting, member=member, actor=None)
    decision_rows = []
    for number, (text, area_codes) in enumerate(decisions, start=1):
        decision, _ = upsert(Decision, {"meeting": meeting, "number": number}, {"text": text})
        set_m2m(decision.thematic_areas, [areas[c] for c in area_codes if c in areas])
        decision_rows.append(decision)
    for what, owner, due, status, decision_index, project_code, event_title in actions:
        owner_structure = structures[owner]
        action = ActionItem.objects.filter(task_force=task_force, what=what).first()
        if action is None:
            # Fixed dates from the 2010 minutes: the current demo scenario (not this data) supplies open actions.
            due_date = due
            action = services.action_item_create(
                task_force=task_force,
                meeting=meeting,
                what=what,
                owner_structure=owner_structure,
                due_date=due_date,
                actor=None,
                decision=decision_rows[decision_index - 1] if decision_index else None,
                project=projects.get(project_code) if project_code else None,
                event=events.get(event_title) if event_title else None,
            )
            if status != OPEN:
                services.action_item_update(action=action, data={"status": status}, actor=None)
                ActionItem.objects.filter(pk=action.pk).update(completed_on=min(due_date, today))
                services.action_progress_add(
                    action=action,
                    actor=None,
                    text="Completed as agreed." if status == DONE else "No longer needed; superseded by a later plan.",
                )


@transaction.atomic
def load_task_forces(today: date | None = None) -> None:
    today = today or date.today()
    structures = {s.acronym: s for s in ExecutiveStructure.objects.select_related("host_state")}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    mandates = {m.code: m for m in Mandate.objects.all()}
    projects = {p.code: p for p in Project.objects.all()}
    events = {e.title: e for e in Event.objects.exclude(format=Event.Format.TASKFORCE_MEETING)}
    loaded = {}
    for spec in TASK_FORCES:
        if spec["chair"] not in structures:
            continue
        loaded[spec["slug"]] = load_task_force(spec, structures, areas, mandates)
    tnt = loaded.get("transnational-threats")
    if tnt is None:
        return
    for meeting_spec in MEETINGS:
        _load_meeting(tnt, meeting_spec, structures, areas, projects, events, today)
