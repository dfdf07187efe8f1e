"""`report calls`, `calls list` and `calls show` on calls played through the simulator."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from console.main import main

REQUIRED = {"offered", "answered", "answered_within", "threshold_seconds", "service_level",
            "asa_seconds", "wait_p50_seconds", "wait_p90_seconds", "abandoned", "voicemail"}


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # one engineer after the other, so the figures below follow from who rang when
    (tmp_path / "dutyline.toml").write_text('hunt = "sequential"\n')
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "cli-token")
    monkeypatch.setenv("PUBLIC_URL", "https://support.example.com")
    for key in ("DUTYLINE_SETTINGS", "FALLBACK_NUMBER"):
        monkeypatch.delenv(key, raising=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert run("db", "init").exit_code == 0
    return run


@pytest.fixture
def played(cli):
    """Tuesday 1 December: one call Tobi accepts after Ben ignores it, one nobody accepts."""
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    cli("engineer", "add", "Tobi Jones", "--mobile", "07911 123402")
    cli("engineer", "sign-in", "Ben Smith")
    cli("engineer", "sign-in", "Tobi Jones")
    cli("simulate", "--at", "2026-12-01T10:00", "--answer", "Tobi Jones=accept")
    cli("simulate", "--at", "2026-12-01T11:00", "--others", "ignore")
    return cli


def test_report_json_has_the_promised_keys(played):
    result = played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01", "--by",
                    "day", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert REQUIRED <= set(data["total"]) and REQUIRED <= set(data["groups"][0])
    assert [row["key"] for row in data["groups"]] == ["2026-12-01"]
    total = data["total"]
    assert (total["offered"], total["answered"], total["voicemail"]) == (2, 1, 1)
    # Tobi's leg came second, after Ben's rang out: the one answer waited over 12 s
    assert total["asa_seconds"] > 12 and total["wait_p50_seconds"] > 12
    assert (total["answered_within"], total["service_level"]) == (0, 0.0)
    assert data["threshold_seconds"] == total["threshold_seconds"] == 12
    assert "offered" in data["formula"]


def test_report_by_engineer_names_each_engineer(played):
    data = json.loads(played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                             "--by", "engineer", "--json").output)
    rows = {row["name"]: row for row in data["groups"]}
    assert (rows["Tobi Jones"]["legs"], rows["Tobi Jones"]["accepted"]) == (2, 1)
    assert (rows["Ben Smith"]["legs"], rows["Ben Smith"]["accepted"]) == (2, 0)
    assert rows["Ben Smith"]["not_answered"] == 2


def test_report_by_engineer_text_has_a_row_for_the_calls_nobody_answered(played):
    text = played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                  "--by", "engineer").output.splitlines()
    headings = text[1].split()
    nobody = next(line for line in text if line.startswith("(nobody)")).split()
    assert headings[-3:] == ["voicemail", "abandoned", "fallback"]
    assert nobody[-3:] == ["1", "0", "0"]  # the 11:00 call nobody accepted went to voicemail
    ben = next(line for line in text if line.startswith("Ben Smith")).split()
    assert ben[-3:] == ["-", "-", "-"]


def test_report_text_and_csv(played):
    text = played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                  "--by", "hour").output
    assert "10:00" in text and "service level" in text and "offered" in text
    out = played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                 "--by", "hour", "--csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 25 and rows[-1]["key"] == "total" and rows[10]["calls"] == "1"
    # raw figures for a spreadsheet: a fraction, not "0.0%"
    assert (rows[-1]["offered"], rows[-1]["service_level"], rows[0]["service_level"]) == (
        "2", "0.0", "")


def test_report_by_week_and_by_month(played):
    played("simulate", "--at", "2026-11-30T09:00", "--answer", "Ben Smith=accept@2s")
    text = played("report", "calls", "--from", "2026-11-23", "--to", "2026-12-07",
                  "--by", "week").output.splitlines()
    assert text[1].split()[0] == "week"
    labels = [line.split("  ")[0] for line in text[3:7]]
    assert labels == ["Mon 23 Nov – Sun 29 Nov 2026", "Mon 30 Nov – Sun 06 Dec 2026",
                      "Mon 07 Dec – Mon 07 Dec 2026", "total"]
    calls = [line[len(label):].split()[0] for line, label in zip(text[3:7], labels)]
    assert calls == ["0", "3", "0", "3"]
    data = json.loads(played("report", "calls", "--from", "2026-11-23", "--to", "2026-12-07",
                             "--by", "month", "--json").output)
    assert [(row["key"], row["label"], row["first_day"], row["calls"])
            for row in data["groups"]] == [
        ("2026-11", "November 2026 (23–30)", "2026-11-23", 1),
        ("2026-12", "December 2026 (1–7)", "2026-12-01", 2)]
    rows = list(csv.DictReader(io.StringIO(played(
        "report", "calls", "--from", "2026-11-23", "--to", "2026-12-07", "--by", "week",
        "--csv").output)))
    assert [(row["key"], row["last_day"], row["calls"]) for row in rows] == [
        ("2026-11-23", "2026-11-29", "0"), ("2026-11-30", "2026-12-06", "3"),
        ("2026-12-07", "2026-12-07", "0"), ("total", "", "3")]


def test_out_of_hours_report_is_empty_for_office_calls(played):
    data = json.loads(played("report", "calls", "--from", "2026-12-01", "--to", "2026-12-01",
                             "--out-of-hours", "--json").output)
    assert data["total"]["calls"] == 0 and data["mode"] == "out_of_hours"


def test_calls_list_and_the_report_keep_the_days_and_hours_asked_for(played):
    played("simulate", "--at", "2026-12-02T00:30", "--others", "ignore")  # out of hours

    def days(*args):
        listed = json.loads(played("calls", "list", *args, "--json").output)
        return [call["started_at"][:10] for call in listed]

    assert days() == ["2026-12-02", "2026-12-01", "2026-12-01"]
    assert days("--from", "2026-12-02", "--to", "2026-12-02") == ["2026-12-02"]
    assert days("--from", "2026-12-01", "--to", "2026-12-01") == ["2026-12-01", "2026-12-01"]

    def calls(*args):
        data = json.loads(played("report", "calls", "--from", "2026-12-01", "--to",
                                 "2026-12-02", *args, "--json").output)
        return data["mode"], data["total"]["calls"]

    assert calls() == ("all", 3)
    assert calls("--in-hours") == ("in_hours", 2)
    assert calls("--out-of-hours") == ("out_of_hours", 1)


def test_missed_calls_name_who_was_rung_and_show_tells_each_leg(played):
    missed = json.loads(played("calls", "list", "--missed", "--from", "2026-12-01",
                               "--to", "2026-12-01", "--json").output)
    assert [(c["outcome"], c["rung"]) for c in missed] == [
        ("voicemail", ["Ben Smith", "Tobi Jones"])]
    shown = played("calls", "show", "1001")
    assert shown.exit_code == 0, shown.output
    assert "Ben Smith" in shown.output and "no answer" in shown.output
    assert "ticket         #1001" in shown.output
    by_sid = played("calls", "show", missed[0]["sid"]).output
    assert by_sid == shown.output


@pytest.mark.parametrize("args, message", [
    (["report", "calls", "--from", "1 Dec"], "not a date"),
    (["report", "calls", "--from", "2026-12-02", "--to", "2026-12-01"], "before"),
    (["report", "calls", "--by", "fortnight"], "Invalid value"),
    (["calls", "show", "CAnothing"], "no call with"),
    (["calls", "show", "4711"], "no call with"),
])
def test_bad_input_is_one_line(cli, args, message):
    cli("db", "init")
    result = cli(*args)
    assert result.exit_code != 0 and message in result.output


def test_a_span_beyond_three_years_is_refused_in_one_line(cli):
    result = cli("report", "calls", "--from", "1900-01-01", "--to", "2100-12-31")
    assert result.exit_code != 0
    assert result.output == ("Error: a report covers at most 1,098 days (three years): "
                             "1900-01-01 to 2100-12-31 is 73,414 days\n")


def test_a_report_still_counting_is_one_line_to_run_again(app, log_call, monkeypatch):
    from datetime import datetime, timezone

    from reports import Budget, report
    from tests.conftest import app_info
    import console.report_commands

    for day in (28, 29, 30):  # the clock stands at 1 December
        log_call(datetime(2026, 11, day, 10, 0, tzinfo=timezone.utc), answered=4)
    monkeypatch.setattr(console.report_commands, "report",  # a budget spent at once
                        lambda span, group: report(span, group, budget=Budget(0)))
    args = ["report", "calls", "--from", "2026-11-29", "--to", "2026-11-30", "--json"]
    result = CliRunner().invoke(main, args, obj=app_info(app))
    assert result.exit_code != 0
    assert result.output == ("Error: still counting this span's figures (50% done): ask "
                             "again to go on\n")
    again = CliRunner().invoke(main, args, obj=app_info(app))  # the second day counted
    assert again.exit_code == 0 and json.loads(again.output)["total"]["answered"] == 2
