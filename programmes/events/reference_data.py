"""Events for the joint calendar: the real ones named in the 2010 report, then a sample 2010 calendar.

The sample calendar is invented for the demo (its descriptions say so). It deliberately contains pairs of a field
operation and a thematic unit working on the same theme in the same country within days of each other: the situation
the report complains about and the duplicate check is there to catch.
"""

from datetime import date, datetime, time

from programmes.events import text_search
from programmes.events.models import Event
from programmes.events.services import duplicates_check_event, schedule_fields
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, Project, ThematicArea

F = Event.Format
# title, format, lead, co-organisers, areas, State ISO (None = online/HQ), city, online, start, end, project code,
# partner organisations, expected participants
REAL_EVENTS = [
    (
        "Workshop on a Comprehensive OSCE Approach to Enhancing Cyber Security",
        F.WORKSHOP,
        "ATU",
        ["SPMU", "OCEEA", "FSC-SU"],
        ["cyber-security", "terrorist-internet-use", "cybercrime"],
        "AT",
        "Vienna",
        False,
        date(2009, 3, 17),
        date(2009, 3, 18),
        "ATU-CYBER-2009",
        ["CoE", "NATO", "ENISA", "ITU"],
        150,
    ),
    (
        "National Expert Workshop on Combating Terrorist Use of the Internet",
        F.WORKSHOP,
        "ATU",
        ["SPMU", "OCEEA"],
        ["terrorist-internet-use", "cybercrime"],
        "RS",
        "Belgrade",
        False,
        date(2009, 2, 24),
        date(2009, 2, 25),
        "ATU-CYBER-2009",
        ["CoE"],
        40,
    ),
    # Organised by SPMU with McAfee Labs, as a follow-up to the February 2009 Serbia workshop.
    (
        "Training workshop for law enforcement on cyber threats",
        F.TRAINING,
        "SPMU",
        [],
        ["cybercrime"],
        "RS",
        "Belgrade",
        False,
        date(2009, 12, 8),
        date(2009, 12, 10),
        None,
        ["McAfee Labs"],
        30,
    ),
    # The report dates the ATU's Croatia workshop only to 2009: the day below is a placeholder, said so on the page.
    (
        "National expert workshop in Croatia on combating terrorist use of the Internet",
        F.WORKSHOP,
        "ATU",
        [],
        ["terrorist-internet-use", "cybercrime"],
        "HR",
        "",
        False,
        date(2009, 10, 1),
        date(2009, 10, 1),
        "ATU-CYBER-2009",
        [],
        None,
    ),
    (
        "Online Conference on Sexual Exploitation of Children on the Internet",
        F.CONFERENCE,
        "SPMU",
        ["OSR/CTHB"],
        ["child-online-exploitation", "thb"],
        None,
        "",
        True,
        date(2008, 10, 6),
        date(2008, 10, 10),
        None,
        ["ICMEC", "UNICEF", "INTERPOL"],
        200,
    ),
    (
        "ODIHR Election Support Team to Afghanistan",
        F.DEPLOYMENT,
        "ODIHR",
        [],
        ["election-support"],
        "AF",
        "Kabul",
        False,
        date(2009, 7, 20),
        date(2009, 11, 10),
        "ODIHR-EST-AFG-2009",
        ["UNAMA", "UNDP"],
        None,
    ),
    (
        "Joint customs training with the Kabul Customs Academy",
        F.TRAINING,
        "CiBishkek",
        ["CPC/BT"],
        ["police-customs-training", "border-management"],
        "KG",
        "Bishkek",
        False,
        date(2010, 7, 12),
        date(2010, 7, 23),
        "AFG-06",
        ["WCO"],
        40,
    ),
    (
        "FSC event on the implementation of UNSCR 1540",
        F.EXPERT_MEETING,
        "FSC-SU",
        ["CPC"],
        ["wmd", "export-controls"],
        "AT",
        "Vienna",
        False,
        date(2010, 10, 27),
        date(2010, 10, 27),
        None,
        ["1540 Committee", "UNODA"],
        80,
    ),
]


