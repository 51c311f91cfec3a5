"""Server-side SVG charts drawn from the same tables the page shows, so no JavaScript is needed and each chart's
numbers are always available as a table and a CSV. Every SVG carries a <title> and <desc> and is labelled by
them (role="img")."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe–Ito), dark enough against white for 3:1 contrast of graphical objects.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#7F7F7F", "#000000"]
WIDTH = 720
LABEL_WIDTH = 190
ROW_HEIGHT = 22
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"'


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def series_indexes(table: dict) -> list[int]:
    if table.get("value_column") is not None:
        return [table["value_column"]]
    if table.get("series"):
        return table["series"]
    rows = table["rows"]
    return [i for i in range(1, len(table["columns"])) if rows and all(_is_number(r[i]) or r[i] is None for r in rows)]


def _open(chart_id: str, table: dict, height: int) -> list[str]:
    title = escape(table["title"])
    desc = escape(table.get("description") or _("The numbers are in the table below the chart."))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{desc}</desc>',
    ]


LEGEND_LINE = 18


def _legend_lines(names: list[str], start_x: int) -> list[list[tuple[int, int, str]]]:
    """Lay the legend out in lines that fit the chart's width: [(x, series index, name)] per line."""
    lines: list[list[tuple[int, int, str]]] = [[]]
    x = start_x
    for i, name in enumerate(names):
        width = 30 + 8 * len(name)
        if lines[-1] and x + width > WIDTH - 10:
            lines.append([])
            x = start_x
        lines[-1].append((x, i, name))
        x += width
    return lines


