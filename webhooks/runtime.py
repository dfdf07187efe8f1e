"""What the web layer holds for the life of the app: settings, clock, validator, URLs."""

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode

from flask import current_app, g
from twilio.request_validator import RequestValidator

from rota.teams import settings_of
from webhooks.callback_tokens import TOKEN_PARAM, callback_token, token_matches

# Callback names used by telephony.twiml, and the paths they are served on.
PATHS = {
    "incoming": "/voice/incoming",
    "dial_result": "/voice/dial-result",
    "whisper": "/voice/whisper",
    "accept": "/voice/accept",
    "leg_status": "/voice/leg-status",
    "recorded": "/voice/recorded",
    "recording_status": "/voice/recording-status",
    "fallback_result": "/voice/fallback-result",
    "status": "/voice/status",
    "fallback": "/voice/fallback",
    "emergency": "/voice/emergency",
    "transcription": "/voice/transcription",
    "queue_wait": "/voice/queue-wait",
    "queue_result": "/voice/queue-result",
    "leg_whisper": "/voice/leg-whisper",
    "leg_accept": "/voice/leg-accept",
    "join_result": "/voice/join-result",
    "ringback": "/voice/ringback.wav",
    "escalation": "/voice/escalation",
    "escalation_key": "/voice/escalation-key",
    "escalation_status": "/voice/escalation-status",
    "callback": "/voice/callback",
    "callback_key": "/voice/callback-key",
    "callback_dialled": "/voice/callback-dialled",
    "ring_test": "/voice/ring-test",
    "ring_test_key": "/voice/ring-test-key",
    "menu": "/voice/menu",
    "forward_result": "/voice/forward-result",
}


def utc_now():
    return datetime.now(timezone.utc)


@dataclass
class Runtime:
    settings: object
    clock: object
    validator: RequestValidator | None
    public_url: str | None
    fallback_number: str | None
    incidents: object = None
    delivery: object = None  # voicemail.notify.Delivery: where ticket notices go
    # rota.managers.Managers of MANAGER_NUMBERS and MANAGER_EMAILS: who is warned of a team's
    # gaps and faults unless its settings name managers of its own (rota.managers.managers_of)
    managers: object = None
    dialer: object = None  # telephony.dialer: engineer legs through the REST API (overlap)
    incidents_rest: object = None  # faults of the REST API, logged once per incident
    callback_secret: str | None = None  # what callback tokens are made with (the auth token)
    spool: object = None  # voicemail.spool.Spool: messages kept while the database is away

    def team_settings(self, team_id):
        """The settings of the team `team_id` (rota.teams.settings_of)."""
        return settings_of(self.settings, team_id)

    def url(self, name, **params):
        """The absolute URL Twilio should call for a callback name.

        A URL naming a leg, a call or an escalation call (`esc`, its outbox row), or the
        instant a call arrived (`at`, a menu's), carries that one's token
        (webhooks.callback_tokens).
        """
        base = (self.public_url or "").rstrip("/")
        if self.callback_secret:
            for kind in ("leg", "call", "esc", "at"):
                if kind in params:
                    params[TOKEN_PARAM] = callback_token(self.callback_secret, kind, params[kind])
        query = f"?{urlencode(params)}" if params else ""
        return f"{base}{PATHS[name]}{query}"

    def callback_matches(self, kind, value, token):
        """True when `token` is the one written into the URLs of that leg or call."""
        return token_matches(self.callback_secret, kind, value, token)

    def url_twilio_used(self, request):
        """The URL a request was signed for: the configured public base plus path and query."""
        if not self.public_url:
            return request.url
        query = request.query_string.decode("latin-1")
        path = request.path
        return f"{self.public_url.rstrip('/')}{path}" + (f"?{query}" if query else "")


def runtime():
    return current_app.extensions["dutyline"]


def use_team(team_id):
    """This request is about a call of the team `team_id`: call_settings() gives its settings
    from now on (webhooks.callbacks, once a callback's call is known)."""
    use_settings(runtime().team_settings(team_id))


def use_settings(settings):
    """This request is about a call whose team's settings are `settings` (the arrival, which
    read its team's name with everything else)."""
    g.team_settings = settings


def call_settings():
    """The settings of the team of the call this request is about (use_team), else the
    top-level settings."""
    return g.get("team_settings") or runtime().settings
