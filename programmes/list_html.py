"""The HTML project list's rows, written in Python (issue 14). The same markup the row template wrote
(tests/programmes/test_views.py checks it), through the same filters (``floatformat``, ``intcomma``, ``date``) so
numbers and months are localised as before; labels translated once per page, the detail URL reversed once, each
month formatted once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from programmes.models import Project

_MARKER = 987654321


def _text(value: Any) -> str:
    # What {{ value }} prints: localised when not a string, then escaped unless already safe.
    return conditional_escape(value if isinstance(value, str) else localize(value))


def project_rows(projects: Iterable[Project]) -> list[SafeString]:
    """One ``<tr>`` per project, as programmes/project_list.html wrote it (areas prefetched, lead selected)."""
    detail_url = reverse("programmes:project_detail", args=[_MARKER]).replace(str(_MARKER), "{}")
    funding = {value: conditional_escape(str(label)) for value, label in Project.FundingSource.choices}
    statuses = {value: conditional_escape(str(label)) for value, label in Project.Status.choices}
    not_given = conditional_escape(gettext("not given"))
    months: dict[tuple[int, int], str] = {}

    def month(day: date | None) -> str:
        # {{ day|date:"M Y"|default:"–" }}
        if day is None:
            return "–"
        key = (day.year, day.month)
        if key not in months:
            months[key] = conditional_escape(date_filter(day, "M Y")) or "–"
        return months[key]

    rows = []
    for project in projects:
        lead = project.lead_structure
        areas = "".join(
            f'<span class="tag">{_text(area.localized_short_name)}</span> ' for area in project.thematic_areas.all()
        )
        budget = not_given if project.budget is None else conditional_escape(intcomma(floatformat(project.budget, 0)))
        rows.append(
            mark_safe(  # every value is escaped above or a fixed string
                "\n        <tr>\n"
                f'          <td><a href="{detail_url.format(project.pk)}">{_text(project.code)}</a></td>\n'
                f"          <td>{_text(project.title)}</td>\n"
                f'          <td><abbr title="{_text(lead.localized_name)}">{_text(lead.acronym)}</abbr></td>\n'
                f"          <td>{areas}</td>\n"
                f"          <td>{funding.get(project.funding_source) or _text(project.funding_source)}</td>\n"
                f'          <td class="num">{budget}</td>\n'
                f'          <td><span class="status status-{_text(project.status)}">'
                f"{statuses.get(project.status) or _text(project.status)}</span></td>\n"
                f"          <td>{month(project.start)} – {month(project.end)}</td>\n"
                "        </tr>\n      "
            )
        )
    return rows
