"""The report page's item rows, written in Python (issue 14, round 2): the busiest report's 24 items through the
template loop of activity/includes/item_table.html — about 20 lookups, two ``{% translate %}``, two ``|date`` and a
related manager per relation per item — were the largest part of the page's CPU. Same markup as the loop wrote
(tests/programmes/activity/test_views.py); labels are translated once per page, the project URL reversed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from programmes.activity.models import ActivityType, ReportedActivity

_MARKER = 987654321


def _text(value: Any) -> str:
    # What {{ value }} prints: localised when not a string, then escaped unless already safe.
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _day(value: date | None) -> str:
    # |date:"Y-m-d" (empty for no date)
    return "" if value is None else date_format(value, "Y-m-d")


def _listed(item: ReportedActivity, relation: str) -> list[Any]:
    listed = item.__dict__.get(f"listed_{relation}")
    return listed if listed is not None else list(getattr(item, relation).all())


def item_rows(items: Iterable[ReportedActivity]) -> list[SafeString]:
    """One ``<tr>`` per item, as the loop of activity/includes/item_table.html wrote it (areas, partners, State,
    and the ``shown_project``/``shown_event`` of ``selectors.report_items`` loaded; areas and partners read from
    the lists ``selectors.report_page`` attaches when present)."""
    project_url = reverse("programmes:project_detail", args=[_MARKER]).replace(str(_MARKER), "{}")
    event_label, with_label, online_label = (conditional_escape(gettext(s)) for s in ("Event:", "With", "Online"))
    types = {value: conditional_escape(str(label)) for value, label in ActivityType.choices}
    rows = []
    for item in items:
        project, event, state = item.shown_project, item.shown_event, item.state
        partners = _listed(item, "partner_organisations")
        links = (
            (f'<br><a href="{project_url.format(project.pk)}">{_text(project.code)}</a>' if project else "")
            + "\n        "
            + (f'<br><span class="muted">{event_label} {_text(event.title)}</span>' if event else "")
            + "\n        "
        )
        if partners:
            names = ", ".join(f'<abbr title="{_text(o.name)}">{_text(o.acronym)}</abbr>' for o in partners)
            links += f'<br><span class="muted">{with_label} {names}</span>'
        areas = "".join(
            f'<span class="tag">{_text(a.localized_short_name)}</span> ' for a in _listed(item, "thematic_areas")
        )
        place = (online_label + (", " if state else "")) if item.online else ""
        if state:
            place += f"{_text(item.city)}{', ' if item.city else ''}{_text(state.name)}"
        dates = _day(item.start) + (f" – {_day(item.end)}" if item.end != item.start else "")
        activity_type = types.get(item.activity_type) or _text(item.activity_type)
        rows.append(
            mark_safe(  # every value is escaped above or a fixed string
                "\n    <tr>\n"
                f"      <td><strong>{_text(item.title)}</strong>\n        {links}</td>\n"
                f"      <td>{activity_type}</td>\n"
                f"      <td>{areas}</td>\n"
                f"      <td>{place}</td>\n"
                f"      <td>{dates}</td>\n"
                f'      <td class="num">{_text(item.participants_women)}</td>'
                f'<td class="num">{_text(item.participants_men)}</td>\n'
                f'      <td class="num">{_text(item.participants_unrecorded)}</td>'
                f'<td class="num">{_text(item.participants_total)}</td>\n'
                f"      <td>{linebreaksbr(item.results, autoescape=True)}</td>\n"
                "    </tr>\n  "
            )
        )
    return rows
