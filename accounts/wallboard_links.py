"""Read-only links to the wallboard: a random secret in the URL, stored hashed, revocable.

A screen on the wall (a TV) opens the wallboard with one and needs no account. The link
shows the wallboard and nothing else; a revoked link shows nothing from the moment it is
revoked.
"""

import base64
import hmac
import re
import secrets

from accounts.models import WallboardLink
from accounts.tokens import digest
from dutyline.plain_text import plain
from rota.models import FIRST_TEAM, Team

SECRET_BYTES = 25  # 200 random bits, 40 base32 characters
SECRET_LENGTH = 40
PREFIX_LENGTH = 8  # shown to name a link; the other 160 bits stay secret
MIN_REVOKE_PREFIX = 4
MAX_LABEL = 80


class WallboardLinkError(ValueError):
    """A link request that cannot be carried out; the message says why."""


def _new_secret():
    """Lower-case base32: safe in a URL and on a command line (never starts with "-")."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().lower()


def make_link(label, actor, now, team=None):
    """A new link for the screen called `label`, showing the figures of `team` (a Team, or
    None for the first team); returns (the link, its secret). The secret is shown once: only
    its hash is kept."""
    label = (label or "").strip()
    if not label:
        raise WallboardLinkError("a wallboard link needs a label (where the screen is)")
    plain(label, "label", WallboardLinkError)
    if len(label) > MAX_LABEL:
        raise WallboardLinkError(f"a wallboard link's label is at most {MAX_LABEL} characters")
    secret = _new_secret()
    link = WallboardLink.create(prefix=secret[:PREFIX_LENGTH], token_hash=digest(secret),
                                label=label, created_at=now, created_by=actor,
                                 team=team.id if team is not None else None)
    return link, secret


def link_for(secret):
    """The live link this secret opens, or None; the hash is compared in constant time."""
    secret = secret or ""
    if len(secret) != SECRET_LENGTH:
        return None
    wanted = digest(secret)
    found = None
    for candidate in (WallboardLink
                      .select()
                      .where(WallboardLink.prefix == secret[:PREFIX_LENGTH],
                             WallboardLink.revoked_at.is_null())):
        if hmac.compare_digest(candidate.token_hash, wanted):
            found = candidate
    return found


def live_links(team=None):
    """The links not revoked, newest first; those showing the team `team` (an id), when given
    (a link of no team shows the first team's)."""
    query = WallboardLink.select().where(WallboardLink.revoked_at.is_null())
    if team is not None:
        query = query.where(WallboardLink.team == team if team != FIRST_TEAM
                            else WallboardLink.team.is_null() | (WallboardLink.team == team))
    return list(query.order_by(WallboardLink.created_at.desc(), WallboardLink.id.desc()))


def link_team(link):
    """The id of the team whose figures a link shows."""
    return link.team_id or FIRST_TEAM


def _revoke(link, now):
    WallboardLink.update(revoked_at=now).where(WallboardLink.id == link.id,
                                               WallboardLink.revoked_at.is_null()).execute()
    link.revoked_at = now
    return link


def revoke_link(link_id, now):
    """Revoke the live link with this id (the web page's button); returns it."""
    link = WallboardLink.get_or_none(WallboardLink.id == link_id,
                                     WallboardLink.revoked_at.is_null())
    if link is None:
        raise WallboardLinkError("that wallboard link was revoked already")
    return _revoke(link, now)


def revoke_prefix(prefix, now):
    """Revoke the one live link whose secret starts with `prefix` (the command line)."""
    prefix = (prefix or "").strip().lower()
    if len(prefix) < MIN_REVOKE_PREFIX or not re.fullmatch(r"[a-z2-7]+", prefix):
        raise WallboardLinkError(f"give at least {MIN_REVOKE_PREFIX} characters of the link's "
                                 "secret, as `dutyline wallboard links` shows them")
    if PREFIX_LENGTH < len(prefix) < SECRET_LENGTH:
        raise WallboardLinkError(f"give the first {PREFIX_LENGTH} characters or the whole secret")
    live = [link for link in (WallboardLink
                              .select()
                              .where(WallboardLink.prefix.startswith(prefix[:PREFIX_LENGTH]),
                                     WallboardLink.revoked_at.is_null()))
            if len(prefix) <= PREFIX_LENGTH or hmac.compare_digest(link.token_hash,
                                                                   digest(prefix))]
    if not live:
        raise WallboardLinkError(f"no live wallboard link starts with {prefix!r}")
    if len(live) > 1:
        raise WallboardLinkError(f"{len(live)} live wallboard links start with {prefix!r}; "
                                 "give more characters")
    return _revoke(live[0], now)


def link_as_dict(link):
    """A link's public facts: prefix, label, who made it and when; never the secret."""
    return {"prefix": link.prefix, "label": link.label, "created_by": link.created_by,
            "created_at": link.created_at.isoformat(),
            "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
            "team": Team.get_by_id(link_team(link)).name}