REPORT_DATE = date(2010, 6, 11)
# Dated after the report but recorded as done in a 2010 activity report, so held rather than planned.
HELD_AFTER_REPORT = {"Joint customs training with the Kabul Customs Academy"}
DESCRIPTIONS = {
    "National expert workshop in Croatia on combating terrorist use of the Internet": (
        "Held in 2009; the exact date is not known, the date shown is a placeholder."
    ),
}


def real_event_status(title: str, end: date) -> str:
    if end < REPORT_DATE or title in HELD_AFTER_REPORT:
        return Event.Status.HELD
    return Event.Status.PLANNED


def load_real_events() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    orgs = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    projects = {p.code: p for p in Project.objects.all()}
    for (
        title,
        fmt,
        lead,
        co,
        area_codes,
        iso,
        city,
        online,
        start,
        end,
        project,
        org_codes,
        participants,
    ) in REAL_EVENTS:
        values = {
            "format": fmt,
            "lead_structure": structures[lead],
            "state": states.get(iso) if iso else None,
            "city": city,
            "online": online,
            "all_day": True,
            "start_date": start,
            "end_date": end,
            "status": real_event_status(title, end),
            "description": DESCRIPTIONS.get(title, ""),
            "visibility": Event.Visibility.PUBLIC,
            "project": projects.get(project) if project else None,
            "expected_participants": participants,
        }
        _upsert_event(
            title,
            start,
            values,
            [structures[a] for a in co],
            [areas[c] for c in area_codes],
            [orgs[c] for c in org_codes],
        )
    load_sample_calendar()


