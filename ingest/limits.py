"""Bounds for hostile files: checked before a reader expands them, and on what it read.

A spreadsheet can be small on disk and huge in memory: an ODS cell repeated a million
times (``table:number-columns-repeated``), an XML bomb in any part of a workbook, a CSV
line with a million delimiters, a single 10 MB cell. The checks here look at the raw
bytes first (cheap, bounded by the settings ``max_file_mb`` and ``max_unpacked_mb``) and
refuse with a German message naming the setting to change: ``max_cells``,
``max_columns``, ``max_cell_chars``. JSON-LD files must not name a ``@context`` by
address: rdflib would fetch it (and wait on a stalled server).
"""

import csv
import json
import re
import zipfile

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.settings import get_setting

__all__ = ["check_workbook_xml", "check_csv_bytes", "check_sheets", "check_jsonld", "describe_read_error"]

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"[A-Z]{1,3}\d{1,7}(?::([A-Z]{1,3})(\d{1,7}))?\"")
_ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _column_number(letters):
    number = 0
    for ch in letters.decode():
        number = number * 26 + ord(ch) - 64
    return number


def _refuse(path, key, code, **params):
    raise IngestError(key, file=path.name, code=code, **params)


def check_workbook_xml(path, archive):
    """Refuse a workbook (xlsx or ods) with a DTD in any XML part, or whose sheets would expand
    beyond ``max_cells`` or ``max_columns``.

    Parameters
    ----------
    path : pathlib.Path
    archive : zipfile.ZipFile
        The workbook, whose unpacked size was already checked (``max_unpacked_mb``).
    """
    max_cells, max_columns = get_setting("max_cells"), get_setting("max_columns")
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        xml = archive.read(info)
        if _DTD.search(xml):
            _refuse(path, "unsafe_xml_dtd", "unsafe_xml", part=info.filename)
        if info.filename.startswith("xl/worksheets/"):
            rows = columns = 0
            if refs := _CELL_REF.findall(xml):  # (letters, digits) of every cell: the distinct ones counted
                letters, numbers = zip(*refs)
                columns, rows = max(map(_column_number, set(letters))), max(map(int, set(numbers)))
            if (dimension := _DIMENSION.search(xml)) and dimension[1]:
                columns = max(columns, min(_column_number(dimension[1]), max_columns + 1))
            _bound(path, rows * columns, columns, info.filename, max_cells, max_columns)
        elif info.filename == "content.xml":
            _bound(path, *_ods_extent(path, xml), info.filename, max_cells, max_columns)


def _bound(path, cells, columns, part, max_cells, max_columns):
    if columns > max_columns:
        _refuse(path, "part_too_many_columns", "too_many_columns", part=part, max_columns=max_columns)
    if cells > max_cells:
        _refuse(path, "part_too_many_cells", "too_many_cells", part=part, max_cells=max_cells)


def _ods_extent(path, xml):
    """(cells, columns) an ODS reader materialises: repeated cells and rows count as often as repeated,
    trailing empty ones not (pandas' odf reader drops them)."""
    from defusedxml.ElementTree import iterparse

    import io

    cells = columns = 0
    row_width = trailing_empty = 0
    pending_rows = 0
    try:
        for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = element.tag
            if event == "start" and tag == _ODS + "table-row":
                row_width, trailing_empty = 0, 0
            elif event == "end" and tag in (_ODS + "table-cell", _ODS + "covered-table-cell"):
                repeat = int(element.get(_ODS + "number-columns-repeated", "1"))
                if len(element) or element.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"):
                    row_width += trailing_empty + repeat
                    trailing_empty = 0
                else:
                    trailing_empty += repeat
                element.clear()
            elif event == "end" and tag == _ODS + "table-row":
                repeat = int(element.get(_ODS + "number-rows-repeated", "1"))
                if row_width:
                    cells += (pending_rows + repeat) * row_width
                    columns = max(columns, row_width)
                    pending_rows = 0
                else:
                    pending_rows += repeat
                element.clear()
                if cells > 10 * get_setting("max_cells"):
                    break
    except ValueError:
        _refuse(path, "ods_bad_repeat", "not_a_workbook")
    except Exception as e:  # defusedxml and expat raise their own types for broken or unsafe XML
        _refuse(path, "ods_unreadable_xml", "not_a_workbook", error=type(e).__name__)
    return cells, columns


def check_csv_bytes(path, data):
    """Refuse a CSV whose lines have more delimiters than ``max_columns`` allows, before it is sniffed
    and split; raise the csv module's field limit to ``max_cell_chars``."""
    max_columns = get_setting("max_columns")
    csv.field_size_limit(max(get_setting("max_cell_chars") + 1, 131_072))
    head = data[:65_536]
    delimiter = max(b";,\t|", key=head.count)
    for line in data.splitlines():
        if line.count(delimiter) >= max_columns:
            _refuse(path, "line_too_many_columns", "too_many_columns", max_columns=max_columns)


def check_sheets(path, sheets):
    """Refuse sheets with more cells, columns or longer cell texts than the settings allow."""
    max_cells, max_columns, max_chars = get_setting("max_cells"), get_setting("max_columns"), get_setting("max_cell_chars")
    total = 0
    for sheet in sheets:
        for number, row in enumerate(sheet.rows, 1):
            total += len(row)
            if len(row) > max_columns:
                _refuse(path, "sheet_row_too_many_columns", "too_many_columns", sheet=sheet.name, number=number,
                        max_columns=max_columns)
            for value in row:
                if isinstance(value, str) and len(value) > max_chars:
                    _refuse(path, "sheet_row_cell_too_long", "cell_too_long", sheet=sheet.name, number=number,
                            max_chars=max_chars)
        if total > max_cells:
            _refuse(path, "too_many_cells", "too_many_cells", max_cells=max_cells)


def describe_read_error(path, error):
    """An `IngestError` for an unexpected fault of a reader (odd-length UTF-16, broken sheet XML, …)."""
    if isinstance(error, csv.Error) and "field larger" in str(error):
        return IngestError("cell_too_long", max_chars=get_setting("max_cell_chars"), file=path.name, code="cell_too_long")
    if isinstance(error, UnicodeError):
        return IngestError("bad_encoding", reason=error.reason, file=path.name, code="bad_encoding")
    if isinstance(error, (MemoryError, RecursionError)):
        return IngestError("too_deep", file=path.name, code="too_large")
    if isinstance(error, zipfile.BadZipFile):
        return IngestError("bad_zip", file=path.name, code="not_a_workbook")
    return IngestError("unreadable", error=f"{type(error).__name__}: {str(error)[:200]}", file=path.name, code="unreadable")


def _contexts(node):
    """Every value of an ``@context`` or ``@import`` key anywhere in a JSON-LD document."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    yield value
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def check_jsonld(path):
    """Refuse a JSON-LD file that names a context by address (remote, relative or ``file:``).

    Only contexts written into the file itself are allowed, so parsing never fetches anything.
    """
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as e:
        raise IngestError("jsonld_not_json", error=str(e)[:120], file=path.name, code="bad_rdf") from None
    for value in _contexts(document):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) or (isinstance(item, dict) and isinstance(item.get("@import"), str)):
                name = item if isinstance(item, str) else item["@import"]
                raise IngestError("jsonld_remote_context", name=name[:100], file=path.name, code="remote_context")
