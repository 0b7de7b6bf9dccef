"""Data exports that are safe to open: Turtle, CSV and XLSX, without personal data unless allowed.

Rules
-----
- **XLSX**: every cell is a text cell (``data_type "s"``); a value that begins with a
  formula character also gets the *quote prefix* style, so a spreadsheet never turns
  data into a formula, not even after the cell is edited. Control characters that XML
  forbids are removed (see `strip_control`).
- **CSV** (UTF-8 with BOM, ``;`` as delimiter, as German Excel expects): a cell that
  begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  single quote (OWASP "CSV injection"). Exception: a phone number in international form
  (`PHONE`: ``+``, then only digits, spaces, ``/``, ``(`` and ``)``, e.g. ``+49 6441 22897``)
  stays as it is: without letters, quotes, ``!`` or ``:`` it names no function, no cell and
  no other program, so it cannot execute anything, and the coordinator can still dial it.
- **Personal data**: contact persons, e-mails and phone numbers (``schema:ContactPoint``
  nodes) are left out unless the setting ``include_personal_data`` is on.
"""

import csv
import io
import re

import pyoxigraph as ox

from knotenpunkt.graph.queries import run_frame
from knotenpunkt.graph.settings import get_setting
from knotenpunkt.graph.store import PREFIXES
from knotenpunkt.graph.texts import section

__all__ = ["FORMULA_START", "PHONE", "strip_control", "neutralise_csv_cell", "personal_data_allowed",
           "contacts", "measures_frame", "EXPORT_HEADERS", "export_table", "to_csv", "to_xlsx", "to_turtle"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"\+[0-9][0-9 /()]*[0-9]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# The personal-data sources (personal data found by content or property, issue 16) are left out by their
# graph, whatever the store handle may see; contact points by their property and class.
_WITHOUT_PERSONAL_DATA = """
CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(!STRSTARTS(STR(?g), "https://w3id.org/knotenpunkt/graph/personal/"))
  FILTER(?p != schema:contactPoint)
  FILTER NOT EXISTS { ?s a schema:ContactPoint }
}
"""


def strip_control(text):
    """Remove the control characters XML 1.0 forbids (tab, line feed and carriage return stay).

    XLSX, PPTX and the PDF's text layer are XML or need printable text; openpyxl and
    lxml refuse these characters instead of writing them.

    Examples
    --------
    >>> strip_control("a\\x00b\\x1bc\\td")
    'abc\\td'
    """
    return _CONTROL.sub("", str(text))


def neutralise_csv_cell(value):
    """The text of one CSV cell, with a leading quote when a spreadsheet would read a formula.

    Examples
    --------
    >>> neutralise_csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_csv_cell("+49 6441 22897")
    '+49 6441 22897'
    >>> neutralise_csv_cell("-2+3")
    "'-2+3"
    >>> neutralise_csv_cell(None)
    ''
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not PHONE.fullmatch(text):
        return "'" + text
    return text


def personal_data_allowed(include_personal_data=None):
    """The explicit choice, or else the setting ``include_personal_data``."""
    return get_setting("include_personal_data") if include_personal_data is None else bool(include_personal_data)


def contacts(store):
    """Subject IRI (measure or organisation) → its contact point: name, email, telephone (personal data)."""
    frame = run_frame(store, "measure_contacts")
    return {r.subject: {"name": r.name, "email": r.email, "telephone": r.telephone} for r in frame.itertuples()}


def measures_frame(store, *, include_personal_data=None):
    """One row per measure (canned query ``export_measures``), with contact columns only if allowed.

    Parameters
    ----------
    store : graph.store.Store
    include_personal_data : bool, optional
        Add ``contact``, ``email``, ``telephone``; default: the setting.

    Returns
    -------
    pandas.DataFrame
        Strings, None where a value is missing.
    """
    frame = run_frame(store, "export_measures")
    if personal_data_allowed(include_personal_data):
        people = contacts(store)
        for column, key in (("contact", "name"), ("email", "email"), ("telephone", "telephone")):
            frame[column] = [people.get(m, {}).get(key) for m in frame["measure"]]
    return frame


EXPORT_HEADERS = {  # column → (German, English) heading of the spreadsheet exports, in their order (graph/texts.toml)
    column: (entry["de"], entry["en"]) for column, entry in section("report.export").items()}


def _date_text(value, lang):
    """An ISO date as 01.09.2024 (German) or 2024-09-01 (English); other text unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not match or lang != "de":
        return value
    return f"{match[3]}.{match[2]}.{match[1]}"


def export_table(store, *, lang="de", include_personal_data=None):
    """The measures as a coordinator's spreadsheet: names first, headings and dates in `lang`.

    One row per measure (`measures_frame`) with its description, languages, schedule and the
    values kept as text (query ``extract_measure_texts``); the measure's IRI comes last. Titles and
    dates corrected in the app (`graph.corrections`) replace the imported ones.

    Parameters
    ----------
    store : graph.store.Store
    lang : {"de", "en"}
    include_personal_data : bool, optional
        As for `measures_frame`.

    Returns
    -------
    pandas.DataFrame
        Columns headed as in `EXPORT_HEADERS`.
    """
    from knotenpunkt.graph.corrections import load_corrections

    frame = measures_frame(store, include_personal_data=include_personal_data)
    for measure, facts in load_corrections(store).items():  # corrections made in the app replace imported facts
        rows = frame["measure"] == measure
        for name in ("title", "start", "end"):
            if name in facts:
                frame.loc[rows, name] = facts[name] if name == "title" else facts[name].isoformat()
    texts = run_frame(store, "extract_measure_texts").set_index("measure")
    for column in ("languages", "schedule", "notes"):
        frame[column] = frame["measure"].map(texts[column]) if len(texts) else None
    for column in ("start", "end"):
        frame[column] = frame[column].map(lambda v: _date_text(v, lang))
    columns = [c for c in EXPORT_HEADERS if c in frame.columns]
    return frame[columns].rename(columns={c: EXPORT_HEADERS[c][0 if lang == "de" else 1] for c in columns})


def to_csv(frame):
    """The frame as CSV bytes (UTF-8 with BOM, ``;``), every cell neutralised (`neutralise_csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_csv_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([neutralise_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(frame, *, sheet="Angebote"):
    """The frame as XLSX bytes: text cells only, quote prefix where a value looks like a formula; bold headings,
    the first row frozen, an autofilter over the table, and column widths that fit most values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, values in enumerate([list(frame.columns), *frame.itertuples(index=False)], start=1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            cell.value = strip_control(value)
            cell.data_type = "s"  # openpyxl would store a string starting with "=" as a formula
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if ws.max_row > 1 or ws.max_column > 1:
        ws.auto_filter.ref = ws.dimensions
    for c, column in enumerate(frame.columns, start=1):  # wide enough for most values, never wider than 60
        lengths = sorted(len(str(v)) for v in frame[column].dropna())
        typical = lengths[int(len(lengths) * 0.9)] if lengths else 0
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(len(str(column)) + 4, typical + 2, 8))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_turtle(store, *, include_personal_data=None):
    """The current data as Turtle; without contact points unless personal data is allowed."""
    if personal_data_allowed(include_personal_data):
        return store.export("turtle")
    return ox.serialize(store.query(_WITHOUT_PERSONAL_DATA), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
