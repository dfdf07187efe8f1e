"""The web interface for managers and engineers: pages, sign-in, sessions."""

import logging
import secrets
from datetime import timedelta

from flask.sessions import SecureCookieSessionInterface

from dutyline import environment
from web import pages
from web.blueprint import bp
from web.errors import register_error_pages
from web.headers import register_headers
from web.protect import csrf
from web.wallboard import board_bp

log = logging.getLogger(__name__)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with no work for a request that brings no cookie.

    Twilio's webhooks and the calendar feeds never carry the web interface's cookie;
    without one the session is new and empty, as Flask's own interface would make it.
    """

    def open_session(self, app, request):
        # no Cookie header at all (every webhook): not even the header's parsing
        if "HTTP_COOKIE" not in request.environ \
                or not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app):
    """Register the web interface's pages, its session cookie, CSRF protection and the
    security headers (web/headers.py) on `app`."""
    secret = app.config.get("SECRET_KEY")
    if not secret and app.config.get("SERVES_WEBHOOKS", True):  # a command serves no pages
        log.warning("web.init_app: SECRET_KEY is not set; sign-ins end when the process "
                    "restarts and do not carry across workers")
    secret = secret or secrets.token_hex(32)
    public_url = app.config.get("PUBLIC_URL") or ""
    idle = app.config.get("WEB_IDLE_MINUTES") or environment.default("WEB_IDLE_MINUTES")
    if not (str(idle).isdigit() and int(idle) > 0):
        raise ValueError(f"WEB_IDLE_MINUTES: expected a number of minutes, got {idle!r}")
    app.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_NAME="dutyline_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=public_url.startswith("https://"),
        # the check runs in the web blueprint only: Twilio and the feeds have their own
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WEB_IDLE=timedelta(minutes=int(idle)),
    )
    app.session_interface = CookieSessions()
    csrf.init_app(app)
    hops = int(app.config.get("FORWARDED_HOPS") or environment.default("FORWARDED_HOPS"))
    if hops:  # behind proxies: the sign-in limits count the client's address
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0,
                                x_prefix=0)
    pages.load()
    app.register_blueprint(bp)
    app.register_blueprint(board_bp)  # the wallboard's read-only links: no sign-in, no cookie
    register_error_pages(app)
    register_headers(app)
