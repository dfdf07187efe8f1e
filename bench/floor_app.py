"""The floor: only the work an arrival cannot skip, on SQLite, with nothing of dutyline around it.

The signature checked with the SDK's validator, one read (the round-robin position and
the signed-in engineers), one write transaction (claim the position, log the call and its
first leg), and a fixed-shape TwiML answer. It shows how close any implementation of
/voice/incoming that logs each call durably can come to the bare endpoint on the machine
the benchmark runs on. With FLOOR_WITHOUT_WRITE=1 it leaves the write out (answering with
leg 0), to show what the write costs. Not part of the service.
"""

import json
import os
import sqlite3

from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

READ = ('SELECT "p"."last_rotation", "p"."version", "e"."id", "e"."rotation", "e"."mobile" '
        'FROM "hunt_position" AS "p" LEFT JOIN "engineer" AS "e" ON "e"."signed_in" = 1 '
        'AND "e"."active" = 1 WHERE "p"."id" = 1')
CLAIM = ('UPDATE "hunt_position" SET "last_rotation" = ?, "version" = "version" + 1 '
         'WHERE "id" = 1 AND "version" = ?')
CALL = ('INSERT INTO "call" ("sid", "from_number", "to_number", "started_at", "mode", "plan", '
        '"gated", "status") VALUES (?, ?, ?, datetime(), ?, ?, 0, ?) RETURNING "id"')
LEG = ('INSERT INTO "leg" ("call_id", "step", "engineer_id", "number", "role", "started_at", '
       '"outcome") VALUES (?, 0, ?, ?, ?, datetime(), ?) RETURNING "id"')


def create_app():
    app = Flask(__name__)
    public = os.environ["PUBLIC_URL"].rstrip("/")
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    path = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    write = os.environ.get("FLOOR_WITHOUT_WRITE") != "1"
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode = wal", "synchronous = normal", "busy_timeout = 5000"):
        connection.execute(f"PRAGMA {pragma}")
    document = ('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-GB" '
                'voice="Polly.Amy">Thank you for calling support.</Say>'
                f'<Dial action="{public}/voice/dial-result?leg={{leg}}" method="POST" '
                'timeout="10"><Number method="POST" '
                f'statusCallback="{public}/voice/leg-status?leg={{leg}}" '
                'statusCallbackEvent="initiated ringing answered completed" '
                f'statusCallbackMethod="POST" url="{public}/voice/whisper?leg={{leg}}">'
                '{number}</Number></Dial></Response>')

    @app.post("/voice/incoming")
    def incoming():
        form = request.form
        if not validator.validate(public + "/voice/incoming", form,
                                  request.headers.get("X-Twilio-Signature", "")):
            return Response("forbidden\n", status=403)
        while True:
            rows = connection.execute(READ).fetchall()
            last, version = rows[0][0], rows[0][1]
            ready = sorted((row for row in rows if row[2] is not None), key=lambda row: row[3])
            order = [r for r in ready if r[3] > last] + [r for r in ready if r[3] <= last]
            first = order[0]
            if not write:
                return Response(document.format(leg=0, number=first[4]), mimetype="text/xml")
            connection.execute("BEGIN IMMEDIATE")
            if connection.execute(CLAIM, (first[3], version)).rowcount != 1:
                connection.execute("ROLLBACK")
                continue
            plan = json.dumps([{"engineer_id": r[2], "number": r[4]} for r in order])
            call_id = connection.execute(CALL, (form["CallSid"], form["From"], form["To"],
                                                "in_hours", plan, "ringing")).fetchone()[0]
            leg_id = connection.execute(LEG, (call_id, first[2], first[4], "hunt",
                                              "ringing")).fetchone()[0]
            connection.execute("COMMIT")
            return Response(document.format(leg=leg_id, number=first[4]), mimetype="text/xml")

    return app
