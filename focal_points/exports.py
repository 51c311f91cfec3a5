"""File formats: CSV and vCard for contacts, CSV and XLSX for coverage and vacancies."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import vobject
from django.utils.translation import gettext as _
from openpyxl import Workbook

from focal_points.models import FocalPoint, Membership
from focal_points.selectors import CoverageMatrix
from programmes.spreadsheets import csv_writer, workbook_bytes

CONTACT_HEADER = [
    "first_name",
    "last_name",
    "job_title",
    "organisation",
    "state",
    "authority",
    "structure",
    "partner_organisation",
    "email",
    "phone",
    "working_languages",
    "thematic_areas",
    "networks",
    "is_sample",
]


class _Echo:
    def write(self, value):
        return value


@dataclass
class Contact:
    """One row of a contact export, built from plain values so that 20,000 rows stream quickly."""

    first_name: str
    last_name: str
    job_title: str
    state: str
    authority: str
    structure: str
    partner_organisation: str
    email: str
    phone: str
    working_languages: list[str]
    is_sample: bool
    thematic_areas: list[str] = field(default_factory=list)
    networks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def organisation_label(self) -> str:
        if self.state:
            return f"{self.state} – {self.authority}" if self.authority else self.state
        return self.structure or self.partner_organisation

    @classmethod
    def from_focal_point(cls, fp: FocalPoint, *, include_contacts: bool = True) -> Contact:
        return cls(
            first_name=fp.first_name,
            last_name=fp.last_name,
            job_title=fp.job_title,
            state=fp.state.name if fp.state is not None else "",
            authority=fp.authority,
            structure=fp.structure.acronym if fp.structure is not None else "",
            partner_organisation=fp.partner_organisation.acronym if fp.partner_organisation is not None else "",
            email=fp.email if include_contacts else "",
            phone=fp.phone if include_contacts else "",
            working_languages=list(fp.working_languages or []),
            is_sample=fp.is_sample,
            thematic_areas=[a.code for a in fp.thematic_areas.all()],
            networks=[(m.network.name, m.role) for m in fp.memberships.all()],
        )


_VALUES = (
    "pk",
    "first_name",
    "last_name",
    "job_title",
    "state__name",
    "authority",
    "structure__acronym",
    "partner_organisation__acronym",
    "email",
    "phone",
    "working_languages",
    "is_sample",
)


def _with_relations(batch: list[tuple], include_contacts: bool) -> Iterator[Contact]:
    ids = [row[0] for row in batch]
    areas: dict[int, list[str]] = {}
    for fp_id, code in FocalPoint.thematic_areas.through.objects.filter(focalpoint_id__in=ids).values_list(
        "focalpoint_id", "thematicarea__code"
    ):
        areas.setdefault(fp_id, []).append(code)
    networks: dict[int, list[tuple[str, str]]] = {}
    for fp_id, name, role in (
        Membership.objects.filter(focal_point_id__in=ids)
        .order_by("network__name")
        .values_list("focal_point_id", "network__name", "role")
    ):
        networks.setdefault(fp_id, []).append((name, role))
    for pk, first, last, title, state, authority, structure, partner, email, phone, languages, sample in batch:
        yield Contact(
            first_name=first,
            last_name=last,
            job_title=title,
            state=state or "",
            authority=authority,
            structure=structure or "",
            partner_organisation=partner or "",
            email=email if include_contacts else "",
            phone=phone if include_contacts else "",
            working_languages=list(languages or []),
            is_sample=sample,
            thematic_areas=sorted(areas.get(pk, [])),
            networks=networks.get(pk, []),
        )


def contact_records(queryset, *, include_contacts: bool, chunk_size: int = 2000) -> Iterator[Contact]:
    """Contacts of the (filtered) queryset in its order: one query per chunk for the people and two for their
    areas and networks, never one per row."""
    batch: list[tuple] = []
    for row in queryset.prefetch_related(None).values_list(*_VALUES).iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from _with_relations(batch, include_contacts)
            batch = []
    if batch:
        yield from _with_relations(batch, include_contacts)


def _contact_row(contact: Contact) -> list[str]:
    return [
        contact.first_name,
        contact.last_name,
        contact.job_title,
        contact.organisation_label,
        contact.state,
        contact.authority,
        contact.structure,
        contact.partner_organisation,
        contact.email,
        contact.phone,
        ";".join(contact.working_languages),
        ";".join(contact.thematic_areas),
        ";".join(f"{name} ({role})" for name, role in contact.networks),
        "yes" if contact.is_sample else "no",
    ]


def contacts_csv_lines(contacts: Iterable[Contact]) -> Iterator[str]:
    """Lines of CSV, produced as the rows come so a large export streams."""
    writer = csv_writer(_Echo())
    yield "\ufeff" + writer.writerow(CONTACT_HEADER)
    for contact in contacts:
        yield writer.writerow(_contact_row(contact))


def vcard(contact: Contact) -> str:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    card.add("fn").value = contact.full_name
    if contact.job_title:
        card.add("title").value = contact.job_title
    organisation = contact.organisation_label
    if organisation:
        card.add("org").value = [organisation]
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "WORK"
    note = "; ".join(name for name, _role in contact.networks)
    if contact.is_sample:
        note = (_("Sample data (fictional person).") + " " + note).strip()
    if note:
        card.add("note").value = note
    return card.serialize()


def vcards(contacts: Iterable[Contact]) -> Iterator[str]:
    for contact in contacts:
        yield vcard(contact)


def coverage_csv(matrix: CoverageMatrix) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([_("State"), _("ISO code")] + [n.name for n in matrix.networks])
    for state, cells in matrix.rows:
        writer.writerow([state.name, state.iso_code] + [cell.status for cell in cells])
    return "\ufeff" + buffer.getvalue()


def coverage_xlsx(matrix: CoverageMatrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Coverage")[:31]
    sheet.append([_("State"), _("ISO code")] + [n.name for n in matrix.networks])
    for state, cells in matrix.rows:
        sheet.append([state.name, state.iso_code] + [cell.status for cell in cells])
    totals = workbook.create_sheet(_("Totals")[:31])
    totals.append([_("Network"), _("Covered"), _("Stale"), _("Vacant")])
    for row in matrix.totals:
        totals.append([row["network"].name, row["covered"], row["stale"], row["vacant"]])
    return workbook_bytes(workbook)


def _vacancy_values(row: dict) -> list:
    cell = row["cell"]
    fp = cell.focal_point
    return [
        row["network"].name,
        row["state"].name,
        row["state"].iso_code,
        row["status"],
        fp.full_name if fp else "",
        cell.membership.last_confirmed.isoformat() if cell.membership and cell.membership.last_confirmed else "",
    ]


VACANCY_HEADER = ["network", "state", "iso_code", "status", "focal_point", "last_confirmed"]


def vacancies_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(VACANCY_HEADER)
    for row in rows:
        writer.writerow(_vacancy_values(row))
    return "\ufeff" + buffer.getvalue()


def vacancies_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Vacancies")[:31]
    sheet.append(VACANCY_HEADER)
    for row in rows:
        sheet.append(_vacancy_values(row))
    return workbook_bytes(workbook)
