"""Security headers on every answer of the app, and no caching of the web interface's pages.

The policy allows scripts, styles and connections from the app itself only: no inline
script or style (the templates carry none, htmx is told not to add its own style), no
plugins, no `<base>`, forms posted only to the app, and no framing by any page, so no other
site can lay the manager pages under a decoy button (clickjacking). On Twilio's webhooks
and the calendar feeds these headers change nothing.

Pages of the web interface are never stored by the browser (`Cache-Control: no-store`): Back
after signing out asks the server again, which sends the sign-in page. Static assets and
the machine endpoints keep their own caching.
"""

from flask import request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the page icon is an empty data: URL
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # the full URL only to the app itself: Flask-WTF's CSRF check over https compares the
    # Referer with the host, and a sign-in link's secret is in its path
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.blueprint == "web" and request.endpoint != "web.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def register_headers(app):
    app.after_request(add_security_headers)
