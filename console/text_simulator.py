"""Plays an engineer's text to the support number through the app, as Twilio would.

It posts the signed /sms/incoming request, prints the reply the engineer would get and
what the text changed: presence, duty overrides, tickets and the texts it queued.
"""

import secrets
import xml.etree.ElementTree as ET

from dutyline.db import database
from rota.models import Engineer, Override
from outbox.models import OutboxMessage
from voicemail.models import Ticket
from webhooks.runtime import runtime

SUPPORT_NUMBER = "+442071838750"  # the number texted when TWILIO_FROM_NUMBER is not set


def state(tz):
    """What an engineer's text can change, as comparable descriptions."""
    with database.connection_context():
        presence = {e.name: "signed in" if e.signed_in else "signed out"
                    for e in Engineer.select().where(Engineer.active)}
        overrides = {o.id: (f"override {o.id}: {o.engineer.name} on duty from "
                            f"{o.starts_at.astimezone(tz):%a %d %b %H:%M} to "
                            f"{o.ends_at.astimezone(tz):%a %d %b %H:%M}")
                     for o in Override.select()}
        tickets = {t.number: f"{t.status}, priority {t.priority_label}"
                   for t in Ticket.select()}
        queued = {m.id: f"queued {m.channel} to {m.recipient}: {m.body}"
                  for m in OutboxMessage.select()}
    return presence, overrides, tickets, queued


def changes(before, after):
    """The lines saying what differs between two states."""
    (presence, overrides, tickets, queued), (presence2, overrides2, tickets2, queued2) = (
        before, after)
    lines = [f"{name}: {value}" for name, value in presence2.items()
             if presence.get(name) != value]
    lines += [text for key, text in overrides2.items() if key not in overrides]
    lines += [f"removed {text}" for key, text in overrides.items() if key not in overrides2]
    lines += [f"ticket #{number}: {status}" for number, status in tickets2.items()
              if tickets.get(number) != status]
    lines += [text for key, text in queued2.items() if key not in queued]
    return lines


def simulate_text(app, sender, body, at, echo=print):
    """Send `body` from `sender` to the app at `at`; print the reply and what changed."""
    with app.app_context():
        rt = runtime()
        rt.clock.set(at)
        tz = rt.settings.tz
        to = app.config.get("TWILIO_FROM_NUMBER") or SUPPORT_NUMBER
        before = state(tz)
        url = f"{(rt.public_url or 'http://localhost').rstrip('/')}/sms/incoming"
        params = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "ACsimulator",
                  "From": sender, "To": to, "Body": body, "NumMedia": "0",
                  "ApiVersion": "2010-04-01"}
        signature = rt.validator.compute_signature(url, params)
    echo(f"[{at.astimezone(tz):%a %d %b %H:%M}] text from {sender} to {to}: {body}")
    response = app.test_client().post("/sms/incoming", data=params,
                                      headers={"X-Twilio-Signature": signature},
                                      base_url=url.rsplit("/sms/", 1)[0])
    if response.status_code != 200:
        echo(f"app answered {response.status_code}")
        return None
    replies = [m.text or "" for m in ET.fromstring(response.get_data(as_text=True)).iter("Message")]
    for reply in replies:
        echo(f"reply: {reply}")
    with app.app_context():
        lines = changes(before, state(tz))
    for line in lines or ["nothing changed"]:
        echo(f"changed: {line}" if lines else line)
    return replies
