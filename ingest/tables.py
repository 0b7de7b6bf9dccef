"""Find the table in a sheet: its kind, its header row, its columns and its data rows.

Sheets are recognised by content, never by name or by one keyword:

- **Header row.** Every row among the first rows of the sheet is scored by how much it
  looks like a header: short, distinct texts (no numbers, dates or paragraphs), followed
  by data rows of a consistent shape, and by how many column roles its texts name. A
  header cell of several lines ("Name des Begünstigten\\n\\nBeneficiary name") is one
  header, matched by each of its lines.
- **Headers to roles.** `ingest.headers` (the synonyms of each role and how a header matches them).
- **A header in several languages.** Rows above or below the header that repeat it in another
  language or continue it ("Projektende/" over "operation end date"), perhaps with a row naming the
  language between them ("English"), are one header with the header row the first of them
  (`_header_block`): never title lines, never records.
- **No header.** A sheet whose best header row holds values (numbers, dates, addresses, keys, paragraphs) has
  no header: it is refused unless the user's mapping names its columns by letter ("Spalte J"). A row above a
  header that is shaped like the records below is a record, not a title line.
- **Kind.** Each kind of table (measures, providers, districts, cooperations, networks)
  weighs the roles found by how typical they are of it, and needs its required roles; a table with a title and
  dates (an event programme) is never a list of organisations. A role a column's values cannot fill (a Trägertyp
  of bare digits, a start of texts that are no dates) is left open (`_drop_unfit`).
  The report says why a sheet was classified as it was; the user's mapping overrides.
- **Rows.** Below the last row shaped like the records (the columns they fill, the type of
  value each column holds), rows that are not records (footnotes, legends, merged banner
  rows, "Datenstand", address blocks) are notes with their row numbers (`_collect_rows`); so is every
  row below such a note (the legend under "Erläuterungen").
"""

import re
import statistics
from dataclasses import dataclass, field

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.graph.texts import text as catalogue_text
from knotenpunkt.ingest.dates import DATE_TEXT, DateProblem, parse_date
from knotenpunkt.ingest.headers import (KIND_LABELS, REQUIRED, ROLE_LABELS, ROLES, WEIGHT, assign, describe_role,
                                        match_role)
from knotenpunkt.ingest.read import cell_text, clean_text
from knotenpunkt.ingest.text import EXCEL_ERROR, clean_cell, is_placeholder, normalize_label

__all__ = ["Table", "find_table", "header_template"]

_HEADER_SCAN_ROWS = 30
_SHAPE_ROWS = 20  # data rows looked at to judge a header candidate
_LONG_CELL = 80  # characters: a longer cell is data, not a header
_SHAPE_SAMPLE = 1000  # rows looked at to judge what the records of a table look like
_NOTE_START = re.compile(r"^(?:\*|¹|²|³|\d\)|\(\d\)|stand\b|datenstand|quelle|hinweis|anmerkung|legende|erläuterung|"
                         r"erlaeuterung|fußnote|fussnote|summe|gesamt\b|insgesamt|note|source|as of)", re.IGNORECASE)
