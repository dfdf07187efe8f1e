"""The Flask app: Twilio webhooks and calendar feeds."""

import logging

from flask import Flask, request
from twilio.request_validator import RequestValidator

from dutyline import environment
from dutyline.db import DatabaseUrlError, database, open_database
from dutyline.phones import to_e164
from dutyline.plain_text import for_log
from dutyline.settings import Settings, load_settings, parse_settings, settings_file
from rota.engineers import RotaError
from rota.managers import parse_managers
from voicemail.notify import Delivery
from voicemail.spool import Spool
from webhooks.incidents import DATABASE_FAULTS, IncidentLog
from webhooks.runtime import Runtime, utc_now

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """Configuration that stops the app from starting; the message names the key."""


def _settings(config):
    given = config.get("SETTINGS")
    if isinstance(given, Settings):
        return given
    if isinstance(given, dict):
        return parse_settings(given)
    return load_settings(settings_file(config.get("DUTYLINE_SETTINGS")))


LOG_FORMAT = "%(asctime)s %(levelname)s %(process)d %(message)s"
# Twilio's forms are a few kilobytes (a long transcript included); anything larger is
# refused (413) before it is read, signed or not
MAX_BODY_BYTES = 64 * 1024


def configure_logging(level_name):
    """Log lines to standard error at LOG_LEVEL (INFO by default), unless the host set logging up.

    Under gunicorn nothing else would show the application's lines: gunicorn configures only
    its own loggers. A host that configured the root logger (a --log-config, a test run)
    keeps its configuration.
    """
    level = logging.getLevelName((level_name or "INFO").upper())
    if not isinstance(level, int):
        raise ConfigError(f"LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {level_name!r}")
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)


def build_runtime(config):
    """Settings, clock, validator and URLs, checked once at start."""
    settings = _settings(config)
    fallback = config.get("FALLBACK_NUMBER")
    if fallback:
        try:
            fallback = to_e164(fallback, settings.phone_region)
        except ValueError as exc:
            raise ConfigError(f"FALLBACK_NUMBER: {exc}") from exc
    public_url = config.get("PUBLIC_URL")
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_URL: expected an http(s) URL, got {public_url!r}")
    token = config.get("TWILIO_AUTH_TOKEN")
    if not token and config.get("SERVES_WEBHOOKS", True):
        log.warning("webhooks.create_app: TWILIO_AUTH_TOKEN is not set; every webhook answers 403")
    helpdesk = config.get("HELPDESK_EMAIL")
    if helpdesk and "@" not in helpdesk:
        raise ConfigError(f"HELPDESK_EMAIL: not an e-mail address: {helpdesk!r}")
    webhook = config.get("TICKET_WEBHOOK_URL")
    if webhook and not webhook.startswith(("http://", "https://")):
        raise ConfigError(f"TICKET_WEBHOOK_URL: expected an http(s) URL, got {webhook!r}")
    if webhook and not config.get("TICKET_WEBHOOK_SECRET"):
        raise ConfigError("TICKET_WEBHOOK_SECRET: needed to sign posts to TICKET_WEBHOOK_URL")
    delivery = Delivery(helpdesk_email=helpdesk or None, webhook_url=webhook or None)
    try:
        managers = parse_managers(config.get("MANAGER_NUMBERS"), config.get("MANAGER_EMAILS"),
                                  settings.phone_region)
    except RotaError as exc:
        raise ConfigError(str(exc)) from exc
    return Runtime(settings=settings, clock=config.get("CLOCK") or utc_now,
                   validator=RequestValidator(token) if token else None,
                   public_url=public_url or None, fallback_number=fallback or None,
                   incidents=IncidentLog(), delivery=delivery, managers=managers,
                   dialer=_dialer(config, settings), incidents_rest=IncidentLog("rest_api"),
                   callback_secret=token or None,
                   spool=Spool(config["SPOOL_FOLDER"]))


def _dialer(config, settings):
    """Engineer legs through Twilio's REST API, which overlapped hunting needs."""
    if config.get("DIALER") is not None:
        return config["DIALER"]
    sid, token = config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN")
    if sid and token:
        from telephony.dialer import TwilioDialer

        return TwilioDialer(sid, token)
    if settings.hunt == "overlap":
        log.warning("webhooks.create_app: hunt = \"overlap\" needs TWILIO_ACCOUNT_SID and "
                    "TWILIO_AUTH_TOKEN; hunting one engineer at a time")
    return None


def create_app(config=None):
    """The dutyline web app; `config` overrides the environment (and a .env file)."""
    config = environment.read(config)  # the environment, and the .env where the service runs
    configure_logging(config.get("LOG_LEVEL"))
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config.update({key: value for key, value in config.items() if value is not None})
    app.extensions["dutyline"] = build_runtime(config)
    # names the database, connects to nothing: the first request that needs it does
    try:
        open_database(config["DATABASE_URL"])
    except DatabaseUrlError as exc:
        raise ConfigError(f"DATABASE_URL: {exc}") from exc

    from webhooks import escalation_voice, feeds, lifecycle, messages, queue_voice, sms, voice
    from webhooks import callback_voice, ring_test_voice

    app.register_blueprint(voice.bp)
    app.register_blueprint(escalation_voice.bp)
    app.register_blueprint(callback_voice.bp)
    app.register_blueprint(ring_test_voice.bp)
    app.register_blueprint(queue_voice.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(feeds.bp)

    lifecycle.init_app(app)
    messages.init_app(app)

    @app.errorhandler(Exception)
    def last_resort(exc):
        # Whatever escaped a handler: Twilio's voice requests still get a path for the caller.
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        # the route, not the path: a feed's path holds its secret token
        log.exception("webhooks.app: unhandled endpoint=%s", for_log(lifecycle.route_of()))
        if request.path.startswith("/voice/"):
            return voice.fallback_twiml()
        return "internal error\n", 500

    @app.get("/healthz")
    def healthz():
        try:
            opened = database.connect(reuse_if_open=True)
            database.execute_sql("SELECT 1")
            if opened:
                database.close()
        except DATABASE_FAULTS as exc:
            log.warning("webhooks.healthz: database unreachable error=%s", type(exc).__name__)
            return "database unreachable\n", 503, {"Content-Type": "text/plain"}
        return "ok\n", 200, {"Content-Type": "text/plain"}

    from web import init_app as init_web_interface

    init_web_interface(app)
    return app
