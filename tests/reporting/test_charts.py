"""Server-side SVG charts keep every legend entry inside the drawing, however many series there are."""

import re

from osce_tnt.reporting.charts import WIDTH, bar_chart, line_chart

AREAS = ["Terrorism", "Organised crime", "Cyber security", "Afghanistan", "WMD"]


def _table():
    return {
        "title": "Activities by thematic area over time",
        "columns": ["Quarter", *AREAS],
        "series": list(range(1, len(AREAS) + 1)),
        "rows": [["2010 Q1", 3, 7, 0, 6, 1], ["2010 Q2", 1, 3, 0, 3, 0]],
    }


def _legend_entries(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), name)
        for x, y, name in re.findall(r'<text x="([\d.]+)" y="([\d.]+)">([^<]+)</text>', svg)
        if name in AREAS
    ]


def test_line_chart_legend_wraps_instead_of_running_off_the_right_edge():
    svg = str(line_chart("t", _table()))

    entries = _legend_entries(svg)
    assert [name for _, _, name in entries] == AREAS
    assert all(x + 8 * len(name) <= WIDTH for x, _, name in entries)
    assert {y for _, y, _ in entries} == {16.0}  # starting at the left margin, five areas fit on one line
    assert "<title" in svg and 'role="img"' in svg


def test_bar_chart_grows_when_its_legend_needs_a_second_line():
    one_line = str(bar_chart("a", {**_table(), "columns": ["Quarter", "A", "B", "C", "D", "E"]}))
    wrapped = str(bar_chart("b", _table()))

    height = lambda svg: int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # noqa: E731
    assert height(wrapped) > height(one_line)
    assert all(x + 8 * len(name) <= WIDTH for x, _, name in _legend_entries(wrapped))
