"""Recognise a sheet that repeats the records of another sheet of the same file (a cleaned copy, a
"Druckansicht", an export beside the original), so that its records are imported once.

Records are compared by content, never by sheet name or row position: each record becomes a key of its
values in its table's fields (column roles, and columns without a role by their header; the other table must
have them too, in whatever column and header row), every value normalised so that the same value written
differently is equal — a date cell and the date as text ("05.02.16"), a number and its text ("575.160,34 €"),
case, spaces, line breaks and punctuation. The keys of a table are hashed into a set, so a comparison costs one
pass over each table (no pairwise row comparisons); each distinct value is normalised once; the records of a
table whose naming column (title, name) mostly differs from the other's are not looked at further; and only
tables of the same kind in the same file are compared at all: a workbook of one table per kind costs nothing.

A table *S* repeats a table *L* when

- every field of *S* that holds a value is a field of *L* (skipping *S* loses no column), and
- at least `COPY_SHARE` of the records of *S* occur in *L*, compared by every field but the id (as a record
  entered twice is found in one sheet: a sorted copy numbers its rows anew).

A mere overlap (a 2023 and a 2024 list sharing some projects) stays far below that share. The table with a
column of its own is never the one skipped: of a list and its print view without the description, the view
goes, whichever sheet comes first. When two tables repeat each other (the same fields), the one with more
records is kept, and of two with as many the first sheet of the file (the workbook's own order: a copy is
usually added after its original; either gives the same measures).
The records of *S* that do not occur in *L* (a row corrected in one copy only) are imported from *S*.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from knotenpunkt.graph.texts import text
from knotenpunkt.ingest.dates import DATE_TEXT, parse_date
from knotenpunkt.ingest.read import clean_text
from knotenpunkt.ingest.headers import REQUIRED, ROLE_LABELS
from knotenpunkt.ingest.text import normalize_label

__all__ = ["COPY_SHARE", "Copy", "find_copies", "drop_copies", "record_value"]

COPY_SHARE = 0.95  # of the records of a table that must occur in the other for it to be a copy
_SAMPLE = 200  # records of a table looked up first by their naming field alone: no copy, no further work
_AMOUNT = re.compile(r"^[+-]?\d[\d.,']*$")
_SIGNS = re.compile(r"[\s€$%]+|EUR$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Copy:
    """A table whose records repeat those of another table of the same file."""

    table: object  # ingest.tables.Table, the repeating one
    of: object  # the table it repeats (kept)
    repeated: int  # its records that occur in `of`
    left: list  # its rows that do not: (row number, cells), imported from it
    fields: list  # what was compared, (German, English): the roles' names and the headers of columns without one


def _number(text):
    """A number written as text, canonical ("575.160,34 €" → "575160.34"), or None."""
    text = _SIGNS.sub("", text)
    if not _AMOUNT.match(text):
        return None
    text = text.replace("'", "")
    if "," in text and "." in text:  # the last separator is the decimal one
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif "," in text or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    try:
        return _canonical(Decimal(text))
    except InvalidOperation:
        return None


def _canonical(number):
    number = round(number, 6).normalize()
    return format(number, "f")


def record_value(value):
    """A cell value as compared between two copies of a table: the same value written differently is equal.

    >>> record_value(dt.datetime(2016, 2, 5)) == record_value("05.02.16") == record_value("5.2.2016")
    True
    >>> record_value(575160.34) == record_value("575.160,34 €"), record_value(104.0) == record_value("104")
    (True, True)
    >>> record_value("Verein A e.V.\\n(Rostock)") == record_value("verein a e. v. rostock")
    True
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        if isinstance(value, dt.datetime) and value.time() != dt.time():
            return value.isoformat(timespec="minutes")
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, (int, float)):
        try:
            return _canonical(Decimal(repr(value)))
        except InvalidOperation:  # nan, inf
            return repr(value)
    text = clean_text(value)
    if not text:
        return ""
    if not (text[0].isdigit() or text[0] in "+-"):  # most texts: neither a date nor a number
        return _NOT_WORD.sub("", unicodedata.normalize("NFC", text).casefold())
    if DATE_TEXT.match(text):
        try:
            parsed = parse_date(text)
        except Exception:  # noqa: BLE001 - a text that only looks like a date is compared as text
            parsed = None
        if parsed is not None and parsed.precision == "day":
            return parsed.date.isoformat()
    if (number := _number(text)) is not None:
        return number
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", text).casefold())


