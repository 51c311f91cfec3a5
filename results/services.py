"""Writes for results and money. Every write is keyword-only, atomic, validates the whole row, and checks the
row-level rule in ``results.permissions`` for the acting user (``actor``); ``actor=None`` is the system (reference
data, jobs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.activity.models import ActivityReport, ReportedActivity
from programmes.jobs import enqueue_on_commit
from programmes.models import ExecutiveStructure, Programme, Project
from programmes.permissions import role_of, user_structure_id
from programmes.service_tools import DeleteRefused, protected_delete, validated_save
from programmes.types import PortalUser
from results import permissions as rules
from results.models import (
    ActivityContribution,
    ActualStatus,
    ActualTransition,
    AgeGroup,
    FinancialTransaction,
    Indicator,
    IndicatorActual,
    IndicatorPeriod,
    ParticipantBreakdown,
    ProgrammeProposal,
    Result,
    Sex,
)

S = ActualStatus


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _apply(instance: models.Model, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {"non_field_errors": [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]}
        )
    for name, value in data.items():
        setattr(instance, name, value)


# --- programmes and project classification ---------------------------------------------------------------------

PROGRAMME_FIELDS = ("code", "title", "summary", "lead_structure", "planned_project_count", "start", "end")


@transaction.atomic
def programme_create(*, actor, mandates=None, **data) -> Programme:
    _require(actor is None or rules.can_change_programme(user=actor), _("Only Secretariat staff keep programmes."))
    programme = Programme()
    _apply(programme, data, PROGRAMME_FIELDS)
    validated_save(programme)
    if mandates is not None:
        programme.mandates.set(mandates)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, actor, mandates=None, **data) -> Programme:
    _require(actor is None or rules.can_change_programme(user=actor), _("Only Secretariat staff keep programmes."))
    _apply(programme, data, PROGRAMME_FIELDS)
    validated_save(programme)
    if mandates is not None:
        programme.mandates.set(mandates)
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme, actor) -> None:
    _require(
        actor is None or rules.can(actor, "programme", rules.DELETE),
        _("Only the co-ordinator or an administrator deletes programmes."),
    )
    protected_delete(programme)


@transaction.atomic
def project_classify(
    *,
    project: Project,
    actor,
    programme: Programme | type | None = ...,
    follow_up_of: list[Project] | None = None,
    gender_marker: int | type | None = ...,
) -> Project:
    """Put a project in a programme, link it to the projects it follows up, set its gender marker. Arguments left
    out are left as they are."""
    _require(actor is None or rules.can_change_programme(user=actor), _("Only Secretariat staff classify projects."))
    changed = []
    if programme is not ...:
        project.programme = programme
        changed.append("programme")
    if gender_marker is not ...:
        project.gender_marker = gender_marker
        changed.append("gender_marker")
    if changed:
        project.full_clean(exclude=["thematic_areas"])
        project.save(update_fields=[*changed, "updated_at"])
    if follow_up_of is not None:
        earlier = list(follow_up_of)
        if any(p.pk == project.pk for p in earlier):
            raise ValidationError({"follow_up_of": _("A project cannot be a follow-up of itself.")})
        later_ids = _follow_up_descendants(project)
        if any(p.pk in later_ids for p in earlier):
            raise ValidationError(
                {"follow_up_of": _("That project already follows this one; links cannot go in a circle.")}
            )
        project.follow_up_of.set(earlier)
    return project


def _follow_up_descendants(project: Project) -> set[int]:
    seen: set[int] = set()
    frontier = {project.pk}
    through = Project.follow_up_of.through
    while frontier:
        nxt = set(through.objects.filter(to_project_id__in=frontier).values_list("from_project_id", flat=True))
        frontier = nxt - seen
        seen |= nxt
    return seen


PROPOSAL_FIELDS = (
    "programme",
    "number",
    "project",
    "title",
    "estimated_budget_eur",
    "duration_months",
    "max_participants",
    "afghan_participants",
    "planned_start",
    "source",
)


@transaction.atomic
def proposal_save(*, actor, proposal: ProgrammeProposal | None = None, **data) -> ProgrammeProposal:
    _require(actor is None or rules.can_change_programme(user=actor), _("Only Secretariat staff keep programmes."))
    proposal = proposal or ProgrammeProposal()
    _apply(proposal, data, PROPOSAL_FIELDS)
    return validated_save(proposal)


# --- the framework ----------------------------------------------------------------------------------------------

RESULT_FIELDS = ("project", "level", "parent", "title", "description", "position", "illustrative")
INDICATOR_FIELDS = (
    "result",
    "title",
    "description",
    "code",
    "measure",
    "unit",
    "counts_people",
    "ascending",
    "baseline_year",
    "baseline_value",
    "baseline_comment",
    "position",
    "illustrative",
)
PERIOD_FIELDS = (
    "indicator",
    "period_start",
    "period_end",
    "target_value",
    "target_women",
    "target_men",
    "target_comment",
)


def _require_framework_writer(actor) -> None:
    _require(
        actor is None or rules.can_change_framework(user=actor), _("Only Secretariat staff change results frameworks.")
    )


@transaction.atomic
def result_create(*, actor, **data) -> Result:
    _require_framework_writer(actor)
    result = Result()
    _apply(result, data, RESULT_FIELDS)
    return validated_save(result)


@transaction.atomic
def result_update(*, result: Result, actor, **data) -> Result:
    _require_framework_writer(actor)
    if "project" in data and data["project"].pk != result.project_id and result.indicators.exists():
        raise ValidationError({"project": _("A result with indicators cannot move to another project.")})
    _apply(result, data, RESULT_FIELDS)
    return validated_save(result)


def _refuse_if_approved(qs, what: str) -> None:
    if qs.filter(status=S.APPROVED).exists():
        raise DeleteRefused(_("%(what)s has approved actuals; approved figures stay on record.") % {"what": what})


@transaction.atomic
def result_delete(*, result: Result, actor) -> None:
    _require_framework_writer(actor)
    subtree = [result.pk]
    frontier = [result.pk]
    while frontier:
        frontier = list(Result.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        subtree += frontier
    _refuse_if_approved(IndicatorActual.objects.filter(period__indicator__result_id__in=subtree), str(result))
    protected_delete(result)


@transaction.atomic
def indicator_create(*, actor, **data) -> Indicator:
    _require_framework_writer(actor)
    indicator = Indicator()
    _apply(indicator, data, INDICATOR_FIELDS)
    return validated_save(indicator)


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, **data) -> Indicator:
    _require_framework_writer(actor)
    reported = IndicatorActual.objects.filter(period__indicator=indicator).exclude(status=S.DRAFT).exists()
    for name in ("measure", "counts_people", "result"):
        if reported and name in data and data[name] != getattr(indicator, name):
            raise ValidationError(
                {
                    name: _(
                        "Actuals have been reported on this indicator; this cannot change "
                        "any more. Add a new indicator instead."
                    )
                }
            )
    _apply(indicator, data, INDICATOR_FIELDS)
    return validated_save(indicator)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor) -> None:
    _require_framework_writer(actor)
    _refuse_if_approved(IndicatorActual.objects.filter(period__indicator=indicator), str(indicator))
    protected_delete(indicator)


@transaction.atomic
def period_create(*, actor, **data) -> IndicatorPeriod:
    _require_framework_writer(actor)
    period = IndicatorPeriod()
    _apply(period, data, PERIOD_FIELDS)
    return validated_save(period)


@transaction.atomic
def period_update(*, period: IndicatorPeriod, actor, **data) -> IndicatorPeriod:
    _require_framework_writer(actor)
    if period.actuals.filter(status=S.APPROVED).exists():
        for name in ("period_start", "period_end", "indicator"):
            if name in data and data[name] != getattr(period, name):
                raise ValidationError({name: _("Approved actuals refer to this period; its dates stay.")})
    _apply(period, data, PERIOD_FIELDS)
    return validated_save(period)


@transaction.atomic
def period_delete(*, period: IndicatorPeriod, actor) -> None:
    _require_framework_writer(actor)
    _refuse_if_approved(period.actuals.all(), str(period))
    protected_delete(period)


# --- actuals and their review ------------------------------------------------------------------------------------

ACTUAL_FIELDS = ("value", "value_women", "value_men", "value_unrecorded", "narrative")


def _record(actual: IndicatorActual, *, from_status: str, to_status: str, actor, comment: str = "", at=None):
    transition = ActualTransition(
        actual=actual, from_status=from_status, to_status=to_status, by=actor, at=at or timezone.now(), comment=comment
    )
    return validated_save(transition)


def report_for_cycle(*, structure: ExecutiveStructure, period: IndicatorPeriod) -> ActivityReport | None:
    """The structure's activity report whose period contains the indicator period's end: actuals travel with the
    report of the same cycle."""
    return ActivityReport.objects.filter(
        structure=structure, period_start__lte=period.period_end, period_end__gte=period.period_end
    ).first()


@transaction.atomic
def actual_create(
    *, period: IndicatorPeriod, actor, structure: ExecutiveStructure | None = None, **data
) -> IndicatorActual:
    """A draft actual for the actor's own structure (an administrator may name another)."""
    project = period.indicator.result.project
    own_id = user_structure_id(actor) if actor is not None else None
    if structure is None:
        if own_id is None:
            raise ValidationError({"structure": _("Your account acts for no structure, so it cannot report.")})
        structure = ExecutiveStructure.objects.get(pk=own_id)
    if actor is not None and role_of(actor) != rules.Role.ADMIN and structure.pk != own_id:
        raise PermissionDenied(_("You report for your own structure only."))
    _require(
        actor is None or rules.can_report_actual(user=actor, obj=project),
        _("Only the project's lead and partner structures report on it."),
    )
    if structure.pk != project.lead_structure_id and not project.partner_structures.filter(pk=structure.pk).exists():
        raise ValidationError(
            {"structure": _("%(structure)s does not work on this project.") % {"structure": structure.acronym}}
        )
    if IndicatorActual.objects.filter(period=period, structure=structure).exists():
        raise ValidationError(
            {"period": _("%(structure)s already reported on this period.") % {"structure": structure.acronym}}
        )
    actual = IndicatorActual(
        period=period,
        structure=structure,
        created_by=actor,
        activity_report=report_for_cycle(structure=structure, period=period),
    )
    _apply(actual, data, ACTUAL_FIELDS)
    try:
        with transaction.atomic():
            validated_save(actual)
    except IntegrityError:
        raise ValidationError({"period": _("This structure already reported on this period.")}) from None
    _record(actual, from_status="", to_status=S.DRAFT, actor=actor)
    return actual


