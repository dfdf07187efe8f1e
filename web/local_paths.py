"""Where a redirect may go after a form (`next` after signing in, `back` after a presence
change): only a page of this app, read the way a browser reads a URL.

A browser removes tabs and new lines anywhere in a URL, trims control characters and spaces
at its ends and takes a backslash for a slash, so `/\\t/evil.example/` and `/\\evil.example`
both lead to `//evil.example/`, another site. The target is normalised the same way first;
what is left must be a path, with no scheme and no host, that names a page of the web
interface.
"""

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException

DROPPED = "\t\n\r"
TRIMMED = "".join(chr(code) for code in range(0x21))  # C0 controls and the space
NOT_PAGES = {"web.static", "web.sign_in", "web.sign_in_link", "web.sign_out"}


def normalised(target):
    """The target as a browser reads it: tabs and new lines gone, the ends trimmed,
    backslashes as slashes."""
    kept = "".join(c for c in target if c not in DROPPED).strip(TRIMMED)
    return kept.replace("\\", "/")


def local_path(target, adapter):
    """The normalised target when it is the path (and query) of one of the web interface's
    pages, as `adapter` (the app's URL map, bound) matches it for GET; else None."""
    if not target:
        return None
    url = normalised(target)
    if not url.startswith("/") or url.startswith("//") \
            or any(not 0x21 <= ord(c) <= 0x7e for c in url):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    try:
        endpoint, _args = adapter.match(parts.path, method="GET")
    except HTTPException:  # no such page, another method only, or a redirect to elsewhere
        return None
    if not endpoint.startswith("web.") or endpoint in NOT_PAGES:
        return None
    return url


def safe_target(target, fallback):
    """Where to redirect: the target when it is a page of this app, else `fallback`."""
    return local_path(target, current_app.create_url_adapter(request)) or fallback
