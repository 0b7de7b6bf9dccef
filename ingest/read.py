"""Read spreadsheets (xlsx, xlsm, xls, ods, csv) into raw sheets of cell values, safely.

Every reader returns the same shape, `RawFile` with `RawSheet`s whose rows are lists
of cell values (str, int, float, datetime or None), merged cells filled from their
top-left cell, plus the cells that could not be read faithfully (never-calculated
formulas). Guards: file size, zip bombs, XML bombs (defusedxml), files that are not
what their name says.
"""

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.graph.settings import get_setting
from knotenpunkt.ingest.text import clean_cell
from knotenpunkt.ingest.limits import check_csv_bytes, check_sheets, check_workbook_xml, describe_read_error

__all__ = ["RawSheet", "RawFile", "input_files", "read_file", "cell_text", "clean_text", "SPREADSHEET_SUFFIXES",
           "RDF_SUFFIXES"]

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt"}
RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}
_OLE = b"\xd0\xcf\x11\xe0"  # the compound-file header of Excel 97–2003 workbooks
_MAGIC = {b"\x89PNG": "png", b"%PDF": "pdf", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif",
          _OLE: "xls", b"Rar!": "rar", b"\x1f\x8b": "gzip"}  # error.filetype_* in graph/texts.toml
_MAX_RATIO = 200  # uncompressed / compressed size of one zip member


@dataclass
class RawSheet:
    """One sheet: its name, rows of cell values, and cell-level notes (never-calculated formulas)."""

    name: str
    rows: list
    formula_cells: set = field(default_factory=set)  # (row_index, col_index), 0-based
    notes: list = field(default_factory=list)  # file-level remarks for the report (graph.texts.Phrase), e.g. encoding
    ragged: bool = False  # rows keep their own length (CSV): longer or shorter rows are defects
    repaired_rows: set = field(default_factory=set)  # row numbers (as shown) read again without quoting
    repairs: dict = field(default_factory=dict)  # row number (as shown) -> [(mis-encoded text, repaired text)]


@dataclass
class RawFile:
    """A file read from disk: path, content hash and its sheets."""

    path: Path
    sha256: str
    sheets: list
    kind: str  # "workbook", "csv" or "rdf"


def _sniff_kind(path, head):
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise IngestError("not_a_spreadsheet", what=Phrase("error.filetype_" + what), file=path.name,
                              code="not_a_spreadsheet")


def _check_zip(path, data):
    limit = get_setting("max_unpacked_mb") * 1024 * 1024
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError("not_a_zip", file=path.name, code="not_a_workbook") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > _MAX_RATIO and info.file_size > 10 * 1024 * 1024:
            raise IngestError("zip_bomb", member=info.filename, ratio=info.file_size // info.compress_size,
                              file=path.name, code="zip_bomb")
        if total > limit:
            raise IngestError("unpacked_too_large", limit_mb=limit // 2**20, file=path.name, code="too_large")
    check_workbook_xml(path, archive)  # DTDs, cells and columns before anything expands them
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_index(letters):
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _fill_merged(rows, sheet_xml):
    """Give every cell of a merged range of the sheet XML the value of its top-left cell."""
    ranges = []
    for m in _MERGE.finditer(sheet_xml):
        c0, r0 = _column_index(m[1].decode()), int(m[2]) - 1
        ranges.append(((r0, c0), (int(m[4]) - 1, _column_index(m[3].decode())) if m[3] else (r0, c0)))
    _fill_ranges(rows, ranges)


def _fill_ranges(rows, ranges):
    """Give every cell of each merged range ``((r0, c0), (r1, c1))``, 0-based, the value of its top-left cell."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        top_left = rows[r0][c0]
        for r in range(r0, min(r1 + 1, len(rows))):
            row = rows[r]
            row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = top_left


def _xlsx_sheets(path, data):
    """Read every sheet of a workbook: python-calamine (a Rust reader, about 15× faster than openpyxl)
    for values, openpyxl where formulas matter (a workbook with formula cells: never-calculated ones are
    reported). Merged ranges come from the sheet XML in both cases."""
    from defusedxml import DefusedXmlException

    archive = _check_zip(path, data)
    try:
        if any(b"<f" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")
               and name.endswith(".xml")):
            return _openpyxl_sheets(data, archive)
        return _calamine_sheets(data, archive)
    except (DefusedXmlException, KeyError, OSError, ValueError, zipfile.BadZipFile) as e:
        unsafe = next((c for c in (e, e.__cause__, e.__context__) if isinstance(c, DefusedXmlException)), None)
        if unsafe is not None:
            raise IngestError("unsafe_xml", kind=type(unsafe).__name__, file=path.name, code="unsafe_xml") from None
        raise IngestError("workbook_unreadable", error=e, file=path.name, code="not_a_workbook") from None


def _openpyxl_sheets(data, archive):
    """Every worksheet in openpyxl's streaming mode; never-calculated formulas are noted per cell."""
    import openpyxl

    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    sheets = []
    for ws in values.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        xml = archive.read(ws._worksheet_path)
        _fill_merged(rows, xml)
        sheet = RawSheet(ws.title, rows)
        if b"<f" in xml:
            formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)[ws.title]
            for r, row in enumerate(formulas.iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    if isinstance(value, str) and value.startswith("=") and rows[r][c] is None:
                        sheet.formula_cells.add((r, c))
        sheets.append(sheet)
    values.close()
    return sheets


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]{1,3}\d{1,7}:([A-Z]{1,3})(\d{1,7})"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RELATION = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_RELATION_ALT = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _worksheet_parts(archive):
    """Sheet name → path of its XML part in the archive, from the workbook and its relationships."""
    from xml.sax.saxutils import unescape

    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _RELATION.findall(rels)}
    targets.update({rid: target for target, rid in _RELATION_ALT.findall(rels)})
    names = {rid: name for name, rid in _SHEET.findall(workbook)}
    names.update({rid: name for rid, name in _SHEET_ALT.findall(workbook)})
    parts = {}
    for rid, name in names.items():
        target = targets.get(rid, b"").decode()
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts[unescape(name.decode(), {"&quot;": '"', "&apos;": "'"})] = part
    return parts


