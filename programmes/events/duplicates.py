"""Scoring of likely duplicates: pure functions over already-loaded rows, no database access.

The candidate set is bounded by the database (date window, shared thematic area family, and a shared place the
weights allow: ``places_that_may_match``), and ``may_match`` drops the candidates that could not reach the threshold
even with identical titles before the candidate cap, so the scoring here only ever sees a few dozen events. The
score is symmetric, so a pair scores the same whichever of its two events was saved last.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import Region

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def scoring() -> dict:
    """The scorer's weights, kept as data (data/scoring.json) and shown on the page that explains scores."""
    return json.loads((DATA / "scoring.json").read_text(encoding="utf-8"))


@functools.cache
def glossary() -> tuple[tuple[str, str], ...]:
    """(stem, concept) pairs from data/glossary.json, longest stems first so the most specific stem wins."""
    concepts = json.loads((DATA / "glossary.json").read_text(encoding="utf-8"))["concepts"]
    pairs = [
        (stem.casefold(), concept)
        for concept, languages in concepts.items()
        for stems in languages.values()
        for stem in stems
    ]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def glossary_table() -> list[tuple[str, list[str], list[str]]]:
    """(concept, English stems, Russian stems) for the explanation page."""
    concepts = json.loads((DATA / "glossary.json").read_text(encoding="utf-8"))["concepts"]
    return [(name, langs.get("en", []), langs.get("ru", [])) for name, langs in sorted(concepts.items())]


_W = scoring()["overlap"]
# A shared area is a precondition of being a candidate at all; the place weighs most because the report's complaint
# is two structures working on the same theme in the same country at the same time.
WEIGHT_AREA_SAME = _W["area_same"]
WEIGHT_AREA_RELATED = _W["area_related"]
WEIGHT_SAME_STATE = _W["same_state"]
WEIGHT_SAME_REGION = _W["same_region"]
WEIGHT_BOTH_ONLINE = _W["both_online"]
WEIGHT_DATES = _W["dates"]
WEIGHT_TITLE = _W["title"]
ALERT_THRESHOLD = _W["alert_threshold"]
SIMILAR_TITLE_REASON = _W["similar_title_reason"]
# pg_trgm similarity of the raw titles counts only from here up, and only for a possible double entry (a typo).
TRIGRAM_MIN = _W["trigram_min_similarity"]
_D = scoring()["double_entry"]
DOUBLE_ENTRY_TITLE = _D["min_title_similarity"]
DOUBLE_ENTRY_GAP = _D["max_day_gap"]
STRONG_MATCH = _D["strong_match"]

OVERLAP = "overlap"
DOUBLE_ENTRY = "double_entry"

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "at",
        "by",
        "de",
        "del",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "osce",
        "обсе",
        "the",
        "to",
        "with",
        "within",
        "на",
        "по",
        "для",
        "и",
        "в",
        "с",
        "о",
    }
)
_WORD = re.compile(r"\w{3,}", re.UNICODE)


@dataclass(frozen=True)
class AreaInfo:
    pk: int
    parent_id: int | None
    short_name: str


@dataclass(frozen=True)
class EventFacts:
    """What the scorer needs of one event."""

    pk: int
    title: str
    start_date: date
    end_date: date
    state_id: int | None
    state_name: str
    region: str
    online: bool
    area_ids: frozenset[int]
    lead_id: int | None = None
    co_organiser_ids: frozenset[int] = frozenset()
    # The title's terms as PostgreSQL made them (text_search); None on SQLite, where title_tokens() stands in.
    terms: frozenset[str] | None = None


@dataclass
class Match:
    other_id: int
    score: float
    reasons: list[str] = field(default_factory=list)
    kind: str = OVERLAP


def _concept(word: str) -> str:
    for stem, concept in glossary():
        if word.startswith(stem):
            return concept
    # Outside the glossary a short stem still matches inflected forms ("trainings", "тренинги").
    return word[:6]


def title_tokens(title: str) -> frozenset[str]:
    """The title as a set of concepts: glossary terms in English or Russian become the same concept, other words
    their stem, so "Семинар по выявлению жертв торговли людьми" and "Workshop on identifying victims of
    trafficking" share most of their tokens."""
    return frozenset(_concept(w) for w in _WORD.findall(title.casefold()) if w not in STOPWORDS)


