"""Reference data for results and money, loaded after the core's (``programmes.signals.reference_data_loaded``).

Facts from the Secretary General's 2010 report, in our own words: the 2008 Afghan Package as a programme of 16
proposals, the ones the report names with the figures it gives (a figure it does not give stays empty), and the
pilot → follow-up links. The results frameworks of AFG-03 and AFG-05 and the transactions are ILLUSTRATIVE: the
report gives targets (16 and 60 officers) but no frameworks, actuals or donors' transfers, so those rows are marked
illustrative. Projects are the core's, found by code. Every loader is idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from programmes.activity.models import ReportedActivity
from programmes.models import DonorPledge, ExecutiveStructure, Mandate, ParticipatingState, Programme, Project
from programmes.models import ThematicArea as Area
from programmes.reference_data import set_m2m, upsert
from results.models import (
    ActivityContribution,
    AgeGroup,
    FinancialTransaction,
    Indicator,
    IndicatorPeriod,
    ParticipantBreakdown,
    ProgrammeProposal,
    Result,
    ResultLevel,
    SectorMapping,
    Sex,
)

SOURCE = "SG report on MC.DEC/2/09, 11 June 2010"
AFGHAN_PACKAGE = {
    "code": "afghan-package-2008",
    "title": "Afghan Package (2008): OSCE programme of activities for engagement with Afghanistan",
    "summary": "Sixteen extra-budgetary project proposals prepared by the Secretariat in 2008 to implement "
    "MC.DEC/4/07: border security and management, police and customs training, cross-border "
    "co-operation. Implementation began in 2009.",
    "lead": "OSG",
    "mandates": ["MC.DEC/4/07"],
    "planned_project_count": 16,
}

# number, project code, title, estimated budget (EUR), duration (months), participants (up to), Afghan
# participants, planned start. None = the report does not say.
PROPOSALS = [
    (1, "AFG-01", "Border assistance in Turkmenistan (pilot)", None, None, None, False, ""),
    (2, "AFG-02", "Customs assistance in Turkmenistan (pilot)", None, None, None, False, ""),
    (
        None,
        "AFG-01/02-FU",
        "Border and customs assistance in Turkmenistan: follow-up phase",
        "950000",
        15,
        None,
        False,
        "autumn 2010",
    ),
    (
        3,
        "AFG-03",
        "Tactical Patrolling and Surveillance for Afghan border police",
        "250000",
        4,
        16,
        True,
        "autumn 2010",
    ),
    # No. 5 is the ongoing customs project (no figures given); its expansion is a separate proposal that could be
    # funded, and the 2010 activities belong to the ongoing project, not to it.
    (5, "AFG-05", "Customs assistance in Gorno-Badakhshan, Tajikistan", None, None, None, True, ""),
    (
        None,
        "AFG-05-EXP",
        "Customs assistance in Gorno-Badakhshan, Tajikistan: expansion",
        "1000000",
        17,
        60,
        True,
        "",
    ),
    (6, "AFG-06", "Customs Training Facility in Bishkek", None, None, None, True, "summer 2010 (Kabul trainees)"),
]

# later project code -> the earlier projects it continues
FOLLOW_UPS = {
    "AFG-01/02-FU": ["AFG-01", "AFG-02"],
    "AFG-03": ["CPC-PPL"],
    "AFG-05-EXP": ["AFG-05"],
    "AFG-BP-300": ["AFG-03", "CPC-PPL"],
}

# thematic area code -> OECD DAC 5 purpose code and name; sub-areas without a row use their parent's.
SECTOR_MAPPINGS = [
    ("terrorism", "15210", "Security system management and reform"),
    ("travel-documents", "15136", "Immigration"),
    ("ct-legal-framework", "15130", "Legal and judicial development"),
    ("violent-extremism", "15220", "Civilian peace-building, conflict prevention and resolution"),
    ("terrorist-financing", "24010", "Financial policy and administrative management"),
    ("organised-crime", "15210", "Security system management and reform"),
    ("thb", "15190", "Facilitation of orderly, safe, regular and responsible migration and mobility"),
    ("drugs", "16063", "Narcotics control"),
    ("corruption", "15113", "Anti-corruption organisations and institutions"),
    ("money-laundering", "24010", "Financial policy and administrative management"),
    ("police-reform", "15210", "Security system management and reform"),
    ("cyber-security", "22040", "Information and communication technology (ICT)"),
    ("afghanistan", "15210", "Security system management and reform"),
    ("police-customs-training", "33120", "Trade facilitation"),
    ("counter-narcotics", "16063", "Narcotics control"),
    ("election-support", "15151", "Elections"),
    ("wmd", "15210", "Security system management and reform"),
    ("export-controls", "33110", "Trade policy and administrative management"),
]

# ILLUSTRATIVE frameworks. project code -> [(level, key, parent key, title, illustrative, indicators)]
# indicator: (title, code, measure, unit, counts_people, illustrative, periods [(start, end, target, comment)])
M = Indicator.Measure
FRAMEWORKS = {
    "AFG-03": [
        (ResultLevel.OBJECTIVE, "o", None, "Safer Tajik-Afghan border through joint patrolling capacity", True, []),
        (
            ResultLevel.OUTCOME,
            "oc",
            "o",
            "Afghan and Tajik border units plan and run patrols together",
            True,
            [
                (
                    "Joint patrol exercises held with Tajik border troops",
                    "",
                    M.QUALITATIVE,
                    "",
                    False,
                    True,
                    [(date(2010, 10, 1), date(2011, 1, 31), None, "Exercises on both sides of the border, if agreed.")],
                ),
            ],
        ),
        (
            ResultLevel.OUTPUT,
            "op",
            "oc",
            "Afghan border police officers trained in tactical patrolling",
            False,
            [
                (
                    "Afghan border police officers trained",
                    "border-officers-trained",
                    M.UNIT,
                    "officers",
                    True,
                    False,
                    [(date(2010, 10, 1), date(2011, 1, 31), Decimal("16"), "Up to 16 officers, as planned.")],
                ),
            ],
        ),
    ],
    "AFG-05": [
        (ResultLevel.OBJECTIVE, "o", None, "Stronger customs control on the Tajik-Afghan border in GBAO", True, []),
        (
            ResultLevel.OUTCOME,
            "oc",
            "o",
            "Trained officers use non-intrusive inspection at their posts",
            True,
            [
                (
                    "Trained officers applying detection techniques at their posts",
                    "",
                    M.PERCENTAGE,
                    "",
                    False,
                    True,
                    [(date(2010, 3, 1), date(2011, 7, 31), Decimal("70"), "")],
                ),
            ],
        ),
        (
            ResultLevel.OUTPUT,
            "op",
            "oc",
            "Tajik and Afghan customs officers trained in inspection and detection",
            False,
            [
                (
                    "Customs officers trained in non-intrusive inspection",
                    "customs-officers-trained",
                    M.UNIT,
                    "officers",
                    True,
                    False,
                    [(date(2010, 3, 1), date(2011, 7, 31), Decimal("60"), "Up to 60 officers, as planned.")],
                ),
            ],
        ),
    ],
}
# activity items (by title, of the reference activity reports) that count towards an indicator (by title)
CONTRIBUTIONS = [
    ("Launch of customs training in Gorno-Badakhshan", "Customs officers trained in non-intrusive inspection"),
    ("Non-intrusive inspection course, second intake", "Customs officers trained in non-intrusive inspection"),
    ("Non-intrusive inspection course, third intake", "Customs officers trained in non-intrusive inspection"),
]
# ILLUSTRATIVE: participants of one item by sex and age group
BREAKDOWNS = [
    (
        "Launch of customs training in Gorno-Badakhshan",
        [
            (Sex.FEMALE, AgeGroup.YOUTH, 1),
            (Sex.FEMALE, AgeGroup.ADULT, 2),
            (Sex.MALE, AgeGroup.YOUTH, 10),
            (Sex.MALE, AgeGroup.ADULT, 17),
        ],
    ),
]
# ILLUSTRATIVE money: project, kind, source, donor State ISO or organisation acronym, confirms the pledge of, date,
# currency, amount, value in EUR
K = FinancialTransaction.Kind
FS = FinancialTransaction.FundingSource
TRANSACTIONS = [
    ("AFG-05-EXP", K.COMMITMENT, FS.EXB, "DE", True, date(2010, 2, 10), "EUR", "400000", "400000"),
    ("AFG-05", K.DISBURSEMENT, FS.EXB, "DE", False, date(2010, 3, 1), "EUR", "200000", "200000"),
    ("AFG-05", K.EXPENDITURE, FS.EXB, None, False, date(2010, 12, 31), "EUR", "180000", "180000"),
    ("AFG-03", K.COMMITMENT, FS.EXB, "US", True, date(2010, 6, 20), "USD", "200000", "150000"),
    ("AFG-06", K.COMMITMENT, FS.EXB, "EU", False, date(2009, 9, 1), "EUR", "120000", "120000"),
]
ILLUSTRATIVE = "Illustrative figure (not from the 2010 report)"


def load_programmes() -> None:
    spec = AFGHAN_PACKAGE
    programme, _ = upsert(
        Programme,
        {"code": spec["code"]},
        {
            "title": spec["title"],
            "summary": spec["summary"],
            "lead_structure": ExecutiveStructure.objects.get(acronym=spec["lead"]),
            "planned_project_count": spec["planned_project_count"],
            "start": None,
            "end": None,
        },
    )
    set_m2m(programme.mandates, list(Mandate.objects.filter(code__in=spec["mandates"])))
    projects = {p.code: p for p in Project.objects.filter(code__in=[row[1] for row in PROPOSALS])}
    for number, code, title, budget, months, people, afghan, start in PROPOSALS:
        project = projects.get(code)
        if project is not None and project.programme_id != programme.pk:
            project.programme = programme
            project.save(update_fields=["programme"])
        upsert(
            ProgrammeProposal,
            {"programme": programme, "title": title},
            {
                "number": number,
                "project": project,
                "estimated_budget_eur": Decimal(budget) if budget else None,
                "duration_months": months,
                "max_participants": people,
                "afghan_participants": afghan,
                "planned_start": start,
                "source": SOURCE,
            },
        )
    by_code = {
        p.code: p
        for p in Project.objects.filter(code__in=set(FOLLOW_UPS) | {c for codes in FOLLOW_UPS.values() for c in codes})
    }
    for later, earlier in FOLLOW_UPS.items():
        if later in by_code:
            set_m2m(by_code[later].follow_up_of, [by_code[c] for c in earlier if c in by_code])


def load_sector_mappings() -> None:
    areas = {a.code: a for a in Area.objects.all()}
    for code, dac, name in SECTOR_MAPPINGS:
        if code in areas:
            upsert(SectorMapping, {"thematic_area": areas[code]}, {"dac_code": dac, "dac_name": name})


def load_frameworks() -> None:
    projects = {p.code: p for p in Project.objects.filter(code__in=FRAMEWORKS)}
    indicators: dict[str, Indicator] = {}
    for code, rows in FRAMEWORKS.items():
        project = projects.get(code)
        if project is None:
            continue
        keyed: dict[str, Result] = {}
        for position, (level, key, parent, title, illustrative, indicator_rows) in enumerate(rows):
            keyed[key], _ = upsert(
                Result,
                {"project": project, "title": title},
                {
                    "level": level,
                    "parent": keyed.get(parent) if parent else None,
                    "position": position,
                    "illustrative": illustrative,
                },
            )
            for i_pos, (i_title, i_code, measure, unit, people, i_illus, periods) in enumerate(indicator_rows):
                indicator, _ = upsert(
                    Indicator,
                    {"result": keyed[key], "title": i_title},
                    {
                        "code": i_code,
                        "measure": measure,
                        "unit": unit,
                        "counts_people": people,
                        "illustrative": i_illus,
                        "position": i_pos,
                    },
                )
                indicators[i_title] = indicator
                for start, end, target, comment in periods:
                    upsert(
                        IndicatorPeriod,
                        {"indicator": indicator, "period_start": start},
                        {"period_end": end, "target_value": target, "target_comment": comment},
                    )
    items = {
        a.title: a
        for a in ReportedActivity.objects.filter(title__in=[t for t, _ in CONTRIBUTIONS] + [t for t, _ in BREAKDOWNS])
    }
    for item_title, indicator_title in CONTRIBUTIONS:
        if item_title in items and indicator_title in indicators:
            upsert(
                ActivityContribution,
                {"activity": items[item_title], "indicator": indicators[indicator_title]},
                {"value": None},
            )
    for item_title, rows in BREAKDOWNS:
        if item_title in items:
            for sex, age, count in rows:
                upsert(
                    ParticipantBreakdown,
                    {"activity": items[item_title], "sex": sex, "age_group": age},
                    {"count": count},
                )


def load_transactions() -> None:
    from programmes.models import PartnerOrganisation

    projects = {p.code: p for p in Project.objects.filter(code__in={t[0] for t in TRANSACTIONS})}
    for code, kind, source, donor, confirms, day, currency, amount, eur in TRANSACTIONS:
        project = projects.get(code)
        if project is None:
            continue
        state = ParticipatingState.objects.filter(iso_code=donor).first() if donor and len(donor) == 2 else None
        organisation = PartnerOrganisation.objects.filter(acronym=donor).first() if donor and not state else None
        pledge = (
            DonorPledge.objects.filter(project=project, donor_state=state).order_by("pledged_on").first()
            if confirms and state
            else None
        )
        upsert(
            FinancialTransaction,
            {"project": project, "kind": kind, "date": day},
            {
                "funding_source": source,
                "donor_state": state,
                "donor_organisation": organisation,
                "pledge": pledge,
                "currency": currency,
                "amount": Decimal(amount),
                "value_eur": Decimal(eur),
                "description": ILLUSTRATIVE,
            },
        )


@transaction.atomic
def load_results() -> None:
    load_programmes()
    load_sector_mappings()
    load_frameworks()
    load_transactions()


def load_on_signal(sender, **kwargs) -> None:
    load_results()
