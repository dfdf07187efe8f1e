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
