"""Reference data drawn from the Secretary General's 2010 report on transnational threats (facts only,
worded for the portal). Loaded by ``manage.py load_reference_data``; every loader is idempotent."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from programmes.models import (
    DonorPledge,
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    Project,
    Region,
    ThematicArea,
)

HELSINKI = date(1975, 8, 1)
R = Region

# name, ISO code, joined, region
PARTICIPATING_STATES = [
    ("Albania", "AL", date(1991, 6, 19), R.SOUTH_EASTERN_EUROPE),
    ("Andorra", "AD", date(1996, 4, 25), R.WESTERN_EUROPE),
    ("Armenia", "AM", date(1992, 1, 30), R.SOUTH_CAUCASUS),
    ("Austria", "AT", HELSINKI, R.CENTRAL_EUROPE),
    ("Azerbaijan", "AZ", date(1992, 1, 30), R.SOUTH_CAUCASUS),
    ("Belarus", "BY", date(1992, 1, 30), R.EASTERN_EUROPE),
    ("Belgium", "BE", HELSINKI, R.WESTERN_EUROPE),
    ("Bosnia and Herzegovina", "BA", date(1992, 4, 30), R.SOUTH_EASTERN_EUROPE),
    ("Bulgaria", "BG", HELSINKI, R.SOUTH_EASTERN_EUROPE),
    ("Canada", "CA", HELSINKI, R.NORTH_AMERICA),
    ("Croatia", "HR", date(1992, 3, 24), R.SOUTH_EASTERN_EUROPE),
    ("Cyprus", "CY", HELSINKI, R.SOUTH_EASTERN_EUROPE),
    ("Czech Republic", "CZ", date(1993, 1, 1), R.CENTRAL_EUROPE),
    ("Denmark", "DK", HELSINKI, R.NORTHERN_EUROPE),
    ("Estonia", "EE", date(1991, 9, 10), R.NORTHERN_EUROPE),
    ("Finland", "FI", HELSINKI, R.NORTHERN_EUROPE),
    ("France", "FR", HELSINKI, R.WESTERN_EUROPE),
    ("Georgia", "GE", date(1992, 3, 24), R.SOUTH_CAUCASUS),
    ("Germany", "DE", HELSINKI, R.CENTRAL_EUROPE),
    ("Greece", "GR", HELSINKI, R.SOUTH_EASTERN_EUROPE),
    ("Holy See", "VA", HELSINKI, R.WESTERN_EUROPE),
    ("Hungary", "HU", HELSINKI, R.CENTRAL_EUROPE),
    ("Iceland", "IS", HELSINKI, R.NORTHERN_EUROPE),
    ("Ireland", "IE", HELSINKI, R.WESTERN_EUROPE),
    ("Italy", "IT", HELSINKI, R.WESTERN_EUROPE),
    ("Kazakhstan", "KZ", date(1992, 1, 30), R.CENTRAL_ASIA),
    ("Kyrgyzstan", "KG", date(1992, 1, 30), R.CENTRAL_ASIA),
    ("Latvia", "LV", date(1991, 9, 10), R.NORTHERN_EUROPE),
    ("Liechtenstein", "LI", HELSINKI, R.CENTRAL_EUROPE),
    ("Lithuania", "LT", date(1991, 9, 10), R.NORTHERN_EUROPE),
    ("Luxembourg", "LU", HELSINKI, R.WESTERN_EUROPE),
    ("Malta", "MT", HELSINKI, R.WESTERN_EUROPE),
    ("Moldova", "MD", date(1992, 1, 30), R.EASTERN_EUROPE),
    ("Monaco", "MC", HELSINKI, R.WESTERN_EUROPE),
    ("Mongolia", "MN", date(2012, 11, 21), R.MONGOLIA),
    ("Montenegro", "ME", date(2006, 6, 22), R.SOUTH_EASTERN_EUROPE),
    ("Netherlands", "NL", HELSINKI, R.WESTERN_EUROPE),
    ("North Macedonia", "MK", date(1995, 10, 12), R.SOUTH_EASTERN_EUROPE),
    ("Norway", "NO", HELSINKI, R.NORTHERN_EUROPE),
    ("Poland", "PL", HELSINKI, R.CENTRAL_EUROPE),
    ("Portugal", "PT", HELSINKI, R.WESTERN_EUROPE),
    ("Romania", "RO", HELSINKI, R.SOUTH_EASTERN_EUROPE),
    ("Russian Federation", "RU", HELSINKI, R.EASTERN_EUROPE),
    ("San Marino", "SM", HELSINKI, R.WESTERN_EUROPE),
    ("Serbia", "RS", date(2000, 11, 10), R.SOUTH_EASTERN_EUROPE),
    ("Slovakia", "SK", date(1993, 1, 1), R.CENTRAL_EUROPE),
    ("Slovenia", "SI", date(1992, 3, 24), R.CENTRAL_EUROPE),
    ("Spain", "ES", HELSINKI, R.WESTERN_EUROPE),
    ("Sweden", "SE", HELSINKI, R.NORTHERN_EUROPE),
    ("Switzerland", "CH", HELSINKI, R.CENTRAL_EUROPE),
    ("Tajikistan", "TJ", date(1992, 1, 30), R.CENTRAL_ASIA),
    ("Turkey", "TR", HELSINKI, R.SOUTH_EASTERN_EUROPE),
    ("Turkmenistan", "TM", date(1992, 1, 30), R.CENTRAL_ASIA),
    ("Ukraine", "UA", date(1992, 1, 30), R.EASTERN_EUROPE),
    ("United Kingdom", "GB", HELSINKI, R.WESTERN_EUROPE),
    ("United States of America", "US", HELSINKI, R.NORTH_AMERICA),
    ("Uzbekistan", "UZ", date(1992, 1, 30), R.CENTRAL_ASIA),
]

# Partners for Co-operation: name, ISO code, partner since, region
PARTNER_STATES = [
    ("Afghanistan", "AF", date(2003, 4, 3), R.ASIAN_PARTNERS),
    ("Australia", "AU", date(2009, 11, 1), R.ASIAN_PARTNERS),
    ("Japan", "JP", date(1992, 7, 1), R.ASIAN_PARTNERS),
    ("Republic of Korea", "KR", date(1994, 12, 1), R.ASIAN_PARTNERS),
    ("Thailand", "TH", date(2000, 11, 9), R.ASIAN_PARTNERS),
    ("Algeria", "DZ", date(1995, 12, 1), R.MEDITERRANEAN_PARTNERS),
    ("Egypt", "EG", date(1995, 12, 1), R.MEDITERRANEAN_PARTNERS),
    ("Israel", "IL", date(1995, 12, 1), R.MEDITERRANEAN_PARTNERS),
    ("Jordan", "JO", date(1998, 5, 22), R.MEDITERRANEAN_PARTNERS),
    ("Morocco", "MA", date(1995, 12, 1), R.MEDITERRANEAN_PARTNERS),
    ("Tunisia", "TN", date(1995, 12, 1), R.MEDITERRANEAN_PARTNERS),
]

K = ExecutiveStructure.Kind
# acronym, name, kind, region, host State ISO, parent acronym, proposed
STRUCTURES = [
    ("OSG", "Office of the Secretary General", K.SECRETARIAT_OFFICE, "", None, None, False),
    ("ATU", "Action against Terrorism Unit", K.THEMATIC_UNIT, "", None, "OSG", False),
    ("SPMU", "Strategic Police Matters Unit", K.THEMATIC_UNIT, "", None, "OSG", False),
    (
        "OSR/CTHB",
        "Office of the Special Representative and Co-ordinator for Combating Trafficking in Human Beings",
        K.THEMATIC_UNIT,
        "",
        None,
        "OSG",
        False,
    ),
    (
        "OCEEA",
        "Office of the Co-ordinator of OSCE Economic and Environmental Activities",
        K.THEMATIC_UNIT,
        "",
        None,
        "OSG",
        False,
    ),
    ("CPC", "Conflict Prevention Centre", K.THEMATIC_UNIT, "", None, "OSG", False),
    ("CPC/BT", "CPC Borders Team", K.THEMATIC_UNIT, "", None, "CPC", False),
    ("FSC-SU", "FSC Support Unit", K.THEMATIC_UNIT, "", None, "CPC", False),
    ("EXTCO", "External Co-operation", K.SECRETARIAT_OFFICE, "", None, "OSG", False),
    ("CSU", "Cyber Security Unit", K.THEMATIC_UNIT, "", None, "OSG", True),
    ("ATAU", "Analytical and Threat Assessment Unit", K.THEMATIC_UNIT, "", None, "OSG", True),
    ("TNT-D", "Transnational Threats Directorate / TNT Co-ordinator", K.SECRETARIAT_OFFICE, "", None, "OSG", True),
    ("ODIHR", "Office for Democratic Institutions and Human Rights", K.INSTITUTION, "", None, None, False),
    ("RFoM", "Representative on Freedom of the Media", K.INSTITUTION, "", None, None, False),
    ("HCNM", "High Commissioner on National Minorities", K.INSTITUTION, "", None, None, False),
    ("PiA", "OSCE Presence in Albania", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, "AL", None, False),
    ("MBiH", "OSCE Mission to Bosnia and Herzegovina", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, "BA", None, False),
    ("MtM", "OSCE Mission to Montenegro", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, "ME", None, False),
    ("MtS", "OSCE Mission to Serbia", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, "RS", None, False),
    ("MtSk", "OSCE Mission to Skopje", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, "MK", None, False),
    ("OMiK", "OSCE Mission in Kosovo", K.FIELD_OPERATION, R.SOUTH_EASTERN_EUROPE, None, None, False),
    ("MtMd", "OSCE Mission to Moldova", K.FIELD_OPERATION, R.EASTERN_EUROPE, "MD", None, False),
    ("PCUkr", "OSCE Project Co-ordinator in Ukraine", K.FIELD_OPERATION, R.EASTERN_EUROPE, "UA", None, False),
    ("OiMinsk", "OSCE Office in Minsk", K.FIELD_OPERATION, R.EASTERN_EUROPE, "BY", None, False),
    ("OiBaku", "OSCE Office in Baku", K.FIELD_OPERATION, R.SOUTH_CAUCASUS, "AZ", None, False),
    ("OiYerevan", "OSCE Office in Yerevan", K.FIELD_OPERATION, R.SOUTH_CAUCASUS, "AM", None, False),
    ("CiAstana", "OSCE Centre in Astana", K.FIELD_OPERATION, R.CENTRAL_ASIA, "KZ", None, False),
    ("CiAshgabat", "OSCE Centre in Ashgabat", K.FIELD_OPERATION, R.CENTRAL_ASIA, "TM", None, False),
    ("CiBishkek", "OSCE Centre in Bishkek", K.FIELD_OPERATION, R.CENTRAL_ASIA, "KG", None, False),
    ("OiT", "OSCE Office in Tajikistan", K.FIELD_OPERATION, R.CENTRAL_ASIA, "TJ", None, False),
    ("PCUz", "OSCE Project Co-ordinator in Uzbekistan", K.FIELD_OPERATION, R.CENTRAL_ASIA, "UZ", None, False),
]

P = PartnerOrganisation.Kind
# acronym, name, kind, parent acronym
PARTNER_ORGANISATIONS = [
    ("UN", "United Nations", P.UN_BODY, None),
    ("UNODC", "United Nations Office on Drugs and Crime", P.UN_BODY, "UN"),
    ("CTC/CTED", "UN Counter-Terrorism Committee and its Executive Directorate", P.UN_BODY, "UN"),
    ("1267 Committee", "UN Security Council Committee established pursuant to resolution 1267", P.UN_BODY, "UN"),
    ("1540 Committee", "UN Security Council Committee established pursuant to resolution 1540", P.UN_BODY, "UN"),
    ("CTITF", "UN Counter-Terrorism Implementation Task Force", P.UN_BODY, "UN"),
    ("UNAMA", "United Nations Assistance Mission in Afghanistan", P.UN_BODY, "UN"),
    ("ITU", "International Telecommunication Union", P.UN_BODY, "UN"),
    ("IGF", "Internet Governance Forum", P.UN_BODY, "UN"),
    ("UNICEF", "United Nations Children's Fund", P.UN_BODY, "UN"),
    ("ILO", "International Labour Organization", P.UN_BODY, "UN"),
    ("IOM", "International Organization for Migration", P.INTERNATIONAL, None),
    ("UNHCHR", "UN High Commissioner for Human Rights", P.UN_BODY, "UN"),
    ("UNECE", "United Nations Economic Commission for Europe", P.UN_BODY, "UN"),
    ("UNDP", "United Nations Development Programme", P.UN_BODY, "UN"),
    ("UNODA", "United Nations Office for Disarmament Affairs", P.UN_BODY, "UN"),
    ("IAEA", "International Atomic Energy Agency", P.UN_BODY, "UN"),
    ("ICAO", "International Civil Aviation Organization", P.UN_BODY, "UN"),
    ("IMO", "International Maritime Organization", P.UN_BODY, "UN"),
    ("World Bank", "World Bank", P.INTERNATIONAL, None),
    ("INTERPOL", "International Criminal Police Organization", P.INTERNATIONAL, None),
    ("OPCW", "Organisation for the Prohibition of Chemical Weapons", P.INTERNATIONAL, None),
    ("WCO", "World Customs Organization", P.INTERNATIONAL, None),
    ("OECD", "Organisation for Economic Co-operation and Development", P.INTERNATIONAL, None),
    ("FATF", "Financial Action Task Force", P.INTERNATIONAL, None),
    ("CoE", "Council of Europe", P.REGIONAL, None),
    ("MONEYVAL", "Committee of Experts on the Evaluation of Anti-Money Laundering Measures", P.REGIONAL, "CoE"),
    ("EU", "European Union", P.REGIONAL, None),
    ("Europol", "European Police Office", P.REGIONAL, "EU"),
    ("ENISA", "European Network and Information Security Agency", P.REGIONAL, "EU"),
    ("EUPOL", "EU Police Mission in Afghanistan", P.REGIONAL, "EU"),
    ("NATO", "North Atlantic Treaty Organization", P.REGIONAL, None),
    ("CCD CoE", "NATO Cooperative Cyber Defence Centre of Excellence", P.REGIONAL, "NATO"),
    ("CIS", "Commonwealth of Independent States", P.REGIONAL, None),
    ("CSTO", "Collective Security Treaty Organization", P.REGIONAL, None),
    ("SCO", "Shanghai Cooperation Organisation", P.REGIONAL, None),
    ("CARICC", "Central Asian Regional Information and Coordination Centre", P.REGIONAL, None),
    ("SELEC", "Southeast European Law Enforcement Center", P.REGIONAL, None),
    ("EAG", "Eurasian Group on Combating Money Laundering and Financing of Terrorism", P.REGIONAL, None),
    ("OAS", "Organization of American States", P.REGIONAL, None),
    ("APEC", "Asia-Pacific Economic Cooperation", P.REGIONAL, None),
    ("ASEAN", "Association of Southeast Asian Nations", P.REGIONAL, None),
    ("ICMEC", "International Centre for Missing and Exploited Children", P.NGO, None),
    ("McAfee Labs", "McAfee Labs", P.PRIVATE_SECTOR, None),
]

# code, name, short name, [(code, name, short name)]
THEMATIC_AREAS = [
    (
        "terrorism",
        "Preventing and combating terrorism",
        "Terrorism",
        [
            ("travel-documents", "Travel document security", "Travel documents"),
            ("ct-legal-framework", "Legal framework against terrorism", "CT legal framework"),
            ("violent-extremism", "Violent extremism and radicalisation", "VERLT"),
            ("ppp", "Public-private partnerships against terrorism", "PPP"),
            ("energy-infrastructure", "Critical energy infrastructure protection", "Energy infrastructure"),
            ("container-security", "Container and supply-chain security", "Supply chain"),
            ("terrorist-financing", "Terrorist financing", "Terrorist financing"),
            ("transport-security", "Transport security", "Transport security"),
            ("terrorist-internet-use", "Terrorist use of the Internet", "Terrorist Internet use"),
        ],
    ),
    (
        "organised-crime",
        "Fighting organised crime",
        "Organised crime",
        [
            ("thb", "Trafficking in human beings", "THB"),
            ("drugs", "Illicit drugs and chemical precursors", "Drugs"),
            ("corruption", "Corruption", "Corruption"),
            ("money-laundering", "Money laundering and terrorist financing", "AML/CFT"),
            ("cybercrime", "Cybercrime", "Cybercrime"),
            ("police-reform", "Police development and reform", "Police reform"),
            ("asset-recovery", "Criminal asset recovery", "Asset recovery"),
        ],
    ),
    (
        "cyber-security",
        "Promoting cyber security",
        "Cyber security",
        [
            ("critical-information-infrastructure", "Critical information infrastructure protection", "CIIP"),
            ("child-online-exploitation", "Sexual exploitation of children on the Internet", "Child online protection"),
        ],
    ),
    (
        "afghanistan",
        "Threats stemming from Afghanistan",
        "Afghanistan",
        [
            ("border-management", "Border security and management", "Border management"),
            ("police-customs-training", "Police and customs training", "Police and customs training"),
            ("counter-narcotics", "Counter-narcotics", "Counter-narcotics"),
            ("election-support", "Election support", "Election support"),
        ],
    ),
    (
        "wmd",
        "Preventing proliferation of weapons of mass destruction (UNSCR 1540)",
        "WMD",
        [
            ("export-controls", "Export controls", "Export controls"),
            ("physical-protection", "Physical protection of sensitive material", "Physical protection"),
            ("wmd-border-controls", "Border controls for WMD material", "WMD border controls"),
        ],
    ),
]

# Russian names of the reference data, shown when the interface is in Russian (the models' ``localized_name``).
# The OSCE's own Russian usage where there is one; kept beside the English lists so that a new entry gets both.
STRUCTURE_NAMES_RU = {
    "OSG": "Канцелярия Генерального секретаря",
    "ATU": "Группа по борьбе с терроризмом",
    "SPMU": "Группа по стратегическим вопросам полицейской деятельности",
    "OSR/CTHB": "Бюро Специального представителя и координатора по борьбе с торговлей людьми",
    "OCEEA": "Бюро Координатора экономической и экологической деятельности ОБСЕ",
    "CPC": "Центр по предотвращению конфликтов",
    "CPC/BT": "Группа ЦПК по вопросам границ",
    "FSC-SU": "Группа поддержки ФСОБ",
    "EXTCO": "Отдел внешнего сотрудничества",
    "CSU": "Группа по кибербезопасности",
    "ATAU": "Группа анализа и оценки угроз",
    "TNT-D": "Департамент по транснациональным угрозам / Координатор ТНУ",
    "ODIHR": "Бюро по демократическим институтам и правам человека",
    "RFoM": "Представитель по вопросам свободы СМИ",
    "HCNM": "Верховный комиссар по делам национальных меньшинств",
    "PiA": "Присутствие ОБСЕ в Албании",
    "MBiH": "Миссия ОБСЕ в Боснии и Герцеговине",
    "MtM": "Миссия ОБСЕ в Черногории",
    "MtS": "Миссия ОБСЕ в Сербии",
    "MtSk": "Миссия ОБСЕ в Скопье",
    "OMiK": "Миссия ОБСЕ в Косово",
    "MtMd": "Миссия ОБСЕ в Молдове",
    "PCUkr": "Координатор проектов ОБСЕ в Украине",
    "OiMinsk": "Офис ОБСЕ в Минске",
    "OiBaku": "Офис ОБСЕ в Баку",
    "OiYerevan": "Офис ОБСЕ в Ереване",
    "CiAstana": "Центр ОБСЕ в Астане",
    "CiAshgabat": "Центр ОБСЕ в Ашхабаде",
    "CiBishkek": "Центр ОБСЕ в Бишкеке",
    "OiT": "Офис ОБСЕ в Таджикистане",
    "PCUz": "Координатор проектов ОБСЕ в Узбекистане",
}

# code -> (name, short name)
THEMATIC_AREA_NAMES_RU = {
    "terrorism": ("Предупреждение терроризма и борьба с ним", "Терроризм"),
    "travel-documents": ("Безопасность проездных документов", "Проездные документы"),
    "ct-legal-framework": ("Правовая база борьбы с терроризмом", "Правовая база БТ"),
    "violent-extremism": ("Насильственный экстремизм и радикализация", "НЭРВТ"),
    "ppp": ("Партнерство государства и бизнеса в борьбе с терроризмом", "ПГЧП"),
    "energy-infrastructure": ("Защита критически важной энергетической инфраструктуры", "Энергоинфраструктура"),
    "container-security": ("Безопасность контейнерных перевозок и цепочек поставок", "Цепочки поставок"),
    "terrorist-financing": ("Финансирование терроризма", "Финансирование терроризма"),
    "transport-security": ("Безопасность на транспорте", "Транспортная безопасность"),
    "terrorist-internet-use": ("Использование Интернета в террористических целях", "Интернет и терроризм"),
    "organised-crime": ("Борьба с организованной преступностью", "Организованная преступность"),
    "thb": ("Торговля людьми", "Торговля людьми"),
    "drugs": ("Незаконные наркотики и химические прекурсоры", "Наркотики"),
    "corruption": ("Коррупция", "Коррупция"),
    "money-laundering": ("Отмывание денег и финансирование терроризма", "ПОД/ФТ"),
    "cybercrime": ("Киберпреступность", "Киберпреступность"),
    "police-reform": ("Развитие и реформа полиции", "Реформа полиции"),
    "asset-recovery": ("Возвращение преступных активов", "Возвращение активов"),
    "cyber-security": ("Содействие кибербезопасности", "Кибербезопасность"),
    "critical-information-infrastructure": ("Защита критически важной информационной инфраструктуры", "ЗКИИ"),
    "child-online-exploitation": ("Сексуальная эксплуатация детей в Интернете", "Защита детей в сети"),
    "afghanistan": ("Угрозы, исходящие из Афганистана", "Афганистан"),
    "border-management": ("Безопасность и управление границами", "Управление границами"),
    "police-customs-training": ("Подготовка сотрудников полиции и таможни", "Подготовка полиции и таможни"),
    "counter-narcotics": ("Борьба с наркотиками", "Борьба с наркотиками"),
    "election-support": ("Содействие выборам", "Содействие выборам"),
    "wmd": ("Нераспространение оружия массового уничтожения (РСБ ООН 1540)", "ОМУ"),
    "export-controls": ("Экспортный контроль", "Экспортный контроль"),
    "physical-protection": ("Физическая защита чувствительных материалов", "Физическая защита"),
    "wmd-border-controls": ("Пограничный контроль материалов ОМУ", "Погранконтроль ОМУ"),
}

M = Mandate.Body
# code, body, year, title (our short description of what the decision tasks)
MANDATES = [
    (
        "MC.DEC/2/09",
        M.MC,
        2009,
        "Further OSCE efforts to address transnational threats and challenges to security and stability",
    ),
    ("MC.DEC/18/06", M.MC, 2006, "Programmatic co-ordination role of the Secretary General"),
    ("MC.DEC/5/06", M.MC, 2006, "Organised crime: co-ordination of OSCE activities by the Secretary General"),
    ("MC.DEC/4/07", M.MC, 2007, "OSCE engagement with Afghanistan"),
    ("MC.DEC/6/03", M.MC, 2003, "Terms of reference for the OSCE Counter-Terrorism Network"),
    ("MC.DEC/3/04", M.MC, 2004, "Combating the use of the Internet for terrorist purposes"),
    ("MC.DEC/7/06", M.MC, 2006, "Countering the use of the Internet for terrorist purposes"),
    ("MC.DEC/9/07", M.MC, 2007, "Combating sexual exploitation of children on the Internet"),
    ("MC.DEC/10/08", M.MC, 2008, "Violent extremism and radicalisation that lead to terrorism"),
    ("FSC.DEC/10/06", M.FSC, 2006, "Supporting national implementation of UNSCR 1540"),
    (
        "FSC.DEC/7/09",
        M.FSC,
        2009,
        "Endorsement of the first best-practice guide on export controls and transshipment (UNSCR 1540)",
    ),
    ("FSC.DEC/10/08", M.FSC, 2008, "OSCE workshop on a comprehensive approach to cyber security"),
    ("PC.DEC/813", M.PC, 2007, "Combating the threat of illicit drugs"),
    ("UNSCR 1540", M.UNSC, 2004, "Non-proliferation of weapons of mass destruction"),
]

FS = Project.FundingSource
ST = Project.Status
# The Afghan Package (MC.DEC/4/07) and related border projects, with the report's figures.
PROJECTS: list[dict[str, Any]] = [
    {
        "code": "AFG-01",
        "title": "Border assistance in Turkmenistan (pilot)",
        "lead": "CiAshgabat",
        "partners": ["CPC/BT"],
        "areas": ["border-management"],
        "states": ["TM"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.COMPLETED,
        "start": date(2009, 1, 1),
        "end": date(2009, 12, 31),
        "participants": None,
        "summary": "Afghan Package project No. 1: pilot support to the State Border Service of Turkmenistan, "
        "completed in 2009.",
    },
    {
        "code": "AFG-02",
        "title": "Customs assistance in Turkmenistan (pilot)",
        "lead": "CiAshgabat",
        "partners": ["CPC/BT"],
        "areas": ["police-customs-training", "border-management"],
        "states": ["TM"],
        "orgs": ["WCO"],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.COMPLETED,
        "start": date(2009, 1, 1),
        "end": date(2009, 12, 31),
        "participants": None,
        "summary": "Afghan Package project No. 2: pilot customs assistance in Turkmenistan, completed in 2009.",
    },
    {
        "code": "AFG-01/02-FU",
        "title": "Border and customs assistance in Turkmenistan: follow-up phase",
        "lead": "CiAshgabat",
        "partners": ["CPC/BT"],
        "areas": ["border-management", "police-customs-training"],
        "states": ["TM"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": "950000",
        "status": ST.PROPOSAL,
        "start": date(2010, 10, 1),
        "end": date(2011, 12, 31),
        "participants": None,
        "summary": "Fifteen months of rotational training in Ashgabat and at posts on the Afghan border to improve "
        "human surveillance, following the two pilots.",
    },
    {
        "code": "AFG-03",
        "title": "Tactical Patrolling and Surveillance for Afghan border police",
        "lead": "CPC/BT",
        "partners": ["OiT"],
        "areas": ["border-management", "police-customs-training"],
        "states": ["TJ", "AF"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": "250000",
        "status": ST.PROPOSAL,
        "start": date(2010, 10, 1),
        "end": date(2011, 1, 31),
        "participants": 16,
        "summary": "Afghan Package project No. 3, planned subject to the host country's agreement and to funding. "
        "Four months of tactical patrolling and analysis exercises for up to 16 Afghan border police "
        "officers, building cross-border ties between Tajikistan and Afghanistan.",
    },
    {
        "code": "AFG-05",
        "title": "Customs assistance in the Gorno-Badakhshan region, Tajikistan",
        "lead": "OiT",
        "partners": ["CPC/BT"],
        "areas": ["police-customs-training", "counter-narcotics"],
        "states": ["TJ", "AF"],
        "orgs": ["WCO"],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.ONGOING,
        "start": None,
        "end": None,
        "participants": None,
        "summary": "Afghan Package project No. 5: ongoing joint training of Tajik and Afghan customs officers in GBAO. "
        "The report gives no budget or dates for it.",
    },
    {
        # The report presents the expansion as something that could be funded, separate from the ongoing project.
        "code": "AFG-05-EXP",
        "title": "Customs assistance in Gorno-Badakhshan, Tajikistan: expansion",
        "lead": "OiT",
        "partners": ["CPC/BT"],
        "areas": ["police-customs-training", "counter-narcotics"],
        "states": ["TJ", "AF"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": "1000000",
        "status": ST.PROPOSAL,
        "start": None,
        "end": None,
        "participants": 60,
        "summary": "Proposed expansion of project No. 5: about seventeen months of further joint non-intrusive "
        "inspection and detection training for up to 60 Tajik and Afghan customs officers.",
    },
    {
        "code": "AFG-06",
        "title": "Customs Training Facility in Bishkek",
        "lead": "CiBishkek",
        "partners": ["CPC/BT"],
        "areas": ["police-customs-training", "border-management"],
        "states": ["KG", "AF"],
        "orgs": ["WCO"],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.ONGOING,
        "start": date(2009, 6, 1),
        "end": date(2011, 12, 31),
        "participants": None,
        "summary": "Training centre for customs officers in Bishkek, co-operating with the Customs Academy in Kabul.",
    },
    {
        "code": "CPC-PPL",
        "title": "Patrol Programming and Leadership",
        "lead": "CPC/BT",
        "partners": ["OiT"],
        "areas": ["border-management"],
        "states": ["TJ"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.ONGOING,
        "start": date(2008, 1, 1),
        "end": date(2011, 6, 30),
        "participants": None,
        "summary": "Skills for the Tajik border troops to detect and stop illegal crossings of the Tajik-Afghan "
        "border with better human surveillance and mobile groups.",
    },
    {
        "code": "AFG-BP-300",
        "title": "Joint tactical patrolling training for Afghan border police (follow-up)",
        "lead": "CPC/BT",
        "partners": ["OiT"],
        "areas": ["border-management", "police-customs-training"],
        "states": ["TJ", "AF"],
        "orgs": [],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": "2500000",
        "status": ST.PROPOSAL,
        "start": date(2011, 7, 1),
        "end": date(2014, 6, 30),
        "participants": 300,
        "summary": "Three years of training for up to 300 Afghan border police officers with Tajik border guards "
        "on the Tajik side, and renovation of training facilities near the border.",
    },
    {
        "code": "SPMU-CN-AFG",
        "title": "Counter-narcotics training for Afghan police",
        "lead": "SPMU",
        "partners": ["OiT", "CiAstana"],
        "areas": ["counter-narcotics", "drugs"],
        "states": ["KZ", "RU", "TR", "TJ", "AF"],
        "orgs": ["UNODC"],
        "mandates": ["MC.DEC/4/07", "PC.DEC/813"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.ONGOING,
        "start": date(2008, 1, 1),
        "end": None,
        "participants": None,
        "summary": "Counter-narcotics courses for Afghan police in Almaty, Domodedovo, Ankara (TADOC) and Dushanbe.",
    },
    {
        "code": "ATU-CYBER-2009",
        "title": "Comprehensive approach to cyber security",
        "lead": "ATU",
        "partners": ["SPMU", "OCEEA", "FSC-SU"],
        "areas": ["cyber-security", "terrorist-internet-use", "cybercrime"],
        "states": [],
        "orgs": ["CoE", "NATO", "ENISA", "ITU"],
        "mandates": ["FSC.DEC/10/08", "MC.DEC/7/06"],
        "funding": FS.UB,
        "budget": None,
        "status": ST.COMPLETED,
        "start": date(2009, 1, 1),
        "end": date(2009, 12, 31),
        "participants": None,
        "summary": "OSCE-wide and national workshops on cyber security and terrorist use of the Internet.",
    },
    {
        "code": "ODIHR-EST-AFG-2009",
        "title": "Election Support Team to Afghanistan",
        "lead": "ODIHR",
        "partners": [],
        "areas": ["election-support"],
        "states": ["AF"],
        "orgs": ["UNAMA", "UNDP", "EU"],
        "mandates": ["MC.DEC/4/07"],
        "funding": FS.EXB,
        "budget": None,
        "status": ST.COMPLETED,
        "start": date(2009, 7, 1),
        "end": date(2009, 11, 30),
        "participants": None,
        "summary": "Election support deployment for the 2009 presidential and provincial council elections.",
    },
]

# Donor pledges are illustrative for the demo: the report gives project budgets, not donors.
PLEDGES = [
    ("AFG-05-EXP", "DE", "400000", date(2010, 2, 1)),
    ("AFG-05-EXP", "US", "350000", date(2010, 2, 15)),
    ("AFG-05-EXP", "NO", "150000", date(2010, 4, 1)),
    ("AFG-03", "US", "150000", date(2010, 6, 1)),
    ("AFG-03", "FI", "50000", date(2010, 6, 15)),
    ("AFG-06", "JP", "300000", date(2009, 5, 1)),
    ("CPC-PPL", "GB", "200000", date(2008, 2, 1)),
    ("AFG-01/02-FU", "US", "300000", date(2010, 5, 20)),
]


def upsert(model, lookup: dict, defaults: dict):
    """update_or_create that validates and only writes when something differs, so a second run changes nothing.
    Every app's reference-data loader uses it."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.full_clean()
        obj.save()
    return obj, False


