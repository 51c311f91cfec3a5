"""The report PDF's layout: a table row is never split across a page break."""

import io
import re
from types import SimpleNamespace

from pypdf import PdfReader

from programmes.documents import render_pdf


def test_a_table_row_of_the_report_pdf_is_never_split_across_pages():
    # Rows of several wrapped lines each: without `break-inside: avoid` some row straddles a page break.
    long_cell = " ".join(["word"] * 60)
    table = {
        "title": "Long table",
        "description": "",
        "columns": ["Item", "Text", "Number"],
        "rows": [[f"start{n:03d}", f"{long_cell} end{n:03d}", n] for n in range(60)],
        "total": None,
    }
    figures = {"period": {"start": "2026-01-01", "end": "2026-03-31"}, "generated_on": "2026-04-01", "key_figures": []}
    report = SimpleNamespace(title="Layout check", scope_label="All")

    pdf = render_pdf(
        "reporting/report_pdf.html",
        {"report": report, "figures": figures, "sections": [table], "gap_tables": []},
    )

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) > 3  # the table does run over several pages
    page_of_start = {m: i for i, text in enumerate(pages) for m in re.findall(r"start(\d{3})", text)}
    page_of_end = {m: i for i, text in enumerate(pages) for m in re.findall(r"end(\d{3})", text)}
    assert len(page_of_start) == 60 and len(page_of_end) == 60
    split = [n for n in page_of_start if page_of_start[n] != page_of_end[n]]
    assert split == []
