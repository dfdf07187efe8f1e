"""Web sessions: started by a sign-in, ended by sign-out, idle time or the user's removal."""

from datetime import timedelta

from accounts.models import User, WebSession
from accounts.tokens import digest, new_secret

TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often


def start_session(user, now):
    """A new session for the user; returns the secret for the cookie."""
    secret = new_secret()
    WebSession.create(token_hash=digest(secret), user=user, created_at=now, last_seen_at=now)
    return secret


def session_user(secret, now, idle):
    """The user of a live session, or None; a session idle longer than `idle` ends here."""
    if not secret:
        return None
    found = (WebSession
             .select(WebSession, User)
             .join(User)
             .where(WebSession.token_hash == digest(secret))
             .first())
    if found is None:
        return None
    if now - found.last_seen_at > idle:
        WebSession.delete().where(WebSession.id == found.id).execute()
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        WebSession.update(last_seen_at=now).where(WebSession.id == found.id).execute()
    return found.user


def end_session(secret):
    """Sign out: the session's row goes."""
    WebSession.delete().where(WebSession.token_hash == digest(secret or "")).execute()


def end_sessions_of(user):
    """Every session of the user ends (a password change, a removal)."""
    WebSession.delete().where(WebSession.user == user.id).execute()