def _lock(actual: IndicatorActual) -> IndicatorActual:
    return (
        IndicatorActual.objects.select_for_update()
        .select_related("period__indicator__result__project", "structure")
        .get(pk=actual.pk)
    )


def _require_editable(actual: IndicatorActual) -> None:
    if not actual.is_editable:
        raise ValidationError(
            {"status": _("A %(status)s actual cannot be changed.") % {"status": actual.get_status_display().lower()}}
        )


@transaction.atomic
def actual_update(*, actual: IndicatorActual, actor, **data) -> IndicatorActual:
    locked = _lock(actual)
    _require_editable(locked)
    _require(
        actor is None or rules.can_edit_actual(user=actor, obj=locked),
        _("Only staff of %(structure)s change this actual.") % {"structure": locked.structure.acronym},
    )
    _apply(locked, data, ACTUAL_FIELDS)
    return validated_save(locked)


@transaction.atomic
def actual_delete(*, actual: IndicatorActual, actor) -> None:
    locked = _lock(actual)
    if locked.status != S.DRAFT:
        raise DeleteRefused(_("Only a draft that was never submitted can be deleted."))
    _require(
        actor is None or rules.can_edit_actual(user=actor, obj=locked),
        _("Only staff of %(structure)s delete this actual.") % {"structure": locked.structure.acronym},
    )
    protected_delete(locked)


