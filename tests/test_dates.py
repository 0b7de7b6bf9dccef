"""Dates as coordinators write them."""

import datetime as dt

import pytest

from knotenpunkt.ingest.dates import DateProblem, parse_date, parse_period


@pytest.mark.parametrize("value, side, expected", [
    ("01.09.2024", "start", dt.date(2024, 9, 1)),
    ("1.9.24", "start", dt.date(2024, 9, 1)),
    ("2025-03-01", "start", dt.date(2025, 3, 1)),
    (dt.datetime(2024, 5, 6), "start", dt.date(2024, 5, 6)),
    (45536, "start", dt.date(2024, 9, 1)),
    ("2023", "start", dt.date(2023, 1, 1)),
    ("2023", "end", dt.date(2023, 12, 31)),
    ("seit 2019", "start", dt.date(2019, 1, 1)),
    ("09/2024", "end", dt.date(2024, 9, 30)),
    ("Februar 2024", "end", dt.date(2024, 2, 29)),
])
def test_date_forms(value, side, expected):
    assert parse_date(value, side=side).date == expected


@pytest.mark.parametrize("text", ["laufend", "unbefristet", "offen", "Dauerangebot"])
def test_open_end_words(text):
    assert parse_date(text, side="end").precision == "open"


@pytest.mark.parametrize("text", ["", "-", None])
def test_empty_cells_are_no_date(text):
    assert parse_date(text) is None


def test_impossible_date_is_reported_as_such():
    with pytest.raises(DateProblem) as info:
        parse_date("31.02.2024")
    assert info.value.code == "impossible_date"


def test_words_are_not_dates():
    with pytest.raises(DateProblem) as info:
        parse_date("nach Absprache")
    assert info.value.code == "not_a_date"


def test_period_ranges():
    start, end = parse_period("01.01.2024 - 31.12.2025")
    assert (start.date, end.date) == (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    assert parse_period("seit 2019")[1].precision == "open"


@pytest.mark.parametrize("text, day", [("08/31/2010", dt.date(2010, 8, 31)), ("7/1/2010", dt.date(2010, 7, 1)),
                                       ("31/08/2010", dt.date(2010, 8, 31)), ("12/24/13", dt.date(2013, 12, 24))])
def test_slashed_dates_are_read_in_american_order_unless_the_first_is_no_month(text, day):
    assert parse_date(text).date == day


def test_a_slashed_date_that_cannot_be_is_impossible():
    with pytest.raises(DateProblem) as info:
        parse_date("13/13/2010")
    assert info.value.code == "impossible_date"
