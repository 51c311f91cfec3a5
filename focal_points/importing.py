"""Import of focal points from CSV or XLSX: read every row, check every row, and only when the whole file is
clean write it in one transaction. The preview shows each row with its errors."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from focal_points import services
from focal_points.models import FocalPoint, Membership, Network, WorkingLanguage
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, ThematicArea

COLUMNS = [
    "first_name",
    "last_name",
    "job_title",
    "state",
    "authority",
    "structure",
    "partner_organisation",
    "email",
    "phone",
    "working_languages",
    "thematic_areas",
    "network",
    "role",
    "start",
    "last_confirmed",
]
REQUIRED_COLUMNS = {"first_name", "last_name"}
MAX_ROWS = 5000


@dataclass
class ImportRow:
    number: int
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    file_errors: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def raw_rows(self) -> list[dict[str, str]]:
        return [row.raw for row in self.rows]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(values) -> list[str]:
    return [_cell(v).lower().replace(" ", "_").replace("-", "_") for v in values]


# An XLSX is a zip: a few hundred kilobytes can unpack to gigabytes. The members' declared sizes are checked before
# anything is opened, and the sheet is streamed and abandoned at the row limit.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Blank rows do not count as rows but still cost time; a sheet may hold this many raw rows in all.
MAX_RAW_ROWS = MAX_ROWS * 2 + 1


def _xlsx_table(content: bytes) -> tuple[list[list], str]:
    """The first sheet's rows, or ("", message) when the workbook is too large to be read."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        return [], _("The workbook unpacks to more than %(mb)d MB; split it into smaller files.") % {
            "mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        }
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        table: list[list] = []
        data_rows = 0
        for raw_count, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            values = list(row)
            if any(_cell(v) for v in values):
                data_rows += 1
                table.append(values)
            # The header plus MAX_ROWS rows are allowed; one more is enough to say the file is too long.
            if data_rows > MAX_ROWS + 1 or raw_count > MAX_RAW_ROWS:
                return [], _("A file may hold at most %(max)d rows.") % {"max": MAX_ROWS}
        return table, ""
    finally:
        workbook.close()


def read_file(uploaded) -> tuple[list[dict[str, str]], list[str]]:
    """Rows as dicts of strings keyed by the known column names, or file-level errors."""
    name = (getattr(uploaded, "name", "") or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        try:
            table, too_big = _xlsx_table(content)
        except (
            InvalidFileException,
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            TypeError,
            IndexError,
            OSError,
            EOFError,
            zipfile.LargeZipFile,
        ):
            return [], [_("The file is not a readable XLSX workbook.")]
        if too_big:
            return [], [too_big]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [_("The CSV file must be encoded in UTF-8.")]
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    table = [row for row in table if any(_cell(v) for v in row)]
    if not table:
        return [], [_("The file is empty.")]
    header = _header(table[0])
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        return [], [_("Missing columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))}]
    unknown = [h for h in header if h and h not in COLUMNS]
    errors = [_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}] if unknown else []
    if len(table) - 1 > MAX_ROWS:
        errors.append(_("A file may hold at most %(max)d rows.") % {"max": MAX_ROWS})
    rows = []
    for values in table[1:]:
        row = dict.fromkeys(COLUMNS, "")
        for column, value in zip(header, values, strict=False):
            if column in row:
                row[column] = _cell(value)
        rows.append(row)
    return rows, errors


def _parse_date(value: str) -> date:
    return date.fromisoformat(value[:10])


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


class _Lookups:
    """Everything the rows refer to, loaded in a handful of queries for the whole file."""

    def __init__(self, rows: list[dict[str, str]]):
        self.states = {}
        for state in ParticipatingState.objects.all():
            self.states[state.iso_code.lower()] = state
            self.states[state.name.lower()] = state
        self.structures = {s.acronym.lower(): s for s in ExecutiveStructure.objects.all()}
        self.structures.update({s.name.lower(): s for s in self.structures.values()})
        self.partners = {o.acronym.lower(): o for o in PartnerOrganisation.objects.all()}
        self.partners.update({o.name.lower(): o for o in list(self.partners.values())})
        self.areas = {a.code.lower(): a for a in ThematicArea.objects.all()}
        self.networks = {n.slug.lower(): n for n in Network.objects.all()}
        self.networks.update({n.name.lower(): n for n in list(self.networks.values())})
        emails = {r["email"].strip().lower() for r in rows if r["email"].strip()}
        self.db_emails = set(
            FocalPoint.objects.annotate(e=Lower("email")).filter(e__in=emails).values_list("e", flat=True)
        )
        last_names = {r["last_name"].strip().lower() for r in rows if r["last_name"].strip()}
        self.db_people = {
            (fn, ln, structure, state, (authority or "").lower() if state else "", partner)
            for fn, ln, structure, state, authority, partner in FocalPoint.objects.annotate(
                fn=Lower("first_name"), ln=Lower("last_name")
            )
            .filter(ln__in=last_names)
            .values_list("fn", "ln", "structure_id", "state_id", "authority", "partner_organisation_id")
        }
        self.open_primaries = set(
            Membership.objects.filter(role=Membership.Role.PRIMARY, end__isnull=True, state__isnull=False).values_list(
                "network_id", "state_id"
            )
        )


def _lookup(table: dict, value: str, message: str):
    """The row ``value`` names (case-insensitive), or the refusal ``message`` naming the value."""
    if not value:
        return None
    found = table.get(value.lower())
    if found is None:
        raise forms.ValidationError(message % {"value": value})
    return found


def _optional_date(value: str) -> date | None:
    if not value:
        return None
    try:
        return _parse_date(value)
    except ValueError:
        raise forms.ValidationError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value}) from None


