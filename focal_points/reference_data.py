"""The networks of focal points named in the 2010 report, and fictional sample focal points (``is_sample``, and
"(sample)" in the job title) so that the directory and the coverage matrix have something to show.

Idempotent: networks and people are matched by slug and e-mail and only written when different; memberships are
created once and never touched again, so a rerun does not undo confirmations recorded since."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from focal_points.models import FocalPoint, Membership, Network
from programmes.models import ExecutiveStructure, Mandate, ParticipatingState, PartnerOrganisation, ThematicArea
from programmes.reference_data import set_m2m, upsert

# slug, name, purpose (our wording), founding mandate, co-ordinating structure, thematic area codes,
# one per participating State, proposed.
# The report only proposes (or asks to consider) the TNT focal points in the Institutions, TNT Advisers/Officers in
# some or all field operations, focal points in partner organisations and Afghan liaison contacts: they are proposed,
# claim no founding mandate and get no sample members, so no field operation appears to have a TNT adviser.
NETWORKS = [
    (
        "ct-network",
        "Counter-Terrorism Network",
        "National counter-terrorism focal points of the participating States, who exchange information and receive "
        "updates on OSCE anti-terrorism work.",
        "MC.DEC/6/03",
        "ATU",
        ["terrorism"],
        True,
        False,
    ),
    (
        "bsm-network",
        "Border Security and Management National Focal Point Network",
        "National focal points on border security and management who share practice and contacts across borders.",
        None,
        "CPC/BT",
        ["border-management", "wmd-border-controls"],
        True,
        False,
    ),
    (
        "tnt-institutions",
        "TNT focal points in the Institutions",
        "Contacts in ODIHR, the Representative on Freedom of the Media and the High Commissioner on National "
        "Minorities for work on transnational threats.",
        None,
        "OSG",
        ["terrorism", "organised-crime", "cyber-security"],
        False,
        True,
    ),
    (
        "tnt-field",
        "TNT Advisers/Officers in field operations",
        "Staff in each field operation who follow transnational threats and keep the Secretariat informed of local "
        "activities.",
        None,
        "OSG",
        ["terrorism", "organised-crime", "cyber-security", "afghanistan", "wmd"],
        False,
        True,
    ),
    (
        "thb-field",
        "THB focal points in field operations",
        "Field staff who co-ordinate anti-trafficking work with the Office of the Special Representative.",
        None,
        "OSR/CTHB",
        ["thb"],
        False,
        False,
    ),
    (
        "polmil-field",
        "Politico-military focal points in field operations",
        "Field staff responsible for the politico-military dimension, including border and non-proliferation work.",
        None,
        "CPC",
        ["border-management", "wmd"],
        False,
        False,
    ),
    (
        "partner-organisations",
        "International network of TNT focal points in partner organisations",
        "Counterparts in the United Nations and regional and international organisations for co-operation on "
        "transnational threats.",
        None,
        "EXTCO",
        ["terrorism", "organised-crime", "cyber-security", "afghanistan", "wmd"],
        False,
        True,
    ),
    (
        "prosecutors",
        "Prosecutors Network",
        "A proposed network of prosecutors dealing with terrorism and organised crime cases.",
        None,
        "SPMU",
        ["organised-crime", "terrorism"],
        False,
        True,
    ),
    (
        "afghan-liaison",
        "Afghan national liaison contacts",
        "Contacts in Afghan authorities for OSCE projects with Afghanistan, a Partner for Co-operation.",
        None,
        "OSG",
        ["afghanistan"],
        False,
        True,
    ),
]

# Russian names of the networks, shown when the interface is in Russian (``Network.localized_name``).
NETWORK_NAMES_RU = {
    "ct-network": "Сеть по борьбе с терроризмом",
    "bsm-network": "Сеть национальных координаторов по безопасности и управлению границами",
    "tnt-institutions": "Координаторы по ТНУ в институтах",
    "tnt-field": "Советники и сотрудники по ТНУ в полевых операциях",
    "thb-field": "Координаторы по торговле людьми в полевых операциях",
    "polmil-field": "Координаторы по военно-политическим вопросам в полевых операциях",
    "partner-organisations": "Международная сеть координаторов по ТНУ в организациях-партнерах",
    "prosecutors": "Сеть прокуроров",
    "afghan-liaison": "Афганские национальные контактные лица",
}

# Fictional names. 30 first names × 41 last names: person k gets (k mod 30, 7k mod 41), unique for k < 1230.
FIRST_NAMES = [
    "Alma",
    "Boris",
    "Clara",
    "Dario",
    "Elif",
    "Femi",
    "Greta",
    "Hugo",
    "Ilona",
    "Jonas",
    "Katia",
    "Lars",
    "Mira",
    "Nikola",
    "Olga",
    "Pavel",
    "Rosa",
    "Sami",
    "Tamara",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zofia",
    "Anton",
    "Bianca",
    "Cyril",
    "Dana",
    "Emil",
]
LAST_NAMES = [
    "Amberlin",
    "Brask",
    "Corvanu",
    "Dellacroix",
    "Esterhal",
    "Fenwold",
    "Gravik",
    "Holmqvist",
    "Istrati",
    "Jandera",
    "Kovalen",
    "Lindqvar",
    "Morvesti",
    "Nordahl",
    "Ostrani",
    "Petravic",
    "Quellen",
    "Rasmuth",
    "Sarovec",
    "Tarnow",
    "Ulvenes",
    "Valkora",
    "Westerby",
    "Yarimov",
    "Zelenko",
    "Abrahmsen",
    "Bellucan",
    "Czernak",
    "Dobrevan",
    "Eskildor",
    "Falkenrud",
    "Gorvani",
    "Hartwell",
    "Ivanek",
    "Jurgis",
    "Karlovan",
    "Lemaris",
    "Miklosi",
    "Novarin",
    "Orlevic",
    "Pruszak",
]
SAMPLE = " (sample)"

# (network slug, authority, job title, vacant when index % v == r, stale when index % s == r)
PER_STATE_PLAN = [
    ("ct-network", "Ministry of the Interior", "National counter-terrorism focal point", (6, 2), (9, 4)),
    ("bsm-network", "State Border Service", "National border security focal point", (4, 1), (10, 7)),
]

STRUCTURE_PLAN = [
    # (network slug, structure acronyms, job title, role)
    ("tnt-institutions", ["ODIHR", "RFoM", "HCNM"], "TNT focal point", Membership.Role.PRIMARY),
    (
        "tnt-field",
        [
            "PiA",
            "MBiH",
            "MtM",
            "MtS",
            "MtSk",
            "OMiK",
            "MtMd",
            "PCUkr",
            "OiMinsk",
            "OiBaku",
            "OiYerevan",
            "CiAstana",
            "CiAshgabat",
            "CiBishkek",
            "OiT",
            "PCUz",
        ],
        "TNT Adviser",
        Membership.Role.PRIMARY,
    ),
    (
        "thb-field",
        ["PiA", "MBiH", "MtS", "MtSk", "OMiK", "MtMd", "PCUkr", "OiYerevan", "CiBishkek"],
        "Anti-trafficking officer",
        Membership.Role.PRIMARY,
    ),
    (
        "polmil-field",
        ["MBiH", "MtS", "OiBaku", "CiAshgabat", "OiT", "PCUz"],
        "Politico-military officer",
        Membership.Role.PRIMARY,
    ),
    ("ct-network", ["ATU"], "Counter-terrorism programme officer", Membership.Role.MEMBER),
    ("bsm-network", ["CPC/BT"], "Border security officer", Membership.Role.MEMBER),
]

PARTNER_PLAN = [
    (
        "partner-organisations",
        ["UNODC", "CTC/CTED", "UNAMA", "INTERPOL", "Europol", "CoE", "EU", "NATO", "CIS", "CSTO", "CARICC", "SELEC"],
        "TNT liaison officer",
    ),
]

AFGHAN_CONTACTS = [
    ("Ministry of Interior Affairs", "Liaison officer for border police training"),
    ("Ministry of Counter Narcotics", "Liaison officer for counter-narcotics training"),
    ("Independent Election Commission", "Liaison officer for election support"),
]

LANGUAGES_BY_REGION = {
    "central_asia": ["en", "ru"],
    "eastern_europe": ["en", "ru"],
    "south_caucasus": ["en", "ru"],
    "western_europe": ["en", "fr"],
    "central_europe": ["en", "de"],
}


def _name(k: int) -> tuple[str, str]:
    return FIRST_NAMES[k % len(FIRST_NAMES)], LAST_NAMES[(7 * k) % len(LAST_NAMES)]


def _email(k: int, first: str, last: str) -> str:
    # example.org is reserved for documentation: these addresses can never reach a real person.
    return f"{first.lower()}.{last.lower()}.{k:03d}@example.org"


def load_networks() -> dict[str, Network]:
    mandates = {m.code: m for m in Mandate.objects.all()}
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    networks = {}
    for slug, name, purpose, mandate, structure, area_codes, per_state, proposed in NETWORKS:
        network, _created = upsert(
            Network,
            {"slug": slug},
            {
                "name": name,
                "name_ru": NETWORK_NAMES_RU.get(slug, ""),
                "purpose": purpose,
                "founding_mandate": mandates.get(mandate) if mandate else None,
                "coordinating_structure": structures.get(structure),
                "expects_one_per_state": per_state,
                "proposed": proposed,
            },
        )
        set_m2m(network.thematic_areas, [areas[c] for c in area_codes if c in areas])
        networks[slug] = network
    return networks


class _People:
    """Hands out sample people in a fixed order, so each run produces the same names and e-mails."""

    def __init__(self):
        self.k = 0

    def person(
        self, *, job_title: str, areas, languages, structure=None, state=None, authority="", partner=None
    ) -> FocalPoint:
        k = self.k
        self.k += 1
        first, last = _name(k)
        email = _email(k, first, last)
        focal_point, _created = upsert(
            FocalPoint,
            {"email": email},
            {
                "first_name": first,
                "last_name": last,
                "job_title": job_title + SAMPLE,
                "structure": structure,
                "state": state,
                "authority": authority,
                "partner_organisation": partner,
                "phone": f"+43 1 555 {k:04d}",
                "working_languages": languages,
                "is_sample": True,
            },
        )
        set_m2m(focal_point.thematic_areas, list(areas))
        return focal_point


def _membership_once(
    *, focal_point: FocalPoint, network: Network, role: str, start: date, last_confirmed: date | None
) -> None:
    if Membership.objects.filter(focal_point=focal_point, network=network).exists():
        return
    membership = Membership(
        focal_point=focal_point,
        network=network,
        state_id=focal_point.state_id,
        role=role,
        start=start,
        last_confirmed=last_confirmed,
    )
    membership.full_clean()
    membership.save()


def load_sample_focal_points(networks: dict[str, Network], today: date | None = None) -> None:
    today = today or timezone.localdate()
    stale_months = settings.PORTAL_FOCAL_POINT_STALE_MONTHS
    people = _People()
    states = list(ParticipatingState.objects.filter(is_partner=False).filter(joined__lte=today).order_by("iso_code"))
    for slug, authority, title, (vac_mod, vac_rest), (stale_mod, stale_rest) in PER_STATE_PLAN:
        network = networks[slug]
        areas = list(network.thematic_areas.all())
        for index, state in enumerate(states):
            if index % vac_mod == vac_rest:
                continue  # a vacancy for the coverage matrix
            focal_point = people.person(
                job_title=title,
                areas=areas,
                languages=LANGUAGES_BY_REGION.get(state.region, ["en"]),
                state=state,
                authority=authority,
            )
            if index % stale_mod == stale_rest:
                confirmed = today - relativedelta(months=stale_months + 1 + index % 5)
            else:
                confirmed = today - relativedelta(months=index % max(stale_months - 1, 1))
            _membership_once(
                focal_point=focal_point,
                network=network,
                role=Membership.Role.PRIMARY,
                start=date(2008 + index % 3, 1 + index % 12, 1),
                last_confirmed=confirmed,
            )
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    for slug, acronyms, title, role in STRUCTURE_PLAN:
        network = networks[slug]
        if network.proposed:
            continue
        areas = list(network.thematic_areas.all())
        for index, acronym in enumerate(acronyms):
            structure = structures.get(acronym)
            if structure is None:
                continue
            focal_point = people.person(
                job_title=title,
                areas=areas,
                languages=LANGUAGES_BY_REGION.get(structure.region, ["en"]),
                structure=structure,
            )
            _membership_once(
                focal_point=focal_point,
                network=network,
                role=role,
                start=date(2010, 1 + index % 12, 1),
                last_confirmed=today - relativedelta(months=index % 6),
            )
    partners = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    for slug, acronyms, title in PARTNER_PLAN:
        network = networks[slug]
        if network.proposed:
            continue
        areas = list(network.thematic_areas.all())
        for index, acronym in enumerate(acronyms):
            if acronym not in partners:
                continue
            focal_point = people.person(job_title=title, areas=areas, languages=["en"], partner=partners[acronym])
            _membership_once(
                focal_point=focal_point,
                network=network,
                role=Membership.Role.MEMBER,
                start=date(2010, 1 + index % 12, 1),
                last_confirmed=today - relativedelta(months=index),
            )
    afghanistan = ParticipatingState.objects.filter(iso_code="AF").first()
    if afghanistan is not None and not networks["afghan-liaison"].proposed:
        network = networks["afghan-liaison"]
        areas = list(network.thematic_areas.all())
        for index, (authority, title) in enumerate(AFGHAN_CONTACTS):
            focal_point = people.person(
                job_title=title, areas=areas, languages=["en", "prs", "ps"], state=afghanistan, authority=authority
            )
            _membership_once(
                focal_point=focal_point,
                network=network,
                role=Membership.Role.MEMBER,
                start=date(2009, 1 + index, 1),
                last_confirmed=today - relativedelta(months=2 + index),
            )


@transaction.atomic
def load_focal_points() -> None:
    networks = load_networks()
    load_sample_focal_points(networks)


def load_on_signal(sender, **kwargs) -> None:
    load_focal_points()
