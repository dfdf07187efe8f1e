"""The CSRF protection of the web interface's forms (Flask-WTF), checked by the blueprint."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
