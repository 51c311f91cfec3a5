"""Reads for results and money, scoped by who asks. Every figure is computed here, once, so the pages, the API,
the IATI export and the dashboards agree.

Definitions (the tests check them against sums done by hand):
- an indicator period's *actual* is the sum of its approved actuals (the mean for a percentage) plus what accepted
  activity items that count towards it add, for items that started inside the period;
- a project's *secured* funding is its commitments (EUR) plus the core pledges no commitment confirms yet;
- its *gap* is budget − secured, and its *unfunded* amount max(gap, 0); a project whose budget is not given (or 0)
  is not costed and has no gap (unknown, not zero);
- a programme's unfunded amount is the sum of its projects' unfunded amounts (surplus on one project does not fill
  another's gap).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from programmes.activity.models import ActivityReport, ReportedActivity
from programmes.activity.selectors import report_scope
from programmes.events.selectors import visible_events
from programmes.models import DonorPledge, Programme, Project
from programmes.permissions import Role, is_delegation, role_of, user_structure_id
from programmes.selectors import PUBLISHED_PROJECT_STATUSES, project_list
from programmes.types import PortalUser
from results.models import (
    ZERO,
    ActivityContribution,
    ActualStatus,
    AgeGroup,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    ParticipantBreakdown,
    ProgrammeProposal,
    Result,
    ResultLevel,
    SectorMapping,
    Sex,
)

K = FinancialTransaction.Kind


# --- programmes and projects ------------------------------------------------------------------------------------


def programme_list() -> QuerySet[Programme]:
    # An aggregate drops Meta.ordering, so the order is given again (stable pages in the API).
    return (
        Programme.objects.select_related("lead_structure")
        .annotate(project_count=Count("projects"))
        .order_by("-start", "code")
    )


def programme_detail(*, pk: int) -> Programme:
    return programme_list().prefetch_related("mandates").get(pk=pk)


def programme_projects(*, user, programme: Programme) -> QuerySet[Project]:
    return (
        project_list(user=user)
        .filter(programme=programme)
        .prefetch_related("follow_up_of", "follow_ups")
        .order_by("start", "code")
    )


def programme_proposals(*, programme: Programme) -> QuerySet[ProgrammeProposal]:
    return programme.proposals.select_related("project")


def visible_projects(*, user) -> QuerySet[Project]:
    return project_list(user=user)


def project_for_results(*, user, pk: int) -> Project:
    """A project as ``user`` may see it (a delegation gets only published ones), with its programme links."""
    return project_list(user=user).select_related("programme").prefetch_related("follow_up_of", "follow_ups").get(pk=pk)


# --- results framework --------------------------------------------------------------------------------------------


def visible_actuals(*, user) -> QuerySet[IndicatorActual]:
    """Actuals ``user`` may read: delegations approved ones of published projects; field staff their own
    structure's and approved ones; Secretariat staff everything submitted once plus their own drafts."""
    qs = IndicatorActual.objects.select_related(
        "structure", "period__indicator__result__project", "submitted_by", "reviewed_by"
    )
    role = role_of(user)
    if role == Role.ADMIN:
        return qs
    if role == Role.DELEGATION:
        return qs.filter(
            status=ActualStatus.APPROVED, period__indicator__result__project__status__in=PUBLISHED_PROJECT_STATUSES
        )
    own = user_structure_id(user)
    if role == Role.FIELD:
        return qs.filter(Q(structure_id=own) | Q(status=ActualStatus.APPROVED))
    if role in (Role.SECRETARIAT, Role.COORDINATOR):
        return qs.filter(~Q(status=ActualStatus.DRAFT) | Q(structure_id=own))
    return qs.none()


def actual_detail(*, user, pk: int) -> IndicatorActual:
    return visible_actuals(user=user).prefetch_related("transitions__by").get(pk=pk)


