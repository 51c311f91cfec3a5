"""Import of focal points from CSV or XLSX: read every row, check every row, and only when the whole file is
clean write it in one transaction. The preview shows each row with its errors."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from focal_points import services
from focal_points.models import FocalPoint, Membership, Network, WorkingLanguage
from programmes.models import ExecutiveStructure, ParticipatingState, PartnerOrganisation, ThematicArea

COLUMNS = [
    "first_name", "last_name", "job_title", "state", "authority", "structure", "partner_organisation", "email",
    "phone", "working_languages", "thematic_areas", "network", "role", "start", "last_confirmed",
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


def read_file(uploaded) -> tuple[list[dict[str, str]], list[str]]:
    """Rows as dicts of strings keyed by the known column names, or file-level errors."""
    name = (getattr(uploaded, "name", "") or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError):
            return [], [_("The file is not a readable XLSX workbook.")]
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
            Membership.objects.filter(role=Membership.Role.PRIMARY, end__isnull=True, state__isnull=False)
            .values_list("network_id", "state_id")
        )


def _check_row(row: ImportRow, lookups: _Lookups, seen_emails: dict, seen_people: dict, seen_primaries: dict):
    raw, errors, cleaned = row.raw, row.errors, row.cleaned
    first, last = raw["first_name"].strip(), raw["last_name"].strip()
    if not first or not last:
        errors.append(_("First and last name are required."))
    organisations = [k for k in ("state", "structure", "partner_organisation") if raw[k].strip()]
    if len(organisations) != 1:
        errors.append(_("Give exactly one organisation: a State, an executive structure or a partner organisation."))
    if raw["state"].strip():
        state = lookups.states.get(raw["state"].strip().lower())
        if state is None:
            errors.append(_("Unknown State “%(value)s”.") % {"value": raw["state"]})
        cleaned["state"] = state
    elif raw["authority"].strip():
        errors.append(_("An authority can only be given with a State."))
    if raw["structure"].strip():
        structure = lookups.structures.get(raw["structure"].strip().lower())
        if structure is None:
            errors.append(_("Unknown executive structure “%(value)s”.") % {"value": raw["structure"]})
        cleaned["structure"] = structure
    if raw["partner_organisation"].strip():
        partner = lookups.partners.get(raw["partner_organisation"].strip().lower())
        if partner is None:
            errors.append(_("Unknown partner organisation “%(value)s”.") % {"value": raw["partner_organisation"]})
        cleaned["partner_organisation"] = partner
    email = raw["email"].strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": email})
        else:
            key = email.lower()
            if key in lookups.db_emails:
                errors.append(_("Duplicate person: %(email)s is already in the directory.") % {"email": email})
            elif key in seen_emails:
                errors.append(_("Duplicate person: the same e-mail as row %(row)d.") % {"row": seen_emails[key]})
            else:
                seen_emails[key] = row.number
    cleaned["email"] = email
    languages = [code.lower() for code in _split(raw["working_languages"])]
    bad = [code for code in languages if code not in WorkingLanguage.values]
    if bad:
        errors.append(_("Unknown working languages: %(codes)s.") % {"codes": ", ".join(bad)})
    cleaned["working_languages"] = languages
    areas = []
    for code in _split(raw["thematic_areas"]):
        area = lookups.areas.get(code.lower())
        if area is None:
            errors.append(_("Unknown thematic area “%(value)s”.") % {"value": code})
        else:
            areas.append(area)
    cleaned["thematic_areas"] = areas
    for name in ("start", "last_confirmed"):
        value = raw[name].strip()
        cleaned[name] = None
        if value:
            try:
                cleaned[name] = _parse_date(value)
            except ValueError:
                errors.append(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": value})
    network = None
    if raw["network"].strip():
        network = lookups.networks.get(raw["network"].strip().lower())
        if network is None:
            errors.append(_("Unknown network “%(value)s”.") % {"value": raw["network"]})
    elif raw["role"].strip():
        errors.append(_("A role needs a network."))
    cleaned["network"] = network
    role = raw["role"].strip().lower() or (Membership.Role.PRIMARY if network and network.expects_one_per_state
                                          else Membership.Role.MEMBER)
    if role not in Membership.Role.values:
        errors.append(_("Unknown role “%(value)s”.") % {"value": raw["role"]})
    cleaned["role"] = role
    if errors or not (first and last):
        return
    _check_fields(row)
    if errors:
        return
    state = cleaned.get("state")
    person = (first.lower(), last.lower(), getattr(cleaned.get("structure"), "pk", None),
              getattr(state, "pk", None), raw["authority"].strip().lower() if state else "",
              getattr(cleaned.get("partner_organisation"), "pk", None))
    if person in lookups.db_people:
        errors.append(_("Duplicate person: %(name)s is already in the directory for this organisation.")
                      % {"name": f"{first} {last}"})
    elif person in seen_people:
        errors.append(_("Duplicate person: the same name and organisation as row %(row)d.")
                      % {"row": seen_people[person]})
    else:
        seen_people[person] = row.number
    if network and state and role == Membership.Role.PRIMARY:
        key = (network.pk, state.pk)
        if key in lookups.open_primaries:
            errors.append(_("%(network)s already has a primary focal point for %(state)s.")
                          % {"network": network.name, "state": state.name})
        elif key in seen_primaries:
            errors.append(_("Row %(row)d is already the primary focal point of this network for this State.")
                          % {"row": seen_primaries[key]})
        else:
            seen_primaries[key] = row.number


def _check_fields(row: ImportRow) -> None:
    """The model's own field rules (lengths above all), so that a preview that says valid also imports."""
    raw, cleaned = row.raw, row.cleaned
    trial = FocalPoint(
        first_name=raw["first_name"].strip(), last_name=raw["last_name"].strip(), job_title=raw["job_title"],
        authority=raw["authority"].strip() if cleaned.get("state") else "", email=cleaned["email"],
        phone=raw["phone"].strip(), working_languages=cleaned["working_languages"],
    )
    try:
        # Relations were resolved from the lookups already; excluding them keeps the check free of queries.
        trial.full_clean(exclude=["structure", "state", "partner_organisation", "user"], validate_unique=False,
                         validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name == "__all__":
                row.errors.extend(messages)
            else:
                label = FocalPoint._meta.get_field(name).verbose_name
                row.errors.extend(f"{label}: {message}" for message in messages)


def check_rows(raw_rows: list[dict[str, str]]) -> ImportResult:
    rows = [ImportRow(number=index, raw={c: (r.get(c) or "") for c in COLUMNS})
            for index, r in enumerate(raw_rows, start=2)]
    lookups = _Lookups([row.raw for row in rows])
    seen_emails: dict = {}
    seen_people: dict = {}
    seen_primaries: dict = {}
    for row in rows:
        _check_row(row, lookups, seen_emails, seen_people, seen_primaries)
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
            {"file": [f"{_('Row')} {row.number}: {error}" for row in result.rows for error in row.errors]
             or result.file_errors}
        )
    created = []
    for row in result.rows:
        data = row.cleaned
        focal_point = services.focal_point_create(
            first_name=row.raw["first_name"],
            last_name=row.raw["last_name"],
            job_title=row.raw["job_title"],
            structure=data.get("structure"),
            state=data.get("state"),
            authority=row.raw["authority"] if data.get("state") else "",
            partner_organisation=data.get("partner_organisation"),
            email=data["email"],
            phone=row.raw["phone"],
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
