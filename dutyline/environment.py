"""Every environment variable dutyline reads, described once, and the one reader of them.

A variable's `meaning` and `unset` are README's words (Markdown); README's table and
`.env.example` are made from this list (console/reference_docs.py), and a test fails when
they differ. `read()` is the only place the process environment (after a `.env` file in the
working directory, which never overrides what is set already) is looked at.
"""

import os
from dataclasses import dataclass

from dotenv import find_dotenv, load_dotenv


@dataclass(frozen=True)
class Variable:
    """One environment variable. `default` is the value taken when it is unset or empty;
    `unset` says what happens then when that is not a value (or adds to the default);
    `secret`: it holds a password or key, never logged; `examples`: for `.env.example`."""

    name: str
    meaning: str
    examples: tuple = ()
    default: str | None = None
    unset: str | None = None
    secret: bool = False


V = Variable
SECTIONS = (
    ("The database", (
        V("DATABASE_URL", "`sqlite:///path.db`, or `postgresql://user:pass@host/db` after "
          "installing the PostgreSQL extra and creating the database (see [Running it in "
          "production](#running-it-in-production))",
          ("sqlite:///dutyline.db", "postgresql://dutyline:secret@localhost/dutyline"),
          default="sqlite:///dutyline.db", secret=True),
    )),
    ("Twilio", (
        V("TWILIO_ACCOUNT_SID", "the Twilio account; the simulator and the demo need none",
          ("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",)),
        V("TWILIO_AUTH_TOKEN", "the account's auth token: Twilio's signatures are checked with "
          "it, and without it every webhook answers 403", ("your-auth-token",), secret=True),
        V("PUBLIC_URL", "https base URL Twilio calls, exactly as entered in the Twilio console "
          "(signatures are checked against it); calendar feed URLs are built on it too",
          ("https://support.example.com",), unset="the request's own URL"),
        V("FALLBACK_NUMBER", "dialled when nobody can be hunted, and on any fault",
          ("+442079460999",), unset="none (voicemail)"),
        V("TWILIO_FROM_NUMBER", "the support number, sender of texts (the outbox worker)",
          ("+442079460000",)),
    )),
    ("The team", (
        V("DUTYLINE_SETTINGS", "path of the team settings file (TOML)",
          ("/etc/dutyline/dutyline.toml",), unset="`dutyline.toml` when present"),
        V("MANAGER_NUMBERS", "comma-separated; the managers warned of gaps and absent engineers "
          "in the next 14 days, and the last step of a ticket's escalation calls, for every "
          "team whose settings name no `managers` of its own",
          ("+447911123499,+447911123498",), unset="none (nobody warned)"),
        V("MANAGER_EMAILS", "comma-separated; the managers warned by mail, for every team "
          "whose settings name no `managers` of its own",
          ("manager@example.com,deputy@example.com",), unset="none (nobody warned)"),
    )),
    ("Mail, notices and the outbox", (
        V("HELPDESK_EMAIL", "where voicemail tickets are mailed", ("helpdesk@example.com",),
          unset="none (no mail)"),
        V("REPORT_EMAIL", "where the clock process mails the weekly call summary (through the "
          "outbox)", ("manager@example.com",), unset="none (no summary)"),
        V("SMTP_URL", "`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…`",
          ("smtp://user:password@smtp.example.com:587",), secret=True),
        V("MAIL_FROM", "the sender address of mails", ("dutyline@example.com",),
          default="dutyline@localhost"),
        V("TICKET_WEBHOOK_URL", "a JSON POST per ticket event, signed `X-Dutyline-Signature: "
          "sha256=<HMAC-SHA256 of the body>`, with `X-Dutyline-Delivery: <id>`, the same at "
          "every attempt of one event (a receiver drops a repeat by it; see [the outbox]"
          "(#outgoing-texts-the-handover-clock-and-engineers-texts))",
          ("https://helpdesk.example.com/hooks/dutyline",)),
        V("TICKET_WEBHOOK_SECRET", "the key the ticket webhook's posts are signed with",
          ("a-long-random-secret",), secret=True),
        V("OUTBOX_FOLDER", "for trials: the outbox worker writes texts, mails and webhooks to "
          "files in this folder, and prints them, instead of sending anything (no Twilio or "
          "SMTP account needed)", ("outbox-trial",), unset="none (send)"),
        V("SPOOL_FOLDER", "where a caller's message is kept on this machine while the database "
          "cannot take it, until the web app, the outbox worker or the clock replays it (see "
          "[On a bad day](#on-a-bad-day)); relative paths from the working directory",
          ("dutyline-spool",), default="dutyline-spool"),
    )),
    ("The web interface", (
        V("SECRET_KEY", "signs the web interface's session cookie; set it (the same on every "
          "worker) in production, e.g. `python3 -c \"import secrets; "
          "print(secrets.token_hex(32))\"`", ("a-long-random-secret",),
          unset="a random key per process (sign-ins end at a restart)", secret=True),
        V("WEB_IDLE_MINUTES", "a web sign-in ends after this long without a request", ("60",),
          default="60"),
        V("FORWARDED_HOPS", "how many proxies stand in front of the app; their "
          "`X-Forwarded-For` then names the client, whose address the sign-in limits count",
          ("1",), default="0", unset="the connecting address"),
    )),
    ("Logging", (
        V("LOG_LEVEL", "`DEBUG`, `INFO`, `WARNING` or `ERROR`; lines go to standard error "
          "unless the host (e.g. gunicorn `--log-config`) configured logging", ("INFO",),
          unset="`INFO` for the web app, `outbox work` and `clock`; `WARNING` for one-shot "
          "commands and the demo"),
    )),
    ("gunicorn (gunicorn.conf.py)", (
        V("GUNICORN_BIND", "the address the web process listens on", ("127.0.0.1:8000",),
          unset="`0.0.0.0:$PORT`"),
        V("PORT", "the port of the default bind address", ("8000",), default="8000"),
        V("WEB_CONCURRENCY", "how many web worker processes", ("4",),
          unset="twice the CPUs, at most 8"),
        V("GUNICORN_THREADS", "threads per web worker process", ("32",), default="32"),
        V("FORWARDED_ALLOW_IPS", "the proxy addresses whose `X-Forwarded-*` headers gunicorn "
          "believes", ("127.0.0.1",), default="127.0.0.1,::1"),
    )),
)
del V

VARIABLES = tuple(variable for _title, variables in SECTIONS for variable in variables)
VARIABLE = {variable.name: variable for variable in VARIABLES}


def default(name):
    """The value `name` has when it is unset (None when that is not a value)."""
    return VARIABLE[name].default


def read(overrides=None):
    """Every variable's value: the environment (after `.env`), overridden by an explicit
    mapping; unset or empty, a variable with a default has its default."""
    load_dotenv(find_dotenv(usecwd=True), override=False)
    config = {name: os.environ.get(name) for name in VARIABLE}
    config.update(overrides or {})
    for name, variable in VARIABLE.items():
        if variable.default is not None and not config[name]:
            config[name] = variable.default
    return config


def get(name):
    """One variable's value, as `read()` gives it."""
    return read()[name]
