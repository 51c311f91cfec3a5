"""The focal-point import refuses decompression bombs quickly and in little memory."""

import io
import time
import tracemalloc
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from focal_points import importing

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    b'.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(rows: int) -> bytes:
    """A real, minimal XLSX with a header and ``rows`` data rows, streamed into the zip so building it is quick."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>first_name</t></is></c><c r="B1" t="inlineStr">'
                b"<is><t>last_name</t></is></c></row>"
            )
            chunk = []
            for n in range(2, rows + 2):
                chunk.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>a</t></is></c></row>' % (n, n))
                if len(chunk) == 10000:
                    sheet.write(b"".join(chunk))
                    chunk = []
            sheet.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return buffer.getvalue()


def _measure(content: bytes):
    """Time without tracing (tracemalloc slows Python several-fold), then the memory peak in a traced second run."""
    started = time.perf_counter()
    rows, errors = importing.read_file(SimpleUploadedFile("bomb.xlsx", content))
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        importing.read_file(SimpleUploadedFile("bomb.xlsx", content))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return rows, errors, elapsed, peak


def test_a_million_row_workbook_under_the_upload_limit_is_refused_fast_and_small():
    content = _xlsx(1_000_000)
    assert len(content) < 5 * 1024 * 1024  # passes the upload size limit, as in the audit

    rows, errors, elapsed, peak = _measure(content)

    assert rows == [] and errors
    assert elapsed < 2.0, elapsed
    assert peak < 100 * 1024 * 1024, peak


def test_a_workbook_over_the_row_limit_is_refused_while_streaming():
    content = _xlsx(importing.MAX_ROWS + 500)  # small enough when unpacked: only the row limit stops it

    rows, errors, elapsed, peak = _measure(content)

    assert rows == [] and any(str(importing.MAX_ROWS) in e for e in errors)
    assert elapsed < 2.0 and peak < 100 * 1024 * 1024


def test_a_workbook_at_the_limit_is_read():
    rows, errors = importing.read_file(SimpleUploadedFile("ok.xlsx", _xlsx(20)))
    assert len(rows) == 20 and rows[0]["first_name"] == "a"
    assert not any("rows" in e for e in errors)
