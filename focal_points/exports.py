"""File formats: CSV and vCard for contacts, CSV and XLSX for coverage and vacancies."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import vobject
from django.utils.translation import gettext as _
from openpyxl import Workbook

from focal_points.models import FocalPoint
from focal_points.selectors import CoverageMatrix
from programmes.documents import workbook_bytes

CONTACT_HEADER = [
    "first_name", "last_name", "job_title", "organisation", "state", "authority", "structure",
    "partner_organisation", "email", "phone", "working_languages", "thematic_areas", "networks", "is_sample",
]


class _Echo:
    def write(self, value):
        return value


def _contact_row(fp: FocalPoint) -> list[str]:
    return [
        fp.first_name,
        fp.last_name,
        fp.job_title,
        fp.organisation_label,
        fp.state.name if fp.state_id else "",
        fp.authority,
        fp.structure.acronym if fp.structure_id else "",
        fp.partner_organisation.acronym if fp.partner_organisation_id else "",
        fp.email,
        fp.phone,
        ";".join(fp.working_languages or []),
        ";".join(a.code for a in fp.thematic_areas.all()),
        ";".join(f"{m.network.name} ({m.role})" for m in fp.memberships.all()),
        "yes" if fp.is_sample else "no",
    ]


def contacts_csv_lines(focal_points: Iterable[FocalPoint]) -> Iterator[str]:
    """Lines of CSV, produced as the rows come so a large export streams."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CONTACT_HEADER)
    for fp in focal_points:
        yield writer.writerow(_contact_row(fp))


def vcard(fp: FocalPoint) -> str:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=fp.last_name, given=fp.first_name)
    card.add("fn").value = fp.full_name
    if fp.job_title:
        card.add("title").value = fp.job_title
    organisation = fp.organisation_label
    if organisation:
        card.add("org").value = [organisation]
    if fp.email:
        email = card.add("email")
        email.value = fp.email
        email.type_param = "INTERNET"
    if fp.phone:
        tel = card.add("tel")
        tel.value = fp.phone
        tel.type_param = "WORK"
    networks = [m.network.name for m in fp.memberships.all()]
    note = "; ".join(networks)
    if fp.is_sample:
        note = (_("Sample data (fictional person).") + " " + note).strip()
    if note:
        card.add("note").value = note
    return card.serialize()


def vcards(focal_points: Iterable[FocalPoint]) -> Iterator[str]:
    for fp in focal_points:
        yield vcard(fp)


def coverage_csv(matrix: CoverageMatrix) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
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
    writer = csv.writer(buffer)
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
