"""On-call pay from the tables: the web page (managers everyone, an engineer their own line),
its CSV for payroll through the product's safe cells, and `dutyline rota pay`."""

import csv
import io
import re
from datetime import date, datetime, timezone
from html import unescape

import pytest

from tests.conftest import command_line

from dutyline.db import database
from rota import engineers as engineer_service
from rota import overrides, periods
from telephony.models import Call

UTC = timezone.utc


@pytest.fixture
def december(app, settings, ben, make_engineer, clock):
    """Ben on 1 December (Tobi covering 21:00-02:00) and 31 December, Tobi on the 24th
    (Christmas Day); calls each answered out of hours, one in hours."""
    make_engineer("Tobi Jones")
    make_engineer("=Sam Hill")  # on no duty: a line of zeros, and a name a spreadsheet runs
    now = clock()
    with database.connection_context():
        find = engineer_service.find_engineer
        for day, name in ((date(2026, 12, 1), "Ben Smith"), (date(2026, 12, 24), "Tobi Jones"),
                          (date(2026, 12, 31), "Ben Smith")):
            periods.assign_period(day, find(name), None, settings, now=now)
        overrides.add_override("Tobi Jones", datetime(2026, 12, 1, 21, tzinfo=UTC),
                               datetime(2026, 12, 2, 2, tzinfo=UTC), settings, now)
        for n, (name, hour, mode) in enumerate((("Ben Smith", 19, "out_of_hours"),
                                                ("Tobi Jones", 23, "out_of_hours"),
                                                ("Ben Smith", 10, "in_hours"))):
            started = datetime(2026, 12, 1 if hour > 12 else 2, hour, tzinfo=UTC)
            Call.create(sid=f"CA{n:032d}", from_number="+447400123456", started_at=started,
                        mode=mode, status="answered", answered_by=find(name),
                        answered_at=started, ended_at=started)


def lines_shown(page):
    """[[cell text, …]] of the page's table rows, one an engineer."""
    rows = re.findall(r'<tr id="pay-\d+">(.*?)</tr>', page, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                          row, re.S)]
            for row in rows]


CSV_HEAD = ("month,engineer,hours_on_duty,minutes_on_duty,nights,weekend_days,"
            "public_holidays,calls_out_of_hours,timezone")
CSV_LINES = ["2026-12,'=Sam Hill,0.0,0,0,0,0,0,Europe/London",
             "2026-12,Ben Smith,33.0,1980,1,0,1,1,Europe/London",
             "2026-12,Tobi Jones,29.0,1740,0,0,1,1,Europe/London"]


def test_a_manager_sees_everyone_and_downloads_the_csv(manager, december):
    page = unescape(manager.get("/rota/pay?month=2026-12").get_data(as_text=True))
    assert 'href="/rota/pay"' in page
    assert lines_shown(page) == [["=Sam Hill", "0:00", "0", "0", "0", "0"],
                                 ["Ben Smith", "33:00", "1", "0", "1 (01 Jan)", "1"],
                                 ["Tobi Jones", "29:00", "0", "0", "1 (25 Dec)", "1"]]
    download = manager.get("/rota/pay.csv?month=2026-12")
    assert download.mimetype == "text/csv"
    assert "dutyline-on-call-pay-2026-12.csv" in download.headers["Content-Disposition"]
    lines = download.get_data(as_text=True).splitlines()
    assert lines == [CSV_HEAD, *CSV_LINES]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert rows[1]["engineer"] == "Ben Smith" and float(rows[1]["hours_on_duty"]) == 33


def test_an_engineer_sees_their_own_line_only(engineer, december):
    page = unescape(engineer.get("/rota/pay?month=2026-12").get_data(as_text=True))
    assert lines_shown(page) == [["Ben Smith", "33:00", "1", "0", "1 (01 Jan)", "1"]]
    assert "Tobi Jones" not in page and "Sam Hill" not in page
    lines = engineer.get("/rota/pay.csv?month=2026-12").get_data(as_text=True).splitlines()
    assert lines == [CSV_HEAD, CSV_LINES[1]]


def test_the_month_shown_by_default_and_a_wrong_month(manager, december):
    page = unescape(manager.get("/rota/pay").get_data(as_text=True))
    assert "On-call pay: 2026-12" in page and 'href="/rota/pay?month=2027-01"' in page
    wrong = manager.get("/rota/pay?month=2026-13")
    assert wrong.status_code == 400
    assert "not a month (YYYY-MM): '2026-13'" in unescape(wrong.get_data(as_text=True))
    assert manager.get("/rota/pay.csv?month=12-2026").status_code == 400


def test_the_command_line_prints_the_month_and_its_csv(app, december):
    cli = command_line(app)

    shown = cli("rota", "pay", "2026-12")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == ("2026-12: duty from Tue 01 Dec 18:00 to Fri 01 Jan 2027 18:00 "
                        "(Europe/London)")
    assert lines[3].split() == ["Ben", "Smith", "33:00", "1", "0", "1", "1"]
    assert cli("rota", "pay", "2026-12", "--csv").output.splitlines() == [CSV_HEAD, *CSV_LINES]
    refused = cli("rota", "pay", "December")
    assert refused.exit_code == 1 and "not a month (YYYY-MM): 'December'" in refused.output