class _Records:
    """The fields of one table and, computed once when asked, each field's normalised values by row."""

    def __init__(self, table, position, memo):
        self.table = table
        self.memo = memo  # cell value -> record_value, shared by the tables compared (values recur)
        self.position = position  # the sheet's place in the file
        # field -> the index of its column, or the role of several columns (read joined, as the rows are)
        self.fields = {role: role if role in table.more_columns else i for role, i in table.columns.items()}
        self.names = {role: ROLE_LABELS.get(role, (role, role)) for role in table.columns}
        for index, header in table.extra_columns.items():
            header = (table.headers[index] if index < len(table.headers) and table.headers[index] else header)
            field = ("column", normalize_label(header.split("\n")[0]))
            if field not in self.fields:
                self.fields[field] = index
                self.names[field] = (header.split("\n")[0],) * 2
        self._values = {}
        key_role = REQUIRED[table.kind][0]
        self.key = key_role if isinstance(key_role, str) else key_role[0]
        self._filled = None

    def column(self, field):
        if field not in self._values:
            how, memo = self.fields[field], self.memo
            if isinstance(how, int):
                raw = [cells[how] if how < len(cells) else None for _, cells in self.table.rows]
            else:
                raw = [self.table.value(cells, how) for _, cells in self.table.rows]
            if any(type(v) is bool for v in raw):  # noqa: E721 - True would be taken for 1
                raw = [str(v) if type(v) is bool else v for v in raw]  # noqa: E721
            for value in set(raw).difference(memo):  # each distinct value normalised once
                memo[value] = record_value(value)
            self._values[field] = [memo[v] for v in raw]
        return self._values[field]

    def filled(self):
        """The fields that hold a value in some record."""
        if self._filled is None:
            self._filled = [f for f in self.fields if any(self.column(f))]
        return self._filled

    def keys(self, fields):
        return list(zip(*(self.column(f) for f in fields)))


def _compared(records):
    """The fields a record is compared by: those holding values, but not the id, as for a record entered
    twice (`ingest.rows`): a sorted print view numbers its rows anew."""
    return [f for f in records.filled() if f != "id"]


def _repeats(small, large):
    """The rows of `small` whose record occurs in `large`, as a list of booleans, when `small` repeats `large`;
    else None."""
    if small.key not in large.fields or not small.table.rows:
        return None
    rows = len(small.table.rows)
    step = max(1, rows // _SAMPLE)
    sample = small.column(small.key)[::step]
    names = set(large.column(small.key))
    if sum(1 for v in sample if v in names) < COPY_SHARE * len(sample):
        return None
    if any(f not in large.fields for f in small.filled()):
        return None
    fields = _compared(small)
    found = set(large.keys(fields))
    hits = [key in found for key in small.keys(fields)]
    return hits if sum(hits) >= COPY_SHARE * rows else None


def find_copies(tables):
    """The tables among `tables` (one file's, in sheet order) that repeat another of the same kind.

    Returns
    -------
    list of Copy
        At most one per table; the table repeated is never itself a copy.
    """
    memo = {}
    records = [_Records(t, i, memo) for i, t in enumerate(tables)]
    copies = []
    kinds = {}
    for r in records:
        kinds.setdefault(r.table.kind, []).append(r)
    for group in kinds.values():
        if len(group) < 2:
            continue
        # The one to lose first is looked at first: fewer records, later sheet.
        group = sorted(group, key=lambda r: (len(r.table.rows), -r.position))
        kept, keepers = list(group), set()
        for small in group:
            if id(small) in keepers:  # repeated by another: stays
                continue
            for large in sorted(kept, key=lambda r: (-len(r.table.rows), r.position)):
                if large is small:
                    continue
                hits = _repeats(small, large)
                if hits is not None:
                    kept.remove(small)
                    keepers.add(id(large))
                    copies.append(Copy(small.table, large.table, sum(hits),
                                       [row for row, hit in zip(small.table.rows, hits) if not hit],
                                       [small.names[f] for f in _compared(small)]))
                    break
    return sorted(copies, key=lambda c: tables.index(c.table))


def drop_copies(tables, entries):
    """Report the sheets of one file that repeat another (`find_copies`) and keep only what is new in them.

    `tables` is the file's ``[(raw, sheet, table)]`` in sheet order, `entries` its report entries by
    ``id(table)``. A sheet whose every record occurs in the other becomes a skipped sheet with its reason
    (``copy_of``, ``repeated_rows``); a sheet with records of its own keeps only those, and its entry says how
    many repeat which sheet. Returns the tables still to import.
    """
    copies = find_copies([t for _, _, t in tables])
    dropped = set()
    sheets = {id(t): sheet for _, sheet, t in tables}
    for copy in copies:
        entry = entries[id(copy.table)]
        rows = len(copy.table.rows)
        values = dict(other=copy.of.sheet, repeated=copy.repeated, rows=rows, left=len(copy.left))
        reason = {lang: text("row.sheet_copy_rows" if copy.left else "row.sheet_copy", lang,
                             fields=", ".join(name[i] for name in copy.fields), **values)
                  for i, lang in enumerate(("de", "en"))}
        entry.update(copy_of=copy.of.sheet, repeated_rows=copy.repeated)
        if copy.left:
            copy.table.rows = copy.left
            entry.update(rows=len(copy.left), copy_reason=reason["de"], copy_reason_en=reason["en"])
        else:
            del entry["rows"]  # a used sheet's imported rows
            entry.update(status="skipped", reason=reason["de"], reason_en=reason["en"],
                         nonempty_rows=sum(1 for row in sheets[id(copy.table)].rows if any(clean_text(c) for c in row)))
            dropped.add(id(copy.table))
    return [item for item in tables if id(item[2]) not in dropped]