def already_coordinated(a: EventFacts, b: EventFacts) -> bool:
    """One structure leads both, or one lead co-organises the other's event: they already know of each other."""
    if a.lead_id is None or b.lead_id is None:
        return False
    return a.lead_id == b.lead_id or a.lead_id in b.co_organiser_ids or b.lead_id in a.co_organiser_ids


def terms_of(event: EventFacts) -> frozenset[str]:
    return event.terms if event.terms is not None else title_tokens(event.title)


class AtMost(dict[int, float]):
    """A trigram mapping answering 1.0 for every event: the best any title could do. Scoring with it first tells the
    set-based rescan which pairs are worth asking PostgreSQL's similarity() about (the score only grows with the
    title similarity, so a pair that fails with 1.0 fails with the real value too)."""

    def get(self, key: int, default: float | None = None) -> float:  # type: ignore[override]
        return 1.0


def title_similarity(a_terms: frozenset[str], b_terms: frozenset[str], trigram: float) -> tuple[float, bool]:
    """The title similarity and whether the near-identical spelling (pg_trgm) decided it."""
    shared = jaccard(a_terms, b_terms)
    if trigram >= TRIGRAM_MIN and trigram > shared:
        return trigram, True
    return shared, False


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def day_gap(a: EventFacts, b: EventFacts) -> int:
    """0 when the date ranges overlap, else the number of days between the end of one and the start of the other."""
    return max(0, (max(a.start_date, b.start_date) - min(a.end_date, b.end_date)).days)


def _area_match(a: EventFacts, b: EventFacts, areas: dict[int, AreaInfo]) -> tuple[float, Callable[[], str]] | None:
    """The area weight and a function giving the reason (translated only for pairs that are reported)."""
    same = a.area_ids & b.area_ids
    if same:
        names = sorted(areas[i].short_name for i in same if i in areas)
        return WEIGHT_AREA_SAME, lambda: _("same area: %(areas)s") % {"areas": ", ".join(names)}
    # A top area on one side matches its sub-areas on the other. In id order, so the reason never depends on how a
    # set of ids happened to be built (the per-event check and the nightly rescan build them differently).
    for x, y in ((a, b), (b, a)):
        for area_id in sorted(y.area_ids):
            info = areas.get(area_id)
            if info and info.parent_id in x.area_ids:
                parent = areas[info.parent_id].short_name if info.parent_id in areas else ""
                return (
                    WEIGHT_AREA_RELATED,
                    lambda info=info, parent=parent: (
                        _("same area: %(area)s (within %(parent)s)") % {"area": info.short_name, "parent": parent}
                    ),
                )
    return None


# The place rule, strongest first. Only these places can make a possible double entry.
PLACE_WEIGHTS = {"state": WEIGHT_SAME_STATE, "online": WEIGHT_BOTH_ONLINE, "region": WEIGHT_SAME_REGION, "": 0.0}
DOUBLE_ENTRY_PLACES = frozenset({"state", "online"})


def place_of(a: EventFacts, b: EventFacts) -> str:
    """What the two events share as a place: "state", "online", "region" or "" (nothing)."""
    if a.state_id is not None and a.state_id == b.state_id:
        return "state"
    if a.online and b.online:
        return "online"
    if a.region and a.region == b.region:
        return "region"
    return ""


def _overlap_score(area_weight: float, place: str, gap: int, window_days: int, similarity: float) -> float:
    score = (
        area_weight + PLACE_WEIGHTS[place] + WEIGHT_DATES * (1 - gap / (window_days + 1)) + WEIGHT_TITLE * similarity
    )
    return round(min(1.0, score), 3)


def places_that_may_match(threshold: float = ALERT_THRESHOLD) -> frozenset[str]:
    """The places a pair must share to have any chance of a match, from the weights alone: those where the best area
    weight, the full dates weight and identical titles reach ``threshold``, and those of a possible double entry.
    With the weights of scoring.json (threshold 0.82): the same State or both online — a shared region (0.10) or
    nothing tops out at 0.80 / 0.70. The candidate queries filter by these places before the candidate cap."""
    best_area = max(WEIGHT_AREA_SAME, WEIGHT_AREA_RELATED)
    return frozenset(
        place
        for place in PLACE_WEIGHTS
        if place in DOUBLE_ENTRY_PLACES or _overlap_score(best_area, place, 0, 0, 1.0) >= threshold
    )