def _legend(names: list[str], y: int, *, start_x: int = LABEL_WIDTH) -> list[str]:
    parts = []
    for n, line in enumerate(_legend_lines(names, start_x)):
        line_y = y + n * LEGEND_LINE
        for x, i, name in line:
            parts.append(f'<rect x="{x}" y="{line_y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
            parts.append(f'<text x="{x + 16}" y="{line_y + 10}">{escape(name)}</text>')
    return parts


def _legend_height(names: list[str], start_x: int = LABEL_WIDTH) -> int:
    return LEGEND_LINE * (len(_legend_lines(names, start_x)) - 1)


def _empty(chart_id: str, table: dict) -> SafeString:
    parts = _open(chart_id, table, 40)
    parts.append(f'<text x="10" y="24">{escape(_("No data for these filters."))}</text></svg>')
    return mark_safe("".join(parts))  # every piece of text above is escaped


def bar_chart(chart_id: str, table: dict, *, stacked: bool = False) -> SafeString:
    indexes = series_indexes(table)
    rows = table["rows"]
    if not rows or not indexes:
        return _empty(chart_id, table)
    names = [str(table["columns"][i]) for i in indexes]
    per_row = 1 if stacked or len(indexes) == 1 else len(indexes)
    band = ROW_HEIGHT * per_row + 8
    extra = _legend_height(names)
    height = 30 + extra + band * len(rows) + 30
    totals = [sum((r[i] or 0) for i in indexes) if stacked else max((r[i] or 0) for i in indexes) for r in rows]
    peak = max(totals) or 1
    plot = WIDTH - LABEL_WIDTH - 80
    parts = _open(chart_id, table, height)
    parts += _legend(names, 6)
    y = 30 + extra
    for row in rows:
        label = str(row[0])
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW_HEIGHT * per_row / 2 + 4:.0f}" '
            f'text-anchor="end">{escape(label[:30])}</text>'
        )
        x: float = LABEL_WIDTH
        for n, i in enumerate(indexes):
            value = row[i] or 0
            w = plot * value / peak
            colour = PALETTE[n % len(PALETTE)]
            by = y if stacked or per_row == 1 else y + n * ROW_HEIGHT
            parts.append(
                f'<rect x="{x:.1f}" y="{by}" width="{w:.1f}" height="{ROW_HEIGHT - 4}" fill="{colour}">'
                f"<title>{escape(label)}, {escape(names[n])}: {escape(_fmt(row[i]))}</title></rect>"
            )
            if stacked:
                x += w
            else:
                parts.append(f'<text x="{x + w + 4:.1f}" y="{by + ROW_HEIGHT - 8}">{escape(_fmt(row[i]))}</text>')
        if stacked:
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y + ROW_HEIGHT - 8}">{escape(_fmt(totals[rows.index(row)]))}</text>'
            )
        y += band
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def line_chart(chart_id: str, table: dict) -> SafeString:
    rows = table["rows"]
    indexes = series_indexes(table)
    if not rows or not indexes:
        return _empty(chart_id, table)
    names = [str(table["columns"][i]) for i in indexes]
    extra = _legend_height(names, 10)
    height, top, bottom, left = 300 + extra, 34 + extra, 40, 50
    plot_w, plot_h = WIDTH - left - 20, height - top - bottom
    peak = max((r[i] or 0) for r in rows for i in indexes) or 1
    step = plot_w / max(len(rows) - 1, 1)
    parts = _open(chart_id, table, height)
    parts += _legend(names, 6, start_x=10)
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{escape(_fmt(peak))}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>')
    label_every = max(1, len(rows) // 12)
    for k, row in enumerate(rows):
        if k % label_every == 0:
            parts.append(
                f'<text x="{left + k * step:.1f}" y="{height - 18}" text-anchor="middle">{escape(str(row[0]))}</text>'
            )
    for n, i in enumerate(indexes):
        colour = PALETTE[n % len(PALETTE)]
        # A period without data (None) breaks the line: the gap shows instead of a line across it.
        segments: list[list[str]] = [[]]
        for k, row in enumerate(rows):
            if row[i] is None:
                segments.append([])
                continue
            segments[-1].append(f"{left + k * step:.1f},{top + plot_h - plot_h * row[i] / peak:.1f}")
        for segment in segments:
            if segment:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(segment)}"/>')
        for k, row in enumerate(rows):
            if row[i] is None:
                continue
            cx, cy = left + k * step, top + plot_h - plot_h * (row[i] or 0) / peak
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"><title>{escape(str(row[0]))}, '
                f"{escape(names[n])}: {escape(_fmt(row[i]))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def matrix_chart(chart_id: str, table: dict) -> SafeString:
    rows = table["rows"]
    columns = [str(c) for c in table["columns"][1:]]
    if not rows or not columns:
        return _empty(chart_id, table)
    cell, left, top = 64, LABEL_WIDTH, 110
    width = max(WIDTH, left + cell * len(columns) + 10)
    height = top + cell * len(rows) + 10
    peak = max((v or 0) for r in rows for v in r[1:]) or 1
    parts = _open(chart_id, table, height)
    parts[0] = parts[0].replace(f'viewBox="0 0 {WIDTH} {height}"', f'viewBox="0 0 {width} {height}"')
    for j, name in enumerate(columns):
        x = left + j * cell + cell / 2
        # Column labels slanted so that long area names do not run into each other.
        parts.append(
            f'<text x="{x:.0f}" y="{top - 8}" transform="rotate(-35 {x:.0f} {top - 8})">{escape(name[:22])}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">{escape(str(row[0])[:28])}</text>'
        )
        for j, value in enumerate(row[1:]):
            share = (value or 0) / peak
            fill = f"rgba(0,114,178,{0.08 + 0.92 * share:.2f})"
            ink = "#fff" if share > 0.5 else "#000"
            x = left + j * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{escape(str(row[0]))} × {escape(columns[j])}: {escape(_fmt(value))}</title></rect>"
            )
            parts.append(
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" '
                f'fill="{ink}">{escape(_fmt(value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def render(table: dict) -> SafeString | None:
    chart_id = f"chart-{table['name']}"
    kind = table.get("kind")
    if kind == "bar":
        return bar_chart(chart_id, table)
    if kind == "stacked":
        return bar_chart(chart_id, table, stacked=True)
    if kind == "line":
        return line_chart(chart_id, table)
    if kind == "matrix":
        return matrix_chart(chart_id, table)
    return None