def review_queue() -> QuerySet[IndicatorActual]:
    return (
        IndicatorActual.objects.filter(status=ActualStatus.SUBMITTED)
        .select_related("structure", "period__indicator__result__project", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def my_actuals(*, user) -> QuerySet[IndicatorActual]:
    own = user_structure_id(user)
    if own is None:
        return IndicatorActual.objects.none()
    return (
        IndicatorActual.objects.filter(structure_id=own)
        .select_related("structure", "period__indicator__result__project")
        .order_by("-period__period_start", "pk")
    )


def periods_open_for(*, user) -> QuerySet[IndicatorPeriod]:
    """Indicator periods of projects the user's structure leads or partners that it has not reported on yet."""
    own = user_structure_id(user)
    if own is None:
        return IndicatorPeriod.objects.none()
    project_ids = Project.objects.filter(Q(lead_structure_id=own) | Q(partner_structures=own)).values("pk")
    return (
        IndicatorPeriod.objects.filter(indicator__result__project_id__in=project_ids)
        .exclude(actuals__structure_id=own)
        .select_related("indicator__result__project")
        .order_by("period_start", "pk")
        .distinct()
    )


def framework_queryset() -> QuerySet[Result]:
    return Result.objects.select_related("project", "parent").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("periods"))
    )


def sector_mappings() -> dict[int, SectorMapping]:
    return {m.thematic_area_id: m for m in SectorMapping.objects.select_related("thematic_area")}


@dataclass
class PeriodFigures:
    period: IndicatorPeriod
    target: Decimal | None
    entered: Decimal | None  # from approved actuals
    from_activities: Decimal
    women: int | None
    men: int | None
    pending: int = 0  # submitted actuals waiting for review
    narratives: list[str] = field(default_factory=list)

    @property
    def actual(self) -> Decimal | None:
        if self.entered is None and not self.from_activities:
            return None
        return (self.entered or ZERO) + self.from_activities

    @property
    def percent(self) -> Decimal | None:
        if self.target in (None, ZERO) or self.actual is None:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal("1"))

    @property
    def bar_percent(self) -> int:
        return min(int(self.percent or 0), 100)


@dataclass
class IndicatorFigures:
    indicator: Indicator
    periods: list[PeriodFigures]

    @property
    def total_target(self) -> Decimal | None:
        values = [p.target for p in self.periods if p.target is not None]
        if not values or self.indicator.measure == Indicator.Measure.PERCENTAGE:
            return values[-1] if values else None
        return sum(values, ZERO)

    @property
    def total_actual(self) -> Decimal | None:
        values = [p.actual for p in self.periods if p.actual is not None]
        if not values or self.indicator.measure == Indicator.Measure.PERCENTAGE:
            return values[-1] if values else None
        return sum(values, ZERO)


def _contribution_totals(period_ids_by_indicator: dict[int, list[IndicatorPeriod]]) -> dict[int, tuple]:
    """period id -> (value, women, men) counted from accepted activity items that started inside the period."""
    totals: dict[int, list] = defaultdict(lambda: [ZERO, 0, 0])
    if not period_ids_by_indicator:
        return totals
    contributions = ActivityContribution.objects.filter(
        indicator_id__in=period_ids_by_indicator,
        activity__report__status=ActivityReport.Status.ACCEPTED,
    ).select_related("activity", "indicator")
    for contribution in contributions:
        for period in period_ids_by_indicator[contribution.indicator_id]:
            if period.period_start <= contribution.activity.start <= period.period_end:
                row = totals[period.pk]
                row[0] += contribution.counted_value()
                if contribution.indicator.counts_people and contribution.value is None:
                    row[1] += contribution.activity.participants_women
                    row[2] += contribution.activity.participants_men
                break
    return totals


