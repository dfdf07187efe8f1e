"""Serving the app with the development server, its access log kept free of secrets."""

import logging
import re

from werkzeug.serving import run_simple

# a feed URL carries its whole token: /calendars/<token>/rota.ics
FEED_TOKEN = re.compile(r"(/calendars/)([A-Za-z0-9_-]{8})[A-Za-z0-9_-]*")


class SecretsOut(logging.Filter):
    """Cut feed tokens in access-log lines to the prefix `calendars tokens` lists."""

    def filter(self, record):
        message = record.getMessage()
        masked = FEED_TOKEN.sub(r"\1\2…", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def keep_secrets_out_of_access_log():
    """Install the filter on the development server's request log (once)."""
    access_log = logging.getLogger("werkzeug")
    if not any(isinstance(item, SecretsOut) for item in access_log.filters):
        access_log.addFilter(SecretsOut())


def port_is_free(host, port):
    """True when nothing listens on host:port yet."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve_app(app, host, port):
    """Run `app` on the development server until interrupted; a database it cannot use as it
    is (down, missing, an older schema) is one line at start, and callers get the fallback."""
    from dutyline.db import DEFAULT_URL
    from dutyline.db_check import problem_at_start

    keep_secrets_out_of_access_log()
    problem = problem_at_start(app.config.get("DATABASE_URL") or DEFAULT_URL)
    if problem:
        logging.getLogger(__name__).error("console.serving: %s; until then callers get the "
                                          "fallback where the database fails them", problem)
    run_simple(host, port, app, threaded=True)