def _check_transition(actual: IndicatorActual, status: str) -> None:
    if not actual.can_transition_to(status):
        raise ValidationError(
            {
                "status": _("A %(old)s actual cannot be %(new)s.")
                % {"old": actual.get_status_display().lower(), "new": S(status).label.lower()}
            }
        )


@transaction.atomic
def actual_submit(*, actual: IndicatorActual, actor) -> IndicatorActual:
    locked = _lock(actual)
    _check_transition(locked, S.SUBMITTED)
    _require(
        actor is None or rules.can_submit_actual(user=actor, obj=locked),
        _("Only staff of %(structure)s submit this actual.") % {"structure": locked.structure.acronym},
    )
    previous, now = locked.status, timezone.now()
    locked.status, locked.submitted_at, locked.submitted_by = S.SUBMITTED, now, actor
    locked.return_notice_sent_at = None
    validated_save(locked)
    _record(locked, from_status=previous, to_status=S.SUBMITTED, actor=actor, at=now)
    return locked


def _review(actual: IndicatorActual, *, actor, status: str, comment: str) -> IndicatorActual:
    _check_transition(actual, status)
    _require(
        actor is None or rules.can_review_actual(user=actor, obj=actual),
        _("Secretariat staff and the co-ordinator review actuals, and not the ones they submitted."),
    )
    previous, now = actual.status, timezone.now()
    actual.status, actual.reviewed_at, actual.reviewed_by, actual.review_comment = status, now, actor, comment
    validated_save(actual)
    _record(actual, from_status=previous, to_status=status, actor=actor, comment=comment, at=now)
    return actual


