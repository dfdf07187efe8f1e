"""Random secrets for links and sessions, and the hashes they are stored as."""

import hashlib
import secrets


def new_secret():
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(secret):
    """What is stored for a secret: its SHA-256 (a database leak reveals no usable secret)."""
    return hashlib.sha256((secret or "").encode()).hexdigest()
