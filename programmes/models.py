"""The core of the portal: who works (structures), for whom (States), with whom (partner organisations),
on what (thematic areas, mandates) and with which money (projects, pledges).

Events live in ``programmes/events`` and activity reports in ``programmes/activity``; their models are
imported at the bottom so Django registers them under this app.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.search import search_text_field
from programmes.versioning import Versioned


def in_active_language(obj: models.Model, field: str, language: str | None = None) -> str:
    """A reference-data name in the language of the page: its ``<field>_<language>`` column (``name_ru``) when the
    model has one and it is filled in, else the English original. Names are data, so they are translated in the
    database rather than in the message catalogues. ``language``: the active one, when a loop has looked it up."""
    language = ((translation.get_language() if language is None else language) or "").split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, field)


class Region(models.TextChoices):
    SOUTH_EASTERN_EUROPE = "south_eastern_europe", _("South-Eastern Europe")
    EASTERN_EUROPE = "eastern_europe", _("Eastern Europe")
    SOUTH_CAUCASUS = "south_caucasus", _("South Caucasus")
    CENTRAL_ASIA = "central_asia", _("Central Asia")
    WESTERN_EUROPE = "western_europe", _("Western Europe")
    CENTRAL_EUROPE = "central_europe", _("Central Europe")
    NORTHERN_EUROPE = "northern_europe", _("Northern Europe and the Baltic")
    NORTH_AMERICA = "north_america", _("North America")
    MONGOLIA = "east_asia", _("East Asia")
    MEDITERRANEAN_PARTNERS = "mediterranean", _("Mediterranean Partners")
    ASIAN_PARTNERS = "asian_partners", _("Asian Partners")

    @classmethod
    def field_operation_regions(cls) -> list[str]:
        return [cls.SOUTH_EASTERN_EUROPE, cls.EASTERN_EUROPE, cls.SOUTH_CAUCASUS, cls.CENTRAL_ASIA]


class ParticipatingState(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        unique=True,
        help_text=_("Two-letter ISO 3166-1 alpha-2 code."),
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    is_partner = models.BooleanField(
        _("Partner for Co-operation"),
        default=False,
        help_text=_("A Partner for Co-operation rather than a participating State."),
        db_index=True,
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participating State")
        verbose_name_plural = _("participating States")
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="state_iso_code_two_capitals",
                violation_error_message=_("The ISO code must be two capital letters."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:state_detail", args=[self.pk])


class ExecutiveStructure(models.Model):
    class Kind(models.TextChoices):
        THEMATIC_UNIT = "thematic_unit", _("Secretariat thematic unit")
        SECRETARIAT_OFFICE = "secretariat_office", _("Secretariat office")
        INSTITUTION = "institution", _("Institution")
        FIELD_OPERATION = "field_operation", _("Field operation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        # A database default as well: code that predates the column (a rolling deploy) can still insert rows.
        db_default="",
    )
    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True, db_index=True)
    host_state = models.ForeignKey(
        ParticipatingState,
        verbose_name=_("host State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_structures",
        help_text=_("For a field operation, the State where it works."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True, db_index=True)
    proposed = models.BooleanField(
        _("proposed"), default=False, help_text=_("Proposed in the 2010 report but not yet established.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("executive structure")
        verbose_name_plural = _("executive structures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="field_operation") | ~Q(region=""),
                name="structure_field_operation_has_region",
                violation_error_message=_("A field operation needs a region."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="structure_not_own_parent",
                violation_error_message=_("A structure cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.localized_name} ({self.acronym})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:structure_detail", args=[self.pk])

    @property
    def localized_name(self) -> str:
        return in_active_language(self, "name")

    @property
    def osce_name(self) -> str:
        """The name the OSCE itself uses in charts and tables ("Office in Tajikistan"), not the portal's acronym."""
        return self.localized_name.removeprefix("OSCE ")

    @property
    def is_field_operation(self) -> bool:
        return self.kind == self.Kind.FIELD_OPERATION


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        UN_BODY = "un_body", _("UN body")
        REGIONAL = "regional", _("Regional organisation")
        INTERNATIONAL = "international", _("Other international organisation")
        NGO = "ngo", _("Non-governmental organisation")
        PRIVATE_SECTOR = "private_sector", _("Private sector")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.acronym