def indicator_figures(*, indicators: list[Indicator]) -> list[IndicatorFigures]:
    """Target against actual for each period of each indicator (periods prefetched or not)."""
    periods_by_indicator: dict[int, list[IndicatorPeriod]] = defaultdict(list)
    for period in IndicatorPeriod.objects.filter(indicator__in=indicators).order_by("period_start"):
        periods_by_indicator[period.indicator_id].append(period)
    all_period_ids = [p.pk for ps in periods_by_indicator.values() for p in ps]
    approved: dict[int, list[IndicatorActual]] = defaultdict(list)
    pending: dict[int, int] = defaultdict(int)
    for actual in IndicatorActual.objects.filter(
        period_id__in=all_period_ids, status__in=[ActualStatus.APPROVED, ActualStatus.SUBMITTED]
    ):
        if actual.status == ActualStatus.APPROVED:
            approved[actual.period_id].append(actual)
        else:
            pending[actual.period_id] += 1
    counted = _contribution_totals(periods_by_indicator)
    result = []
    for indicator in indicators:
        rows = []
        for period in periods_by_indicator.get(indicator.pk, []):
            actuals = approved.get(period.pk, [])
            values = [a.value for a in actuals if a.value is not None]
            if not values:
                entered = None
            elif indicator.measure == Indicator.Measure.PERCENTAGE:
                entered = (sum(values, ZERO) / len(values)).quantize(Decimal("0.01"))
            else:
                entered = sum(values, ZERO)
            from_activities, act_women, act_men = counted.get(period.pk, (ZERO, 0, 0))
            women = men = None
            if indicator.counts_people:
                women = sum(a.value_women or 0 for a in actuals) + act_women
                men = sum(a.value_men or 0 for a in actuals) + act_men
            rows.append(
                PeriodFigures(
                    period=period,
                    target=period.target_value,
                    entered=entered,
                    from_activities=from_activities,
                    women=women,
                    men=men,
                    pending=pending.get(period.pk, 0),
                    narratives=[a.narrative for a in actuals if a.narrative],
                )
            )
        result.append(IndicatorFigures(indicator=indicator, periods=rows))
    return result


@dataclass
class FrameworkNode:
    result: Result
    indicators: list[IndicatorFigures]
    children: list[FrameworkNode]


def project_framework(*, project: Project) -> list[FrameworkNode]:
    """The project's objectives with their outcomes and outputs, each with its indicators' figures."""
    results = list(framework_queryset().filter(project=project))
    indicators = [i for r in results for i in r.indicators.all()]
    figures = {f.indicator.pk: f for f in indicator_figures(indicators=indicators)}
    nodes = {
        r.pk: FrameworkNode(result=r, indicators=[figures[i.pk] for i in r.indicators.all()], children=[])
        for r in results
    }
    roots = []
    for r in results:
        if r.parent_id and r.parent_id in nodes:
            nodes[r.parent_id].children.append(nodes[r.pk])
        else:
            roots.append(nodes[r.pk])
    return roots


@dataclass
class DashboardRow:
    project: Project
    result: Result
    figures: IndicatorFigures


def target_vs_actual(
    *,
    user,
    programme: Programme | None = None,
    thematic_area=None,
    state=None,
    year: int | None = None,
    period: tuple[date | None, date | None] | None = None,
    projects: QuerySet[Project] | None = None,
) -> list[DashboardRow]:
    """Quantitative indicators of the projects ``user`` may see, optionally narrowed; a year, or a period
    ``(start, end)`` (either end open), keeps the indicator periods that overlap it. For the results dashboard, the
    programme page and the reporting dashboard."""
    qs = projects if projects is not None else visible_projects(user=user)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if thematic_area is not None:
        from programmes.selectors import thematic_area_with_descendants_ids

        qs = qs.filter(
            pk__in=Project.thematic_areas.through.objects.filter(
                thematic_area_id__in=thematic_area_with_descendants_ids([thematic_area.pk])
            ).values("project_id")
        )
    if state is not None:
        qs = qs.filter(
            pk__in=Project.beneficiary_states.through.objects.filter(participatingstate=state).values("project_id")
        )
    indicators = list(
        Indicator.objects.filter(result__project__in=qs.values("pk"))
        .exclude(measure=Indicator.Measure.QUALITATIVE)
        .select_related("result__project")
        .order_by("result__project__code", "result__position", "position", "pk")
    )
    rows = []
    for figures in indicator_figures(indicators=indicators):
        if year is not None:
            figures.periods = [
                p for p in figures.periods if p.period.period_start.year <= year <= p.period.period_end.year
            ]
            if not figures.periods:
                continue
        if period is not None:
            start, end = period
            figures.periods = [
                p
                for p in figures.periods
                if (end is None or p.period.period_start <= end) and (start is None or p.period.period_end >= start)
            ]
            if not figures.periods:
                continue
        rows.append(
            DashboardRow(project=figures.indicator.result.project, result=figures.indicator.result, figures=figures)
        )
    return rows


