"""403, 404 and the CSRF refusal as pages for people; machines keep their plain answers."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError

# paths that keep their plain-text answers: Twilio's webhooks and the calendar feeds
MACHINE_PATHS = ("/voice/", "/sms/", "/calendars/", "/healthz")

MESSAGES = {
    403: ("Not allowed", "Your account may not see or change this."),
    404: ("Not found", "There is no page here."),
}


def register_error_pages(app):
    def page(exc):
        if request.path.startswith(MACHINE_PATHS):
            return exc
        title, text = MESSAGES[exc.code]
        return render_template("error.html", title=title, text=text, code=exc.code), exc.code

    def csrf_refused(exc):
        return render_template("error.html", title="Form expired",
                               text="The form was missing its security token or it had "
                                    "expired. Go back, reload the page and try again.",
                               code=400), 400

    app.register_error_handler(403, page)
    app.register_error_handler(404, page)
    app.register_error_handler(CSRFError, csrf_refused)