def _calamine_value(value):
    """A calamine cell value as openpyxl gives it: None for empty, datetime for dates, int for whole numbers."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _calamine_sheets(data, archive=None):
    """Every worksheet read by python-calamine, cells as openpyxl gives them (`_calamine_value`): of an
    xlsx `archive` with the extent and merged ranges of its sheet XML, else (a binary .xls) with calamine's."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    parts = _worksheet_parts(archive) if archive is not None else {}
    sheets = []
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        grid = sheet.to_python(skip_empty_area=False)
        rows = []
        for row in grid:
            cells = [_calamine_value(v) for v in row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        xml = archive.read(parts[meta.name]) if meta.name in parts else b""
        width = max((len(r) for r in rows), default=0)
        if dimension := _DIMENSION.search(xml):  # openpyxl fills rows out to the sheet's declared extent
            width = max(width, _column_index(dimension[1].decode()) + 1)
            rows.extend([] for _ in range(int(dimension[2]) - len(rows)))
        for cells in rows:
            cells.extend([None] * (width - len(cells)))
        if archive is not None:
            _fill_merged(rows, xml)
        else:
            _fill_ranges(rows, sheet.merged_cell_ranges or ())
        sheets.append(RawSheet(meta.name, rows))
    workbook.close()
    return sheets


def _ods_sheets(path, data):
    import pandas as pd

    _check_zip(path, data)
    try:
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="odf")
    except ImportError:
        raise  # an installation problem, named by read_file, not a broken file
    except Exception as e:  # odfpy raises a zoo of exception types for broken files
        raise IngestError("ods_unreadable", error=f"{type(e).__name__}: {e}", file=path.name,
                          code="not_a_workbook") from None
    sheets = []
    for name, frame in frames.items():
        rows = [[None if (isinstance(v, float) and v != v) else v for v in row]
                for row in frame.itertuples(index=False, name=None)]
        sheets.append(RawSheet(str(name), rows))
    return sheets


