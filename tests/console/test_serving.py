"""The development server's access log holds no whole feed token."""

import logging
import threading
import urllib.error
import urllib.request

from werkzeug.serving import make_server

from console.serving import keep_secrets_out_of_access_log

TOKEN = "kbnhokplbrcjQ1w2e3r4t5y6u7i8o9p0asdfghjk"


def test_feed_tokens_are_cut_to_their_prefix_in_the_access_log(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    keep_secrets_out_of_access_log()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/calendars/{TOKEN}/rota.ics"
        try:
            urllib.request.urlopen(url, timeout=5).close()
        except urllib.error.HTTPError as exc:
            assert exc.code == 404  # an unknown token: the line is logged all the same
    finally:
        server.shutdown()
        thread.join(5)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/calendars/kbnhokpl…/rota.ics" in line for line in lines), lines
    assert TOKEN not in caplog.text


def test_no_log_line_at_info_holds_a_whole_number_or_token(app, db, make_engineer, simulate,
                                                           twilio, caplog):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from calendars import tokens
    from console.scenario import Scenario
    from rota import periods

    caplog.set_level(logging.INFO)
    ben = make_engineer("Ben Smith", mobile="+447911123401")
    make_engineer("Tobi Jones", mobile="+447911123402")
    settings = app.extensions["dutyline"].settings
    at = datetime(2026, 12, 2, 3, 0, tzinfo=ZoneInfo("Europe/London"))
    periods.assign_period(at.date().replace(day=1), ben, None, settings, now=at)
    token = tokens.issue_token(at, engineer=ben)
    simulate(Scenario(at=datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")),
                      caller="+447400123456", others="accept"))
    simulate(Scenario(at=at, caller="+447400123456", others="ignore"))
    twilio.post("/sms/incoming", {"From": "+447911123401", "Body": "WHO", "MessageSid": "SM1"})
    twilio.post("/sms/incoming", {"From": "+447911123499", "Body": "ON", "MessageSid": "SM2"})
    app.test_client().get(f"/calendars/{token}/mine.ics")
    text = caplog.text
    assert "webhooks" in text  # the lines are there
    for secret in ("+447911123401", "+447911123402", "+447400123456", "+447911123499", token,
                   "7911123401", "7400123456"):
        assert secret not in text


def test_serving_a_database_at_an_older_schema_says_so_in_one_line(tmp_path, monkeypatch, caplog):
    from console import serving
    from dutyline.migrations import LATEST
    from tests.test_migrations import make_first_release_database
    from webhooks import create_app

    url = f"sqlite:///{tmp_path / 'first-release.db'}"
    make_first_release_database(url)
    served = []
    monkeypatch.setattr(serving, "run_simple", lambda *args, **kwargs: served.append(args))
    caplog.set_level(logging.INFO)
    serving.serve_app(create_app({"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": "t"}), "127.0.0.1",
                      5000)
    assert len(served) == 1  # it serves all the same
    lines = [r.getMessage() for r in caplog.records if r.name == "console.serving"]
    assert lines == [f"console.serving: the database is at schema 1, this version needs "
                     f"{LATEST}: run dutyline db upgrade; until then callers get the fallback "
                     "where the database fails them"]


def test_serving_a_missing_sqlite_file_says_to_init_it_and_makes_none(tmp_path, monkeypatch,
                                                                      caplog):
    from console import serving
    from webhooks import create_app

    monkeypatch.setattr(serving, "run_simple", lambda *args, **kwargs: None)
    serving.serve_app(create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lien.db'}",
                                  "TWILIO_AUTH_TOKEN": "t"}), "127.0.0.1", 5000)
    assert [r.levelname for r in caplog.records if r.name == "console.serving"] == ["ERROR"]
    assert "lien.db: run dutyline db init" in caplog.text
    assert not (tmp_path / "lien.db").exists()
