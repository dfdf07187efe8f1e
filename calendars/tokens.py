"""Feed tokens: random secrets in the feed URLs, stored hashed, revocable."""

import base64
import hashlib
import hmac
import re
import secrets

from calendars.models import ENGINEER, MANAGER, FeedToken
from dutyline.plain_text import plain
from rota.models import FIRST_TEAM

TOKEN_BYTES = 25  # 200 random bits, 40 base32 characters
TOKEN_LENGTH = 40
PREFIX_LENGTH = 8  # shown in listings to name a token; the other 160 bits stay secret
MIN_REVOKE_PREFIX = 4


class TokenError(ValueError):
    """A token request that cannot be carried out; the message says why."""


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_text():
    """A fresh random token: lower-case base32, URL- and shell-safe."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().lower()


def issue_token(now, engineer=None, label=None, team=None):
    """Create a token for an engineer or, with `label`, for a manager; return its text.
    The token reads the feeds of `team` (a Team); None, or the first team, gives a token of
    the first team's feeds, as every token made before teams."""
    if (engineer is None) == (label is None):
        raise TokenError("a token is for an engineer or a manager label, not both")
    if label is not None and not label.strip():
        raise TokenError("a manager token needs a label")
    if label is not None:
        plain(label, "label", TokenError)
    token = new_token_text()
    FeedToken.create(prefix=token[:PREFIX_LENGTH], token_hash=_hash(token),
                     kind=ENGINEER if engineer is not None else MANAGER, engineer=engineer,
                     label=engineer.name if engineer is not None else label.strip(),
                     created_at=now,
                     team=team.id if team is not None and team.id != FIRST_TEAM else None)
    return token


def resolve_token(token):
    """The live FeedToken for this text, or None; the hash comparison takes constant time."""
    digest = _hash(token or "")
    candidates = (FeedToken
                  .select()
                  .where(FeedToken.prefix == (token or "")[:PREFIX_LENGTH],
                         FeedToken.revoked_at.is_null()))
    found = None
    for candidate in candidates:
        if hmac.compare_digest(candidate.token_hash, digest):
            found = candidate
    return found


def list_tokens():
    """Every token, newest first, revoked ones included."""
    return list(FeedToken.select().order_by(FeedToken.created_at.desc(), FeedToken.id.desc()))


def revoke_token(prefix, now):
    """Revoke the one live token whose text starts with `prefix`; return it."""
    prefix = (prefix or "").strip().lower()
    if len(prefix) < MIN_REVOKE_PREFIX or not re.fullmatch(r"[a-z2-7]+", prefix):
        raise TokenError(f"give at least {MIN_REVOKE_PREFIX} characters of the token")
    if PREFIX_LENGTH < len(prefix) < TOKEN_LENGTH:
        raise TokenError(f"give the first {PREFIX_LENGTH} characters or the whole token")
    live = [token for token in (FeedToken
                                .select()
                                .where(FeedToken.prefix.startswith(prefix[:PREFIX_LENGTH]),
                                       FeedToken.revoked_at.is_null()))
            if len(prefix) <= PREFIX_LENGTH or hmac.compare_digest(token.token_hash, _hash(prefix))]
    if not live:
        raise TokenError(f"no live token starts with {prefix!r}")
    if len(live) > 1:
        raise TokenError(f"{len(live)} live tokens start with {prefix!r}; give more characters")
    token = live[0]
    FeedToken.update(revoked_at=now).where(FeedToken.id == token.id).execute()
    token.revoked_at = now
    return token


def token_team_id(token):
    """The id of the team whose feeds a token reads."""
    return token.team_id or FIRST_TEAM


def token_as_dict(token):
    """A token's public facts: prefix, kind, owner, team, dates; never the secret."""
    return {"prefix": token.prefix, "kind": token.kind, "label": token.label,
            "team": token.team.name if token.team_id else None,
            "created_at": token.created_at.isoformat(),
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}
