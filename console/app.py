"""What every dutyline command shares: the app it runs in, one-line errors, printing rows.

The command line is a Flask `FlaskGroup` (see console.main): the app is made once per
invocation by `make_app`, the first time a command needs it (`with_appcontext`). One-shot
commands log warnings only, as their output is what they print; the long-running ones
(`serve`, `demo`, `outbox work`, `clock`) are marked with `service` and log at INFO.
LOG_LEVEL overrides both.
"""

import secrets
from functools import update_wrapper

import click
from flask.cli import ScriptInfo, with_appcontext

from accounts import audit
from accounts.users import AccountError
from calendars.tokens import TokenError
from console.scenario import SimClock
from telephony.dialer import RecordingDialer
from customers.blocklist import BlockError
from customers.directory import CustomerError
from dutyline import environment
from dutyline.db import database
from dutyline.phones import InvalidNumber
from dutyline.settings import SettingsError
from rota.engineers import RotaError
from telephony.lines import LineError
from voicemail.tickets import TicketError
from webhooks.runtime import runtime, utc_now

USER_ERRORS = (RotaError, InvalidNumber, SettingsError, CustomerError, TicketError, AccountError,
               TokenError, BlockError, LineError)


def app_factory(log_level="WARNING", serves_webhooks=False, simulation=False, **overrides):
    """Make the web app for a command; a configuration error is one line, not a traceback.

    A simulation app runs on a clock the simulator moves and signs with a token of its own:
    it is driven in-process only and never served, so it works without a Twilio account.
    """
    from webhooks import ConfigError, create_app

    overrides["LOG_LEVEL"] = environment.get("LOG_LEVEL") or log_level
    overrides["SERVES_WEBHOOKS"] = serves_webhooks
    if simulation:
        overrides["CLOCK"] = SimClock(utc_now())
        overrides["TWILIO_AUTH_TOKEN"] = secrets.token_hex(16)
        overrides["DIALER"] = RecordingDialer()  # REST legs ring on the simulator's clock
    try:
        return create_app(overrides)
    except (ConfigError, SettingsError) as exc:
        raise click.ClickException(str(exc)) from exc


def open_database_for_command(app, access="current"):
    """The one place a command opens its database (see dutyline.db_check): a fault, a
    missing database or a schema other than this version's ends it with one line.

    `access` is "current" for every command that uses the tables, "create" for `db init`,
    "upgrade" for `db upgrade`.
    """
    from dutyline.db import DEFAULT_URL
    from dutyline.db_check import DatabaseUnavailable, check_for_command

    try:
        check_for_command(app.config.get("DATABASE_URL") or DEFAULT_URL,
                          create=access == "create", upgrading=access == "upgrade")
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def make_app():
    """The FlaskGroup's factory: the app of this invocation, as its command asked for it;
    its database checked unless the command serves webhooks (`database=None`)."""
    info = click.get_current_context().ensure_object(ScriptInfo)
    options = dict(info.data.get("app", {}))
    access = options.pop("database", "current")
    app = app_factory(**options)
    if access:
        open_database_for_command(app, access)
    return app


def app_options(**options):
    """How the app of a command is made (passed to `app_factory`), set before it is made."""

    def mark(command):
        @click.pass_context
        def wrapper(ctx, /, *args, **kwargs):
            ctx.ensure_object(ScriptInfo).data["app"] = options
            return ctx.invoke(command, *args, **kwargs)

        return update_wrapper(wrapper, command)

    return mark


def service(serves_webhooks=False):
    """Mark a long-running command: it logs at INFO and, when it serves webhooks, warns
    about what would make them fail (a missing TWILIO_AUTH_TOKEN) and starts whatever
    state the database is in (callers get the fallback until it is back)."""
    if serves_webhooks:
        return app_options(log_level="INFO", serves_webhooks=True, database=None)
    return app_options(log_level="INFO", serves_webhooks=False)


def app_command(command):
    """Run a one-shot command in the app with a database connection; user errors are one line."""

    def wrapper(*args, **kwargs):
        with database.connection_context():
            try:
                return command(*args, **kwargs)
            except USER_ERRORS as exc:
                raise click.ClickException(str(exc)) from exc

    return with_appcontext(update_wrapper(wrapper, command))


def loaded_app():
    """The app of this invocation, made by the FlaskGroup's factory when not made yet."""
    return click.get_current_context().ensure_object(ScriptInfo).load_app()


def audited(action, detail="", now=None):
    """Write the change this command made (at `now`, else the clock's now) to the audit log,
    in the name of the operating-system user running it ("cli:<user>")."""
    audit.record(audit.command_line_actor(), action, detail, now or runtime().clock())
