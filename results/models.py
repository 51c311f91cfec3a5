"""Results frameworks, funding flows and open-data mapping (issue 16).

A project's framework is a tree of ``Result`` rows (objective → outcome → output). Each result has ``Indicator``
rows; an indicator has a baseline, one ``IndicatorPeriod`` per period with its target, and per period one
``IndicatorActual`` per reporting structure that moves draft → submitted → returned / approved like an activity
report (approved actuals are locked). ``ActivityContribution`` lets an accepted activity item count towards an output
indicator. ``FinancialTransaction`` records commitments, disbursements and expenditure by funding source and donor.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


class ResultLevel(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


# the level a result's parent must have; an objective has none
PARENT_LEVEL = {
    ResultLevel.OBJECTIVE: None,
    ResultLevel.OUTCOME: ResultLevel.OBJECTIVE,
    ResultLevel.OUTPUT: ResultLevel.OUTCOME,
}


class ProgrammeProposal(models.Model):
    """One proposal of a programme as the programme document gives it. Figures the source does not give stay
    empty (never 0), so a sum can say how much of it is known."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="proposals"
    )
    number = models.PositiveSmallIntegerField(_("proposal number"), null=True, blank=True)
    project = models.OneToOneField(
        "programmes.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    title = models.CharField(_("title"), max_length=300)
    estimated_budget_eur = models.DecimalField(
        _("estimated budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    max_participants = models.PositiveIntegerField(_("participants (up to)"), null=True, blank=True)
    afghan_participants = models.BooleanField(
        _("Afghan participants"),
        default=False,
        help_text=_("Afghan participants are counted separately."),
    )
    planned_start = models.CharField(
        _("planned start"), max_length=60, blank=True, help_text=_("As the source puts it, e.g. 'autumn 2010'.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["programme", "number", "pk"]
        verbose_name = _("programme proposal")
        verbose_name_plural = _("programme proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="proposal_number_unique_in_programme",
                violation_error_message=_("This programme already has a proposal with that number."),
            ),
        ]

    def __str__(self) -> str:
        return f"No. {self.number} {self.title}" if self.number else self.title

    def clean(self):
        super().clean()
        if self.project_id and self.programme_id and self.project.programme_id not in (None, self.programme_id):
            raise ValidationError({"project": _("This project belongs to another programme.")})


class Result(models.Model):
    project = models.ForeignKey(
        "programmes.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="results"
    )
    level = models.CharField(_("level"), max_length=16, choices=ResultLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("An example framework: the source gives no such figures."),
    )

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.title}"

    def clean(self):
        super().clean()
        wanted = PARENT_LEVEL.get(self.level)
        if self.parent_id is None:
            if wanted is not None:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s contributes to a %(parent)s: choose one.")
                        % {"level": ResultLevel(self.level).label.lower(), "parent": ResultLevel(wanted).label.lower()}
                    }
                )
            return
        if wanted is None:
            raise ValidationError({"parent": _("An objective is the top of the framework; it has no parent.")})
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("A result cannot contribute to itself.")})
        if self.parent.level != wanted:
            raise ValidationError(
                {
                    "parent": _("A %(level)s contributes to a %(parent)s.")
                    % {"level": ResultLevel(self.level).label.lower(), "parent": ResultLevel(wanted).label.lower()}
                }
            )
        if self.project_id and self.parent.project_id != self.project_id:
            raise ValidationError({"parent": _("The parent result belongs to another project.")})


