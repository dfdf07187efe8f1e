"""One-time sign-in links: valid for 15 minutes, used once."""

from datetime import timedelta

from accounts.models import SignInLink, User
from accounts.tokens import digest, new_secret

LINK_LIFETIME = timedelta(minutes=15)


class LinkRefused(ValueError):
    """The link is unknown, used or expired."""


def issue_link(user, now):
    """A new sign-in secret for the user (shown once; only its hash is kept)."""
    secret = new_secret()
    SignInLink.create(token_hash=digest(secret), user=user, created_at=now,
                      expires_at=now + LINK_LIFETIME)
    return secret


def link_user(secret, now):
    """The user a live link signs in, without using it up (the page before the button)."""
    link = (SignInLink
            .select(SignInLink, User)
            .join(User)
            .where(SignInLink.token_hash == digest(secret),
                   SignInLink.used_at.is_null(),
                   SignInLink.expires_at > now)
            .first())
    if link is None:
        raise LinkRefused("this sign-in link has expired or was already used")
    return link.user


def redeem_link(secret, now):
    """Use the link up and return its user; a second use, even at the same moment, is refused."""
    user = link_user(secret, now)
    used = (SignInLink
            .update(used_at=now)
            .where(SignInLink.token_hash == digest(secret),
                   SignInLink.used_at.is_null(),
                   SignInLink.expires_at > now)
            .execute())
    if used != 1:
        raise LinkRefused("this sign-in link has expired or was already used")
    return user
