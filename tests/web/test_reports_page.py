"""The Reports page and the Now page's figures come from reports.report, the function behind
`dutyline report calls`: the same numbers, the same CSV."""

import re

import pytest
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


def test_a_span_beyond_three_years_is_refused_in_one_line_and_nothing_is_counted(
        app, manager, clock):
    from reports.models import ReportUnit
    from telephony.models import Call

    with database.connection_context():  # the line's first call
        Call.create(sid="CA" + "1" * 32, from_number="+447400123456", mode="in_hours",
                    started_at=datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), status="missed")
    message = ("a report covers at most 1,098 days (three years): 2026-11-02 (the first call "
               "logged) to 2100-12-31 is 27,088 days")
    page = manager.get("/reports?from=1900-01-01&to=2100-12-31")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert f'role="alert">{message}</p>' in text
    assert 'id="total-sl"' not in text and "<svg" not in text
    download = manager.get("/reports.csv?from=1900-01-01&to=2100-12-31&by=engineer")
    assert (download.status_code, download.get_data(as_text=True)) == (400, message + "\n")
    with database.connection_context():
        assert ReportUnit.select().count() == 0  # nothing was counted

    # all since the first call, asked from long before it: the days from that call on
    since = manager.get("/reports?from=1900-01-01&to=2026-12-01")
    assert since.status_code == 200
    assert "Mon 02 Nov 2026 to Tue 01 Dec 2026" in since.get_data(as_text=True)


def test_a_report_still_counting_says_so_and_the_next_one_goes_on(
        app, manager, clock, monkeypatch):
    from reports import Budget
    from telephony.models import Call
    import web.reports_page

    with database.connection_context():
        for day in range(2, 6):
            Call.create(sid=f"CA{day:032d}", from_number="+447400123456", mode="in_hours",
                        started_at=datetime(2026, 11, day, 9, 0, tzinfo=LONDON),
                        status="missed")
    monkeypatch.setattr(web.reports_page, "Budget", lambda: Budget(0))  # spent at once
    page = manager.get("/reports?from=2026-11-02&to=2026-11-05")
    assert (page.status_code, page.headers["Retry-After"]) == (503, "5")
    assert ('role="alert">still counting this span&#39;s figures (25% done): ask again to '
            'go on</p>') in page.get_data(as_text=True)
    download = manager.get("/reports.csv?from=2026-11-02&to=2026-11-05&by=day")
    assert download.status_code == 503
    assert download.get_data(as_text=True) == (
        "still counting this span's figures (50% done): ask again to go on\n")
    answers = [manager.get("/reports?from=2026-11-02&to=2026-11-05").status_code
               for _ in range(2)]
    assert answers == [503, 200]  # the last day counted, then the figures


def test_days_grouped_by_week_and_month_on_the_page_and_in_the_download(
        app, manager, make_engineer, simulate):
    make_engineer("Ben Smith", signed_in=True)
    for day in (2, 9, 10, 30):  # Mondays 2, 9 and 30 November, Tuesday 10
        simulate(Scenario(at=datetime(2026, 11, day, 9, 0, tzinfo=LONDON),
                          answers={"Ben Smith": "accept"}))
    page = manager.get("/reports?from=2026-11-01&to=2026-12-01&by=week").get_data(as_text=True)
    assert 'aria-label="Service level per week"' in page and "<h2>Per week</h2>" in page
    rows = re.findall(r'<tr><td class="title">([^<]+)</td><td data-label="offered">(\d+)<', page)
    assert rows[:3] == [("Sun 01 Nov – Sun 01 Nov 2026", "0"),
                        ("Mon 02 Nov – Sun 08 Nov 2026", "1"),
                        ("Mon 09 Nov – Sun 15 Nov 2026", "2")]
    assert rows[-1] == ("Mon 30 Nov – Tue 01 Dec 2026", "1") and len(rows) == 6
    months = manager.get("/reports?from=2026-11-01&to=2026-12-01&by=month").get_data(as_text=True)
    assert re.findall(r'<tr><td class="title">([^<]+)</td><td data-label="offered">(\d+)<',
                      months) == [("November 2026", "4"), ("December 2026 (1–1)", "0")]
    download = manager.get("/reports.csv?from=2026-11-01&to=2026-12-01&by=week")
    lines = download.get_data(as_text=True).splitlines()
    second = dict(zip(lines[0].split(","), lines[2].split(",")))
    assert (second["key"], second["first_day"], second["last_day"], second["calls"]) == (
        "2026-11-02", "2026-11-02", "2026-11-08", "1")
    assert "by=month" in page and "by=week" in page  # the downloads offered


def test_a_long_span_is_shown_by_week_unless_asked_otherwise(manager):
    page = manager.get("/reports?from=2026-06-01&to=2026-12-01").get_data(as_text=True)
    assert 'aria-label="Service level per week"' in page
    years = manager.get("/reports?from=2025-01-01&to=2026-12-01").get_data(as_text=True)
    assert 'aria-label="Service level per month"' in years
    asked = manager.get("/reports?from=2026-06-01&to=2026-12-01&by=day").get_data(as_text=True)
    assert 'aria-label="Service level per day"' in asked


def test_calls_by_weekday_and_hour_as_a_heat_map(app, manager, make_engineer, simulate):
    make_engineer("Ben Smith", signed_in=True)
    for minute in (0, 10, 20):  # Monday 30 November 09:00-10:00, three calls
        simulate(Scenario(at=datetime(2026, 11, 30, 9, minute, tzinfo=LONDON),
                          answers={"Ben Smith": "accept"}))
    simulate(Scenario(at=datetime(2026, 11, 30, 22, 30, tzinfo=LONDON), others="ignore"))
    page = manager.get("/reports?from=2026-11-30&to=2026-12-01").get_data(as_text=True)
    heat = re.search(r'<svg class="chart heat".*?</svg>', page, re.S).group(0)
    assert 'aria-label="Calls by weekday and hour of the day"' in heat
    cells = re.findall(r'<rect [^>]*class="h(\d)" role="img" aria-label="([^"]+)"', heat)
    assert len(cells) == 7 * 24
    named = {label: level for level, label in cells}
    assert named["Mon 09:00–10:00: 3 calls"] == "5"  # the busiest hour: the darkest shade
    assert named["Mon 22:00–23:00: 1 call"] == "2"
    assert named["Tue 09:00–10:00: 0 calls"] == "0"
    assert "<title>Mon 09:00–10:00: 3 calls</title>" in heat
    assert "style=" not in heat  # shades are the stylesheet's classes (the CSP allows no style)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert "svg.heat rect.h5" in app.test_client().get(stylesheet).get_data(as_text=True)


@pytest.mark.parametrize("settings_data", [{"service_level_target": 0.9}])
def test_the_target_is_the_teams_setting(app, manager, make_engineer, simulate):
    make_engineer("Ben Smith", signed_in=True)
    simulate(Scenario(at=datetime(2026, 11, 30, 9, 0, tzinfo=LONDON),
                      answers={"Ben Smith": "accept"}))
    page = manager.get("/reports?from=2026-11-30&to=2026-12-01").get_data(as_text=True)
    assert "the target is 90 %" in page
    assert "Green: at or above the target, 90 % within 12 s" in page
    chart = re.search(r'aria-label="Service level per day".*?</svg>', page, re.S).group(0)
    plot_top, plot_height = 10, 220 - 34 - 10
    line = re.search(r'<line x1="36" y1="([\d.]+)"[^>]*stroke-dasharray', chart).group(1)
    assert float(line) == pytest.approx(plot_top + plot_height * 0.1, abs=0.1)