@dataclass
class RollupRow:
    code: str
    unit: str
    title: str
    target: Decimal
    actual: Decimal
    projects: int

    @property
    def percent(self) -> Decimal | None:
        return (self.actual * 100 / self.target).quantize(Decimal("1")) if self.target else None


def rollup(rows: list[DashboardRow]) -> list[RollupRow]:
    """Indicators that share a common code and unit added up across projects (unit measures only)."""
    groups: dict[tuple[str, str], RollupRow] = {}
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in rows:
        indicator = row.figures.indicator
        if not indicator.code or indicator.measure != Indicator.Measure.UNIT:
            continue
        key = (indicator.code, indicator.unit)
        group = groups.setdefault(
            key,
            RollupRow(
                code=indicator.code, unit=indicator.unit, title=indicator.title, target=ZERO, actual=ZERO, projects=0
            ),
        )
        group.target += row.figures.total_target or ZERO
        group.actual += row.figures.total_actual or ZERO
        seen[key].add(row.project.pk)
        group.projects = len(seen[key])
    return sorted(groups.values(), key=lambda g: g.code)


# --- money ----------------------------------------------------------------------------------------------------------


@dataclass
class DonorLine:
    label: str
    key: tuple = ()
    committed: Decimal = ZERO
    pledged_open: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def secured(self) -> Decimal:
        return self.committed + self.pledged_open


@dataclass
class Funding:
    project: Project
    budget: Decimal | None  # None: the budget is not given
    committed: Decimal
    pledged_open: Decimal
    disbursed: Decimal
    spent: Decimal
    by_donor: list[DonorLine]
    by_source: dict[str, Decimal]
    by_year: list[tuple[int, Decimal, Decimal, Decimal]]  # year, committed, disbursed, spent

    @property
    def costed(self) -> bool:
        return self.budget is not None and self.budget > ZERO

    @property
    def secured(self) -> Decimal:
        return self.committed + self.pledged_open

    @property
    def gap(self) -> Decimal | None:
        return None if self.budget is None or not self.costed else self.budget - self.secured

    @property
    def unfunded(self) -> Decimal | None:
        gap = self.gap
        return None if gap is None else max(gap, ZERO)

    @property
    def funded_percent(self) -> int | None:
        if self.budget is None or not self.costed:
            return None
        return min(int(self.secured * 100 / self.budget), 100)


def _donor_key(state_id, org_id, source) -> tuple:
    return ("state", state_id) if state_id else ("org", org_id) if org_id else ("source", source)


