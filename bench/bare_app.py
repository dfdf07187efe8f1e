"""The yardstick: a bare Flask endpoint that returns a fixed TwiML document."""

from flask import Flask, Response

FIXED = ('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-GB" '
         'voice="Polly.Amy">Thank you for calling support.</Say><Dial action="/x" timeout="10">'
         '<Number url="/w">+447911123401</Number></Dial></Response>')


def create_app():
    app = Flask(__name__)

    @app.post("/voice/incoming")
    def incoming():
        return Response(FIXED, mimetype="text/xml")

    return app
