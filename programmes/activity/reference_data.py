"""Reporting obligations and a sample of 2009–2010 activity reports.

The projects, events, places and partners come from the Secretary General's 2010 report (the Afghan Package
under MC.DEC/4/07, the CPC Borders Team's patrol programme, SPMU's counter-narcotics courses, the Bishkek customs
training). The report's point is that such information reached the centre only "on a voluntary basis", so the
sample has gaps: some reports on time, some late, some never submitted, some missing altogether.

SAMPLE DATA: participant numbers by sex, submission dates and reviewers' comments are illustrative, not facts
from the report. Loaded by ``manage.py load_reference_data``; a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from programmes.activity.models import (
    ActivityReport,
    ActivityType,
    ReportedActivity,
    ReportingFrequency,
    ReportingObligation,
    ReportTransition,
    period_containing,
)
from programmes.events.models import Event
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, Project, ThematicArea
from programmes.reference_data import set_m2m

VIENNA = ZoneInfo("Europe/Vienna")
S = ActivityReport.Status
T = ActivityType
Q = ReportingFrequency.QUARTERLY
M = ReportingFrequency.MONTHLY

# Central Asian operations have reported on the Afghan Package to the Secretariat since 2009; the other field
# operations and three thematic units were asked to report from 2010, after MC.DEC/2/09.
OBLIGATIONS_FROM_2009 = ["CiAstana", "CiAshgabat", "CiBishkek", "OiT", "PCUz"]
OBLIGATIONS_FROM_2010 = ["PiA", "MBiH", "MtM", "MtS", "MtSk", "OMiK", "MtMd", "PCUkr", "OiMinsk", "OiBaku", "OiYerevan"]
# acronym, frequency, starts on
THEMATIC_OBLIGATIONS = [("SPMU", M, date(2010, 1, 1)), ("ATU", Q, date(2010, 1, 1)), ("CPC/BT", Q, date(2010, 1, 1))]


def _item(
    title,
    kind,
    areas,
    iso,
    city,
    start,
    end,
    women,
    men,
    results,
    *,
    project=None,
    event=None,
    orgs=(),
    unrecorded=0,
    online=False,
):
    return {
        "title": title,
        "activity_type": kind,
        "areas": areas,
        "iso": iso,
        "city": city,
        "start": start,
        "end": end,
        "women": women,
        "men": men,
        "unrecorded": unrecorded,
        "results": results,
        "project": project,
        "event": event,
        "orgs": list(orgs),
        "online": online,
    }


# structure, period start, frequency, status, first submitted on, return comment (the report went back once),
# summary, items
REPORTS = [
    # --- OSCE Office in Tajikistan: steady reporter, one late quarter, one report returned for corrections
    (
        "OiT",
        date(2009, 1, 1),
        Q,
        S.ACCEPTED,
        date(2009, 4, 21),
        "",
        "",
        [
            _item(
                "Patrol programming course for Tajik border troops",
                T.TRAINING,
                ["border-management"],
                "TJ",
                "Dushanbe",
                date(2009, 2, 9),
                date(2009, 2, 20),
                1,
                23,
                "Platoon leaders drafted patrol plans for two sections of the Tajik-Afghan border.",
                project="CPC-PPL",
            ),
        ],
    ),
    (
        "OiT",
        date(2009, 4, 1),
        Q,
        S.ACCEPTED,
        date(2009, 7, 24),
        "",
        "",
        [
            _item(
                "Counter-narcotics course for Afghan police officers",
                T.TRAINING,
                ["counter-narcotics", "drugs"],
                "TJ",
                "Dushanbe",
                date(2009, 5, 18),
                date(2009, 5, 29),
                2,
                18,
                "Afghan officers practised search and profiling techniques alongside Tajik drug-control staff.",
                project="SPMU-CN-AFG",
                orgs=["UNODC"],
            ),
        ],
    ),
    (
        "OiT",
        date(2009, 7, 1),
        Q,
        S.ACCEPTED,
        date(2009, 11, 12),
        "",
        "",
        [
            _item(
                "Mobile patrol group exercise on the Panj river",
                T.TRAINING,
                ["border-management"],
                "TJ",
                "Panj",
                date(2009, 9, 7),
                date(2009, 9, 11),
                0,
                31,
                "Two mobile groups tested the patrol plans in the field; lessons fed into the next course.",
                project="CPC-PPL",
            ),
        ],
    ),
    (
        "OiT",
        date(2009, 10, 1),
        Q,
        S.ACCEPTED,
        date(2010, 1, 27),
        "",
        "",
        [
            _item(
                "Round table on cross-border co-operation with Afghan counterparts",
                T.NETWORKING,
                ["border-management", "afghanistan"],
                "TJ",
                "Dushanbe",
                date(2009, 11, 24),
                date(2009, 11, 24),
                4,
                22,
                "Tajik and Afghan border officials agreed to exchange contact points at three crossings.",
                orgs=["UNAMA"],
            ),
        ],
    ),
    (
        "OiT",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 26),
        "",
        "",
        [
            _item(
                "Launch of customs training in Gorno-Badakhshan",
                T.TRAINING,
                ["police-customs-training", "counter-narcotics"],
                "TJ",
                "Khorog",
                date(2010, 3, 15),
                date(2010, 3, 26),
                3,
                27,
                "First joint class of Tajik and Afghan customs officers on non-intrusive inspection.",
                project="AFG-05",
                orgs=["WCO"],
            ),
            _item(
                "Patrol leadership refresher",
                T.TRAINING,
                ["border-management"],
                "TJ",
                "Dushanbe",
                date(2010, 2, 1),
                date(2010, 2, 5),
                0,
                18,
                "Section leaders updated patrol plans for the spring.",
                project="CPC-PPL",
            ),
        ],
    ),
    (
        "OiT",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 7, 23),
        "",
        "",
        [
            _item(
                "Non-intrusive inspection course, second intake",
                T.TRAINING,
                ["police-customs-training"],
                "TJ",
                "Khorog",
                date(2010, 5, 10),
                date(2010, 5, 21),
                5,
                25,
                "Thirty officers trained; the course now runs with Tajik instructors assisting.",
                project="AFG-05",
                orgs=["WCO"],
            ),
            _item(
                "Handover of detection kits to the Ishkashim crossing",
                T.EQUIPMENT,
                ["border-management", "counter-narcotics"],
                "TJ",
                "Ishkashim",
                date(2010, 6, 14),
                date(2010, 6, 14),
                0,
                0,
                "Drug and precursor detection kits handed over with a one-day briefing.",
                project="AFG-05",
                unrecorded=12,
            ),
        ],
    ),
    (
        "OiT",
        date(2010, 7, 1),
        Q,
        S.RETURNED,
        date(2010, 10, 28),
        "Please give the number of women and men for the September course; all participants are under 'not recorded'.",
        "",
        [
            _item(
                "Non-intrusive inspection course, third intake",
                T.TRAINING,
                ["police-customs-training"],
                "TJ",
                "Khorog",
                date(2010, 9, 6),
                date(2010, 9, 17),
                0,
                0,
                "Third intake completed; graduates from the first intake co-taught two modules.",
                project="AFG-05",
                orgs=["WCO"],
                unrecorded=28,
            ),
        ],
    ),
    (
        "OiT",
        date(2010, 10, 1),
        Q,
        S.DRAFT,
        None,
        "",
        "",
        [
            _item(
                "Preparations for tactical patrolling with Afghan border police",
                T.NETWORKING,
                ["border-management"],
                "TJ",
                "Dushanbe",
                date(2010, 10, 18),
                date(2010, 10, 19),
                1,
                14,
                "Planning meeting with the CPC Borders Team on the first four-month course.",
                project="AFG-03",
            ),
        ],
    ),
    # --- OSCE Centre in Bishkek: missing at first, then regular; the Customs Training Facility
    (
        "CiBishkek",
        date(2009, 4, 1),
        Q,
        S.ACCEPTED,
        date(2009, 8, 18),
        "",
        "",
        [
            _item(
                "Needs assessment for a customs training facility",
                T.LEGAL_ASSISTANCE,
                ["police-customs-training"],
                "KG",
                "Bishkek",
                date(2009, 6, 8),
                date(2009, 6, 12),
                3,
                9,
                "Curriculum and premises agreed with the State Customs Service.",
                project="AFG-06",
                orgs=["WCO"],
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2009, 7, 1),
        Q,
        S.ACCEPTED,
        date(2009, 10, 22),
        "",
        "",
        [
            _item(
                "First course at the Customs Training Facility",
                T.TRAINING,
                ["police-customs-training", "border-management"],
                "KG",
                "Bishkek",
                date(2009, 9, 14),
                date(2009, 9, 25),
                4,
                20,
                "Kyrgyz and Afghan customs officers completed the basic risk-analysis module.",
                project="AFG-06",
                orgs=["WCO"],
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2009, 10, 1),
        Q,
        S.ACCEPTED,
        date(2010, 1, 25),
        "",
        "",
        [
            _item(
                "Exchange visit of the Kabul Customs Academy",
                T.NETWORKING,
                ["police-customs-training"],
                "KG",
                "Bishkek",
                date(2009, 11, 16),
                date(2009, 11, 18),
                2,
                8,
                "Academy staff agreed joint course dates for 2010.",
                project="AFG-06",
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 19),
        "",
        "",
        [
            _item(
                "Trainer development course",
                T.TRAINING,
                ["police-customs-training"],
                "KG",
                "Bishkek",
                date(2010, 2, 15),
                date(2010, 2, 26),
                6,
                10,
                "Sixteen customs officers qualified as course trainers.",
                project="AFG-06",
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 7, 27),
        "",
        "",
        [
            _item(
                "Awareness seminar on drug smuggling routes",
                T.AWARENESS,
                ["counter-narcotics", "drugs"],
                "KG",
                "Osh",
                date(2010, 5, 25),
                date(2010, 5, 26),
                11,
                19,
                "Regional customs and police staff briefed on routes through the Ferghana valley.",
                orgs=["CARICC"],
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2010, 7, 1),
        Q,
        S.ACCEPTED,
        date(2010, 10, 14),
        "",
        "",
        [
            _item(
                "Joint customs training with the Kabul Customs Academy",
                T.TRAINING,
                ["police-customs-training", "border-management"],
                "KG",
                "Bishkek",
                date(2010, 7, 12),
                date(2010, 7, 23),
                5,
                35,
                "Forty Afghan and Kyrgyz officers trained together for two weeks.",
                project="AFG-06",
                event="Joint customs training with the Kabul Customs Academy",
                orgs=["WCO"],
            ),
        ],
    ),
    (
        "CiBishkek",
        date(2010, 10, 1),
        Q,
        S.SUBMITTED,
        date(2011, 1, 24),
        "",
        "",
        [
            _item(
                "Course on post-clearance audit",
                T.TRAINING,
                ["police-customs-training"],
                "KG",
                "Bishkek",
                date(2010, 11, 8),
                date(2010, 11, 19),
                7,
                15,
                "Twenty-two officers trained in audit techniques.",
                project="AFG-06",
            ),
        ],
    ),
    # --- OSCE Centre in Ashgabat: the Turkmen pilots, reported late or not at all
    (
        "CiAshgabat",
        date(2009, 1, 1),
        Q,
        S.ACCEPTED,
        date(2009, 5, 19),
        "",
        "",
        [
            _item(
                "Border assistance pilot: opening workshop",
                T.TRAINING,
                ["border-management"],
                "TM",
                "Ashgabat",
                date(2009, 3, 2),
                date(2009, 3, 6),
                2,
                26,
                "The State Border Service agreed the pilot's training plan.",
                project="AFG-01",
            ),
        ],
    ),
    (
        "CiAshgabat",
        date(2009, 4, 1),
        Q,
        S.ACCEPTED,
        date(2009, 7, 28),
        "",
        "",
        [
            _item(
                "Customs assistance pilot: risk profiling course",
                T.TRAINING,
                ["police-customs-training"],
                "TM",
                "Ashgabat",
                date(2009, 5, 11),
                date(2009, 5, 22),
                4,
                21,
                "Customs officers trained in risk profiling at road crossings.",
                project="AFG-02",
                orgs=["WCO"],
            ),
        ],
    ),
    (
        "CiAshgabat",
        date(2009, 10, 1),
        Q,
        S.ACCEPTED,
        date(2010, 2, 16),
        "",
        "",
        [
            _item(
                "Closing evaluation of the border and customs pilots",
                T.LEGAL_ASSISTANCE,
                ["border-management", "police-customs-training"],
                "TM",
                "Ashgabat",
                date(2009, 12, 7),
                date(2009, 12, 8),
                3,
                12,
                "Evaluation recommends a longer follow-up with training at border posts.",
                project="AFG-02",
            ),
        ],
    ),
    (
        "CiAshgabat",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 28),
        "",
        "",
        [
            _item(
                "Planning mission for the follow-up phase",
                T.NETWORKING,
                ["border-management"],
                "TM",
                "Ashgabat",
                date(2010, 2, 22),
                date(2010, 2, 24),
                1,
                9,
                "Training sites on the Afghan border identified.",
                project="AFG-01/02-FU",
            ),
        ],
    ),
    ("CiAshgabat", date(2010, 4, 1), Q, S.DRAFT, None, "", "", []),
    # --- OSCE Centre in Astana
    (
        "CiAstana",
        date(2009, 4, 1),
        Q,
        S.ACCEPTED,
        date(2009, 7, 30),
        "",
        "",
        [
            _item(
                "Counter-narcotics course for Afghan police in Almaty",
                T.TRAINING,
                ["counter-narcotics", "drugs"],
                "KZ",
                "Almaty",
                date(2009, 6, 1),
                date(2009, 6, 12),
                1,
                19,
                "Twenty Afghan police officers trained with Kazakh instructors.",
                project="SPMU-CN-AFG",
                orgs=["UNODC"],
            ),
        ],
    ),
    (
        "CiAstana",
        date(2009, 10, 1),
        Q,
        S.ACCEPTED,
        date(2010, 2, 8),
        "",
        "",
        [
            _item(
                "Second counter-narcotics course in Almaty",
                T.TRAINING,
                ["counter-narcotics"],
                "KZ",
                "Almaty",
                date(2009, 10, 12),
                date(2009, 10, 23),
                3,
                17,
                "Course repeated for a new group of officers.",
                project="SPMU-CN-AFG",
                orgs=["UNODC"],
            ),
        ],
    ),
    (
        "CiAstana",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 22),
        "",
        "",
        [
            _item(
                "Seminar on anti-money laundering supervision",
                T.LEGAL_ASSISTANCE,
                ["money-laundering", "terrorist-financing"],
                "KZ",
                "Astana",
                date(2010, 3, 16),
                date(2010, 3, 17),
                14,
                12,
                "Supervisors discussed draft regulations with the financial intelligence unit.",
                orgs=["EAG"],
            ),
        ],
    ),
    (
        "CiAstana",
        date(2010, 4, 1),
        Q,
        S.SUBMITTED,
        date(2010, 8, 11),
        "",
        "",
        [
            _item(
                "Counter-narcotics course for Afghan police, 2010 intake",
                T.TRAINING,
                ["counter-narcotics"],
                "KZ",
                "Almaty",
                date(2010, 4, 19),
                date(2010, 4, 30),
                2,
                18,
                "Course held with UNODC trainers.",
                project="SPMU-CN-AFG",
                orgs=["UNODC"],
            ),
        ],
    ),
    ("CiAstana", date(2010, 7, 1), Q, S.DRAFT, None, "", "", []),
    # --- OSCE Project Co-ordinator in Uzbekistan: one late report in two years
    (
        "PCUz",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 6, 3),
        "",
        "",
        [
            _item(
                "Workshop on control of chemical precursors",
                T.AWARENESS,
                ["drugs", "export-controls"],
                "UZ",
                "Tashkent",
                date(2010, 3, 23),
                date(2010, 3, 24),
                9,
                21,
                "Customs and drug-control officials reviewed precursor lists and licensing.",
                orgs=["UNODC"],
            ),
        ],
    ),
    # --- South-Eastern Europe
    # No MtS report for late 2009: the Belgrade cyber workshop of December 2009 was SPMU's (with McAfee Labs), and
    # MtS only reports from 2010.
    (
        "MtS",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 29),
        "",
        "",
        [
            _item(
                "Community policing forum on trafficking in human beings",
                T.AWARENESS,
                ["thb", "police-reform"],
                "RS",
                "Novi Sad",
                date(2010, 2, 17),
                date(2010, 2, 17),
                23,
                15,
                "Local police and social services agreed a referral procedure for victims.",
                orgs=["IOM"],
            ),
        ],
    ),
    (
        "MtS",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 7, 29),
        "",
        "",
        [
            _item(
                "Financial investigation course",
                T.TRAINING,
                ["money-laundering", "asset-recovery"],
                "RS",
                "Belgrade",
                date(2010, 6, 7),
                date(2010, 6, 11),
                12,
                13,
                "Investigators trained in tracing criminal assets.",
                orgs=["MONEYVAL"],
            ),
        ],
    ),
    (
        "MtS",
        date(2010, 7, 1),
        Q,
        S.SUBMITTED,
        date(2010, 11, 9),
        "",
        "",
        [
            _item(
                "Online seminar on child protection on the Internet",
                T.AWARENESS,
                ["child-online-exploitation"],
                None,
                "",
                date(2010, 9, 28),
                date(2010, 9, 28),
                31,
                9,
                "Teachers and police officers followed a webinar on reporting abuse material.",
                online=True,
                orgs=["ICMEC"],
            ),
        ],
    ),
    (
        "MBiH",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 27),
        "",
        "",
        [
            _item(
                "Round table on the state-level strategy against organised crime",
                T.LEGAL_ASSISTANCE,
                ["organised-crime", "corruption"],
                "BA",
                "Sarajevo",
                date(2010, 3, 4),
                date(2010, 3, 4),
                10,
                18,
                "Comments on the draft strategy passed to the Ministry of Security.",
            ),
        ],
    ),
    ("MBiH", date(2010, 4, 1), Q, S.DRAFT, None, "", "", []),
    (
        "MtM",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 5, 14),
        "",
        "",
        [
            _item(
                "Training for border police on document fraud",
                T.TRAINING,
                ["travel-documents"],
                "ME",
                "Podgorica",
                date(2010, 3, 8),
                date(2010, 3, 12),
                5,
                20,
                "Twenty-five officers trained to detect forged documents.",
            ),
        ],
    ),
    (
        "MtSk",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 7, 21),
        "",
        "",
        [
            _item(
                "Workshop on intelligence-led policing",
                T.TRAINING,
                ["police-reform"],
                "MK",
                "Skopje",
                date(2010, 5, 24),
                date(2010, 5, 27),
                6,
                16,
                "Analysts and managers drafted a pilot tasking process.",
            ),
        ],
    ),
    # --- Eastern Europe and South Caucasus: the sparsest reporting
    (
        "PCUkr",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 5, 6),
        "",
        "",
        [
            _item(
                "Seminar on combating trafficking in human beings",
                T.AWARENESS,
                ["thb"],
                "UA",
                "Kyiv",
                date(2010, 3, 18),
                date(2010, 3, 19),
                28,
                12,
                "Regional coordinators exchanged referral practice.",
                orgs=["IOM"],
            ),
        ],
    ),
    (
        "OiBaku",
        date(2010, 4, 1),
        Q,
        S.SUBMITTED,
        date(2010, 7, 30),
        "",
        "",
        [
            _item(
                "Workshop on protecting critical energy infrastructure",
                T.AWARENESS,
                ["energy-infrastructure"],
                "AZ",
                "Baku",
                date(2010, 5, 19),
                date(2010, 5, 20),
                7,
                29,
                "Operators and regulators compared security plans for pipelines.",
                orgs=["NATO"],
            ),
        ],
    ),
    # --- Thematic units
    (
        "ATU",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 20),
        "",
        "",
        [
            _item(
                "Expert workshop on travel document security",
                T.TRAINING,
                ["travel-documents"],
                "AT",
                "Vienna",
                date(2010, 3, 10),
                date(2010, 3, 11),
                14,
                31,
                "Participating States shared practice on ICAO-compliant passports.",
                orgs=["ICAO", "INTERPOL"],
            ),
        ],
    ),
    (
        "ATU",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 7, 28),
        "",
        "",
        [
            _item(
                "Public-private partnership conference against terrorism",
                T.NETWORKING,
                ["ppp"],
                "AT",
                "Vienna",
                date(2010, 5, 26),
                date(2010, 5, 27),
                40,
                85,
                "Businesses and governments discussed sharing threat information.",
                orgs=["CTITF"],
            ),
        ],
    ),
    (
        "CPC/BT",
        date(2010, 1, 1),
        Q,
        S.ACCEPTED,
        date(2010, 4, 30),
        "",
        "",
        [
            _item(
                "Patrol programming module for senior officers",
                T.TRAINING,
                ["border-management"],
                "TJ",
                "Dushanbe",
                date(2010, 1, 25),
                date(2010, 2, 5),
                0,
                20,
                "Senior officers reviewed patrol planning at command level.",
                project="CPC-PPL",
            ),
        ],
    ),
    (
        "CPC/BT",
        date(2010, 4, 1),
        Q,
        S.ACCEPTED,
        date(2010, 8, 3),
        "",
        "No field activity this quarter; the team prepared the tactical patrolling course (AFG-03).",
        [],
    ),
    (
        "SPMU",
        date(2010, 1, 1),
        M,
        S.ACCEPTED,
        date(2010, 2, 22),
        "",
        "",
        [
            _item(
                "Police reform needs assessment",
                T.LEGAL_ASSISTANCE,
                ["police-reform"],
                "KG",
                "Bishkek",
                date(2010, 1, 18),
                date(2010, 1, 22),
                2,
                7,
                "Recommendations delivered to the Ministry of Interior.",
            ),
        ],
    ),
    (
        "SPMU",
        date(2010, 2, 1),
        M,
        S.ACCEPTED,
        date(2010, 3, 25),
        "",
        "",
        [
            _item(
                "Regional seminar on cybercrime investigations",
                T.TRAINING,
                ["cybercrime"],
                "MD",
                "Chisinau",
                date(2010, 2, 23),
                date(2010, 2, 25),
                9,
                21,
                "Investigators trained in seizing digital evidence.",
                orgs=["CoE"],
            ),
        ],
    ),
    (
        "SPMU",
        date(2010, 3, 1),
        M,
        S.ACCEPTED,
        date(2010, 5, 12),
        "",
        "",
        [
            _item(
                "Counter-narcotics course for Afghan police in Domodedovo",
                T.TRAINING,
                ["counter-narcotics"],
                "RU",
                "Domodedovo",
                date(2010, 3, 1),
                date(2010, 3, 12),
                0,
                20,
                "Course held at the training institute with Russian instructors.",
                project="SPMU-CN-AFG",
            ),
        ],
    ),
    ("SPMU", date(2010, 4, 1), M, S.ACCEPTED, date(2010, 5, 27), "", "Meetings only; no training in April.", []),
    (
        "SPMU",
        date(2010, 5, 1),
        M,
        S.SUBMITTED,
        date(2010, 6, 28),
        "",
        "",
        [
            _item(
                "Counter-narcotics course for Afghan police at TADOC",
                T.TRAINING,
                ["counter-narcotics"],
                "TR",
                "Ankara",
                date(2010, 5, 10),
                date(2010, 5, 21),
                1,
                19,
                "Twenty officers trained at the Turkish International Academy against Drugs and Organized Crime.",
                project="SPMU-CN-AFG",
            ),
        ],
    ),
]


def _aware(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VIENNA)


def load_obligations() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    wanted = [(acronym, Q, date(2009, 1, 1)) for acronym in OBLIGATIONS_FROM_2009]
    wanted += [(acronym, Q, date(2010, 1, 1)) for acronym in OBLIGATIONS_FROM_2010]
    wanted += THEMATIC_OBLIGATIONS
    for acronym, frequency, starts_on in wanted:
        structure = structures[acronym]
        values = {"frequency": frequency, "deadline_days": 30, "starts_on": starts_on, "active": True}
        obligation = ReportingObligation.objects.filter(structure=structure).first()
        if obligation is None:
            obligation = ReportingObligation(structure=structure, **values)
        elif all(getattr(obligation, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(obligation, name, value)
        obligation.full_clean()
        obligation.save()


def _history(start: date, end: date, status: str, submitted: date | None, comment: str):
    """The transitions a report in ``status`` went through, with plausible dates."""
    opened = _aware(start, 9)
    steps = [("", S.DRAFT, opened, "")]
    if submitted is None:
        return steps
    steps.append((S.DRAFT, S.SUBMITTED, _aware(submitted), ""))
    if comment:
        returned = submitted + timedelta(days=6)
        steps.append((S.SUBMITTED, S.RETURNED, _aware(returned, 15), comment))
        if status in (S.SUBMITTED, S.ACCEPTED):
            steps.append((S.RETURNED, S.SUBMITTED, _aware(returned + timedelta(days=5)), ""))
    if status == S.ACCEPTED:
        steps.append((S.SUBMITTED, S.ACCEPTED, _aware(steps[-1][2].date() + timedelta(days=7), 14), ""))
    return steps


def load_reports() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.select_related("reporting_obligation")}
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    orgs = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    projects = {p.code: p for p in Project.objects.all()}
    for acronym, start, frequency, status, submitted, comment, summary, items in REPORTS:
        structure = structures[acronym]
        _start, end = period_containing(start, frequency)
        history = _history(start, end, status, submitted, comment)
        last_submit = next((at for _f, to, at, _c in reversed(history) if to == S.SUBMITTED), None)
        review = next(((at, c) for _f, to, at, c in reversed(history) if to in (S.RETURNED, S.ACCEPTED)), None)
        values = {
            "period_end": end,
            "due_on": structure.reporting_obligation.due_on(end),
            "status": status,
            "summary": summary,
            "first_submitted_at": _aware(submitted) if submitted else None,
            "submitted_at": last_submit,
            "reviewed_at": review[0] if review else None,
            "review_comment": review[1] if review else "",
        }
        report = ActivityReport.objects.filter(structure=structure, period_start=start).first()
        if report is None or any(getattr(report, k) != v for k, v in values.items()):
            report = report or ActivityReport(structure=structure, period_start=start)
            for name, value in values.items():
                setattr(report, name, value)
            report.full_clean()
            report.save()
        for from_status, to_status, at, note in history:
            if not ReportTransition.objects.filter(report=report, to_status=to_status, at=at).exists():
                transition = ReportTransition(
                    report=report, from_status=from_status, to_status=to_status, at=at, comment=note
                )
                transition.full_clean()
                transition.save()
        _load_items(report, items, states=states, areas=areas, orgs=orgs, projects=projects)


def _load_items(report, items, *, states, areas, orgs, projects) -> None:
    for position, spec in enumerate(items):
        event = None
        if spec["event"]:
            event = Event.objects.filter(title=spec["event"], start_date__lte=report.period_end).first()
        values = {
            "activity_type": spec["activity_type"],
            "project": projects.get(spec["project"]) if spec["project"] else None,
            "event": event,
            "state": states.get(spec["iso"]) if spec["iso"] else None,
            "city": spec["city"],
            "online": spec["online"],
            "start": spec["start"],
            "end": spec["end"],
            "participants_women": spec["women"],
            "participants_men": spec["men"],
            "participants_unrecorded": spec["unrecorded"],
            "results": spec["results"],
            "position": position,
        }
        item = ReportedActivity.objects.filter(report=report, title=spec["title"]).first()
        if item is None or any(getattr(item, k) != v for k, v in values.items()):
            item = item or ReportedActivity(report=report, title=spec["title"])
            for name, value in values.items():
                setattr(item, name, value)
            item.full_clean()
            item.save()
        set_m2m(item.thematic_areas, [areas[c] for c in spec["areas"]])
        set_m2m(item.partner_organisations, [orgs[c] for c in spec["orgs"]])


@transaction.atomic
def load_activity_reports() -> None:
    load_obligations()
    load_reports()