class ImportRowForm(forms.Form):
    """One row of an import file on its own: names resolved to rows through the file's lookups and the directory's
    rules for a single person. What depends on the other rows of the file is checked by ``_check_against_file``."""

    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)
    job_title = forms.CharField(required=False)
    state = forms.CharField(required=False)
    authority = forms.CharField(required=False)
    structure = forms.CharField(required=False)
    partner_organisation = forms.CharField(required=False)
    email = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    working_languages = forms.CharField(required=False)
    thematic_areas = forms.CharField(required=False)
    network = forms.CharField(required=False)
    role = forms.CharField(required=False)
    start = forms.CharField(required=False)
    last_confirmed = forms.CharField(required=False)

    def __init__(self, raw: dict[str, str], *, lookups: _Lookups):
        super().__init__(data=raw)
        self.lookups = lookups

    def clean_state(self):
        return _lookup(self.lookups.states, self.cleaned_data["state"], _("Unknown State “%(value)s”."))

    def clean_structure(self):
        return _lookup(
            self.lookups.structures, self.cleaned_data["structure"], _("Unknown executive structure “%(value)s”.")
        )

    def clean_partner_organisation(self):
        return _lookup(
            self.lookups.partners,
            self.cleaned_data["partner_organisation"],
            _("Unknown partner organisation “%(value)s”."),
        )

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not email:
            return email
        try:
            validate_email(email)
        except ValidationError:
            raise forms.ValidationError(_("“%(value)s” is not a valid e-mail address.") % {"value": email}) from None
        if email.lower() in self.lookups.db_emails:
            raise forms.ValidationError(
                _("Duplicate person: %(email)s is already in the directory.") % {"email": email}
            )
        return email

    def clean_working_languages(self):
        languages = [code.lower() for code in _split(self.cleaned_data["working_languages"])]
        bad = [code for code in languages if code not in WorkingLanguage.values]
        if bad:
            raise forms.ValidationError(_("Unknown working languages: %(codes)s.") % {"codes": ", ".join(bad)})
        return languages

    def clean_thematic_areas(self):
        codes = _split(self.cleaned_data["thematic_areas"])
        unknown = [code for code in codes if code.lower() not in self.lookups.areas]
        if unknown:
            raise forms.ValidationError([_("Unknown thematic area “%(value)s”.") % {"value": code} for code in unknown])
        return [self.lookups.areas[code.lower()] for code in codes]

    def clean_network(self):
        return _lookup(self.lookups.networks, self.cleaned_data["network"], _("Unknown network “%(value)s”."))

    def clean_role(self):
        role = self.cleaned_data["role"].lower()
        if not role:
            # A per-State network's members are its primary focal points unless the file says otherwise.
            network = self.cleaned_data.get("network")
            return Membership.Role.PRIMARY if network and network.expects_one_per_state else Membership.Role.MEMBER
        if role not in Membership.Role.values:
            raise forms.ValidationError(_("Unknown role “%(value)s”.") % {"value": self.data["role"]})
        return role

    def clean_start(self):
        return _optional_date(self.cleaned_data["start"])

    def clean_last_confirmed(self):
        return _optional_date(self.cleaned_data["last_confirmed"])

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data, never None
        raw = self.data
        if not data.get("first_name") or not data.get("last_name"):
            self.add_error(None, _("First and last name are required."))
        if len([k for k in ("state", "structure", "partner_organisation") if raw[k].strip()]) != 1:
            self.add_error(
                None, _("Give exactly one organisation: a State, an executive structure or a partner organisation.")
            )
        if not raw["state"].strip() and data.get("authority"):
            self.add_error(None, _("An authority can only be given with a State."))
        if not raw["network"].strip() and raw["role"].strip():
            self.add_error(None, _("A role needs a network."))
        if not self.errors:
            self._check_model_fields(data)
        return data

    def _check_model_fields(self, data: dict) -> None:
        """The model's own field rules (lengths above all), so that a preview that says valid also imports."""
        trial = FocalPoint(
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=self.data["job_title"],
            authority=data["authority"] if data.get("state") else "",
            email=data["email"],
            phone=data["phone"],
            working_languages=data["working_languages"],
        )
        try:
            # Relations were resolved from the lookups already; excluding them keeps the check free of queries.
            trial.full_clean(
                exclude=["structure", "state", "partner_organisation", "user"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name == "__all__":
                    self.add_error(None, messages)
                else:
                    label = cast(models.Field, FocalPoint._meta.get_field(name)).verbose_name  # a concrete field
                    self.add_error(None, [f"{label}: {message}" for message in messages])

    def row_errors(self) -> list[str]:
        """Every message of the row, rules across fields first, then field by field in column order."""
        messages = cast(list[str], list(self.non_field_errors()))  # an ErrorList yields its messages
        for name in COLUMNS:
            messages.extend(cast(list[str], self.errors.get(name, [])))
        return messages


@dataclass
class _SeenInFile:
    """What earlier rows of the same file already claimed, with their row numbers."""

    emails: dict[str, int] = field(default_factory=dict)
    people: dict[tuple, int] = field(default_factory=dict)
    primaries: dict[tuple[int, int], int] = field(default_factory=dict)


def _check_email_in_file(row: ImportRow, seen: _SeenInFile) -> None:
    key = row.cleaned["email"].lower()
    if key in seen.emails:
        row.errors.append(_("Duplicate person: the same e-mail as row %(row)d.") % {"row": seen.emails[key]})
    else:
        seen.emails[key] = row.number


def _person_key(cleaned: dict) -> tuple:
    state = cleaned["state"]
    return (
        cleaned["first_name"].lower(),
        cleaned["last_name"].lower(),
        getattr(cleaned["structure"], "pk", None),
        getattr(state, "pk", None),
        cleaned["authority"].lower() if state else "",
        getattr(cleaned["partner_organisation"], "pk", None),
    )


def _check_person(row: ImportRow, lookups: _Lookups, seen: _SeenInFile) -> None:
    """Same name in the same organisation is the same person, in the directory or earlier in the file."""
    person = _person_key(row.cleaned)
    name = f"{row.cleaned['first_name']} {row.cleaned['last_name']}"
    if person in lookups.db_people:
        row.errors.append(
            _("Duplicate person: %(name)s is already in the directory for this organisation.") % {"name": name}
        )
    elif person in seen.people:
        row.errors.append(
            _("Duplicate person: the same name and organisation as row %(row)d.") % {"row": seen.people[person]}
        )
    else:
        seen.people[person] = row.number


def _check_primary(row: ImportRow, lookups: _Lookups, seen: _SeenInFile) -> None:
    """One open primary focal point per network and State, counting the directory and earlier rows."""
    network, state = row.cleaned["network"], row.cleaned["state"]
    if not (network and state and row.cleaned["role"] == Membership.Role.PRIMARY):
        return
    key = (network.pk, state.pk)
    if key in lookups.open_primaries:
        row.errors.append(
            _("%(network)s already has a primary focal point for %(state)s.")
            % {"network": network.name, "state": state.name}
        )
    elif key in seen.primaries:
        row.errors.append(
            _("Row %(row)d is already the primary focal point of this network for this State.")
            % {"row": seen.primaries[key]}
        )
    else:
        seen.primaries[key] = row.number


def _check_row(row: ImportRow, lookups: _Lookups, seen: _SeenInFile) -> None:
    form = ImportRowForm(row.raw, lookups=lookups)
    valid = form.is_valid()
    row.errors.extend(form.row_errors())
    row.cleaned.update(form.cleaned_data)
    if "email" not in form.errors and row.cleaned.get("email"):
        _check_email_in_file(row, seen)
    if valid and not row.errors:
        _check_person(row, lookups, seen)
        _check_primary(row, lookups, seen)


def check_rows(raw_rows: list[dict[str, str]]) -> ImportResult:
    rows = [
        ImportRow(number=index, raw={c: (r.get(c) or "") for c in COLUMNS}) for index, r in enumerate(raw_rows, start=2)
    ]
    lookups = _Lookups([row.raw for row in rows])
    seen = _SeenInFile()
    for row in rows:
        _check_row(row, lookups, seen)
    return ImportResult(rows=rows, file_errors=[] if rows else [_("The file has no rows.")])


def preview(uploaded) -> ImportResult:
    raw_rows, file_errors = read_file(uploaded)
    result = check_rows(raw_rows)
    result.file_errors = file_errors + (result.file_errors if raw_rows else [])
    return result


@transaction.atomic
def import_rows(*, raw_rows: list[dict[str, str]]) -> list[FocalPoint]:
    """Check the rows again (the directory may have changed since the preview) and write them all, or nothing."""
    result = check_rows(raw_rows)
    if not result.is_valid:
        raise ValidationError(
            {
                "file": [f"{_('Row')} {row.number}: {error}" for row in result.rows for error in row.errors]
                or result.file_errors
            }
        )
    created = []
    for row in result.rows:
        data = row.cleaned
        focal_point = services.focal_point_create(
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=row.raw["job_title"],
            structure=data["structure"],
            state=data["state"],
            authority=data["authority"] if data["state"] else "",
            partner_organisation=data["partner_organisation"],
            email=data["email"],
            phone=data["phone"],
            working_languages=data["working_languages"],
            thematic_areas=data["thematic_areas"],
        )
        if data["network"] is not None:
            services.membership_create(
                focal_point=focal_point,
                network=data["network"],
                role=data["role"],
                start=data["start"],
                last_confirmed=data["last_confirmed"],
            )
        created.append(focal_point)
    return created


IMPORT_SALT = "focal_points.import"


def sign_rows(raw_rows: list[dict[str, str]]) -> str:
    """The checked rows travel to the confirm step signed, so nothing is stored before the user confirms."""
    return signing.dumps(raw_rows, salt=IMPORT_SALT, compress=True)


def unsign_rows(payload: str, *, max_age: int = 3600) -> list[dict[str, str]]:
    return signing.loads(payload, salt=IMPORT_SALT, max_age=max_age)