@transaction.atomic
def actual_return(
    *, actual: IndicatorActual, actor: PortalUser | None, comment: str, notify: bool = True
) -> IndicatorActual:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change before the actual can be approved.")})
    locked = _review(_lock(actual), actor=actor, status=S.RETURNED, comment=comment)
    if notify:
        from results import tasks  # tasks call services; imported here so the module graph stays acyclic

        enqueue_on_commit(tasks.notify_actual_returned, locked.pk)
    return locked


@transaction.atomic
def actual_approve(*, actual: IndicatorActual, actor, comment: str = "") -> IndicatorActual:
    return _review(_lock(actual), actor=actor, status=S.APPROVED, comment=(comment or "").strip())


def _travelling_with(report: ActivityReport) -> models.QuerySet[IndicatorActual]:
    """The structure's actuals of the report's cycle: those linked to it, and those entered before the report was
    opened (no link yet) whose period ends inside the report's period, as ``report_for_cycle`` would have linked
    them."""
    return IndicatorActual.objects.filter(
        Q(activity_report=report)
        | Q(
            activity_report__isnull=True,
            structure_id=report.structure_id,
            period__period_end__gte=report.period_start,
            period__period_end__lte=report.period_end,
        )
    ).select_related("period__indicator")


def _with_context(actual: IndicatorActual, exc: ValidationError) -> ValidationError:
    # Raised into the report's submit or review: say which actual stopped it, under a key of its own.
    label = f"{actual.period.indicator.title} ({actual.period.label})"
    return ValidationError({"indicator_actuals": [f"{label}: {m}" for m in exc.messages]})


@transaction.atomic
def actuals_submit_for_report(*, report: ActivityReport, actor: PortalUser | None) -> list[IndicatorActual]:
    """Submit, with the activity report of the same cycle, the structure's draft or returned actuals that travel
    with it. An incomplete actual refuses the whole submission (the caller's transaction rolls back)."""
    submitted = []
    for actual in _travelling_with(report).filter(status__in=IndicatorActual.EDITABLE_STATUSES).order_by("pk"):
        if actual.activity_report_id is None:
            IndicatorActual.objects.filter(pk=actual.pk).update(activity_report=report)
        try:
            submitted.append(actual_submit(actual=actual, actor=actor))
        except ValidationError as exc:
            raise _with_context(actual, exc) from None
    return submitted


