"""What the app holds for the life of the process (settings, clock, public URL), as the web
interface reads it: the runtime that create_app stored on the app."""

from flask import current_app


def runtime():
    return current_app.extensions["dutyline"]