class ThematicAreaQuerySet(models.QuerySet):
    def in_tree_order(self):
        """Each top area in its position with its sub-areas right under it: the order of every thematic-area form
        field and filter."""
        return self.select_related("parent").order_by(
            Coalesce("parent__position", "position"),
            Coalesce("parent_id", "id"),
            F("parent_id").asc(nulls_first=True),
            "position",
            "name",
        )


class ThematicArea(models.Model):
    """Two levels: the five TNT areas and their sub-areas."""

    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        # A database default as well: code that predates the column (a rolling deploy) can still insert rows.
        db_default="",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, help_text=_("Used in alerts and chart labels."))
    short_name_ru = models.CharField(_("short name in Russian"), max_length=60, blank=True, db_default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ThematicAreaQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="thematic_area_unique_name_per_parent",
                violation_error_message=_("This area already has a sub-area with that name."),
            ),
        ]

    def __str__(self) -> str:
        parent = self.parent if self.parent_id is not None else None
        return self.localized_name if parent is None else f"{parent.localized_short_name} › {self.localized_name}"

    @property
    def localized_name(self) -> str:
        return in_active_language(self, "name")

    @property
    def localized_short_name(self) -> str:
        return in_active_language(self, "short_name")

    def clean(self):
        super().clean()
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("An area cannot be its own parent.")})
            parent = self.parent
            if parent is not None and parent.parent_id is not None:
                raise ValidationError({"parent": _("Areas have two levels: a sub-area's parent must be a top area.")})
            if self.pk and self.children.exists():
                raise ValidationError({"parent": _("An area with sub-areas must stay a top area.")})

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


MANDATE_CODE_PATTERNS = {
    "MC": re.compile(r"^MC\.DEC/\d{1,4}/\d{2}$"),
    "PC": re.compile(r"^PC\.DEC/\d{1,4}(/\d{2})?$"),
    "FSC": re.compile(r"^FSC\.DEC/\d{1,4}/\d{2}$"),
    "UNSC": re.compile(r"^UNSCR \d{1,4}$"),
}
# A suggested decision has no official number yet: PROPOSAL/<year>/<n>, e.g. the 2010 report's Annex 1 items.
PROPOSAL_CODE_PATTERN = re.compile(r"^PROPOSAL/\d{4}/\d{1,3}$")


def validate_mandate_code(value: str) -> None:
    if PROPOSAL_CODE_PATTERN.match(value):
        return
    if not any(pattern.match(value) for pattern in MANDATE_CODE_PATTERNS.values()):
        raise ValidationError(
            _(
                "Use a decision code such as MC.DEC/4/07, PC.DEC/813, FSC.DEC/7/09, UNSCR 1540 or, for a suggested "
                "decision, PROPOSAL/2010/1."
            ),
            code="invalid_mandate_code",
        )