@transaction.atomic
def actuals_return_for_report(
    *, report: ActivityReport, actor: PortalUser | None, comment: str
) -> list[IndicatorActual]:
    """A returned report takes its submitted actuals back with it, with the reviewer's comment, so the structure
    corrects and resubmits them together. The report's own notice tells the structure; no second mail per actual."""
    returned = []
    for actual in IndicatorActual.objects.filter(activity_report=report, status=S.SUBMITTED).order_by("pk"):
        returned.append(actual_return(actual=actual, actor=actor, comment=comment, notify=False))
    return returned


@transaction.atomic
def actuals_approve_for_report(
    *, report: ActivityReport, actor: PortalUser | None, comment: str = ""
) -> list[IndicatorActual]:
    """An accepted report approves the actuals still waiting with it; approved actuals are locked. Actuals a
    reviewer already returned or approved on their own keep that decision."""
    approved = []
    for actual in IndicatorActual.objects.filter(activity_report=report, status=S.SUBMITTED).order_by("pk"):
        approved.append(actual_approve(actual=actual, actor=actor, comment=comment))
    return approved


def actual_notify_returned(*, actual_id: int) -> int:
    """Mail the reporting structure's staff that their actual came back. Claims the notice with a conditional
    UPDATE, so a job delivered twice sends once."""
    claimed = IndicatorActual.objects.filter(
        pk=actual_id, status=S.RETURNED, return_notice_sent_at__isnull=True
    ).update(return_notice_sent_at=timezone.now())
    if not claimed:
        return 0
    actual = IndicatorActual.objects.select_related("structure", "period__indicator").get(pk=actual_id)
    recipients = list(
        get_user_model()
        .objects.filter(profile__structure=actual.structure, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            subject=_("Actual returned: %(indicator)s") % {"indicator": actual.period.indicator.title[:80]},
            message=_("The actual for %(period)s was returned with this comment:\n\n%(comment)s")
            % {"period": actual.period.label, "comment": actual.review_comment},
            from_email=None,
            recipient_list=recipients,
        )
    return len(recipients)


# --- activities counting towards indicators, participants by age ----------------------------------------------


@transaction.atomic
def contribution_create(
    *, activity: ReportedActivity, indicator: Indicator, actor, value: Decimal | None = None
) -> ActivityContribution:
    _require(
        actor is None or rules.can_link_activity(user=actor, obj=activity),
        _("Only the reporting structure's staff or reviewers link its activities."),
    )
    if ActivityContribution.objects.filter(activity=activity, indicator=indicator).exists():
        raise ValidationError({"indicator": _("This activity already counts towards that indicator.")})
    return validated_save(ActivityContribution(activity=activity, indicator=indicator, value=value))


@transaction.atomic
def contribution_delete(*, contribution: ActivityContribution, actor) -> None:
    _require(
        actor is None or rules.can_link_activity(user=actor, obj=contribution.activity),
        _("Only the reporting structure's staff or reviewers unlink its activities."),
    )
    protected_delete(contribution)


SEX_FIELDS = {Sex.FEMALE: "participants_women", Sex.MALE: "participants_men", Sex.UNRECORDED: "participants_unrecorded"}


@transaction.atomic
def breakdown_set(*, activity: ReportedActivity, rows: list[dict[str, Any]], actor) -> list[ParticipantBreakdown]:
    """Replace an item's participants by sex and age group. Per sex the rows may not exceed the item's figure;
    what they leave out is shown as 'age not recorded'."""
    _require(
        actor is None or rules.can_link_activity(user=actor, obj=activity),
        _("Only the reporting structure's staff or reviewers change its participant figures."),
    )
    errors: list[dict[str, list[str]]] = []
    per_sex: dict[str, int] = {}
    seen = set()
    prepared = []
    for raw in rows:
        row_errors: dict[str, list[str]] = {}
        sex, age, count = raw.get("sex"), raw.get("age_group"), raw.get("count")
        if sex not in Sex.values:
            row_errors["sex"] = [_("Choose one of: %(v)s.") % {"v": ", ".join(Sex.values)}]
        if age not in AgeGroup.values:
            row_errors["age_group"] = [_("Choose one of: %(v)s.") % {"v": ", ".join(AgeGroup.values)}]
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            row_errors["count"] = [_("A whole number, 0 or more.")]
        if (sex, age) in seen:
            row_errors["age_group"] = [_("This sex and age group is given twice.")]
        seen.add((sex, age))
        errors.append(row_errors)
        if not row_errors:
            per_sex[sex] = per_sex.get(sex, 0) + count
            prepared.append(ParticipantBreakdown(activity=activity, sex=sex, age_group=age, count=count))
    if any(errors):
        raise ValidationError(
            {"rows": [f"{i + 1}: {f}: {' '.join(m)}" for i, e in enumerate(errors) for f, m in e.items()]}
        )
    over = [sex for sex, total in per_sex.items() if total > getattr(activity, SEX_FIELDS[sex])]
    if over:
        raise ValidationError(
            {
                "rows": [
                    _("%(sex)s: the age groups add up to more than the activity's %(n)s.")
                    % {"sex": Sex(sex).label, "n": getattr(activity, SEX_FIELDS[sex])}
                    for sex in over
                ]
            }
        )
    ParticipantBreakdown.objects.filter(activity=activity).delete()
    for row in prepared:
        row.full_clean(exclude=["activity"])
    return ParticipantBreakdown.objects.bulk_create(prepared)


# --- money --------------------------------------------------------------------------------------------------------

TRANSACTION_FIELDS = (
    "project",
    "kind",
    "funding_source",
    "donor_state",
    "donor_organisation",
    "pledge",
    "date",
    "currency",
    "amount",
    "value_eur",
    "description",
)


def _fill_eur(transaction_row: FinancialTransaction) -> None:
    if transaction_row.currency == "EUR" and transaction_row.value_eur is None:
        transaction_row.value_eur = transaction_row.amount
    if transaction_row.currency != "EUR" and transaction_row.value_eur is None:
        currency = transaction_row.currency
        raise ValidationError(
            {"value_eur": _("Give the value in EUR for money in %(currency)s.") % {"currency": currency}}
        )


@transaction.atomic
def transaction_create(*, actor, **data) -> FinancialTransaction:
    _require(actor is None or rules.can_change_money(user=actor), _("Only Secretariat staff record money."))
    row = FinancialTransaction()
    _apply(row, data, TRANSACTION_FIELDS)
    _fill_eur(row)
    return validated_save(row)


@transaction.atomic
def transaction_update(*, transaction_row: FinancialTransaction, actor, **data) -> FinancialTransaction:
    _require(actor is None or rules.can_change_money(user=actor), _("Only Secretariat staff record money."))
    _apply(transaction_row, data, TRANSACTION_FIELDS)
    if transaction_row.currency == "EUR" and "amount" in data and "value_eur" not in data:
        transaction_row.value_eur = transaction_row.amount
    _fill_eur(transaction_row)  # an emptied EUR value is the amount again; another currency needs one
    return validated_save(transaction_row)


@transaction.atomic
def transaction_delete(*, transaction_row: FinancialTransaction, actor) -> None:
    _require(
        actor is None or rules.can(actor, "financial_transaction", rules.DELETE),
        _("Only the co-ordinator or an administrator deletes money records."),
    )
    protected_delete(transaction_row)


def committed_total(*, project: Project) -> Decimal:
    return project.transactions.filter(kind=FinancialTransaction.Kind.COMMITMENT).aggregate(total=Sum("value_eur"))[
        "total"
    ] or Decimal("0")