def project_funding(*, projects: list[Project]) -> dict[int, Funding]:
    """Funding figures for each project, in two queries whatever the number of projects."""
    ids = [p.pk for p in projects]
    sums = {pid: {"committed": ZERO, "disbursed": ZERO, "spent": ZERO, "pledged": ZERO} for pid in ids}
    donors: dict[int, dict[tuple, DonorLine]] = {pid: {} for pid in ids}
    sources: dict[int, dict[str, Decimal]] = {pid: defaultdict(lambda: ZERO) for pid in ids}
    years: dict[int, dict[int, list[Decimal]]] = {pid: defaultdict(lambda: [ZERO, ZERO, ZERO]) for pid in ids}
    transactions = FinancialTransaction.objects.filter(project_id__in=ids).select_related(
        "donor_state", "donor_organisation"
    )
    for t in transactions:
        column = {K.COMMITMENT: 0, K.DISBURSEMENT: 1, K.EXPENDITURE: 2}[t.kind]
        years[t.project_id][t.date.year][column] += t.value_eur
        if t.kind != K.EXPENDITURE:
            # Spending has no donor; donor lines are for money coming in.
            key = _donor_key(t.donor_state_id, t.donor_organisation_id, t.funding_source)
            line = donors[t.project_id].setdefault(key, DonorLine(label=t.donor_label, key=key))
        if t.kind == K.COMMITMENT:
            sums[t.project_id]["committed"] += t.value_eur
            line.committed += t.value_eur
            sources[t.project_id][t.funding_source] += t.value_eur
        elif t.kind == K.DISBURSEMENT:
            sums[t.project_id]["disbursed"] += t.value_eur
            line.disbursed += t.value_eur
        else:
            sums[t.project_id]["spent"] += t.value_eur
    open_pledges = DonorPledge.objects.filter(project_id__in=ids, commitment__isnull=True).select_related("donor_state")
    for pledge in open_pledges:
        sums[pledge.project_id]["pledged"] += pledge.amount
        key = _donor_key(pledge.donor_state_id, None, "exb")
        line = donors[pledge.project_id].setdefault(key, DonorLine(label=str(pledge.donor_state), key=key))
        line.pledged_open += pledge.amount
        sources[pledge.project_id][FinancialTransaction.FundingSource.EXB] += pledge.amount
    return {
        p.pk: Funding(
            project=p,
            budget=p.budget,
            committed=sums[p.pk]["committed"],
            pledged_open=sums[p.pk]["pledged"],
            disbursed=sums[p.pk]["disbursed"],
            spent=sums[p.pk]["spent"],
            by_donor=sorted(donors[p.pk].values(), key=lambda d: (-d.secured, d.label)),
            by_source=dict(sources[p.pk]),
            by_year=[(y, *v) for y, v in sorted(years[p.pk].items())],
        )
        for p in projects
    }


@dataclass
class FundingTotals:
    budget: Decimal
    secured: Decimal
    disbursed: Decimal
    spent: Decimal
    unfunded: Decimal
    uncosted: int


def funding_totals(fundings: list[Funding]) -> FundingTotals:
    costed = [f for f in fundings if f.costed]
    return FundingTotals(
        budget=sum((f.budget or ZERO for f in costed), ZERO),
        secured=sum((f.secured for f in fundings), ZERO),
        disbursed=sum((f.disbursed for f in fundings), ZERO),
        spent=sum((f.spent for f in fundings), ZERO),
        unfunded=sum((f.unfunded for f in costed), ZERO),
        uncosted=len(fundings) - len(costed),
    )


