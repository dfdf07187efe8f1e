"""Background commands: the outbox worker and list, and the handover clock."""

import logging
import os
import signal
import socket
import threading
import uuid
import click
from flask import current_app
from flask.cli import with_appcontext

from console.app import app_command, service
from console.tables import emit_table
from dutyline.db import DEFAULT_URL, database
from dutyline.db_check import FAULTS, describe
from dutyline.phones import InvalidNumber, to_e164
from outbox import queue
from outbox.folder import FolderOutbox
from outbox.mail import MailConfigError, SmtpMailer
from outbox.models import CHANNELS, EMAIL, SMS, VOICE, WEBHOOK
from outbox.sms import TwilioSms
from outbox.voice import TwilioVoiceCall
from outbox.webhook import WebhookPoster
from reports import units, weekly
from rota import handover, managers, ring_test
from rota import weekly as duty_lists
from rota.teams import list_teams
from voicemail import escalation, missed, notify
from webhooks import callback_voice
from webhooks.messages import replay_kept
from webhooks.runtime import runtime

log = logging.getLogger(__name__)

SMS_KEYS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")
# a pass at most every tenth of a second: 0, a negative number or nan would spin
INTERVAL = click.FloatRange(min=0.1, max=86400)


def _a_number(_ctx, _param, value):
    if value != value:  # nan passes any range
        raise click.BadParameter("nan is not a number of seconds")
    return value


def build_senders(app):
    """The senders per outbox channel: given in the app config (tests), else from the env.

    Texts need the three Twilio keys, escalation calls those and PUBLIC_URL, e-mail
    SMTP_URL, webhooks TICKET_WEBHOOK_SECRET. A
    channel left unconfigured keeps its messages queued until a worker that has it runs.
    With OUTBOX_FOLDER set (for trials) every channel is written to files in that folder.
    """
    given = app.config.get("SENDERS")
    if given is not None:
        return given
    config = app.config
    if config.get("OUTBOX_FOLDER"):
        click.echo(f"OUTBOX_FOLDER is set: messages are written to {config['OUTBOX_FOLDER']}, "
                   "not sent")
        return FolderOutbox(config["OUTBOX_FOLDER"], echo=click.echo).senders()
    senders = {}
    # the auth token alone is there for webhook signatures; texts are wanted with the others
    if config.get("TWILIO_ACCOUNT_SID") or config.get("TWILIO_FROM_NUMBER") or not (
            config.get("SMTP_URL") or config.get("TICKET_WEBHOOK_SECRET")):
        for key in SMS_KEYS:
            if not config.get(key):
                raise click.ClickException(f"{key}: not set; the outbox worker needs it to "
                                           "send texts")
        try:
            from_number = to_e164(config["TWILIO_FROM_NUMBER"], runtime().settings.phone_region)
        except InvalidNumber as exc:
            raise click.ClickException(f"TWILIO_FROM_NUMBER: {exc}") from exc
        senders[SMS] = TwilioSms(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"],
                                 from_number)
        rt = runtime()
        if rt.public_url:  # Twilio fetches the escalation call's words from the app
            senders[VOICE] = TwilioVoiceCall(
                config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], from_number,
                callback_voice.answer_url,
                status_url=lambda message: rt.url("escalation_status", esc=message.id))
    if config.get("SMTP_URL"):
        try:
            senders[EMAIL] = SmtpMailer(config["SMTP_URL"], config["MAIL_FROM"])
        except MailConfigError as exc:
            raise click.ClickException(str(exc)) from exc
    if config.get("TICKET_WEBHOOK_SECRET"):
        senders[WEBHOOK] = WebhookPoster(config["TICKET_WEBHOOK_SECRET"])
    missing = sorted(set(CHANNELS) - set(senders))
    if missing:
        log.warning("console.ops_commands.build_senders: no sender for %s; those stay queued",
                    ", ".join(missing))
    return senders


def repeat(once, interval, work, stop=None, url=None):
    """Run `work` once, or every `interval` seconds until `stop` is set, surviving a failed pass.

    A database that goes away is one line when the outage starts and one when it ends, not a
    traceback a pass; with `once` it is one line and a non-zero exit. `url` (DATABASE_URL)
    only words that line.
    """
    # Each pass has its own connection: a connection lost between passes costs one pass.
    stop = stop or threading.Event()
    failed_passes = 0
    while True:
        try:
            with database.connection_context():
                work()
        except FAULTS as exc:
            if once:
                raise click.ClickException(describe(exc, url or DEFAULT_URL)) from exc
            if not failed_passes:
                log.error("console.ops_commands.repeat: database unavailable: %s; trying again "
                          "every %ss", describe(exc, url or DEFAULT_URL), interval)
            failed_passes += 1
        except Exception:  # a fault of another kind: log it and go on
            if once:
                raise
            log.exception("console.ops_commands.repeat: pass failed; next in %ss", interval)
        else:
            if failed_passes:
                log.warning("console.ops_commands.repeat: database back after failed_passes=%d",
                            failed_passes)
                failed_passes = 0
        if once or stop.is_set():
            return
        try:
            if stop.wait(interval):
                return
        except KeyboardInterrupt:
            return