_NUMBERISH = re.compile(r"^[\d\s.,:/%€+\-–]+$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_WEB_OR_MAIL = re.compile(r"^(?:(?:https?://|www\.)\S+|[^@\s]+@[^@\s]+\.\w{2,})$", re.IGNORECASE)
_KEY = re.compile(r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$|^(?=\D*\d)[0-9a-f]{12,}$", re.IGNORECASE)  # UUID, hex




@dataclass
class Table:
    """A recognised table: kind, header row (1-based as shown; None for a table without a header, whose columns
    are named by letter), role → column index, data rows."""

    sheet: str
    kind: str
    header_row: int
    columns: dict  # role -> 0-based column index
    headers: list  # header texts by column index
    rows: list = field(default_factory=list)  # (row_number_as_shown, [cells])
    title_lines: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # for the report (graph.texts.Phrase): note rows below the table, …
    note_rows: list = field(default_factory=list)  # the same as {"row", "text"}
    extra_columns: dict = field(default_factory=dict)  # column index -> header text (no role)
    more_columns: dict = field(default_factory=dict)  # role -> further column indexes of a multi-valued role
    reason: str = ""  # why the sheet was taken for this kind, for the report
    reason_en: str = ""

    def value(self, cells, role):
        """The raw value of `role` in a row (several columns of one role joined by "; "), or None."""
        index = self.columns.get(role)
        if index is None:
            return None
        if role not in self.more_columns:
            return cells[index] if index < len(cells) else None
        values = [cells[i] for i in [index, *self.more_columns[role]] if i < len(cells)]
        if len(values) <= 1:
            return values[0] if values else None
        texts = [cell_text(v) for v in values if clean_text(v)]
        return "; ".join(texts) or None

    def header(self, role):
        """The header text of a role's (first) column."""
        return self.headers[self.columns[role]]




def _missing(kind, columns):
    missing = []
    for need in REQUIRED[kind]:
        options = need if isinstance(need, tuple) else (need,)
        if not any(o in columns for o in options):
            missing.append(options)
    return missing


def _row_is_blank(cells):
    return all(clean_text(c) == "" for c in cells)


def _filled(cells):
    return [i for i, c in enumerate(cells) if clean_text(c)]


def _header_likeness(rows, r):
    """How much row `r` looks like a header, 0..1: short distinct label texts over data rows of
    a consistent shape."""
    cells = [clean_text(c) for c in rows[r]]
    texts = [t for t in cells if t]
    if len(texts) < 2:
        return 0.0
    labels = sum(1 for t in texts if len(t) <= _LONG_CELL and not _NUMBERISH.match(t) and t.count("\n") <= 3)
    raw_types = sum(1 for c in rows[r] if c is not None and not isinstance(c, str))
    label_share = max(0.0, (labels - raw_types) / len(texts))
    distinct = len({normalize_label(t) for t in texts}) / len(texts)
    body = [row for row in rows[r + 1:r + 1 + _SHAPE_ROWS * 2] if not _row_is_blank(row)][:_SHAPE_ROWS]
    if not body:
        return label_share * distinct * 0.5
    width = len(texts)
    shaped = sum(1 for row in body if len(_filled(row)) >= max(1, min(width, 2)) and
                 max(_filled(row)) < max(len(cells), 1) + 2) / len(body)
    return label_share * distinct * (0.5 + 0.5 * shaped)


def _fill_counts(rows, r, width):
    """Non-empty cells per column in the rows below `r` (to prefer the column that has values)."""
    counts = [0] * width
    for row in rows[r + 1:r + 1 + 200]:
        for i in _filled(row):
            if i < width:
                counts[i] += 1
    return counts


def _reason(kind, columns, headers, forced, lang=0):
    """Why a sheet was read as `kind`, in German (``lang=0``) or English (``lang=1``)."""
    label = KIND_LABELS[kind][lang]
    telling = [role for role, i in sorted(columns.items(), key=lambda item: item[1])
               if WEIGHT.get(kind, {}).get(role, 1) >= 1.5] or list(columns)
    found = ", ".join(catalogue_text("row.table_column", ("de", "en")[lang], role=ROLE_LABELS[role][lang],
                                     header=headers[columns[role]].splitlines()[0]) for role in telling)
    label = label.capitalize() if lang else label
    if forced:
        return catalogue_text("row.table_forced", ("de", "en")[lang], kind=label)
    return catalogue_text("row.table_found", ("de", "en")[lang], kind=label, found=found)


def header_template(sheet, *, kind=None, overrides=None):
    """The detected header row of a sheet with each header's role (or None), for a mapping template.

    Used when a sheet cannot be imported, so that the user has a file to edit.

    Returns
    -------
    tuple of (str or None, dict)
        The best kind and header → role.
    """
    overrides = {normalize_label(k): v for k, v in (overrides or {}).items()}
    found = _recognise(sheet, kind, overrides)
    if found is None:
        return kind, {}
    found_kind, block, headers, columns, more, _ = found
    _drop_unfit(sheet.rows, block[-1] + 1 if block else 0, headers, columns, more, overrides)
    roles = {i: role for role, i in columns.items()}
    return found_kind, {h.replace("\n", " "): roles.get(i) for i, h in enumerate(headers) if h}


def _is_dated(columns):
    """True for the columns of measures with a title and their dates (start and end, or a period): events or
    measures, never a list of organisations, whose records have no period."""
    return "title" in columns and ("start" in columns and "end" in columns or "period" in columns)


def _best_candidate(sheet, kind, overrides):
    rows = sheet.rows[:_HEADER_SCAN_ROWS + _SHAPE_ROWS * 2]
    best = None
    for r, cells in enumerate(rows[:_HEADER_SCAN_ROWS]):
        likeness = _header_likeness(rows, r)
        if likeness == 0:
            continue
        headers = [clean_text(c) for c in cells]
        fill = _fill_counts(sheet.rows, r, len(headers))
        found = {candidate: assign(candidate, headers, overrides, fill) for candidate in ([kind] if kind else ROLES)}
        if not kind and _is_dated(found["measures"][0]):
            del found["providers"]
        for candidate, (columns, more, quality, duplicates) in found.items():
            complete = not _missing(candidate, columns)
            score = quality * (0.25 + likeness) + (4 if complete else 0)
            if best is None or score > best[0] + 1e-9:
                best = (score, candidate, r, headers, columns, more, duplicates)
    return best


def _recognise(sheet, kind, overrides):
    """The best header of a sheet as (kind, block, headers, columns, more, duplicates), or None.

    A header in several rows (`_header_block`) names the roles by all its lines; the report and the messages
    name a column by the header row's own text (the first row of the block). A sheet whose best header row holds
    values (`_holds_values`) has no header: its block is empty and its columns are named by letter
    (`_headerless`)."""
    best = _best_candidate(sheet, kind, overrides)
    if best is None:
        return None
    _, found_kind, r, headers, columns, more, duplicates = best
    if _holds_values(sheet.rows[r]):
        return _headerless(sheet, kind, overrides)
    block = _header_block(sheet.rows, r, found_kind, headers, columns, more)
    if len(block) == 1:
        return found_kind, block, headers, columns, more, duplicates
    lines = [i for i in block if not _is_language_marker(sheet.rows, i)]
    width = max(len(sheet.rows[i]) for i in lines)
    merged = ["\n".join(t for i in lines if (t := clean_text(sheet.rows[i][j]) if j < len(sheet.rows[i]) else ""))
              for j in range(width)]
    columns, more, _, duplicates = assign(found_kind, merged, overrides, _fill_counts(sheet.rows, block[-1], width))
    own = sheet.rows[block[0]]
    shown = [clean_text(own[j]) if j < len(own) and clean_text(own[j]) else text for j, text in enumerate(merged)]
    duplicates = [(shown[merged.index(header)], role) for header, role in duplicates]
    return found_kind, block, shown, columns, more, duplicates


# Roles whose values are matched to a vocabulary's concepts by their words: no concept there is named by a number
# (fields of action are: "109" is an intervention category of the ESF)
_CONCEPT_ROLES = ("type", "target_groups")
_CODE = re.compile(r"^\d+$|^[A-Z][A-Z0-9_]{1,11}(?:\+[A-Z][A-Z0-9_]{1,11})*$")  # internal codes: 0, 3, ORG+VENUE


def _drop_unfit(rows, first, headers, columns, more, overrides):
    """Take a role from a column whose values cannot be what the role needs, judged on the first `_SHAPE_SAMPLE`
    records; the column stays as further detail, and a role the user's mapping gives is kept.

    - A role of a vocabulary named by words (Trägertyp, target groups) from a column of bare digits or upper-case
      codes ("type": 0, 2, 3 or VENUE, ORG, a database's internal codes): no concept is named so, and every row
      would warn.
    - A start or end from a column where not even one value in five is a date ("27. March" without a year):
      every row would be rejected for its date.

    Returns
    -------
    list of (str, str, str, str)
        Header, role, the note's code (``code_column`` or ``date_column``) and examples of the values.
    """
    dropped = []
    for role in (*_CONCEPT_ROLES, "start", "end"):
        for index in [columns.get(role), *more.get(role, ())]:
            header = headers[index] if index is not None else ""
            if not header or normalize_label(header.replace("\n", " ")) in overrides:
                continue
            values = [cells[index] for cells in rows[first:first + _SHAPE_SAMPLE]
                      if index < len(cells) and clean_text(cells[index])]
            texts = sorted({clean_text(v) for v in values})
            if role in _CONCEPT_ROLES and len(texts) >= 2 and all(_CODE.match(t) for t in texts):
                note, examples = "code_column", sorted(texts, key=lambda t: (len(t), t))
            elif role in ("start", "end") and len(values) >= 3 and 5 * sum(map(_is_date, values)) < len(values):
                note, examples = "date_column", [t for t in texts if not _is_date(t)]
            else:
                continue
            if columns[role] == index:
                del columns[role]
                if more.get(role):
                    columns[role] = more[role].pop(0)
            else:
                more[role].remove(index)
            dropped.append((header.split("\n")[0], role, note, _short(", ".join(examples[:6]), 80)))
    return dropped


def _is_date(value):
    """True for a cell `ingest.dates.parse_date` reads."""
    try:
        return parse_date(value) is not None
    except DateProblem:
        return False


def _is_value(value, text):
    """True for a cell no header holds: a number or date (a year may head a column), a web or e-mail address,
    a UUID or hex key, a paragraph.

    >>> _is_value("41510", "41510"), _is_value("2019", "2019"), _is_value("info@verein.de", "info@verein.de")
    (True, False, True)
    >>> _is_value("Zeitraum Von", "Zeitraum Von")
    False
    """
    if _YEAR.match(text):
        return False
    return len(text.split("\n")[0]) > _LONG_CELL or _cell_type(value, text) != "text" or \
        bool(_WEB_OR_MAIL.match(text) or _KEY.match(text))


def _holds_values(cells):
    """True when a row taken for the header holds values, not labels: at least three of its distinct texts, and
    a third of them, are numbers, dates, addresses, keys or paragraphs (`_is_value`). It is then the first
    record of a table without a header: "41510 | 1. Fußballclub … | 07/01/2010 | 4450", not
    "INEZ-Nummer | Zuwendungsempfänger | Zeitraum Von | Gesamtzuwendung"."""
    texts = {clean_text(c): c for c in cells if clean_text(c)}
    values = sum(1 for text, value in texts.items() if _is_value(value, text))
    return values >= 3 and 3 * values >= len(texts)


def _column_name(index):
    """The name of a column of a table without a header, by its letter as a spreadsheet shows it.

    >>> _column_name(0), _column_name(9), _column_name(27)
    ('Spalte A', 'Spalte J', 'Spalte AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return "Spalte " + letters


def _headerless(sheet, kind, overrides):
    """A table without a header row, as `_recognise` returns it: every row is data, the columns are named by
    letter ("Spalte J") and take the roles the user's mapping gives those names; the kind is the forced one or
    the one whose required roles the mapping names."""
    width = max((len(cells) for cells in sheet.rows), default=0)
    headers = [_column_name(i) for i in range(width)]
    fill = _fill_counts(sheet.rows, -1, width)
    best = None
    for candidate in [kind] if kind else ROLES:
        columns, more, quality, duplicates = assign(candidate, headers, overrides, fill)
        order = (not _missing(candidate, columns), quality)
        if best is None or order > best[0]:
            best = (order, candidate, columns, more, duplicates)
    _, found_kind, columns, more, duplicates = best
    return found_kind, [], headers, columns, more, duplicates


def find_table(sheet, *, kind=None, overrides=None):
    """Recognise the table in a raw sheet.

    Parameters
    ----------
    sheet : ingest.read.RawSheet
    kind : str, optional
        Force a kind (the user's mapping); otherwise recognised from the headers.
    overrides : dict, optional
        Header → role (or None for "no role"), from the user's mapping file.

    Returns
    -------
    Table or None
        None when the sheet holds no recognisable table (the caller reports it).

    Raises
    ------
    IngestError
        A table whose kind is clear (or forced) but which lacks a required column.

    Examples
    --------
    >>> from knotenpunkt.ingest.read import RawSheet
    >>> sheet = RawSheet("Tabelle1", [["Übersicht Stand 2026"], [], ["Name des Begünstigten\\n\\nBeneficiary name",
    ...     "Bezeichnung des Vorhabens", "Datum des Beginns"], ["Verein A", "Sprachkurs", "01.02.2024"]])
    >>> table = find_table(sheet)
    >>> table.kind, table.header_row, sorted(table.columns)
    ('measures', 3, ['provider', 'start', 'title'])
    """
    overrides = {normalize_label(k): v for k, v in (overrides or {}).items()}
    found = _recognise(sheet, kind, overrides)
    if found is None:
        return None
    found_kind, block, headers, columns, more, duplicates = found
    end = block[-1] if block else -1  # the header's last row; without a header every row is data
    unfit = _drop_unfit(sheet.rows, end + 1, headers, columns, more, overrides)
    swapped = _prefer_short_title(found_kind, sheet.rows, end + 1, headers, columns)
    missing = _missing(found_kind, columns)
    if missing and not block:
        first = next(i for i, row in enumerate(sheet.rows) if not _row_is_blank(row))
        raise IngestError("no_header", sheet=sheet.name, row=first + 1, code="no_table")
    if missing:
        typical = sum(WEIGHT.get(found_kind, {}).get(role, 1) for role in columns)
        if kind is None and (typical < 4 or len(columns) < 2):
            return None
        options = missing[0]
        error = IngestError(
            "missing_header", kind=Phrase("label.kind." + found_kind), role=Phrase("label.role." + options[0]),
            wanted="; ".join(describe_role(found_kind, m) for m in options),
            headers=_short(", ".join(h.replace(chr(10), " ") for h in headers if h)),
            sheet=sheet.name, row=block[0] + 1, code="missing_header")
        error.role = options[0]  # the role no column names, for the app's column editor
        raise error
    table = Table(sheet.name, found_kind, block[0] + 1 if block else None, columns, headers, more_columns=more,
                  reason=_reason(found_kind, columns, headers, kind is not None),
                  reason_en=_reason(found_kind, columns, headers, kind is not None, lang=1))
    header_lines, above = block[1:], []
    for i, row in enumerate(sheet.rows[:block[0] if block else 0]):  # header text above the header: no title line
        if _row_is_blank(row):
            continue
        if _names_roles(row, found_kind) >= 2:
            header_lines.append(i)
        else:
            above.append(i)
    for header, role in duplicates:
        table.notes.append(Phrase("row.note.duplicate_column", header=header, role=Phrase("label.role." + role),
                                  used=table.header(role)))
    if swapped:
        table.notes.append(Phrase("row.note.short_title", title=swapped[0], description=swapped[1]))
    for header, role, note, examples in unfit:
        table.notes.append(Phrase("row.note." + note, header=header, role=Phrase("label.role." + role),
                                  examples=examples))
    for i in sorted(header_lines):
        text = " | ".join(dict.fromkeys(clean_text(c) for c in sheet.rows[i] if clean_text(c)))
        table.notes.append(Phrase("row.note.header_line", row=i + 1, text=_short(text, 200)))
        table.note_rows.append({"row": i + 1, "text": text})
    if found_kind == "measures" and "provider" not in columns:
        assigned = set(columns.values()) | {i for indexes in more.values() for i in indexes}
        others = [h.split("\n")[0] for i, h in enumerate(headers) if h and i not in assigned]
        table.notes.append(Phrase("row.note.no_provider_column", wanted=_short(describe_role(found_kind, "provider"), 120),
                                  headers=_short(", ".join(others), 200) if others else "–"))
    _collect_rows(sheet, table, end, above)
    roles_at = set(columns.values()) | {i for indexes in more.values() for i in indexes}
    width = max((len(cells) for _, cells in table.rows), default=0)
    unnamed = {i for _, cells in table.rows for i, c in enumerate(cells)
               if (i >= len(headers) or not headers[i]) and clean_text(c)}
    table.extra_columns = {i: (headers[i].replace("\n", " ") if i < len(headers) and headers[i] else f"Spalte {i + 1}")
                           for i in range(max(width, len(headers)))
                           if i not in roles_at and ((i < len(headers) and headers[i]) or i in unnamed)}
    return table


def _names_roles(cells, kind):
    """How many distinct cells of a row are header texts that name a role (as a synonym, quality 2 or more)."""
    texts = {clean_text(c) for c in cells if isinstance(c, str) and clean_text(c)}
    return sum(1 for t in texts if len(t.split("\n")[0]) <= _LONG_CELL and match_role(kind, t)[1] >= 2)


def _prefer_short_title(kind, rows, first, headers, columns):
    """A title is short. When the column taken for the title only contains a title word ("Informationen zum
    Angebot") and holds paragraphs, while the description column ("Kurzbeschreibung des Angebots") holds short
    texts in at least as many rows, the short texts name the measures and the paragraphs describe them: the two
    swap roles. Returns (title header, description header) when they swapped, else None."""
    if kind != "measures" or "title" not in columns or "description" not in columns:
        return None
    title, description = columns["title"], columns["description"]
    if match_role(kind, headers[title])[1] >= 2:
        return None
    lengths = {title: [], description: []}
    for cells in rows[first:first + _SHAPE_SAMPLE]:
        for i in lengths:
            if i < len(cells) and (text := clean_text(cells[i])):
                lengths[i].append(len(text))
    if not lengths[title] or not lengths[description]:
        return None
    long, short = statistics.median(lengths[title]), statistics.median(lengths[description])
    if long <= _LONG_CELL or 2 * short > long or len(lengths[description]) < len(lengths[title]):
        return None
    columns["title"], columns["description"] = description, title
    return headers[description].split("\n")[0], headers[title].split("\n")[0]


def _short(text, limit=300):
    """Cut a text for an error message to one line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _header_block(rows, r, kind, headers, columns, more):
    """The rows of one header written in several languages around the header row `r`: the German header over
    the English one ("Name des Begünstigten" over "beneficiary name"), a third in French, each perhaps announced by
    a row of one word ("English", "Français"), or a header continued on the next line ("Projektende/" over
    "operation end date"). A row is such a header line when `_is_header_line` says so; the header is the first
    row of the block, whichever of its rows named the roles best.

    Returns
    -------
    list of int
        Row indexes of the block, top down; ``[r]`` when the header is one row.
    """
    role_at = {i: role for role, i in columns.items()}
    role_at.update({i: role for role, indexes in more.items() for i in indexes})
    named = {i for i, text in enumerate(headers) if text}
    block = [r]
    while True:  # downwards: the header lines right below the header
        below = block[-1] + 1
        if _is_header_line(rows, below, kind, role_at, named):
            block.append(below)
        elif _is_language_marker(rows, below) and _is_header_line(rows, below + 1, kind, role_at, named):
            block += [below, below + 1]
        else:
            break
    while True:  # upwards: the header the best-matching row repeats
        above = block[0] - 1
        if above < 0:
            break
        if _is_header_line(rows, above, kind, role_at, named, data_from=block[-1] + 1):
            block.insert(0, above)
        elif above >= 1 and _is_language_marker(rows, above) and \
                _is_header_line(rows, above - 1, kind, role_at, named, data_from=block[-1] + 1):
            block[:0] = [above - 1, above]
        else:
            break
    return block


def _is_language_marker(rows, i):
    """A row of one short word or two ("English", "Français") between the lines of a header."""
    if i >= len(rows):
        return False
    filled = _filled(rows[i])
    if len(filled) != 1 or not isinstance(rows[i][filled[0]], str):
        return False
    text = clean_text(rows[i][filled[0]])
    return len(text) <= 30 and len(text.split()) <= 2 and not any(ch.isdigit() for ch in text)


def _is_header_line(rows, i, kind, role_at, named, *, data_from=None):
    """True when row `i` repeats or continues the header rather than holding a record: texts only, in columns
    the header names, of which at least two, and at least half, show it: a text that names the role of its own
    column (as a synonym, not by containing one: "Einsatzgebiet: Süd" is a value), or a text where the records
    below hold dates or numbers ("operation start date" over dates). A row of one text repeated (a merged title)
    is no header line. The records are the rows from `data_from` (default: the row after `i`)."""
    if i < 0 or i >= len(rows):
        return False
    cells = rows[i]
    filled = _filled(cells)
    if len(filled) < 2 or any(j not in named for j in filled):
        return False
    texts = {j: clean_text(cells[j]) for j in filled}
    if len(set(texts.values())) < 2:
        return False
    if any(not isinstance(cells[j], str) or len(t.split("\n")[0]) > _LONG_CELL or _NUMBERISH.match(t)
           or EXCEL_ERROR.match(t) or DATE_TEXT.match(t) for j, t in texts.items()):
        return False
    start = i + 1 if data_from is None else data_from
    types = _column_types(rows[start:start + 2 * _SHAPE_ROWS])
    shown = 0
    for j, text in texts.items():
        match = match_role(kind, text)
        if (j in role_at and match[0] == role_at[j] and match[1] >= 2) or \
                (types.get(j) in ("date", "number") and not is_placeholder(text)):
            shown += 1
    return shown >= 2 and 2 * shown >= len(texts)


def _column_types(rows, least=3):
    """Column index → "date", "number" or "text" where at least `least` cells of `rows` and nine in ten of them
    hold that type."""
    counts = {}
    for cells in rows:
        for i in _filled(cells):
            kind = _cell_type(cells[i], clean_text(cells[i]))
            counts.setdefault(i, {}).setdefault(kind, 0)
            counts[i][kind] += 1
    types = {}
    for i, by_type in counts.items():
        kind, n = max(by_type.items(), key=lambda item: item[1])
        if n >= least and n >= 0.9 * sum(by_type.values()):
            types[i] = kind
    return types


def _cell_type(value, text):
    """"date", "number" or "text" for a filled cell (what a column of records holds), as the sheet shows it."""
    if hasattr(value, "year"):
        return "date"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    if DATE_TEXT.match(text):
        return "date"
    if _NUMBERISH.match(text) and any(ch.isdigit() for ch in text):
        return "number"
    return "text"


@dataclass
class _Shape:
    """What the records of a table look like: the columns nearly every record fills, how many of them a record
    usually fills, and the type of value (date, number, text) a column holds throughout."""

    usual: list
    thin: float  # a row filling this share of the usual columns or less is thin
    types: dict  # column index -> "date" | "number" | "text"


def _shape(body):
    """The shape of the records among `body` [(number, cells, filled)]: judged on the upper half of the rows
    (records start right below the header; notes and legends stand at the end), on those of two or more values."""
    upper = body[:min(max(3, (len(body) + 1) // 2), _SHAPE_SAMPLE)]
    rows = [item for item in upper if len(item[2]) >= 2]
    if len(rows) < 3:
        rows = upper
    width = max((max(filled) + 1 for _, _, filled in rows if filled), default=0)
    counts = [0] * width
    kinds = [{"date": 0, "number": 0, "text": 0} for _ in range(width)]
    for _, cells, filled in rows:
        for i in filled:
            counts[i] += 1
            kinds[i][_cell_type(cells[i], clean_text(cells[i]))] += 1
    rates = [c / max(len(rows), 1) for c in counts]
    usual = [i for i, rate in enumerate(rates) if rate >= 0.8] or \
        [i for i, rate in enumerate(rates) if rates and rate >= 0.5 * max(rates)]
    coverage = [len(set(usual) & set(filled)) / len(usual) for _, _, filled in rows] if usual else [1]
    types = {}
    for i, kind_counts in enumerate(kinds):
        if counts[i] >= 4:
            kind, n = max(kind_counts.items(), key=lambda item: item[1])
            if n >= 0.9 * counts[i]:
                types[i] = kind
    return _Shape(usual, 0.5 * statistics.median(coverage), types)


def _misfits(cells, filled, shape):
    """The cells of a row whose type is not its column's (a text where every record has a date or number,
    a number where every record has a text); a placeholder ("k. A.") fits any column."""
    misfits = 0
    for i in filled:
        if i in shape.types:
            text = clean_text(cells[i])
            if _cell_type(cells[i], text) != shape.types[i] and not is_placeholder(text):
                misfits += 1
    return misfits


def _key_column(table):
    """The column that names a record (a measure's title, an organisation's name, …)."""
    key_role = "title" if table.kind == "measures" else next(iter(REQUIRED[table.kind]))
    return table.columns.get(key_role if isinstance(key_role, str) else key_role[0])


def _is_note(filled_texts, filled_at, table, after_blank):
    """A row of one text below the last full data row is a note when it reads like one (Stand, Quelle, *, 1) …),
    follows a blank row, or has its one text outside the column that names a record."""
    text = filled_texts[0]
    if _NOTE_START.match(text):
        return True
    return after_blank or filled_at[0] != _key_column(table)


def _collect_rows(sheet, table, header_index, above=()):
    """Data rows follow the header; rows below the last full record that do not look like a record are notes
    with their row numbers, not data. Of the rows `above` the header (indexes), those shaped like the records
    are records too (`_is_record_above`), the others title lines.

    The records' shape is judged from the rows themselves: the columns nearly all of them fill and the type
    of value each column holds. Below the last row of that shape ("full"), a row is a note when

    - it is one text across the row (a merged cell: all its cells say the same, or all but a code before it:
      "104 | Selbstständigkeit, Unternehmergeist …" over the width of the table),
    - it is one text that reads like a note (Stand, Quelle, *, 1) …), follows a blank row or stands outside
      the column that names a record,
    - or it is thin (far fewer of the usual columns filled than a record has) and follows a blank row or
      a note, reads like a note, leaves empty the column that names a record, or holds a value of the wrong
      type (a text under dates, a number under names): a legend ("102 | Zugang zu Beschäftigung"), an
      address block, "Benutzer / User".

    A thin row right below the records with nothing odd about it stays a record (a title-only row). Every row
    below a note is a note too: what follows "Erläuterungen" or a footnote is its legend, not records.
    Rows whose cells are all Excel error values ("#WERT!") are notes wherever they stand. In a table that
    writes "0" for "not given" in its text columns, those zeros are read as empty (`_empty_markers`).
    """
    body = []
    blank_seen = False
    for i, cells in enumerate(sheet.rows):
        if i <= header_index:
            continue
        filled = _filled(cells)
        if not filled:
            blank_seen = True
            continue
        errors = all(isinstance(cells[j], str) and "#" in cells[j] and EXCEL_ERROR.match(clean_text(cells[j]))
                     for j in filled)
        body.append((i + 1, cells, filled, blank_seen, "error" if errors else None))
        blank_seen = False
    shape = _shape([(n, c, f) for n, c, f, _, what in body[:2 * _SHAPE_SAMPLE] if what is None])
    usual = set(shape.usual)
    key = _key_column(table)

    def judge(cells, filled):
        texts = [clean_text(cells[j]) for j in filled]
        banner = len(filled) >= 2 and len(set(texts)) == 1 or _is_merged_text(texts)
        covered = sum(1 for j in filled if j in usual) / len(usual) if usual else 1
        return texts, banner, covered <= shape.thin, _misfits(cells, filled, shape)

    for i in above:
        cells = sheet.rows[i]
        filled = _filled(cells)
        if _is_record_above(cells, filled, judge(cells, filled), table.kind):
            table.rows.append((i + 1, cells))
        else:
            table.title_lines.append(clean_cell(" ".join(cell_text(c) for c in cells if c is not None)))
    last_full = -1
    for position in range(len(body) - 1, -1, -1):
        _, cells, filled, _, what = body[position]
        if what is None and len(filled) >= 2:
            _, banner, thin, misfits = judge(cells, filled)
            if not banner and not thin and not misfits:
                last_full = position
                break
    previous_note = below_note = False
    for position, (number, cells, filled, after_blank, what) in enumerate(body):
        note = what == "error" or below_note
        if not note and position > last_full:
            texts, banner, thin, misfits = judge(cells, filled)
            note = banner or (len(filled) == 1 and _is_note(texts, filled, table, after_blank)) or \
                (thin and (after_blank or previous_note or misfits > 0 or key not in filled or
                           bool(_NOTE_START.match(texts[0]))))
        if note:
            text = " | ".join(dict.fromkeys(clean_text(cells[j]) for j in filled))
            table.notes.append(Phrase("row.note.row", row=number, text=_short(text, 200)))
            table.note_rows.append({"row": number, "text": text})
            below_note = below_note or position > last_full
        else:
            table.rows.append((number, cells))
        previous_note = note
    _repeated_labels(table)
    _empty_markers(table)


def _is_record_above(cells, filled, judged, kind):
    """True for a row above the header that is a record, not a title line: a title is one text (perhaps merged
    over the row) or a few, while a record fills the columns the records below fill, with values of their types
    (no misfits), at least three distinct ones and hardly any repeated, and names no role as a header would."""
    texts, banner, thin, misfits = judged
    distinct = len(set(texts))
    return distinct >= 3 and 3 * distinct >= 2 * len(texts) and not (banner or thin or misfits) and \
        not _names_roles(cells, kind)


def _is_merged_text(texts, least=3):
    """True for the cells of a row that repeat one text (a cell merged over the row, as read) in at least `least`
    cells and two thirds of them, beside a few others such as a code: no record repeats a sentence that often."""
    if len(texts) < least:
        return False
    text, n = max(((t, texts.count(t)) for t in set(texts)), key=lambda item: item[1])
    return n >= least and 3 * n >= 2 * len(texts) and len(text) >= 20 and not is_placeholder(text)


def _repeated_labels(table):
    """Cut the column's own header from the start of its cells where most cells repeat it ("Einsatzgebiet: Süd"
    under "einsatzgebiet", as scraped lists write them): the value is what follows."""
    def label(value, key):
        return isinstance(value, str) and ":" in value and normalize_label(value.split(":", 1)[0]) == key

    sample = table.rows[:_SHAPE_SAMPLE]
    for i, header in enumerate(table.headers):
        key = normalize_label(header.split("\n")[0]) if header else ""
        if not key:
            continue
        values = [cells[i] for _, cells in sample if i < len(cells) and clean_text(cells[i])]
        labelled = sum(1 for value in values if label(value, key))
        if not labelled or 2 * labelled < len(values):
            continue
        table.rows = [(number, [c.split(":", 1)[1].strip() or None if j == i and label(c, key) else c
                                for j, c in enumerate(cells)]) for number, cells in table.rows]


def _empty_markers(table, marker="0"):
    """Read "0" as empty in the text columns of a table that writes it for "not given" (an Excel export
    of empty cells): when at least two columns of texts hold it, in every column that is not one of numbers;
    when one does, in that column only (judged on the first `_SHAPE_SAMPLE` rows). The table's rows get their
    cells emptied; a note says so."""
    sample = table.rows[:_SHAPE_SAMPLE]
    width = max((len(cells) for _, cells in sample), default=0)
    zeros, others = [0] * width, [[] for _ in range(width)]
    for _, cells in sample:
        for i, value in enumerate(cells):
            if (text := clean_text(value)) == marker and isinstance(value, str):
                zeros[i] += 1
            elif text:
                others[i].append(_cell_type(value, text))
    numeric = [sum(1 for t in kinds if t != "text") for kinds in others]
    texts = [i for i in range(width) if zeros[i] and len(others[i]) >= 3 and numeric[i] <= 0.1 * len(others[i])]
    if len(texts) >= 2:
        columns = [i for i in range(width) if zeros[i] and numeric[i] <= 0.5 * len(others[i])]
    else:
        columns = [i for i in texts if len(others[i]) >= 5]
    if not columns:
        return
    emptied, count = set(columns), 0
    rows = []
    for number, cells in table.rows:
        cells = list(cells)
        for i in emptied:
            if i < len(cells) and isinstance(cells[i], str) and clean_text(cells[i]) == marker:
                cells[i], count = None, count + 1
        rows.append((number, cells))
    table.rows = rows
    names = "; ".join(table.headers[i].replace("\n", " ") for i in columns if i < len(table.headers) and table.headers[i])
    table.notes.append(Phrase("row.note.empty_marker", value=marker, count=count, headers=_short(names, 200)))
