"""The calendar feed endpoints: token check, 304 answers from a cheap marker, else the feed,
each of the token's team, with that team's settings (its zone and its name)."""

from flask import Blueprint, Response, request
from werkzeug.http import http_date

from calendars.feeds import (FeedNotFound, build_feed, etag_for, feed_request, feed_window,
                             published_last_modified, rota_marker)
from calendars.tokens import resolve_token
from webhooks.lifecycle import Lifecycle, note
from rota.models import FIRST_TEAM, Team
from webhooks.runtime import runtime

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
# clients revalidate every time (a 304 is cheap); no-transform keeps proxies from compressing
CACHE_CONTROL = "private, no-cache, no-transform"


def not_found():
    return Response("not found\n", status=404, mimetype="text/plain")


def _not_modified(etag, last_modified):
    if request.if_none_match:
        # If-None-Match wins over If-Modified-Since when both are sent
        return request.if_none_match.contains_weak(etag.strip('"'))
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified <= since


def _headers(etag, last_modified):
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    return headers


def feed_settings(settings, team_id):
    """The settings a team's feeds are made with (dutyline.settings.Settings.of_team): the
    top-level ones for the first team when no team has a table of its own, as before teams."""
    if team_id == FIRST_TEAM and not settings.teams:
        return settings
    team = Team.get_by_id(team_id)
    return settings.of_team(team.name, team.id == FIRST_TEAM)


feed_lifecycle = Lifecycle(
    "webhooks.feeds",
    describe=lambda response: f"status={response.status_code} bytes={response.content_length or 0}")


@bp.get("/calendars/<token>/<name>.ics")
@feed_lifecycle
def feed(token, name):
    rt = runtime()
    now = rt.clock()
    note(feed=name[:40])
    owner = resolve_token(token)
    if owner is None:
        return not_found()
    try:
        wanted = feed_request(owner, name)
    except FeedNotFound:
        return not_found()
    note(token=owner.prefix)
    settings = feed_settings(rt.settings, wanted.team_id)
    marker = rota_marker(wanted, settings, feed_window(settings, now))
    etag = etag_for(marker)
    last_modified = None
    if not request.if_none_match and request.if_modified_since:
        last_modified = published_last_modified(wanted, marker)
    if _not_modified(etag, last_modified):
        return Response(status=304, headers=_headers(etag, last_modified))
    built = build_feed(wanted, settings, now)
    return Response(built.body, status=200, content_type=CONTENT_TYPE,
                    headers=_headers(built.etag, built.last_modified))
