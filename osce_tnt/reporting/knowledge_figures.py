"""Gaps from the knowledge app for the dashboards and the periodic reports: States not bound by an instrument where
the OSCE gave no legal assistance on it, States without a UNSCR 1540 action plan, and decisions with no
implementing work in the period. Read through ``knowledge.selectors`` only; every value is JSON-able, because a
report stores its figures.

The tables carry the knowledge resource that guards the matching page (``resource``): the dashboards show them to
those who may open that page, while a report, which staff publish deliberately, keeps them all."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from knowledge import selectors as knowledge_selectors
from knowledge.models import Instrument
from programmes.models import ThematicArea

# The resources of knowledge.permissions whose pages list the same gaps.
LEGAL_GAPS_RESOURCE = "legal_gaps"
DECISION_GAPS_RESOURCE = "decision_gaps"


def _area_scope_ids(area_id: int | None, area_top_id: int | None) -> set[int]:
    """A thematic area filter reaches the area, its sub-areas and its top area: an instrument or a decision on
    "organised crime" concerns its sub-area "trafficking in human beings" and the other way round."""
    if not area_id:
        return set()
    ids = {area_id} | set(ThematicArea.objects.filter(parent_id=area_id).values_list("pk", flat=True))
    if area_top_id:
        ids.add(area_top_id)
    return ids


def _instrument_ids(area_ids: set[int], family: str | None = None) -> list[int] | None:
    """Instruments touching the areas (None: no area filter, every instrument)."""
    if not area_ids:
        return None
    return knowledge_selectors.instrument_ids_for_areas(area_ids=area_ids, family=family)


def _on(end: date | None, today: date) -> date:
    """The date the legal position is read for: the end of the period, or today if the period ends later or
    has no end (the matrix knows nothing about the future)."""
    return min(end, today) if end else today


def legal_gap_figures(
    *,
    start: date | None,
    end: date | None,
    today: date,
    region: str = "",
    state_id: int | None = None,
    area_id: int | None = None,
    area_top_id: int | None = None,
) -> dict:
    """Per instrument, the participating States not bound by it at the end of the period (see ``_on``) where no
    accepted OSCE legal-assistance activity on its areas took place during the period (at any time if the period
    has no start)."""
    on = _on(end, today)
    since = min(start, on) if start else date.min
    instrument_ids = _instrument_ids(_area_scope_ids(area_id, area_top_id))
    gaps = (
        []
        if instrument_ids == []
        else knowledge_selectors.legal_gaps(on=on, start=since, region=region or None, instrument_ids=instrument_ids)
    )
    by_instrument: dict[int, tuple[Instrument, list[str]]] = {}
    for gap in gaps:
        if state_id and gap.state.pk != state_id:
            continue
        by_instrument.setdefault(gap.instrument.pk, (gap.instrument, []))[1].append(gap.state.name)
    rows = [[instrument.short_name, len(states), ", ".join(states)] for instrument, states in by_instrument.values()]
    if start:
        note = _(
            "Participating States that had not ratified or acceded to the instrument on %(on)s and where no "
            "accepted OSCE legal-assistance activity on its thematic areas took place from %(start)s."
        ) % {"on": on.isoformat(), "start": since.isoformat()}
    else:
        note = _(
            "Participating States that had not ratified or acceded to the instrument on %(on)s and where no "
            "accepted OSCE legal-assistance activity on its thematic areas was ever reported."
        ) % {"on": on.isoformat()}
    return {"rows": rows, "on": on.isoformat(), "note": note}


def action_plan_figures(
    *,
    end: date | None,
    today: date,
    region: str = "",
    state_id: int | None = None,
    area_id: int | None = None,
    area_top_id: int | None = None,
) -> dict:
    """The participating States without a national UNSCR 1540 action plan at the end of the period, grouped by
    the furthest step they had taken."""
    on = _on(end, today)
    instrument_ids = _instrument_ids(_area_scope_ids(area_id, area_top_id), family="wmd")
    gaps = [] if instrument_ids == [] else knowledge_selectors.states_without_action_plan(on=on, region=region or None)
    by_step: dict[str, list[str]] = {}
    for gap in gaps:
        if instrument_ids is not None and gap.instrument.pk not in instrument_ids:
            continue
        if state_id and gap.state.pk != state_id:
            continue
        by_step.setdefault(gap.cell.label or _("Nothing recorded"), []).append(gap.state.name)
    rows = [[step, len(states), ", ".join(states)] for step, states in by_step.items()]
    return {
        "rows": rows,
        "on": on.isoformat(),
        "note": _("Participating States without a national UNSCR 1540 action plan on %(on)s, by their furthest step.")
        % {"on": on.isoformat()},
    }


def decision_gap_figures(
    *,
    projects: QuerySet,
    events: QuerySet,
    activities: QuerySet,
    start: date | None,
    end: date | None,
    area_id: int | None = None,
    area_top_id: int | None = None,
) -> dict:
    """Adopted decisions with no project running, event or accepted activity in the period among the work the
    caller counts (published work for a report), with when work under each was last seen."""
    area_ids = _area_scope_ids(area_id, area_top_id)
    decisions = knowledge_selectors.decision_list()
    if area_ids:
        decisions = decisions.filter(thematic_areas__in=area_ids).distinct()
    gaps = knowledge_selectors.idle_decisions(
        projects=projects,
        events=events,
        activities=activities,
        start=start or date.min,
        end=end or date.max,
        decisions=decisions,
    )
    rows = [
        [gap.mandate.code, gap.mandate.title, gap.last_work.isoformat() if gap.last_work else _("never")]
        for gap in gaps
    ]
    if start or end:
        note = _(
            "Adopted decisions with no project running, no event and no accepted activity from %(start)s to %(end)s."
        ) % {"start": start.isoformat() if start else "…", "end": end.isoformat() if end else "…"}
    else:
        note = _("Adopted decisions under which no project, event or accepted activity was ever recorded.")
    return {"rows": rows, "note": note}