def _decode(path, data):
    """Decode CSV bytes: BOM (UTF-8, UTF-16), then strict UTF-8, then cp1252; return the text and the
    encoding for a note (its name, or a `graph.texts.Phrase` when the name needs words).

    A UTF-8 BOM followed by bytes that are not UTF-8 (a file saved as cp1252 by a tool that
    wrote a BOM first) is read as cp1252, and the note says so.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), Phrase("row.note.utf8_bom")
        except UnicodeDecodeError:
            return data[3:].decode("cp1252", errors="replace"), Phrase("row.note.cp1252_after_bom")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(data) % 2:
            return data.decode("utf-16", errors="replace"), Phrase("row.note.utf16_incomplete")
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252 (cp1252)"


_MOJIBAKE_HINT = re.compile("[ÃÂâ]")


def _repair_mojibake(sheet):
    """Repair UTF-8 text that was read as cp1252 or Latin-1 and saved again ("MÃ¼ller" → "Müller").

    ftfy decides whether a text is mis-encoded and how to undo it; each repaired cell is kept
    in ``sheet.repairs`` (row number as shown → [(before, after)]) for a warning on its row.
    """
    import ftfy

    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and _MOJIBAKE_HINT.search(value):
                fixed = ftfy.fix_encoding(value)
                if fixed != value:
                    row[c] = fixed
                    sheet.repairs.setdefault(r + 1, []).append((value, fixed))


def _parse_csv(text, delimiter):
    """Parse CSV text into rows exactly as the csv module does; a quotation mark without its pair does not
    swallow the rows after it.

    Only a record whose quoting is demonstrably broken is repaired: the strict reading fails in it
    (a closing quotation mark followed by text, or a quoted field open at the end of the file), it spans
    several lines, and those lines read as records of their own (as many delimiters as most records). Its
    first line is read again without quoting and parsing goes on with the next line. Well-formed quoted
    fields keep their line breaks and delimiters, however many. Returns the rows and the row numbers
    read again.
    """
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    width = _usual_width(lines, delimiter) - 1
    rows, repaired, i = [], set(), 0
    while i < len(lines):
        reader = csv.reader(_lines_from(lines, i), delimiter=delimiter, strict=True)
        done = 0  # lines of the records read so far in this pass
        try:
            for record in reader:
                rows.append(record)
                done = reader.line_num
            break
        except csv.Error:
            pass  # the record from line i + done on is not well-formed CSV
        first = i + done
        reader = csv.reader(_lines_from(lines, first), delimiter=delimiter)
        record = next(reader)  # read as the csv module reads it; errors other than quoting are raised here
        if reader.line_num > 1 and width >= 2 and \
                any(line.count(delimiter) >= width for line in lines[first + 1:first + reader.line_num]):
            line = lines[first].rstrip("\r\n")
            record = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE))
            rows.append([cell.strip('"') for cell in record])
            repaired.add(len(rows))
            i = first + 1
        else:
            rows.append(record)
            i = first + reader.line_num
    return [[cell if cell != "" else None for cell in row] for row in rows], repaired


def _usual_width(lines, delimiter):
    """The most frequent number of cells among the first 20 records (on a tie the larger), read with quoting:
    counted on lines, a long quoted cell would count its own delimiters."""
    widths = {}
    try:
        for n, record in enumerate(csv.reader(_lines_from(lines, 0), delimiter=delimiter)):
            if n == 20:
                break
            if record:
                widths[len(record)] = widths.get(len(record), 0) + 1
    except csv.Error:
        pass
    return max(widths, key=lambda w: (widths[w], w), default=1)


def _lines_from(lines, start):
    """The lines from index `start` on, without copying the list (the parse may restart many times)."""
    return (lines[k] for k in range(start, len(lines)))


def _sniff_sample(text, lines=50):
    """The first `lines` lines for `csv.Sniffer`, extended to the line where their quotation marks pair up.

    A quoted cell still open at line 50 (a long description with line breaks) would leave the sniffer only
    lines from inside the cell, and it would take a character frequent in the text for the delimiter. The
    extension takes at most one cell's worth of characters more (setting max_cell_chars); when the marks do not
    pair up by then (a quotation mark without its pair), the first `lines` lines are the sample.
    """
    limit = get_setting("max_cell_chars")
    found = text.splitlines()
    sample = "\n".join(found[:lines])
    odd, extra, size = sample.count('"') % 2, [], 0
    for line in found[lines:]:
        if not odd or size > limit:
            break
        extra.append(line)
        odd ^= line.count('"') % 2
        size += len(line) + 1
    return "\n".join([sample, *extra]) if extra and not odd else sample


def _csv_sheets(path, data):
    text, encoding = _decode(path, data)
    if text.count("\x00") > len(text) // 10:
        raise IngestError("not_text", file=path.name, code="not_a_spreadsheet")
    text = text.replace("\x00", "")  # stray NULs in cells; other control characters go in clean_cell
    sample = _sniff_sample(text)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t|"}
        delimiter = max(counts, key=counts.get) if max(counts.values()) else ";"
    rows, repaired = _parse_csv(text, delimiter)
    name = {";": "semicolon", ",": "comma", "\t": "tab", "|": "bar"}[delimiter]
    note = Phrase("row.note.csv", encoding=encoding, delimiter=Phrase("row.note.delimiter." + name))
    return [RawSheet(path.stem, rows, notes=[note], ragged=True,
                     repaired_rows=repaired)]


def input_files(paths):
    """The files an import reads: each path as given, a folder as the files in it that Knotenpunkt reads.

    In a folder, hidden files, Office's lock files (``~$…``) and ``.txt`` files (mostly notes) are left out;
    the files are taken in the order of their names.

    Raises
    ------
    IngestError
        A folder without such files.
    """
    files = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(f for f in path.iterdir() if f.is_file() and not f.name.startswith((".", "~$"))
                       and f.suffix.lower() in (SPREADSHEET_SUFFIXES | RDF_SUFFIXES.keys()) - {".txt"})
        if not found:
            raise IngestError("folder_without_files", folder=str(path), code="file_not_found")
        files.extend(found)
    return files


def read_file(path):
    """Read a spreadsheet or RDF file.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    RawFile

    Raises
    ------
    IngestError
        Missing, empty, too large, not a spreadsheet, unsafe, or unreadable.
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError("file_missing", file=str(path), code="file_not_found")
    limit = get_setting("max_file_mb") * 1024 * 1024
    size = path.stat().st_size
    if size > limit:
        raise IngestError("file_too_large", limit_mb=limit // 2**20, file=path.name, code="too_large")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("file_empty", file=path.name, code="empty_file")
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in RDF_SUFFIXES:
        return RawFile(path, digest, [], "rdf")
    if suffix not in SPREADSHEET_SUFFIXES:
        raise IngestError("unsupported_type", suffix=suffix or Phrase("error.no_suffix"), file=path.name,
                          code="unsupported_type")
    # Excel files go by their content, not their ending: an old .xls renamed .xlsx, an .xlsx saved as .xls
    excel = suffix in {".xlsx", ".xlsm", ".xls"}
    binary_excel = excel and data.startswith(_OLE)
    if not binary_excel:
        _sniff_kind(path, data[:8])
    try:  # hostile files: bounded before reading (ingest.limits), and any reader fault is a message
        if binary_excel:  # Excel 97–2003: no zip, no XML; calamine reads it (at most 65,536 × 256 cells)
            sheets = _calamine_sheets(data)
        elif excel:
            sheets = _xlsx_sheets(path, data)
        elif suffix == ".ods":
            sheets = _ods_sheets(path, data)
        else:
            check_csv_bytes(path, data)
            sheets = _csv_sheets(path, data)
    except IngestError:
        raise
    except ImportError as e:
        raise IngestError("missing_module", module=(e.name or str(e)).split(".")[0], file=path.name, code="installation") from None
    except Exception as e:
        raise describe_read_error(path, e) from None
    check_sheets(path, sheets)
    for sheet in sheets:
        _repair_mojibake(sheet)
    if not any(any(v not in (None, "") for v in row) for sheet in sheets for row in sheet.rows):
        raise IngestError("no_data", file=path.name, code="empty_file")
    return RawFile(path, digest, sheets, "csv" if suffix in {".csv", ".tsv", ".txt"} else "workbook")


@lru_cache(maxsize=1 << 16, typed=True)  # typed: True and 1 are different cells; recurring ones stay
def clean_text(value):
    """A raw cell value as cleaned text, `clean_cell` of `cell_text`: remembered, because a row's cells
    are read several times (table detection, the roles, the duplicate check) and values recur on many rows.

    Examples
    --------
    >>> clean_text(" Sprach\u00a0café "), clean_text(3.0), clean_text(True)
    ('Sprach café', '3', 'True')
    """
    return clean_cell(cell_text(value))


def cell_text(value):
    """Render a raw cell value as text the way the spreadsheet shows it.

    Examples
    --------
    >>> cell_text(3.0), cell_text(dt.datetime(2024, 9, 1)), cell_text(None)
    ('3', '01.09.2024', '')
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y") if value.time() == dt.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