class Indicator(models.Model):
    class Measure(models.TextChoices):
        # IATI indicator measure codes: 1 unit, 2 percentage, 5 qualitative
        UNIT = "unit", _("Quantitative: a number of units")
        PERCENTAGE = "percentage", _("Quantitative: a percentage")
        QUALITATIVE = "qualitative", _("Qualitative")

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    code = models.SlugField(
        _("common code"),
        max_length=60,
        blank=True,
        help_text=_("Indicators with the same code and unit add up across projects (programme, area, State)."),
    )
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices, default=Measure.UNIT)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("e.g. officers trained"))
    counts_people = models.BooleanField(
        _("counts people"),
        default=False,
        help_text=_("Figures are then given for women and men separately."),
    )
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[MinValueValidator(1975)]
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_comment = models.TextField(_("baseline comment"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("An example indicator: the source gives no such figures."),
    )

    class Meta:
        ordering = ["result", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title

    @property
    def is_quantitative(self) -> bool:
        return self.measure != self.Measure.QUALITATIVE

    @property
    def project_id(self) -> int:
        return self.result.project_id

    def clean(self):
        super().clean()
        errors = {}
        if self.measure == self.Measure.QUALITATIVE:
            if self.counts_people:
                errors["counts_people"] = _("A qualitative indicator does not count people.")
            if self.baseline_value is not None:
                errors["baseline_value"] = _("A qualitative indicator has no numeric baseline; use the comment.")
        elif self.measure == self.Measure.UNIT and not self.unit.strip():
            errors["unit"] = _("Say what is counted, e.g. 'officers trained'.")
        if self.measure == self.Measure.PERCENTAGE and self.counts_people:
            errors["counts_people"] = _("A percentage is not a head count.")
        if self.baseline_value is not None and self.baseline_year is None:
            errors["baseline_year"] = _("Give the year the baseline was measured.")
        if errors:
            raise ValidationError(errors)


class IndicatorPeriod(models.Model):
    """One period of an indicator with its target."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="periods"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_women = models.PositiveIntegerField(_("target: women"), null=True, blank=True)
    target_men = models.PositiveIntegerField(_("target: men"), null=True, blank=True)
    target_comment = models.TextField(_("target comment"), blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"],
                name="indicator_period_unique_start",
                violation_error_message=_("The indicator already has a period starting then."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicator_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period_start} – {self.period_end}"

    @property
    def label(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.indicator_id:
            indicator = self.indicator
            if not indicator.is_quantitative and self.target_value is not None:
                errors["target_value"] = _("A qualitative indicator's target is described in the comment.")
            if not indicator.counts_people and (self.target_women is not None or self.target_men is not None):
                errors["target_women"] = _("Only indicators that count people are split by sex.")
            if (
                indicator.counts_people
                and self.target_value is not None
                and self.target_women is not None
                and self.target_men is not None
                and self.target_women + self.target_men > self.target_value
            ):
                errors["target_women"] = _("Women and men together exceed the target.")
            overlapping = (
                IndicatorPeriod.objects.filter(
                    indicator_id=self.indicator_id,
                    period_start__lte=self.period_end,
                    period_end__gte=self.period_start,
                ).exclude(pk=self.pk)
                if self.period_start and self.period_end
                else IndicatorPeriod.objects.none()
            )
            if overlapping.exists():
                errors["period_start"] = _("The period overlaps another period of this indicator.")
        if errors:
            raise ValidationError(errors)


class ActualStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class IndicatorActual(models.Model):
    """What one structure achieved on one indicator in one period, reviewed like an activity report."""

    Status = ActualStatus
    TRANSITIONS: dict[str, frozenset[str]] = {
        ActualStatus.DRAFT: frozenset({ActualStatus.SUBMITTED}),
        ActualStatus.SUBMITTED: frozenset({ActualStatus.RETURNED, ActualStatus.APPROVED}),
        ActualStatus.RETURNED: frozenset({ActualStatus.SUBMITTED}),
        ActualStatus.APPROVED: frozenset(),
    }
    EDITABLE_STATUSES = (ActualStatus.DRAFT, ActualStatus.RETURNED)

    period = models.ForeignKey(
        IndicatorPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="actuals"
    )
    structure = models.ForeignKey(
        "programmes.ExecutiveStructure",
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="indicator_actuals",
    )
    activity_report = models.ForeignKey(
        "activity.ActivityReport",
        verbose_name=_("activity report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_actuals",
        help_text=_("The structure's activity report for the same cycle, when there is one."),
    )
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    value_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    value_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    value_unrecorded = models.PositiveIntegerField(_("sex not recorded"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActualStatus.choices, default=ActualStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    # Set by the notification job when it claims the work, so a redelivered job sends nothing twice.
    return_notice_sent_at = models.DateTimeField(_("return notice sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["period__period_start", "pk"]
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "structure"],
                name="actual_one_per_period_structure",
                violation_error_message=_("This structure already reported on this period."),
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="actual_status_submitted")]

    def __str__(self) -> str:
        return f"{self.period} · {self.structure.acronym}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def sex_total(self) -> int | None:
        parts = (self.value_women, self.value_men, self.value_unrecorded)
        return None if all(p is None for p in parts) else sum(p or 0 for p in parts)

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def clean(self):
        super().clean()
        if not self.period_id:
            return
        indicator = self.period.indicator
        errors = {}
        if indicator.is_quantitative:
            if indicator.counts_people and self.value is None and self.sex_total is not None:
                self.value = Decimal(self.sex_total)
            if indicator.counts_people and self.sex_total is not None and self.value != self.sex_total:
                errors["value"] = _("Women, men and sex not recorded must add up to the actual (%(total)s).") % {
                    "total": self.sex_total
                }
            if self.status != ActualStatus.DRAFT and self.value is None:
                errors["value"] = _("Give the figure achieved in the period.")
            if (
                indicator.measure == Indicator.Measure.PERCENTAGE
                and self.value is not None
                and not (ZERO <= self.value <= Decimal(100))
            ):
                errors["value"] = _("A percentage lies between 0 and 100.")
        else:
            if self.value is not None:
                errors["value"] = _("A qualitative indicator is reported in the narrative.")
            if self.status != ActualStatus.DRAFT and not self.narrative.strip():
                errors["narrative"] = _("Describe what was achieved in the period.")
        if not indicator.counts_people and self.sex_total is not None:
            errors["value_women"] = _("Only indicators that count people are split by sex.")
        if errors:
            raise ValidationError(errors)


class ActualTransition(models.Model):
    actual = models.ForeignKey(
        IndicatorActual, verbose_name=_("actual"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ActualStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ActualStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["actual", "at", "pk"]
        verbose_name = _("actual transition")
        verbose_name_plural = _("actual transitions")

    def __str__(self) -> str:
        return f"{self.actual_id}: {self.from_status or '–'} → {self.to_status}"


class ActivityContribution(models.Model):
    """An activity item that counts towards an output indicator. For an indicator that counts people the item's
    participants count (women and men kept apart); otherwise ``value`` says how much it adds."""

    activity = models.ForeignKey(
        "activity.ReportedActivity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="indicator_contributions",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="contributions"
    )
    value = models.DecimalField(
        _("contributes"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["indicator", "activity__start", "pk"]
        verbose_name = _("activity contribution")
        verbose_name_plural = _("activity contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "indicator"],
                name="contribution_once_per_indicator",
                violation_error_message=_("This activity already counts towards it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.indicator}"

    def counted_value(self) -> Decimal:
        if self.value is not None:
            return self.value
        return Decimal(self.activity.participants_total) if self.indicator.counts_people else ZERO

    def clean(self):
        super().clean()
        if not (self.indicator_id and self.activity_id):
            return
        errors = {}
        indicator, activity = self.indicator, self.activity
        if indicator.result.level != ResultLevel.OUTPUT:
            errors["indicator"] = _("Activities count towards output indicators only.")
        if not indicator.is_quantitative:
            errors["indicator"] = _("A qualitative indicator cannot be counted from activities.")
        if activity.project_id is not None and activity.project_id != indicator.result.project_id:
            errors["activity"] = _("The activity belongs to another project.")
        if not indicator.counts_people and self.value is None and not errors:
            errors["value"] = _("Say how much the activity adds to the indicator.")
        if errors:
            raise ValidationError(errors)


class AgeGroup(models.TextChoices):
    CHILD = "under_18", _("Under 18")
    YOUTH = "18_24", _("18–24")
    ADULT = "25_59", _("25–59")
    OLDER = "60_plus", _("60 and over")
    UNKNOWN = "unknown", _("Age not recorded")


class Sex(models.TextChoices):
    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")
    UNRECORDED = "unrecorded", _("Sex not recorded")


class ParticipantBreakdown(models.Model):
    """Participants of one activity item by sex and age group; per sex the rows add up to the item's figure."""

    activity = models.ForeignKey(
        "activity.ReportedActivity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participant_breakdown",
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=16, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["activity", "sex", "age_group"]
        verbose_name = _("participants by sex and age")
        verbose_name_plural = _("participants by sex and age")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_group"],
                name="breakdown_one_row_per_cell",
                violation_error_message=_("This sex and age group is already given."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.sex} {self.age_group} = {self.count}"


currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use the three-letter ISO 4217 code, e.g. EUR or USD."))


class FinancialTransaction(models.Model):
    """Money for one project: a donor's commitment, a disbursement received, or expenditure; always with its
    value in EUR (the figure every sum uses) and, for money given in another currency, the original amount."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        DISBURSEMENT = "disbursement", _("Disbursement received")
        EXPENDITURE = "expenditure", _("Expenditure")

    class FundingSource(models.TextChoices):
        UB = "ub", _("Unified Budget")
        EXB = "exb", _("Extra-budgetary")

    project = models.ForeignKey(
        "programmes.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    funding_source = models.CharField(_("funding source"), max_length=8, choices=FundingSource.choices)
    donor_state = models.ForeignKey(
        "programmes.ParticipatingState",
        verbose_name=_("donor State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    donor_organisation = models.ForeignKey(
        "programmes.PartnerOrganisation",
        verbose_name=_("donor organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    pledge = models.OneToOneField(
        "programmes.DonorPledge",
        verbose_name=_("pledge fulfilled"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitment",
        help_text=_("The pledge this commitment confirms, so the pledge is not counted twice."),
    )
    date = models.DateField(_("date"), db_index=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[currency_validator])
    amount = models.DecimalField(
        _("amount (in the currency)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    value_eur = models.DecimalField(
        _("value (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("financial transaction")
        verbose_name_plural = _("financial transactions")
        indexes = [models.Index(fields=["project", "kind"], name="transaction_project_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(donor_state__isnull=True) | Q(donor_organisation__isnull=True),
                name="transaction_one_donor",
                violation_error_message=_("A donor is a State or an organisation, not both."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(value_eur__gte=0),
                name="transaction_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()} EUR {self.value_eur}"

    @property
    def donor(self):
        return self.donor_state or self.donor_organisation

    @property
    def donor_label(self) -> str:
        donor = self.donor
        if donor is not None:
            return str(donor)
        return str(_("Unified Budget")) if self.funding_source == self.FundingSource.UB else "–"

    def clean(self):
        super().clean()
        errors = {}
        if self.donor_state_id and self.donor_organisation_id:
            errors["donor_organisation"] = _("A donor is a State or an organisation, not both.")
        incoming = self.kind in (self.Kind.COMMITMENT, self.Kind.DISBURSEMENT)
        if (
            incoming
            and self.funding_source == self.FundingSource.EXB
            and not self.donor_state_id
            and not self.donor_organisation_id
        ):
            errors["donor_state"] = _("Extra-budgetary money comes from a donor: choose a State or an organisation.")
        if (
            self.currency == "EUR"
            and self.amount is not None
            and self.value_eur is not None
            and self.amount != self.value_eur
        ):
            errors["value_eur"] = _("For EUR the value in EUR is the amount itself.")
        if self.pledge_id:
            if self.kind != self.Kind.COMMITMENT:
                errors["pledge"] = _("Only a commitment confirms a pledge.")
            elif self.project_id and self.pledge.project_id != self.project_id:
                errors["pledge"] = _("The pledge is for another project.")
            elif self.donor_state_id and self.pledge.donor_state_id != self.donor_state_id:
                errors["pledge"] = _("The pledge was made by another State.")
        if errors:
            raise ValidationError(errors)


class SectorMapping(models.Model):
    """Which OECD DAC 5-digit purpose code a thematic area is exported as in IATI (kept as data, loaded with the
    reference data; a sub-area without its own row uses its parent's)."""

    thematic_area = models.OneToOneField(
        "programmes.ThematicArea",
        verbose_name=_("thematic area"),
        on_delete=models.CASCADE,
        related_name="sector_mapping",
    )
    dac_code = models.CharField(
        _("DAC 5 purpose code"), max_length=5, validators=[RegexValidator(r"^\d{5}$", _("Five digits, e.g. 15210."))]
    )
    dac_name = models.CharField(_("DAC purpose name"), max_length=200)

    class Meta:
        ordering = ["thematic_area__position", "thematic_area__code"]
        verbose_name = _("IATI sector mapping")
        verbose_name_plural = _("IATI sector mappings")

    def __str__(self) -> str:
        return f"{self.thematic_area.code} → {self.dac_code}"