def funding_totals_for(*, projects: QuerySet[Project]) -> FundingTotals:
    """``funding_totals`` of a project queryset computed in the database (a handful of queries whatever the
    number of projects), for dashboards that cover thousands of projects. Same definitions: secured = commitments
    + open pledges; unfunded = the sum over costed projects of max(budget - secured, 0)."""
    ids = projects.order_by().values("pk")

    def _sum_of(qs: QuerySet, field_name: str) -> Coalesce:
        return Coalesce(
            Subquery(qs.order_by().values("project_id").annotate(total=Sum(field_name)).values("total")[:1]),
            Value(ZERO),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )

    committed = _sum_of(FinancialTransaction.objects.filter(project_id=OuterRef("pk"), kind=K.COMMITMENT), "value_eur")
    pledged = _sum_of(DonorPledge.objects.filter(project_id=OuterRef("pk"), commitment__isnull=True), "amount")
    money: DecimalField = DecimalField(max_digits=16, decimal_places=2)
    per_project = (
        Project.objects.filter(pk__in=ids)
        .annotate(secured=ExpressionWrapper(committed + pledged, output_field=money))
        .annotate(
            unfunded=Case(
                When(budget__gt=0, then=Greatest(F("budget") - F("secured"), Value(ZERO), output_field=money)),
                default=Value(ZERO),
                output_field=money,
            )
        )
    )
    # Aggregate names differ from the fields, or Django reads a later ``budget`` filter as the aggregate.
    sums = per_project.aggregate(
        budget_total=Sum("budget", filter=Q(budget__gt=0)),
        secured_total=Sum("secured"),
        unfunded_total=Sum("unfunded"),
        projects_count=Count("pk"),
        costed_count=Count("pk", filter=Q(budget__gt=0)),
    )
    flows = dict(
        FinancialTransaction.objects.filter(project_id__in=ids, kind__in=[K.DISBURSEMENT, K.EXPENDITURE])
        .order_by()
        .values("kind")
        .annotate(total=Sum("value_eur"))
        .values_list("kind", "total")
    )
    return FundingTotals(
        budget=sums["budget_total"] or ZERO,
        secured=sums["secured_total"] or ZERO,
        disbursed=flows.get(K.DISBURSEMENT) or ZERO,
        spent=flows.get(K.EXPENDITURE) or ZERO,
        unfunded=sums["unfunded_total"] or ZERO,
        uncosted=sums["projects_count"] - sums["costed_count"],
    )


def transactions_visible(*, user) -> QuerySet[FinancialTransaction]:
    qs = FinancialTransaction.objects.select_related("project", "donor_state", "donor_organisation", "pledge")
    if is_delegation(user):
        qs = qs.filter(project__status__in=PUBLISHED_PROJECT_STATUSES)
    return qs


def donor_portfolio(*, user, state=None, organisation=None) -> list[Funding]:
    """The projects a donor gave to (commitments, disbursements, open pledges) with their funding figures."""
    if state is None and organisation is None:
        return []
    if state is not None:
        ids = set(FinancialTransaction.objects.filter(donor_state=state).values_list("project_id", flat=True))
        ids |= set(DonorPledge.objects.filter(donor_state=state).values_list("project_id", flat=True))
    else:
        ids = set(
            FinancialTransaction.objects.filter(donor_organisation=organisation).values_list("project_id", flat=True)
        )
    projects = list(visible_projects(user=user).filter(pk__in=ids).order_by("code"))
    fundings = project_funding(projects=projects)
    wanted = _donor_key(state.pk if state else None, organisation.pk if organisation else None, None)
    for funding in fundings.values():
        funding.donor_share = next((d for d in funding.by_donor if d.key == wanted), None)
    return [fundings[p.pk] for p in projects]


# --- activities and participants ---------------------------------------------------------------------------------


def accepted_project_activities(*, projects) -> QuerySet[ReportedActivity]:
    """Items of accepted activity reports that belong to the projects (what delegations may count)."""
    return ReportedActivity.objects.filter(report__status=ActivityReport.Status.ACCEPTED, project__in=projects)


def project_activity_items(*, user: PortalUser, project: Project) -> QuerySet[ReportedActivity]:
    """The project's activity items ``user`` may see: accepted ones, and those of the user's own structure."""
    own = user_structure_id(user)
    visible = Q(report__status=ActivityReport.Status.ACCEPTED)
    if own is not None:
        visible |= Q(report__structure_id=own)
    if role_of(user) == Role.ADMIN:
        visible = Q()
    return (
        ReportedActivity.objects.filter(visible, project=project)
        .select_related("report__structure")
        .order_by("start", "pk")[:200]
    )


def activity_item(*, user, pk: int) -> ReportedActivity:
    """One reported activity of a report ``user`` may see (a draft stays its operation's until submitted)."""
    item: ReportedActivity = (
        ReportedActivity.objects.select_related("report__structure", "project")
        .filter(report__in=report_scope(user=user))
        .get(pk=pk)
    )
    return item


def contributions() -> QuerySet[ActivityContribution]:
    return ActivityContribution.objects.select_related("activity__report", "indicator__result__project")