def stop_on_sigterm():
    """An event set by SIGTERM (a platform stopping the process), checked between messages."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    return stop


@click.group("outbox")
def outbox_group():
    """Outgoing messages (texts) and their delivery."""


@outbox_group.command("work")
@click.option("--once", is_flag=True, help="one pass, then exit")
@click.option("--interval", default=5.0, show_default=True, type=INTERVAL,
              callback=_a_number, help="seconds between passes")
@service()
@with_appcontext
def outbox_work(once, interval):
    """Deliver due messages, with retries and backoff."""
    senders = build_senders(current_app)
    rt = runtime()
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    stop = threading.Event() if once else stop_on_sigterm()

    def work():
        replay_kept(rt)  # callers' messages kept on disk while the database was away
        # a ticket's "Reply ACK" texts and calls are dropped once it is no longer new
        counts = queue.deliver_due(senders, rt.clock, worker=worker, stop=stop.is_set,
                                   stale=notify.no_longer_wanted)
        if once or any(counts.get(key) for key in ("sent", "retry", "failed", "cancelled")):
            click.echo(" ".join(f"{key}={value}" for key, value in counts.items()))

    repeat(once, interval, work, stop, current_app.config.get("DATABASE_URL"))


@outbox_group.command("list")
@click.option("--failed", "failed_only", is_flag=True, help="only messages that gave up")
@click.option("--json", "as_json", is_flag=True)
@app_command
def outbox_list(failed_only, as_json):
    """Recent messages, newest first."""
    rows = [queue.message_as_dict(m) for m in queue.list_messages(failed_only)]
    emit_table(rows, as_json, ["id", "status", "tries", "channel", "to", "key", "last error"],
               lambda r: [str(r["id"]), r["status"], str(r["attempts"]), r["channel"], r["to"],
                          r["key"], r["last_error"] or "-"],
               "no failed messages" if failed_only else "the outbox is empty", right=(0, 2))


@outbox_group.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="every failed message")
@app_command
def outbox_retry(ids, all_failed):
    """Queue failed messages again (by id, or --all-failed), e.g. after fixing a number."""
    if not ids and not all_failed:
        raise click.UsageError("name message ids, or pass --all-failed")
    wanted = None if all_failed else sorted(set(ids))
    if wanted:
        failed = {m.id for m in queue.list_messages(failed_only=True, limit=None)}
        missing = [str(n) for n in wanted if n not in failed]
        if missing:  # all or nothing: a mistyped id queues none of them
            raise click.ClickException(f"no failed message with id {', '.join(missing)} "
                                       "(see dutyline outbox list --failed); nothing queued")
    count = queue.requeue_failed(runtime().clock(), wanted)
    click.echo(f"queued {count} message(s) again")


def rota_pass(rt, now):
    """Every team's handover notices, weekly duty lists, managers' warnings and ring tests,
    each at the team's own times (its settings); how many were queued."""
    added = 0
    for team in list_teams():
        settings = rt.team_settings(team.id)
        added += len(handover.queue_handover_notices(settings, now, team.id))
        added += len(duty_lists.queue_weekly_notices(settings, now, team.id))
        added += len(managers.queue_manager_warnings(settings, rt.managers, now, team.id))
        added += len(ring_test.queue_ring_tests(now, team.id))
        added += len(ring_test.queue_unconfirmed_warnings(settings, rt.managers, now, team.id))
    return added


@click.command("clock")
@click.option("--once", is_flag=True, help="one pass, then exit")
@click.option("--interval", default=60.0, show_default=True, type=INTERVAL,
              callback=_a_number, help="seconds between passes")
@service()
@with_appcontext
def clock(once, interval):
    """Queue every team's handover texts and reminders, weekly duty lists, managers' warnings
    and ring tests, the
    escalation calls of tickets nobody acknowledged, the tickets of missed calls and the
    weekly call summary as they fall due; keep the call figures of closed hours and days."""
    rt = runtime()
    report_email = current_app.config.get("REPORT_EMAIL")
    if report_email and "@" not in report_email:
        raise click.ClickException(f"REPORT_EMAIL: not an e-mail address: {report_email!r}")

    def work():
        replay_kept(rt)  # callers' messages kept on disk while the database was away
        now = rt.clock()
        added = rota_pass(rt, now)
        # the top-level settings: each ticket and call is taken in its own team's
        added += len(escalation.queue_escalations(rt.settings, rt.managers, now))
        added += missed.queue_missed_calls(rt.settings, now, rt.delivery)
        if report_email and weekly.queue_weekly_summary(rt.settings, report_email, now):
            added += 1
        units.keep_recent(rt.settings, now)
        if once or added:
            click.echo(f"queued {added} notice(s)")

    repeat(once, interval, work, None if once else stop_on_sigterm(),
           current_app.config.get("DATABASE_URL"))
