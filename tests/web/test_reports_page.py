"""The Reports page and the Now page's figures come from reports.report, the function behind
`dutyline report calls`: the same numbers, the same CSV."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from console.main import main
from console.scenario import Scenario
from dutyline.db import database
from reports import Span, report
from reports.tables import report_csv
from webhooks.runtime import runtime

LONDON = ZoneInfo("Europe/London")


def test_reports_show_and_download_the_figures_of_report_calls(
        app, manager, make_engineer, simulate, clock, monkeypatch, database_url, tmp_path):
    make_engineer("Ben Smith", signed_in=True)
    make_engineer("Tobi Jones", signed_in=True)
    for hour, answers in ((9, {"Ben Smith": "accept"}), (10, {}), (11, {"Tobi Jones": "accept"})):
        simulate(Scenario(at=datetime(2026, 11, 24, hour, 0, tzinfo=LONDON), answers=answers,
                          others="ignore"))
    clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=LONDON))
    page = manager.get("/reports?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    with app.app_context(), database.connection_context():
        span = Span.days(runtime().settings, date(2026, 11, 1), date(2026, 11, 30), now=clock())
        expected = report(span, "day")
        by_engineer = report_csv(report(span, "engineer"))
    total = expected.total
    assert total["offered"] == 3 and total["answered"] == 2
    shown = re.search(r'id="total-sl">([^<]+)<', page).group(1)
    assert shown == f"{total['service_level'] * 100:.1f}%"
    assert "<svg" in page and 'aria-label="Service level per day"' in page
    assert "Ben Smith" in page and "Tobi Jones" in page
    download = manager.get("/reports.csv?from=2026-11-01&to=2026-11-30&by=engineer")
    assert download.mimetype == "text/csv" and download.get_data(as_text=True) == by_engineer

    monkeypatch.chdir(tmp_path)
    for key, value in {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": "t"}.items():
        monkeypatch.setenv(key, value)
    cli = CliRunner().invoke(main, ["report", "calls", "--from", "2026-11-01", "--to",
                                    "2026-11-30", "--by", "engineer", "--csv"])
    assert cli.exit_code == 0, cli.output
    assert cli.output == by_engineer


def test_a_bad_date_says_so_and_the_page_still_answers(manager):
    response = manager.get("/reports?from=yesterday")
    assert response.status_code == 400
    assert "dates are YYYY-MM-DD" in response.get_data(as_text=True)
    assert 'value="yesterday"' in response.get_data(as_text=True)
    assert manager.get("/reports.csv?from=2026-11-05&to=2026-11-01").status_code == 400


def test_the_now_page_shows_todays_service_level_from_the_report(
        app, manager, make_engineer, simulate, clock):
    make_engineer("Ben Smith", signed_in=True)
    simulate(Scenario(at=clock(), answers={"Ben Smith": "accept"}))
    simulate(Scenario(at=clock(), others="ignore"))
    page = manager.get("/now").get_data(as_text=True)
    with app.app_context(), database.connection_context():
        today = clock().astimezone(LONDON).date()
        total = report(Span.days(runtime().settings, today, today, now=clock())).total
    assert total["offered"] == 2
    # the call nobody accepted is missed, as in calls list --missed and the weekly mail
    assert (total["answered"], total["voicemail"] + total["abandoned"]) == (1, 1)
    assert re.search(r'missed=1[^>]*>1 missed</a>', page)
    assert re.search(r'id="today-sl">([^<]+)<', page).group(1) == (
        f"{total['service_level'] * 100:.1f} %")
