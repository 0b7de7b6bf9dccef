"""Dates as coordinators write them: German, ISO, American (08/31/2010), Excel serials, years, "laufend"."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from knotenpunkt.ingest.text import MISSING_MARKERS, clean_cell

__all__ = ["DATE_TEXT", "DateValue", "DateProblem", "parse_date", "parse_period"]

# A cell text that is one date: 1.2.2024, 2024-02-01 (with a time), 2/1/24, 02/2024.
DATE_TEXT = re.compile(r"^(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+)?|"
                       r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}[./]\d{4})$")

OPEN_WORDS = {"laufend", "unbefristet", "offen", "dauerhaft", "fortlaufend", "andauernd", "ongoing",
              "regelangebot", "dauerangebot", "open", "bis auf weiteres", "auf weiteres", "keine befristung",
              "unbegrenzt", "permanent", "ohne ende"}
_PREFIX = re.compile(r"^(?:seit|ab|von|vom|bis|ca\.?|circa|voraussichtlich|vsl\.?|since|from|until)\s+", re.I)
_GERMAN = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(.+?)\s*(?:–|—|-|bis)\s*(.+)$")
_MONTHS = {"jan": 1, "januar": 1, "feb": 2, "februar": 2, "mär": 3, "maer": 3, "märz": 3, "mar": 3,
           "apr": 4, "april": 4, "mai": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8,
           "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
           "november": 11, "dez": 12, "dezember": 12}
_NAMED_MONTH = re.compile(r"^([a-zäöü]+)\.?\s+(\d{4})$", re.I)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class DateValue:
    """A parsed date: `date` is None for an open end; `precision` is day, month, year or open."""

    date: dt.date | None
    precision: str
    text: str


class DateProblem(ValueError):
    """A value that is not a date, or an impossible one; `code` names the defect."""

    def __init__(self, code, text):
        self.code, self.text = code, text
        super().__init__(f"{code}: {text}")


def _month_bounds(year, month, side):
    day = 1 if side == "start" else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def _make_date(year, month, day, text):
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateProblem("impossible_date", text) from None


def parse_date(value, *, side="start"):
    """Parse one date cell.

    Parameters
    ----------
    value : str, int, float, datetime.date or None
        The cell value as read from the sheet.
    side : {"start", "end"}
        Which end of a period; a year or a month alone means its first day for a
        start and its last day for an end.

    Returns
    -------
    DateValue or None
        None for an empty cell.

    Raises
    ------
    DateProblem
        ``impossible_date`` (31.02.2024) or ``not_a_date``.

    Examples
    --------
    >>> parse_date("01.09.2024").date
    datetime.date(2024, 9, 1)
    >>> parse_date("2023", side="end").date
    datetime.date(2023, 12, 31)
    >>> parse_date("laufend", side="end").precision
    'open'
    >>> parse_date(45536).date
    datetime.date(2024, 9, 1)
    >>> parse_date("08/31/2010").date, parse_date("31/08/2010").date
    (datetime.date(2010, 8, 31), datetime.date(2010, 8, 31))
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return DateValue(value.date(), "day", value.date().isoformat())
    if isinstance(value, dt.date):
        return DateValue(value, "day", value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            return _year(int(value), side, str(int(value)))
        if 20000 <= value <= 80000:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return DateValue(day, "day", str(value))
        raise DateProblem("not_a_date", str(value))
    text = clean_cell(value)
    lowered = text.lower().strip(" .")
    if lowered in MISSING_MARKERS:
        return None
    if lowered in OPEN_WORDS or any(word in lowered for word in ("laufend", "unbefristet", "dauerhaft")):
        return DateValue(None, "open", text)
    core = _PREFIX.sub("", lowered).strip()
    if m := _GERMAN.match(core):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        return DateValue(_make_date(year, month, day, text), "day", text)
    if m := _ISO.match(core):
        return DateValue(_make_date(int(m[1]), int(m[2]), int(m[3]), text), "day", text)
    if m := _SLASHED.match(core):  # slashes are the American order (08/31/2010) unless the first can be no month
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        month, day = (second, first) if first > 12 else (first, second)
        return DateValue(_make_date(year + (2000 if year < 100 else 0), month, day, text), "day", text)
    if m := _MONTH_YEAR.match(core):
        month, year = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise DateProblem("impossible_date", text)
        return DateValue(_month_bounds(year, month, side), "month", text)
    if (m := _NAMED_MONTH.match(core)) and m[1].lower() in _MONTHS:
        return DateValue(_month_bounds(int(m[2]), _MONTHS[m[1].lower()], side), "month", text)
    if m := _YEAR.match(core):
        return _year(int(m[1]), side, text)
    if re.fullmatch(r"\d+(?:[.,]0+)?", core):
        return parse_date(float(core.replace(",", ".")), side=side)
    raise DateProblem("not_a_date", text)


def _year(year, side, text):
    if not 1900 <= year <= 2100:
        raise DateProblem("impossible_date", text)
    return DateValue(dt.date(year, 1, 1) if side == "start" else dt.date(year, 12, 31), "year", text)


def parse_period(value):
    """Split a period cell ("2024–2025", "01.01.2024 - 31.12.2025", "seit 2019") into start and end.

    Returns
    -------
    tuple of (DateValue or None, DateValue or None)

    Examples
    --------
    >>> start, end = parse_period("2024–2025")
    >>> start.date, end.date
    (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    >>> parse_period("seit 2019")[1].precision
    'open'
    """
    if value is None or isinstance(value, (int, float, dt.date)):
        return parse_date(value, side="start"), None
    text = clean_cell(value)
    lowered = text.lower()
    if lowered.startswith(("seit", "ab ")):
        return parse_date(text, side="start"), DateValue(None, "open", text)
    if lowered.startswith("bis "):
        return None, parse_date(text, side="end")
    # A German or ISO date contains "-" or "." itself; only split on a separator between two dates.
    if (m := _RANGE.match(text)) and not _ISO.match(text):
        return parse_date(m[1], side="start"), parse_date(m[2], side="end")
    return parse_date(text, side="start"), None
