"""Callback URLs that name a leg or a call carry a token only the app can make.

Twilio's signature joins the URL, the parameter names and their values without
separators, so a signed request for `/voice/accept?leg=12` can be replayed as
`/voice/accept?leg=1` with a body field `2AccountSid=…` under the same signature. The
token, an HMAC of the id under the account's auth token, is what ties a callback to the
one leg (or call) its URL was written for: a shifted digit gives a token that does not
match, and the request changes nothing.
"""

import hashlib
import hmac
from functools import lru_cache

TOKEN_PARAM = "t"
TOKEN_LENGTH = 32  # hex characters: 128 bits


@lru_cache(maxsize=1024)  # one answer names its leg in several URLs
def callback_token(secret, kind, value):
    """The token for `kind` ("leg" or "call") number `value`, under `secret`."""
    message = f"dutyline-callback:{kind}:{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]


def token_matches(secret, kind, value, given):
    """True when `given` is the token for this id, compared in constant time."""
    if not secret or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(callback_token(secret, kind, value), given)