class Mandate(models.Model):
    class Body(models.TextChoices):
        MC = "MC", _("Ministerial Council")
        PC = "PC", _("Permanent Council")
        FSC = "FSC", _("Forum for Security Co-operation")
        UNSC = "UNSC", _("UN Security Council")

    code = models.CharField(_("decision code"), max_length=32, unique=True, validators=[validate_mandate_code])
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1973)])
    body = models.CharField(_("body"), max_length=8, choices=Body.choices, db_index=True)

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PROPOSED = "proposed", _("Proposed")
        NOT_TAKEN_UP = "not_taken_up", _("Not taken up")

    # A decision with an official code is adopted; a suggestion (PROPOSAL/… code) is proposed, adopted as a real
    # decision (``adopted_as``) or not taken up. ``body`` of a suggestion is the body expected to decide on it.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ADOPTED, db_index=True)
    adopted_as = models.ForeignKey(
        "self",
        verbose_name=_("adopted as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_proposals",
        help_text=_("For a suggested decision that was adopted: the decision."),
    )
    proposed_in = models.CharField(
        _("proposed in"),
        max_length=300,
        blank=True,
        help_text=_("Where the decision was suggested, e.g. a report and its annex."),
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, verbose_name=_("thematic areas"), blank=True, related_name="mandates"
    )

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return self.code

    @property
    def is_proposal(self) -> bool:
        return bool(self.code) and PROPOSAL_CODE_PATTERN.match(self.code) is not None

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        pattern = MANDATE_CODE_PATTERNS.get(self.body)
        if self.code and not self.is_proposal and pattern and not pattern.match(self.code):
            errors["code"] = _("The code does not match the body %(body)s.") % {"body": self.body}
        if self.code and not self.is_proposal and self.status != self.Status.ADOPTED:
            errors["status"] = _(
                "A decision with an official code is adopted; record a suggestion with a PROPOSAL/year/number code."
            )
        if self.adopted_as_id is not None:
            if not self.is_proposal or self.status != self.Status.ADOPTED:
                errors["adopted_as"] = _("Only an adopted suggestion names the decision it was adopted as.")
            elif self.adopted_as_id == self.pk or (self.adopted_as is not None and self.adopted_as.is_proposal):
                errors["adopted_as"] = _("Choose the adopted decision, not another suggestion.")
        elif self.is_proposal and self.status == self.Status.ADOPTED:
            errors["adopted_as"] = _("Name the decision this suggestion was adopted as.")
        if errors:
            raise ValidationError(errors)


class GenderMarker(models.IntegerChoices):
    """The gender equality marker UN Info uses: how far the project contributes to gender equality."""

    NONE = 0, _("0 – no contribution to gender equality")
    LIMITED = 1, _("1 – limited contribution")
    SIGNIFICANT = 2, _("2 – significant contribution")
    PRINCIPAL = 3, _("3 – gender equality is the principal objective")


class Programme(models.Model):
    """A set of projects planned together under one purpose, such as the 2008 Afghan Package of extra-budgetary
    proposals. Results, money and exports that add up a programme live in the ``results`` app."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    lead_structure = models.ForeignKey(
        ExecutiveStructure,
        verbose_name=_("co-ordinating structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programmes",
    )
    mandates = models.ManyToManyField(Mandate, verbose_name=_("mandates"), blank=True, related_name="programmes")
    planned_project_count = models.PositiveSmallIntegerField(
        _("planned projects"),
        null=True,
        blank=True,
        help_text=_("How many project proposals the programme document foresees; empty if it does not say."),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="programme_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot be before the start date.")})


PROJECT_SEARCH_FIELDS = ("code", "title", "summary")


class Project(Versioned):
    class FundingSource(models.TextChoices):
        UB = "ub", _("Unified Budget")
        EXB = "exb", _("Extra-budgetary")

    class Status(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        APPROVED = "approved", _("Approved")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    # The only moves a project may make; anything else is refused by project_change_status.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PROPOSAL: frozenset({Status.APPROVED, Status.CANCELLED}),
        Status.APPROVED: frozenset({Status.ONGOING, Status.CANCELLED}),
        Status.ONGOING: frozenset({Status.COMPLETED, Status.CANCELLED}),
        Status.COMPLETED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    lead_structure = models.ForeignKey(
        ExecutiveStructure, verbose_name=_("lead structure"), on_delete=models.PROTECT, related_name="led_projects"
    )
    partner_structures = models.ManyToManyField(
        ExecutiveStructure, verbose_name=_("partner structures"), blank=True, related_name="partner_projects"
    )
    thematic_areas = models.ManyToManyField(ThematicArea, verbose_name=_("thematic areas"), related_name="projects")
    beneficiary_states = models.ManyToManyField(
        ParticipatingState, verbose_name=_("beneficiary States"), blank=True, related_name="beneficiary_projects"
    )
    partner_organisations = models.ManyToManyField(
        PartnerOrganisation, verbose_name=_("partner organisations"), blank=True, related_name="projects"
    )
    mandates = models.ManyToManyField(Mandate, verbose_name=_("mandates"), blank=True, related_name="projects")
    funding_source = models.CharField(_("funding source"), max_length=8, choices=FundingSource.choices, db_index=True)
    # Null means the budget is not known; a figure of zero would be counted as "no money" in totals.
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default=None,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when the budget is not known."),
    )
    target_participants = models.PositiveIntegerField(
        _("target participants"), null=True, blank=True, help_text=_("Planned number of trainees or participants.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSAL, db_index=True
    )
    start = models.DateField(_("start"), null=True, blank=True, db_index=True)
    end = models.DateField(_("end"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    # Many-to-many because one follow-up can continue several pilots (Afghan Package Nos. 1 and 2 have one
    # follow-up phase); ``follow_ups`` is the other direction.
    follow_up_of = models.ManyToManyField(
        "self",
        verbose_name=_("follow-up of"),
        symmetrical=False,
        blank=True,
        related_name="follow_ups",
        help_text=_("The earlier projects (pilots, first phases) this project continues."),
    )
    gender_marker = models.PositiveSmallIntegerField(
        _("gender marker"),
        choices=GenderMarker.choices,
        null=True,
        blank=True,
        help_text=_("0–3 as in UN Info; empty while the project has not been assessed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What ``?q=`` searches, kept by the database (programmes.search); trigram-indexed on PostgreSQL (0017).
    search_text = search_text_field(*PROJECT_SEARCH_FIELDS)

    # Not fields: set on a page of projects by ``selectors.project_attach_relation_ids`` (relation -> ids; the
    # pledges as rows).
    relation_ids: dict[str, list[int]]
    listed_pledges: list[dict[str, Any]]
    # Who changed what and when (django-simple-history); shown on the object's page. The search column is derived
    # from the fields the history already holds.
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-start", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["status", "funding_source"], name="project_status_funding"),
            # Serves the default ordering, so deep pages of the project list do not sort the whole table.
            models.Index(fields=["-start", "code"], name="project_default_order"),
            # The project list's budget totals read this index alone instead of the table (issue 14: 7.7 -> 6.0 ms
            # for the unfiltered list at N=1, EXPLAIN ANALYZE).
            models.Index(fields=["budget"], name="project_budget"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gender_marker__isnull=True) | Q(gender_marker__lte=3),
                name="project_gender_marker_0_to_3",
                violation_error_message=_("The gender marker runs from 0 to 3."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="project_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:project_detail", args=[self.pk])

    def clean(self):
        super().clean()
        # Reported on the field here; the check constraint stays as the database's guarantee.
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot be before the start date.")})

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def allowed_transitions(self) -> list[str]:
        return [s for s in self.Status.values if self.can_transition_to(s)]


class DonorPledge(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="pledges")
    donor_state = models.ForeignKey(
        ParticipatingState, verbose_name=_("donor State"), on_delete=models.PROTECT, related_name="pledges"
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    pledged_on = models.DateField(_("pledged on"))

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        # The id breaks ties, so that pledges of one day come in the same order on every page and in every answer.
        ordering = ["pledged_on", "pk"]
        verbose_name = _("donor pledge")
        verbose_name_plural = _("donor pledges")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="pledge_amount_not_negative",
                violation_error_message=_("A pledge cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor_state} → {self.project.code}: EUR {self.amount}"


class UserProfile(models.Model):
    """Links a user to the structure or State they act for; the role itself is the user's group."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    structure = models.ForeignKey(
        ExecutiveStructure,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    state = models.ForeignKey(
        ParticipatingState,
        verbose_name=_("delegation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegates",
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(structure__isnull=True) | Q(state__isnull=True),
                name="profile_structure_or_state",
                violation_error_message=_("A user acts for a structure or for a State, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.structure or self.state or '-'})"


# --- Reliability plumbing: the job outbox, service heartbeats, idempotent writes ---------------------------------


class OutboxJob(models.Model):
    """A job requested by a change, written in the same transaction as that change.

    ``programmes.jobs`` hands it to Celery after commit; the periodic sweep re-sends what was not handed over (the
    broker was down) or not finished (the message was lost). Tasks are idempotent and claim their work, so a job
    sent twice still does its work once."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    # task + arguments, so the sweep can tell whether a job for the same document is already waiting.
    key = models.CharField(_("key"), max_length=255, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox job")
        verbose_name_plural = _("outbox jobs")
        indexes = [models.Index(fields=["done_at", "sent_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"


class ServiceHeartbeat(models.Model):
    """The last time a Celery worker or beat said it was alive; /healthz reads it."""

    name = models.CharField(_("service"), max_length=50, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service heartbeat")
        verbose_name_plural = _("service heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class IdempotencyRecord(models.Model):
    """The answer to one API POST sent with an ``Idempotency-Key``, kept per user for a day.

    Kept in the database rather than the cache so that a client retrying while Redis is away is still answered
    from the first response instead of writing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("response body"), blank=True, default=b"")
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class FormSubmission(models.Model):
    """A one-time token of an HTML create form: the first POST with it wins, a second one is sent where the first
    one went instead of creating the object again."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    path = models.CharField(_("path"), max_length=500)
    redirect_to = models.CharField(_("went to"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.path
