"""Feed tokens: hashed storage, resolution, revocation, and the `dutyline calendars` commands."""

import json
import re

import pytest

from calendars import tokens as token_service
from calendars.models import FeedToken
from dutyline.db import database


def test_token_is_random_long_and_stored_only_hashed(app, team, clock):
    with database.connection_context():
        first = token_service.issue_token(clock(), engineer=team[0])
        second = token_service.issue_token(clock(), engineer=team[0])
        rows = list(FeedToken.select())
    assert first != second
    assert re.fullmatch(r"[a-z2-7]{40}", first)  # 40 base32 characters: 200 bits
    stored = " ".join(str(value) for row in rows for value in row.__data__.values())
    assert first not in stored and second not in stored
    assert first[8:16] not in stored


def test_resolve_finds_live_tokens_only(app, team, clock):
    with database.connection_context():
        token = token_service.issue_token(clock(), label="Ops lead")
        assert token_service.resolve_token(token).label == "Ops lead"
        assert token_service.resolve_token(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
        assert token_service.resolve_token(token[:8]) is None
        token_service.revoke_token(token[:6], clock())
        assert token_service.resolve_token(token) is None


def test_revoke_needs_an_unambiguous_prefix(app, team, clock):
    with database.connection_context():
        token = token_service.issue_token(clock(), label="Ops lead")
        for bad in ("ab", "ABCD!", token[:12]):
            with pytest.raises(token_service.TokenError):
                token_service.revoke_token(bad, clock())
        assert token_service.revoke_token(token, clock()).revoked_at == clock()


def test_cli_engineer_token_prints_https_and_webcal_urls(cli, team, app):
    result = cli("calendars", "token", "Ben Smith")
    assert result.exit_code == 0, result.output
    https = re.findall(r"https://support\.example\.com/calendars/([a-z2-7]{40})/(\w+)\.ics",
                       result.output)
    webcal = re.findall(r"webcal://support\.example\.com/calendars/([a-z2-7]{40})/(\w+)\.ics",
                        result.output)
    assert sorted(feed for _, feed in https) == ["handovers", "mine", "rota"]
    assert https == webcal
    token = https[0][0]
    assert app.test_client().get(f"/calendars/{token}/mine.ics").status_code == 200


def test_cli_manager_token_list_and_revoke(cli, team, app):
    made = cli("calendars", "token", "--manager", "Ops lead")
    feeds = re.findall(r"https://\S+/calendars/([a-z2-7]{40})/(\w+)\.ics", made.output)
    assert sorted(feed for _, feed in feeds) == ["handovers", "rota"]
    token = feeds[0][0]
    listed = json.loads(cli("calendars", "tokens", "--json").output)
    assert [(row["prefix"], row["kind"], row["label"], row["revoked_at"]) for row in listed] == [
        (token[:8], "manager", "Ops lead", None)]
    assert token not in cli("calendars", "tokens").output
    assert app.test_client().get(f"/calendars/{token}/rota.ics").status_code == 200
    revoked = cli("calendars", "revoke", token[:8])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert app.test_client().get(f"/calendars/{token}/rota.ics").status_code == 404
    again = cli("calendars", "revoke", token[:8])
    assert again.exit_code != 0 and "no live token" in again.output


def test_cli_unknown_engineer_is_an_error(cli, team):
    result = cli("calendars", "token", "Nobody Here")
    assert result.exit_code != 0 and "unknown engineer" in result.output