def set_m2m(manager, objects) -> None:
    """Set a many-to-many relation only when it differs (no m2m signals, no writes on a rerun)."""
    wanted = {o.pk for o in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(objects)


def load_states() -> None:
    for name, iso, joined, region in PARTICIPATING_STATES:
        upsert(
            ParticipatingState,
            {"iso_code": iso},
            {"name": name, "joined": joined, "region": region, "is_partner": False},
        )
    for name, iso, joined, region in PARTNER_STATES:
        upsert(
            ParticipatingState,
            {"iso_code": iso},
            {"name": name, "joined": joined, "region": region, "is_partner": True},
        )


def load_structures() -> None:
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    by_acronym: dict[str, ExecutiveStructure] = {}
    for acronym, name, kind, region, host, parent, proposed in STRUCTURES:
        by_acronym[acronym], _ = upsert(
            ExecutiveStructure,
            {"acronym": acronym},
            {
                "name": name,
                "name_ru": STRUCTURE_NAMES_RU.get(acronym, ""),
                "kind": kind,
                "region": region,
                "host_state": states.get(host) if host else None,
                "parent": by_acronym.get(parent) if parent else None,
                "proposed": proposed,
                "active": not proposed,
            },
        )


def load_partner_organisations() -> None:
    by_acronym: dict[str, PartnerOrganisation] = {}
    for acronym, name, kind, parent in PARTNER_ORGANISATIONS:
        by_acronym[acronym], _ = upsert(
            PartnerOrganisation,
            {"acronym": acronym},
            {"name": name, "kind": kind, "parent": by_acronym.get(parent) if parent else None},
        )


def load_thematic_areas() -> None:
    def russian(code: str) -> dict[str, str]:
        name_ru, short_ru = THEMATIC_AREA_NAMES_RU.get(code, ("", ""))
        return {"name_ru": name_ru, "short_name_ru": short_ru}

    for position, (code, name, short, children) in enumerate(THEMATIC_AREAS, start=1):
        parent, _ = upsert(
            ThematicArea,
            {"code": code},
            {"name": name, "short_name": short, "parent": None, "position": position, **russian(code)},
        )
        for child_position, (child_code, child_name, child_short) in enumerate(children, start=1):
            upsert(
                ThematicArea,
                {"code": child_code},
                {
                    "name": child_name,
                    "short_name": child_short,
                    "parent": parent,
                    "position": child_position,
                    **russian(child_code),
                },
            )


def load_mandates() -> None:
    for code, body, year, title in MANDATES:
        upsert(Mandate, {"code": code}, {"body": body, "year": year, "title": title})


def load_projects() -> None:
    structures = {s.acronym: s for s in ExecutiveStructure.objects.all()}
    states = {s.iso_code: s for s in ParticipatingState.objects.all()}
    areas = {a.code: a for a in ThematicArea.objects.all()}
    orgs = {o.acronym: o for o in PartnerOrganisation.objects.all()}
    mandates = {m.code: m for m in Mandate.objects.all()}
    for spec in PROJECTS:
        project, _ = upsert(
            Project,
            {"code": spec["code"]},
            {
                "title": spec["title"],
                "summary": spec["summary"],
                "lead_structure": structures[spec["lead"]],
                "funding_source": spec["funding"],
                "budget": Decimal(spec["budget"]) if spec["budget"] is not None else None,
                "status": spec["status"],
                "start": spec["start"],
                "end": spec["end"],
                "target_participants": spec["participants"],
            },
        )
        set_m2m(project.partner_structures, [structures[a] for a in spec["partners"]])
        set_m2m(project.thematic_areas, [areas[c] for c in spec["areas"]])
        set_m2m(project.beneficiary_states, [states[c] for c in spec["states"]])
        set_m2m(project.partner_organisations, [orgs[c] for c in spec["orgs"]])
        set_m2m(project.mandates, [mandates[c] for c in spec["mandates"]])
    projects = {p.code: p for p in Project.objects.filter(code__in=[p["code"] for p in PROJECTS])}
    for code, iso, amount, pledged_on in PLEDGES:
        upsert(
            DonorPledge,
            {"project": projects[code], "donor_state": states[iso], "pledged_on": pledged_on},
            {"amount": Decimal(amount)},
        )


@transaction.atomic
def load_core() -> None:
    load_states()
    load_structures()
    load_partner_organisations()
    load_thematic_areas()
    load_mandates()
    load_projects()
