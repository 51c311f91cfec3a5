"""The directory's rows, written in Python (issue 14): 50 rows a page, each with its networks and areas, were the
largest part of the page once the filter form's option lists were cached. Same markup as the row the template wrote
(tests/focal_points/test_views.py checks it); labels are translated once per page and the detail URL reversed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from focal_points.models import FocalPoint, Membership

_MARKER = 987654321


def _text(value: Any) -> str:
    # What {{ value }} prints: localised when not a string, then escaped unless already safe.
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _listed(fp: FocalPoint, listed: str, relation: str):
    # selectors.directory_page_rows prefetches into lists; any other queryset through the related manager.
    rows = getattr(fp, listed, None)
    return getattr(fp, relation).all() if rows is None else rows


def directory_rows(focal_points: Iterable[FocalPoint], *, show_contacts: bool) -> list[SafeString]:
    """One ``<tr>`` per focal point, as focal_points/directory.html wrote it (memberships and areas prefetched)."""
    detail_url = reverse("focal_points:focal_point_detail", args=[_MARKER]).replace(str(_MARKER), "{}")
    roles = {value: conditional_escape(str(label)) for value, label in Membership.Role.choices}
    sample = f' <span class="tag sample-badge">{conditional_escape(gettext("sample"))}</span>'
    rows = []
    for fp in focal_points:
        memberships = "".join(
            f'<span class="tag" title="{roles.get(m.role) or _text(m.role)}">{_text(m.network.localized_name)}</span> '
            for m in _listed(fp, "listed_memberships", "memberships")
        )
        areas = "".join(
            f'<span class="tag">{_text(a.localized_short_name)}</span> '
            for a in _listed(fp, "listed_areas", "thematic_areas")
        )
        contacts = ""
        if show_contacts:
            email = f'<a href="mailto:{_text(fp.email)}">{_text(fp.email)}</a>' if fp.email else ""
            contacts = f"<td>{email}</td><td>{_text(fp.phone)}</td>"
        rows.append(
            mark_safe(  # every value is escaped above or a fixed string
                "\n        <tr>\n"
                f'          <td><a href="{detail_url.format(fp.pk)}">{_text(fp.last_name)}, {_text(fp.first_name)}</a>'
                f"{sample if fp.is_sample else ''}</td>\n"
                f"          <td>{_text(fp.job_title)}</td>\n"
                f"          <td>{_text(fp.organisation_label)}</td>\n"
                f"          <td>{memberships}</td>\n"
                f"          <td>{areas}</td>\n"
                f"          {contacts}\n"
                "        </tr>\n      "
            )
        )
    return rows
