"""Real events named in the 2010 report, for the joint calendar."""

from datetime import date

from programmes.events.models import Event
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, Project, ThematicArea

F = Event.Format
# title, format, lead, co-organisers, areas, State ISO (None = online/HQ), city, online, start, end, project code,
# partner organisations, expected participants
REAL_EVENTS = [
    ("Workshop on a Comprehensive OSCE Approach to Enhancing Cyber Security", F.WORKSHOP, "ATU",
     ["SPMU", "OCEEA", "FSC-SU"], ["cyber-security", "terrorist-internet-use", "cybercrime"], "AT", "Vienna", False,
     date(2009, 3, 17), date(2009, 3, 18), "ATU-CYBER-2009", ["CoE", "NATO", "ENISA", "ITU"], 150),
    ("National Expert Workshop on Combating Terrorist Use of the Internet", F.WORKSHOP, "ATU", ["SPMU", "OCEEA"],
     ["terrorist-internet-use", "cybercrime"], "RS", "Belgrade", False, date(2009, 2, 24), date(2009, 2, 25),
     "ATU-CYBER-2009", ["CoE"], 40),
    ("Training workshop for law enforcement on cyber threats", F.TRAINING, "SPMU", ["MtS"], ["cybercrime"], "RS",
     "Belgrade", False, date(2009, 12, 8), date(2009, 12, 10), None, ["CoE"], 30),
    ("Online Conference on Sexual Exploitation of Children on the Internet", F.CONFERENCE, "SPMU", ["OSR/CTHB"],
     ["child-online-exploitation", "thb"], None, "", True, date(2008, 10, 6), date(2008, 10, 10), None,
     ["ICMEC", "UNICEF", "INTERPOL"], 200),
    ("ODIHR Election Support Team to Afghanistan", F.DEPLOYMENT, "ODIHR", [], ["election-support"], "AF", "Kabul",
     False, date(2009, 7, 20), date(2009, 11, 10), "ODIHR-EST-AFG-2009", ["UNAMA", "UNDP"], None),
    ("Joint customs training with the Kabul Customs Academy", F.TRAINING, "CiBishkek", ["CPC/BT"],
     ["police-customs-training", "border-management"], "KG", "Bishkek", False, date(2010, 7, 12), date(2010, 7, 23),
     "AFG-06", ["WCO"], 40),
    ("FSC event on the implementation of UNSCR 1540", F.EXPERT_MEETING, "FSC-SU", ["CPC"],
     ["wmd", "export-controls"], "AT", "Vienna", False, date(2010, 10, 27), date(2010, 10, 27), None,
     ["1540 Committee", "UNODA"], 80),
]


def load_real_events() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    orgs = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    projects = {p.code: p for p in Project.objects.all()}
    for (title, fmt, lead, co, area_codes, iso, city, online, start, end, project, org_codes,
         participants) in REAL_EVENTS:
        values = {
            "format": fmt, "lead_structure": structures[lead], "state": states.get(iso) if iso else None,
            "city": city, "online": online, "all_day": True, "start_date": start, "end_date": end,
            "status": Event.Status.HELD if end < date(2010, 6, 11) else Event.Status.PLANNED,
            "visibility": Event.Visibility.PUBLIC, "project": projects.get(project) if project else None,
            "expected_participants": participants,
        }
        event = Event.objects.filter(title=title, start_date=start).first()
        if event is None:
            event = Event(title=title, **values)
            event.full_clean()
            event.save()
        elif any(getattr(event, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(event, k, v)
            event.full_clean()
            event.save()
        for manager, wanted in (
            (event.co_organisers, [structures[a] for a in co]),
            (event.thematic_areas, [areas[c] for c in area_codes]),
            (event.partner_organisations, [orgs[c] for c in org_codes]),
        ):
            if {o.pk for o in wanted} != set(manager.values_list("pk", flat=True)):
                manager.set(wanted)