def _upsert_event(title: str, start: date, values: dict, co_organisers, thematic_areas, partners) -> bool:
    """Create or align one event; True when anything was written (so only those are re-checked for duplicates)."""
    event = Event.objects.filter(title=title, start_date=start).first()
    changed = False
    if event is None:
        event = Event(title=title, **values)
        if text_search.uses_postgres():
            event.title_terms = " ".join(sorted(text_search.title_terms(title)))
        event.full_clean()
        event.save()
        changed = True
    elif any(getattr(event, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(event, k, v)
        event.sequence += 1
        event.full_clean()
        event.save()
        changed = True
    for manager, wanted in (
        (event.co_organisers, co_organisers),
        (event.thematic_areas, thematic_areas),
        (event.partner_organisations, partners),
    ):
        if {o.pk for o in wanted} != set(manager.values_list("pk", flat=True)):
            manager.set(wanted)
            changed = True
    if changed:
        _changed_events.append(event.pk)
    return changed


_changed_events: list[int] = []

SAMPLE_NOTE = "Sample entry of the demo 2010 calendar (invented for illustration)."
S = Event.Status
V = Event.Visibility
# title, format, lead, co-organisers, areas, State ISO, city, online, first day, last day, (start, end, zone) or None,
# status, visibility, partner organisations, expected participants, project code
SAMPLE_2010 = [
    # Trafficking in human beings, Tajikistan: a field operation and the Special Representative's office, 2 days apart.
    (
        "Regional workshop on identifying victims of trafficking",
        F.WORKSHOP,
        "OiT",
        [],
        ["thb"],
        "TJ",
        "Dushanbe",
        False,
        date(2010, 5, 18),
        date(2010, 5, 19),
        None,
        S.HELD,
        V.PUBLIC,
        ["IOM"],
        35,
        None,
    ),
    (
        "Workshop on identification and referral of trafficked persons in Tajikistan",
        F.WORKSHOP,
        "OSR/CTHB",
        [],
        ["thb"],
        "TJ",
        "Dushanbe",
        False,
        date(2010, 5, 21),
        date(2010, 5, 21),
        None,
        S.HELD,
        V.PUBLIC,
        ["IOM", "ILO"],
        30,
        None,
    ),
    # Border management, Tajikistan: the Office's own course and the Borders Team's project course, 3 days apart.
    (
        "Border management training for Tajik border troops",
        F.TRAINING,
        "OiT",
        [],
        ["border-management"],
        "TJ",
        "Khorog",
        False,
        date(2010, 6, 7),
        date(2010, 6, 11),
        None,
        S.HELD,
        V.INTERNAL,
        [],
        24,
        None,
    ),
    (
        "Patrol leadership course for Tajik border guards",
        F.TRAINING,
        "CPC/BT",
        ["OiT"],
        ["border-management"],
        "TJ",
        "Dushanbe",
        False,
        date(2010, 6, 14),
        date(2010, 6, 18),
        None,
        S.CONFIRMED,
        V.INTERNAL,
        [],
        20,
        "CPC-PPL",
    ),
    # Money laundering, Kazakhstan: Centre in Astana and OCEEA, a week apart.
    (
        "National workshop on countering money laundering and terrorist financing",
        F.WORKSHOP,
        "CiAstana",
        [],
        ["money-laundering"],
        "KZ",
        "Astana",
        False,
        date(2010, 4, 27),
        date(2010, 4, 28),
        None,
        S.HELD,
        V.PUBLIC,
        ["EAG", "UNODC"],
        45,
        None,
    ),
    (
        "Regional workshop on anti-money laundering for Central Asian financial intelligence units",
        F.WORKSHOP,
        "OCEEA",
        [],
        ["money-laundering", "terrorist-financing"],
        "KZ",
        "Astana",
        False,
        date(2010, 5, 4),
        date(2010, 5, 5),
        None,
        S.HELD,
        V.PUBLIC,
        ["EAG", "World Bank"],
        60,
        None,
    ),
    # Drugs, Kyrgyzstan: Centre in Bishkek and SPMU, 5 days apart.
    (
        "Seminar on combating illicit drug trafficking in southern Kyrgyzstan",
        F.SEMINAR,
        "CiBishkek",
        [],
        ["drugs"],
        "KG",
        "Osh",
        False,
        date(2010, 9, 14),
        date(2010, 9, 15),
        None,
        S.PLANNED,
        V.PUBLIC,
        ["UNODC", "CARICC"],
        40,
        None,
    ),
    (
        "Regional seminar on the control of drug precursors",
        F.SEMINAR,
        "SPMU",
        [],
        ["drugs"],
        "KG",
        "Bishkek",
        False,
        date(2010, 9, 20),
        date(2010, 9, 21),
        None,
        S.PLANNED,
        V.PUBLIC,
        ["UNODC"],
        50,
        None,
    ),
    # Afghanistan: overlapping customs and patrol courses on the Tajik-Afghan border.
    (
        "Tactical patrolling and surveillance course for Afghan border police",
        F.TRAINING,
        "CPC/BT",
        ["OiT"],
        ["border-management", "police-customs-training"],
        "TJ",
        "Dushanbe",
        False,
        date(2010, 10, 18),
        date(2010, 11, 26),
        None,
        S.PLANNED,
        V.INTERNAL,
        [],
        16,
        "AFG-03",
    ),
    (
        "Joint customs inspection training in Gorno-Badakhshan",
        F.TRAINING,
        "OiT",
        ["CPC/BT"],
        ["police-customs-training", "counter-narcotics"],
        "TJ",
        "Khorog",
        False,
        date(2010, 10, 25),
        date(2010, 10, 29),
        None,
        S.CONFIRMED,
        V.INTERNAL,
        ["WCO"],
        30,
        "AFG-05",
    ),
    # Unrelated work: should raise no alert.
    (
        "Launch of the border and customs follow-up in Turkmenistan",
        F.EXPERT_MEETING,
        "CiAshgabat",
        ["CPC/BT"],
        ["border-management"],
        "TM",
        "Ashgabat",
        False,
        date(2010, 10, 12),
        date(2010, 10, 12),
        None,
        S.PLANNED,
        V.INTERNAL,
        [],
        25,
        "AFG-01/02-FU",
    ),
    (
        "Seminar on protecting critical energy infrastructure",
        F.SEMINAR,
        "OiBaku",
        ["ATU"],
        ["energy-infrastructure"],
        "AZ",
        "Baku",
        False,
        date(2010, 10, 5),
        date(2010, 10, 6),
        None,
        S.PLANNED,
        V.PUBLIC,
        [],
        40,
        None,
    ),
    (
        "Workshop on cyber security of critical information infrastructure",
        F.WORKSHOP,
        "PCUkr",
        [],
        ["critical-information-infrastructure"],
        "UA",
        "Kyiv",
        False,
        date(2010, 10, 19),
        date(2010, 10, 20),
        None,
        S.PLANNED,
        V.PUBLIC,
        ["ITU"],
        35,
        None,
    ),
    (
        "Community policing training",
        F.TRAINING,
        "OMiK",
        ["SPMU"],
        ["police-reform"],
        None,
        "Pristina",
        False,
        date(2010, 6, 22),
        date(2010, 6, 24),
        None,
        S.CONFIRMED,
        V.PUBLIC,
        [],
        25,
        None,
    ),
    (
        "Training for anti-trafficking hotline operators",
        F.TRAINING,
        "MtMd",
        [],
        ["thb"],
        "MD",
        "Chisinau",
        False,
        date(2010, 7, 6),
        date(2010, 7, 7),
        None,
        S.CANCELLED,
        V.PUBLIC,
        ["IOM"],
        15,
        None,
    ),
    (
        "OSCE-wide expert conference on violent extremism and radicalisation",
        F.CONFERENCE,
        "ATU",
        ["ODIHR"],
        ["violent-extremism"],
        "AT",
        "Vienna",
        False,
        date(2010, 7, 14),
        date(2010, 7, 15),
        None,
        S.CONFIRMED,
        V.PUBLIC,
        ["CTITF"],
        150,
        None,
    ),
    # Timed events, in their own time zones.
    (
        "Expert meeting on travel document security",
        F.EXPERT_MEETING,
        "ATU",
        [],
        ["travel-documents"],
        "AT",
        "Vienna",
        False,
        date(2010, 3, 29),
        date(2010, 3, 29),
        (time(9, 30), time(17, 0), "Europe/Vienna"),
        S.HELD,
        V.PUBLIC,
        ["ICAO", "INTERPOL"],
        60,
        None,
    ),
    (
        "Briefing of donors on the Afghan Package",
        F.EXPERT_MEETING,
        "CPC",
        ["CPC/BT"],
        ["afghanistan"],
        "AT",
        "Vienna",
        False,
        date(2010, 9, 28),
        date(2010, 9, 28),
        (time(15, 0), time(17, 0), "Europe/Vienna"),
        S.PLANNED,
        V.INTERNAL,
        [],
        40,
        None,
    ),
    (
        "Online briefing for field operations on reporting cybercrime",
        F.EXPERT_MEETING,
        "SPMU",
        [],
        ["cybercrime"],
        None,
        "",
        True,
        date(2010, 11, 9),
        date(2010, 11, 9),
        (time(10, 0), time(11, 30), "Asia/Dushanbe"),
        S.PLANNED,
        V.INTERNAL,
        [],
        25,
        None,
    ),
]


def load_sample_calendar() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    orgs = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    projects = {p.code: p for p in Project.objects.all()}
    for (
        title,
        fmt,
        lead,
        co,
        area_codes,
        iso,
        city,
        online,
        first,
        last,
        times,
        status,
        visibility,
        org_codes,
        participants,
        project,
    ) in SAMPLE_2010:
        if times is None:
            schedule = schedule_fields(all_day=True, start=first, end=last)
        else:
            start_time, end_time, zone = times
            schedule = schedule_fields(
                all_day=False,
                start=datetime.combine(first, start_time),
                end=datetime.combine(last, end_time),
                timezone=zone,
            )
        values = {
            "description": SAMPLE_NOTE,
            "format": fmt,
            "lead_structure": structures[lead],
            "state": states.get(iso) if iso else None,
            "city": city,
            "online": online,
            "status": status,
            "visibility": visibility,
            "project": projects.get(project) if project else None,
            "expected_participants": participants,
            **schedule,
        }
        _upsert_event(
            title,
            first,
            values,
            [structures[a] for a in co],
            [areas[c] for c in area_codes],
            [orgs[c] for c in org_codes],
        )
    # Only what this run created or changed is re-checked, so a second run writes nothing.
    while _changed_events:
        duplicates_check_event(event_id=_changed_events.pop())