def activity_contributions(*, activity: ReportedActivity) -> QuerySet[ActivityContribution]:
    return contributions().filter(activity=activity)


def activity_breakdown(*, activity: ReportedActivity) -> QuerySet[ParticipantBreakdown]:
    return ParticipantBreakdown.objects.filter(activity=activity)


@dataclass
class ParticipantTable:
    women: int
    men: int
    unrecorded: int
    activities: int
    # sex -> age group -> count, from the activities that give a breakdown
    by_age: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return self.women + self.men + self.unrecorded

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        """(age group label, [female, male, unrecorded], row total) with a last row for what has no age."""
        out = []
        given = {sex: sum(self.by_age.get(sex, {}).values()) for sex in Sex.values}
        totals = {Sex.FEMALE: self.women, Sex.MALE: self.men, Sex.UNRECORDED: self.unrecorded}
        for group in AgeGroup:
            cells = [self.by_age.get(sex, {}).get(group.value, 0) for sex in Sex.values]
            if group == AgeGroup.UNKNOWN:
                # Items without a breakdown count here, so each column adds up to the sex totals.
                cells = [cells[i] + totals[sex] - given[sex] for i, sex in enumerate(Sex.values)]
            out.append((group.label, cells, sum(cells)))
        return out


def participants_by_sex_and_age(*, activities: QuerySet[ReportedActivity]) -> ParticipantTable:
    sums = activities.aggregate(
        women=Sum("participants_women"),
        men=Sum("participants_men"),
        unrecorded=Sum("participants_unrecorded"),
        n=Count("pk"),
    )
    by_age: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        ParticipantBreakdown.objects.filter(activity__in=activities.values("pk"))
        .values("sex", "age_group")
        .annotate(total=Sum("count"))
    ):
        by_age[row["sex"]][row["age_group"]] = row["total"]
    return ParticipantTable(
        women=sums["women"] or 0,
        men=sums["men"] or 0,
        unrecorded=sums["unrecorded"] or 0,
        activities=sums["n"] or 0,
        by_age=dict(by_age),
    )


# --- the programme page -------------------------------------------------------------------------------------------


@dataclass
class ProgrammeSummary:
    programme: Programme
    projects: list[Project]
    proposals: list[ProgrammeProposal]
    fundings: list[Funding]
    totals: FundingTotals
    proposal_budget_known: Decimal
    proposals_without_budget: int
    activities: int
    events: int
    participants: ParticipantTable
    results: list[DashboardRow]
    rollup: list[RollupRow]


def programme_summary(*, user, programme: Programme) -> ProgrammeSummary:
    projects = list(programme_projects(user=user, programme=programme))
    fundings_by_id = project_funding(projects=projects)
    fundings = [fundings_by_id[p.pk] for p in projects]
    visible_ids = {p.pk for p in projects}
    proposals = [
        p
        for p in programme_proposals(programme=programme)
        if p.project_id is None or p.project_id in visible_ids or not is_delegation(user)
    ]
    activities = accepted_project_activities(projects=[p.pk for p in projects])
    rows = target_vs_actual(user=user, projects=Project.objects.filter(pk__in=visible_ids))
    return ProgrammeSummary(
        programme=programme,
        projects=projects,
        proposals=proposals,
        fundings=fundings,
        totals=funding_totals(fundings),
        proposal_budget_known=sum(
            (p.estimated_budget_eur for p in proposals if p.estimated_budget_eur is not None), ZERO
        ),
        proposals_without_budget=sum(1 for p in proposals if p.estimated_budget_eur is None),
        activities=activities.count(),
        events=visible_events(user=user).filter(project_id__in=visible_ids).count(),
        participants=participants_by_sex_and_age(activities=activities),
        results=rows,
        rollup=rollup(rows),
    )


def results_levels() -> list[tuple[str, str]]:
    return list(ResultLevel.choices)


def period_year_choices() -> list[int]:
    years = IndicatorPeriod.objects.dates("period_start", "year")
    return sorted({d.year for d in years}, reverse=True)


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()
