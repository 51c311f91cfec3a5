"""IATI 2.03 activity XML for projects (issue 16). One function builds one ``<iati-activity>``; the file wraps
them in ``<iati-activities>``. Element order follows the 2.03 schema, which the tests validate every export against.

Choices the standard leaves to the publisher:
- activity identifier: ``<PORTAL_IATI_ORG_ID>-<project code>``, with characters IATI forbids in identifiers
  (``/ & | ?`` and spaces) replaced by ``_``;
- commitments a donor makes to the OSCE are *incoming commitments* (11), money received *incoming funds* (1),
  spending *expenditure* (4), in the currency they were given in;
- sectors: OECD DAC 5 codes from ``SectorMapping`` (vocabulary 1) and the portal's thematic areas (vocabulary 99);
- results: only approved actuals; objectives are exported as impact, outcomes as outcome, outputs as output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from programmes.models import PartnerOrganisation, Project
from results import selectors
from results.models import ZERO, FinancialTransaction, Indicator, ResultLevel

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ACTIVITY_STATUS = {
    Project.Status.PROPOSAL: "1",  # pipeline / identification
    Project.Status.APPROVED: "1",
    Project.Status.ONGOING: "2",  # implementation
    Project.Status.COMPLETED: "4",  # closed
    Project.Status.CANCELLED: "5",
}
TRANSACTION_TYPE = {
    FinancialTransaction.Kind.COMMITMENT: "11",  # incoming commitment
    FinancialTransaction.Kind.DISBURSEMENT: "1",  # incoming funds
    FinancialTransaction.Kind.EXPENDITURE: "4",
}
RESULT_TYPE = {ResultLevel.OUTPUT: "1", ResultLevel.OUTCOME: "2", ResultLevel.OBJECTIVE: "3"}
MEASURE = {Indicator.Measure.UNIT: "1", Indicator.Measure.PERCENTAGE: "2", Indicator.Measure.QUALITATIVE: "5"}
# IATI organisation types: 10 government, 21 international NGO, 40 multilateral, 70 private sector
ORGANISATION_TYPE = {
    PartnerOrganisation.Kind.UN_BODY: "40",
    PartnerOrganisation.Kind.REGIONAL: "40",
    PartnerOrganisation.Kind.INTERNATIONAL: "40",
    PartnerOrganisation.Kind.NGO: "21",
    PartnerOrganisation.Kind.PRIVATE_SECTOR: "70",
}
GOVERNMENT = "10"
MULTILATERAL = "40"
# UN Info gender marker 0-3 -> OECD DAC gender policy marker significance 0-2
GENDER_SIGNIFICANCE = {0: "0", 1: "0", 2: "1", 3: "2"}
OSCE_NAME = "Organization for Security and Co-operation in Europe"

_FORBIDDEN = re.compile(r"[/&|?\s]+")


def activity_identifier(project: Project) -> str:
    return f"{settings.PORTAL_IATI_ORG_ID}-{_FORBIDDEN.sub('_', project.code)}"


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _narrative(parent, text: str) -> None:
    _sub(parent, "narrative", text)


def _narrated(parent, tag: str, text: str, **attrs) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    _narrative(element, text)
    return element


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def split_percentages(count: int) -> list[Decimal]:
    """``count`` shares that add up to exactly 100 (the first takes the rounding remainder)."""
    if count <= 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    shares = [share] * count
    shares[0] += Decimal(100) - share * count
    return shares


def budget_years(project: Project) -> list[tuple[date, date, Decimal]]:
    """The budget spread over the calendar years the project runs, pro rata by days (IATI budgets cover at most a
    year each); the last year takes the rounding remainder."""
    if not (project.budget and project.start and project.end):
        return []
    pieces = []
    year = project.start.year
    while year <= project.end.year:
        start = max(project.start, date(year, 1, 1))
        end = min(project.end, date(year, 12, 31))
        pieces.append((start, end, (end - start).days + 1))
        year += 1
    total_days = sum(days for _s, _e, days in pieces)
    out, allocated = [], ZERO
    for index, (start, end, days) in enumerate(pieces):
        if index == len(pieces) - 1:
            value = project.budget - allocated
        else:
            value = (project.budget * days / total_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        allocated += value
        out.append((start, end, value))
    return out


def _dac_sectors(project: Project, mappings) -> list[tuple[str, str]]:
    codes: dict[str, str] = {}
    for area in project.thematic_areas.all():
        mapping = mappings.get(area.pk) or (mappings.get(area.parent_id) if area.parent_id else None)
        if mapping is not None:
            codes.setdefault(mapping.dac_code, mapping.dac_name)
    return sorted(codes.items())


def _org_for(transaction_row: FinancialTransaction) -> tuple[str, str]:
    if transaction_row.donor_state_id:
        return transaction_row.donor_state.name, GOVERNMENT
    if transaction_row.donor_organisation_id:
        org = transaction_row.donor_organisation
        return org.name, ORGANISATION_TYPE.get(org.kind, MULTILATERAL)
    return "OSCE participating States (Unified Budget)", GOVERNMENT


def _activity_dates(activity, project: Project) -> None:
    started = project.status in (Project.Status.ONGOING, Project.Status.COMPLETED)
    if project.start:
        _sub(activity, "activity-date", type="1", iso_date=project.start.isoformat())
        if started:
            _sub(activity, "activity-date", type="2", iso_date=project.start.isoformat())
    if project.end:
        _sub(activity, "activity-date", type="3", iso_date=project.end.isoformat())
        if project.status == Project.Status.COMPLETED:
            _sub(activity, "activity-date", type="4", iso_date=project.end.isoformat())


def _results(activity, project: Project) -> None:
    # Results without a quantitative or qualitative indicator cannot be exported (the schema needs one).
    for node in _flatten(selectors.project_framework(project=project)):
        if not node.indicators:
            continue
        result = _sub(activity, "result", type=RESULT_TYPE[node.result.level], aggregation_status="0")
        _narrated(result, "title", node.result.title)
        if node.result.description:
            _narrated(result, "description", node.result.description)
        for figures in node.indicators:
            indicator = figures.indicator
            element = _sub(
                result, "indicator", measure=MEASURE[indicator.measure], ascending="1" if indicator.ascending else "0"
            )
            _narrated(element, "title", indicator.title)
            if indicator.description:
                _narrated(element, "description", indicator.description)
            if indicator.baseline_year:
                baseline = _sub(
                    element,
                    "baseline",
                    year=indicator.baseline_year,
                    value=None if indicator.baseline_value is None else _amount(indicator.baseline_value),
                )
                if indicator.baseline_comment:
                    _narrated(baseline, "comment", indicator.baseline_comment)
            for row in figures.periods:
                period = _sub(element, "period")
                _sub(period, "period-start", iso_date=row.period.period_start.isoformat())
                _sub(period, "period-end", iso_date=row.period.period_end.isoformat())
                if row.target is not None or row.period.target_comment:
                    target = _sub(period, "target", value=None if row.target is None else _amount(row.target))
                    if row.period.target_comment:
                        _narrated(target, "comment", row.period.target_comment)
                    if indicator.counts_people:
                        _by_sex(period, "target", row.period.target_women, row.period.target_men)
                if row.actual is not None or row.narratives:
                    actual = _sub(period, "actual", value=None if row.actual is None else _amount(row.actual))
                    if row.narratives:
                        _narrated(actual, "comment", "\n\n".join(row.narratives))
                    if indicator.counts_people:
                        _by_sex(period, "actual", row.women, row.men)


def _by_sex(period, tag: str, women, men) -> None:
    """IATI gives a disaggregated figure as a further target/actual qualified by a dimension."""
    for name, value in (("female", women), ("male", men)):
        if value is not None:
            _sub(_sub(period, tag, value=value), "dimension", name="sex", value=name)


def _flatten(nodes) -> Iterable:
    for node in nodes:
        yield node
        yield from _flatten(node.children)


def project_activity(project: Project, *, funding, mappings) -> etree._Element:
    org_id = settings.PORTAL_IATI_ORG_ID
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: "en",
            "default-currency": "EUR",
            "hierarchy": "1",
        },
    )
    _sub(activity, "iati-identifier", activity_identifier(project))
    _narrated(activity, "reporting-org", OSCE_NAME, ref=org_id, type=MULTILATERAL)
    _narrated(activity, "title", f"{project.code} {project.title}")
    _narrated(activity, "description", project.summary or project.title, type="1")

    for line in funding.by_donor:
        if line.label:
            _narrated(activity, "participating-org", line.label, role="1")
    _narrated(activity, "participating-org", OSCE_NAME, role="2", ref=org_id, type=MULTILATERAL)
    _narrated(
        activity, "participating-org", f"OSCE {project.lead_structure.name}", role="4", ref=org_id, type=MULTILATERAL
    )
    for organisation in project.partner_organisations.all():
        _narrated(
            activity,
            "participating-org",
            organisation.name,
            role="4",
            type=ORGANISATION_TYPE.get(organisation.kind, MULTILATERAL),
        )
    _sub(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    _activity_dates(activity, project)
    if not (project.start or project.end):
        # The schema needs one date; a project without dates is dated by its record.
        _sub(activity, "activity-date", type="1", iso_date=project.created_at.date().isoformat())

    states = list(project.beneficiary_states.all())
    for state, share in zip(states, split_percentages(len(states)), strict=True):
        _narrated(activity, "recipient-country", state.name, code=state.iso_code, percentage=share)

    dac = _dac_sectors(project, mappings)
    for (code, name), share in zip(dac, split_percentages(len(dac)), strict=True):
        _narrated(activity, "sector", name, vocabulary="1", code=code, percentage=share)
    areas = list(project.thematic_areas.all())
    for area, share in zip(areas, split_percentages(len(areas)), strict=True):
        _narrated(
            activity,
            "sector",
            area.name,
            vocabulary="99",
            vocabulary_uri=settings.PORTAL_BASE_URL + "/api/thematic-areas/",
            code=area.code,
            percentage=share,
        )

    if project.gender_marker is not None:
        _sub(
            activity, "policy-marker", vocabulary="1", code="1", significance=GENDER_SIGNIFICANCE[project.gender_marker]
        )
    _sub(activity, "default-flow-type", code="10" if project.funding_source == Project.FundingSource.UB else "30")
    for start, end, value in budget_years(project):
        budget = _sub(activity, "budget", type="1", status="1" if project.status == Project.Status.PROPOSAL else "2")
        _sub(budget, "period-start", iso_date=start.isoformat())
        _sub(budget, "period-end", iso_date=end.isoformat())
        _sub(budget, "value", _amount(value), currency="EUR", value_date=start.isoformat())

    for row in project.transactions.all():
        element = _sub(activity, "transaction")
        _sub(element, "transaction-type", code=TRANSACTION_TYPE[row.kind])
        _sub(element, "transaction-date", iso_date=row.date.isoformat())
        _sub(element, "value", _amount(row.amount), currency=row.currency, value_date=row.date.isoformat())
        if row.description:
            _narrated(element, "description", row.description)
        if row.kind == FinancialTransaction.Kind.EXPENDITURE:
            _narrated(element, "provider-org", OSCE_NAME, ref=org_id, type=MULTILATERAL)
        else:
            name, kind = _org_for(row)
            _narrated(element, "provider-org", name, type=kind)
            _narrated(element, "receiver-org", OSCE_NAME, ref=org_id, type=MULTILATERAL)

    _results(activity, project)
    return activity


def export_projects(projects) -> bytes:
    """The IATI file for the projects (a queryset or list), as UTF-8 bytes with an XML declaration."""
    projects = list(projects)
    root = etree.Element(
        "iati-activities",
        {
            "version": IATI_VERSION,
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        },
    )
    fundings = selectors.project_funding(projects=projects)
    mappings = selectors.sector_mappings()
    for project in projects:
        root.append(project_activity(project, funding=fundings[project.pk], mappings=mappings))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def exportable(queryset):
    """Only published work is open data: projects a delegation could see, with what the export reads."""
    from programmes.selectors import PUBLISHED_PROJECT_STATUSES

    return (
        queryset.filter(status__in=PUBLISHED_PROJECT_STATUSES)
        .select_related("lead_structure")
        .prefetch_related(
            "beneficiary_states",
            "partner_organisations",
            "thematic_areas",
            "transactions__donor_state",
            "transactions__donor_organisation",
        )
        .order_by("code")
    )