def may_match(
    a: EventFacts, b: EventFacts, *, areas: dict[int, AreaInfo], window_days: int, threshold: float = ALERT_THRESHOLD
) -> bool:
    """False only when ``score_pair(a, b)`` is None whatever the two titles are: no shared area, too far apart, a
    possible double entry in the wrong place or on other days, or an overlap whose area, place and dates cannot reach
    ``threshold`` even with identical titles. Both duplicate checks drop such candidates before the candidate cap, so
    the cap only ever cuts candidates that could match. Cheap: no title is looked at."""
    area = _area_match(a, b, areas)
    if area is None:
        return False
    gap = day_gap(a, b)
    if gap > window_days:
        return False
    place = place_of(a, b)
    if already_coordinated(a, b):
        return place in DOUBLE_ENTRY_PLACES and gap <= DOUBLE_ENTRY_GAP
    return _overlap_score(area[0], place, gap, window_days, 1.0) >= threshold


def score_pair(
    a: EventFacts,
    b: EventFacts,
    *,
    areas: dict[int, AreaInfo],
    window_days: int,
    threshold: float = 0.0,
    a_tokens: frozenset[str] | None = None,
    trigram: float = 0.0,
) -> Match | None:
    """The pair's score and reasons, or None when they share no area, are too far apart, or score below
    ``threshold`` (the numbers come first; the translated reasons are only built for pairs that are reported)."""
    area = _area_match(a, b, areas)
    if area is None:
        return None
    gap = day_gap(a, b)
    if gap > window_days:
        return None
    place = place_of(a, b)
    a_terms = a_tokens if a_tokens is not None else terms_of(a)
    if already_coordinated(a, b):
        # Not an overlap between structures: either the same event entered twice, or two events of structures that
        # already organise together (no alert). Only here does the spelling count: a double entry typed with a typo.
        similarity, spelled_alike = title_similarity(a_terms, terms_of(b), trigram)
        if place not in DOUBLE_ENTRY_PLACES or gap > DOUBLE_ENTRY_GAP or similarity < DOUBLE_ENTRY_TITLE:
            return None
        score = round(min(1.0, 0.5 + 0.5 * similarity), 3)
        reasons = [_("possible double entry: the same event may have been entered twice"), area[1]()]
        reasons.append(_("both in %(state)s") % {"state": a.state_name} if place == "state" else _("both online"))
        reasons.append(_("dates overlap"))
        reasons.append(_title_reason(similarity, spelled_alike))
        return Match(other_id=b.pk, score=score, reasons=reasons, kind=DOUBLE_ENTRY)
    # Between structures, similar spelling is no evidence ("... for police" / "... for prosecutors" are 70% alike):
    # only the shared terms count.
    similarity, spelled_alike = jaccard(a_terms, terms_of(b)), False
    score = _overlap_score(area[0], place, gap, window_days, similarity)
    if score < threshold:
        return None

    reasons = [area[1]()]
    if place == "state":
        reasons.append(_("both in %(state)s") % {"state": a.state_name})
    elif place == "online":
        reasons.append(_("both online"))
    elif place == "region":
        reasons.append(_("same region: %(region)s") % {"region": Region(a.region).label})
    if gap == 0:
        reasons.append(_("dates overlap"))
    else:
        reasons.append(ngettext("%(days)d day apart", "%(days)d days apart", gap) % {"days": gap})
    if similarity >= SIMILAR_TITLE_REASON:
        reasons.append(_title_reason(similarity, spelled_alike))
    return Match(other_id=b.pk, score=score, reasons=reasons)


def _title_reason(similarity: float, spelled_alike: bool) -> str:
    if spelled_alike:
        return _("nearly identical titles (%(percent)d%% alike)") % {"percent": round(similarity * 100)}
    return _("similar titles (%(percent)d%% shared words)") % {"percent": round(similarity * 100)}


def score_candidates(
    event: EventFacts,
    candidates: list[EventFacts],
    *,
    areas: dict[int, AreaInfo],
    window_days: int,
    threshold: float = ALERT_THRESHOLD,
    trigram: Mapping[int, float] | None = None,
) -> list[Match]:
    """Matches at or above the threshold (double entries always), best first. ``trigram`` maps a candidate's pk to
    pg_trgm's similarity of the two titles (PostgreSQL only)."""
    tokens = terms_of(event)
    trigram = trigram if trigram is not None else {}
    matches = [
        m
        for c in candidates
        if (
            m := score_pair(
                event,
                c,
                areas=areas,
                window_days=window_days,
                threshold=threshold,
                a_tokens=tokens,
                trigram=trigram.get(c.pk, 0.0),
            )
        )
    ]
    return sorted(matches, key=lambda m: (-m.score, m.other_id))
