"""Networks of focal points: who to call, for which structure, State or partner organisation, on which themes,
and whether each network still has someone confirmed in every participating State."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import (
    ExecutiveStructure,
    Mandate,
    ParticipatingState,
    PartnerOrganisation,
    ThematicArea,
    in_active_language,
)
from programmes.search import search_text_field
from programmes.versioning import Versioned


class WorkingLanguage(models.TextChoices):
    """The six official OSCE languages plus the languages most used in the field."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ITALIAN = "it", _("Italian")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")
    ALBANIAN = "sq", _("Albanian")
    ARMENIAN = "hy", _("Armenian")
    AZERBAIJANI = "az", _("Azerbaijani")
    BOSNIAN_CROATIAN_SERBIAN = "sh", _("Bosnian/Croatian/Serbian")
    DARI = "prs", _("Dari")
    GEORGIAN = "ka", _("Georgian")
    KAZAKH = "kk", _("Kazakh")
    KYRGYZ = "ky", _("Kyrgyz")
    MACEDONIAN = "mk", _("Macedonian")
    PASHTO = "ps", _("Pashto")
    ROMANIAN = "ro", _("Romanian")
    TAJIK = "tg", _("Tajik")
    TURKISH = "tr", _("Turkish")
    TURKMEN = "tk", _("Turkmen")
    UKRAINIAN = "uk", _("Ukrainian")
    UZBEK = "uz", _("Uzbek")


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        # A database default as well: code that predates the column (a rolling deploy) can still insert rows.
        db_default="",
    )
    slug = models.SlugField(_("short code"), max_length=60, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    founding_mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("founding mandate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="founded_networks",
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, verbose_name=_("thematic areas"), blank=True, related_name="networks"
    )
    coordinating_structure = models.ForeignKey(
        ExecutiveStructure,
        verbose_name=_("co-ordinating structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_networks",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-ordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_networks",
        help_text=_("Approves changes that focal points propose to their own details."),
    )
    expects_one_per_state = models.BooleanField(
        _("expects one focal point per participating State"), default=False, db_index=True
    )
    proposed = models.BooleanField(
        _("proposed"), default=False, help_text=_("Proposed in the 2010 report but not yet established.")
    )

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("focal_points:network_detail", args=[self.pk])

    @property
    def localized_name(self) -> str:
        return in_active_language(self, "name")


# ``?q=`` matches each word in one of these (focal_points.filtersets); the e-mail address only for those who may see
# it, so each set has its own stored column (programmes.search).
FOCAL_POINT_SEARCH_FIELDS = ("first_name", "last_name", "job_title")
FOCAL_POINT_CONTACT_SEARCH_FIELDS = (*FOCAL_POINT_SEARCH_FIELDS, "email")


class FocalPoint(Versioned):
    """A person in a role. The organisation is exactly one of: an executive structure, an authority of a
    participating State, or a partner organisation."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    structure = models.ForeignKey(
        ExecutiveStructure,
        verbose_name=_("executive structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    state = models.ForeignKey(
        ParticipatingState,
        verbose_name=_("participating State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    authority = models.CharField(
        _("State authority"),
        max_length=200,
        blank=True,
        help_text=_("The ministry or agency of the participating State, e.g. Ministry of the Interior."),
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    working_languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("Language codes, e.g. en, ru.")
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, verbose_name=_("thematic areas"), blank=True, related_name="focal_points"
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, db_index=True, help_text=_("A fictional person used for demonstration.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_point",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = search_text_field(*FOCAL_POINT_SEARCH_FIELDS)
    search_text_with_email = search_text_field(*FOCAL_POINT_CONTACT_SEARCH_FIELDS)

    # Who changed what and when (django-simple-history); shown on the object's page. The search columns are derived
    # from fields the history already holds.
    history = HistoricalRecords(excluded_fields=["search_text", "search_text_with_email"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="focal_point_name"),
            models.Index(Lower("last_name"), name="focal_point_last_name_lower"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(structure__isnull=False, state__isnull=True, partner_organisation__isnull=True)
                    | Q(structure__isnull=True, state__isnull=False, partner_organisation__isnull=True)
                    | Q(structure__isnull=True, state__isnull=True, partner_organisation__isnull=False)
                ),
                name="focal_point_exactly_one_organisation",
                violation_error_message=_(
                    "Choose exactly one organisation: an executive structure, a participating State or a partner "
                    "organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__isnull=False) | Q(authority=""),
                name="focal_point_authority_only_for_state",
                violation_error_message=_("A State authority can only be given for a participating State."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="focal_point_unique_email",
                violation_error_message=_("Another focal point already has this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("focal_points:focal_point_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organisation(self):
        return self.structure or self.state or self.partner_organisation

    @property
    def organisation_label(self) -> str:
        if self.structure is not None:
            return self.structure.acronym
        if self.state is not None:
            return f"{self.state.name} – {self.authority}" if self.authority else self.state.name
        if self.partner_organisation is not None:
            return self.partner_organisation.acronym
        return ""

    def language_labels(self) -> list[str]:
        labels = dict(WorkingLanguage.choices)
        return [str(labels.get(code, code)) for code in self.working_languages or []]

    def clean(self):
        super().clean()
        languages = self.working_languages or []
        if not isinstance(languages, list) or any(code not in WorkingLanguage.values for code in languages):
            raise ValidationError({"working_languages": _("Choose languages from the list.")})


class Membership(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary focal point")
        ALTERNATE = "alternate", _("Alternate")
        MEMBER = "member", _("Member")

    focal_point = models.ForeignKey(
        FocalPoint, verbose_name=_("focal point"), on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="memberships"
    )
    # Copied from the focal point by the services so that "one primary per network and State" is a DB constraint
    # and coverage needs no join.
    state = models.ForeignKey(
        ParticipatingState,
        verbose_name=_("participating State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="focal_point_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PRIMARY)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    last_confirmed = models.DateField(_("last confirmed"), null=True, blank=True)

    # Who changed what and when (django-simple-history); shown on the object's page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["network", "role", "state"], name="membership_network_role_state"),
            models.Index(fields=["focal_point", "end"], name="membership_focal_point_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # Open-ended primaries are the common case; overlapping dated ones are refused by the services.
            models.UniqueConstraint(
                fields=["network", "state"],
                condition=Q(role="primary", end__isnull=True, state__isnull=False),
                name="membership_one_open_primary_per_state",
                violation_error_message=_("This network already has a primary focal point for this State."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.focal_point} – {self.network} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.focal_point_id is not None:
            # Whatever the entry point (service, admin, import), the row carries its focal point's State.
            self.state_id = self.focal_point.state_id


class ConfirmationRequest(models.Model):
    """One yearly request to a focal point to confirm their details; the (focal point, year) row makes reruns
    harmless and ``sent_at`` is claimed with a conditional UPDATE so no e-mail goes twice."""

    focal_point = models.ForeignKey(
        FocalPoint, verbose_name=_("focal point"), on_delete=models.CASCADE, related_name="confirmation_requests"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "focal_point"]
        verbose_name = _("confirmation request")
        verbose_name_plural = _("confirmation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["focal_point", "year"],
                name="confirmation_once_per_year",
                violation_error_message=_("This focal point has already been asked this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.focal_point} {self.year}"


class ProposedChange(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    focal_point = models.ForeignKey(
        FocalPoint, verbose_name=_("focal point"), on_delete=models.CASCADE, related_name="proposed_changes"
    )
    confirmation_request = models.ForeignKey(
        ConfirmationRequest,
        verbose_name=_("confirmation request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    data = models.JSONField(_("proposed details"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        indexes = [models.Index(fields=["status", "submitted_at"], name="proposed_change_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="proposed_change_decision_dated",
                violation_error_message=_("A decided change needs a decision date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.focal_point} ({self.get_status_display()})"
